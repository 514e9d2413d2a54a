"""What a write is made of, apart from sending it (pure): the request as planned, what a write
did, the `external_id` of an event we create, and why a write's answer was lost. Importing it
costs nothing (no HTTP client, no database), so the server's tools use it at start-up."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from intervals_mcp.errors import (
    InvalidResponseError,
    UpstreamError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)

EXTERNAL_ID_PREFIX = "intervals-mcp-"


@dataclass(frozen=True)
class Planned:
    """One request exactly as it is (or would be) sent: method, path under the base URL, body."""

    method: str
    path: str
    body: Any = None

    @property
    def line(self) -> str:
        return f"{self.method} /{self.path}"


@dataclass(frozen=True)
class Written:
    """What one write did: the request, what upstream answered, and how the cache followed.

    `sent` is False for a dry run and when nothing needed sending (`existing`: what upstream
    already held, such as the same message posted before). `payload` is the record upstream
    returned (or the one found); None for deletes and dry runs.
    """

    planned: Planned
    payload: dict[str, Any] | None = None
    sent: bool = True
    existing: bool = False
    cache_note: str | None = None


def external_id(athlete_id: str, day: date, name: str, text: str) -> str:
    """The `external_id` of an event we create, from its content: the same athlete, day, name
    and text always give the same id, so a repeated call finds the event it made before."""
    content = "\x1f".join((athlete_id, day.isoformat(), " ".join(name.split()), text.strip()))
    return EXTERNAL_ID_PREFIX + hashlib.sha256(content.encode()).hexdigest()[:24]


def lost_reason(error: UpstreamError) -> str:
    if isinstance(error, UpstreamTimeoutError):
        return "no answer in time"
    if isinstance(error, UpstreamUnavailableError):
        return f"a server error, {error.status}"
    if isinstance(error, InvalidResponseError):
        return "an answer that could not be read"
    return "the connection dropped"


def first_match(items: list[Any], matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    """The first record of a list response that `matches`."""
    return next((i for i in items if isinstance(i, dict) and matches(i)), None)
