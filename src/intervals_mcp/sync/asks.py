"""What a tool asks the sync layer for, as plain data: importing it costs nothing (the server
imports it while building its tools, before any database or HTTP library is loaded)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from intervals_mcp.db.resources import Document


@dataclass(frozen=True)
class DocumentAsk:
    """One athlete-level document (see `sync.documents`): its kind, the query that names it, and
    the client method's arguments."""

    kind: Document
    key: str = ""  # canonical text of the query: one cached document per (athlete, kind, key)
    params: Mapping[str, Any] = field(default_factory=dict)
    sports: frozenset[str] | None = None  # the activity types it sums (None: any), if it follows them
