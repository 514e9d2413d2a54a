"""Plain data the sync service hands back: freshness of an answer, progress, and sync reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from intervals_mcp.errors import UpstreamError
from intervals_mcp.words import plural


@dataclass(frozen=True)
class Freshness:
    """Where an answer came from and how fresh it is."""

    resource: str  # "activities" | "wellness" | "events" | "intervals" | "activity" | "event" | "profile"
    start: date | None
    end: date | None
    fetched_windows: int  # windows (requests) fetched from upstream during this call
    as_of: datetime | None  # oldest fetched_at (UTC) over what was answered; None if nothing cached
    error: UpstreamError | None = None  # why a refresh failed while the cache answered
    complete: bool = True  # every day of the range is covered in the cache
    skipped: tuple[str, ...] = ()  # why each record upstream sent could not be stored (no id, no date)

    @property
    def from_cache_only(self) -> bool:
        return self.fetched_windows == 0


def skipped_sentence(skipped: Sequence[str]) -> str:
    """What was left out of stored windows, as one clause: 'Intervals.icu sent 2 records the
    cache cannot place (…), so they were skipped and the rest stored'."""
    more = "; ..." if len(set(skipped)) > 1 else ""
    were = "it was" if len(skipped) == 1 else "they were"
    return (
        f"Intervals.icu sent {plural(len(skipped), 'record')} the cache cannot place ({skipped[0]}{more}), "
        f"so {were} skipped and the rest stored"
    )


ProgressKind = Literal["planned", "window_done", "window_failed"]


@dataclass(frozen=True)
class ProgressEvent:
    """One step of a sync, for a progress bar or a log line."""

    kind: ProgressKind
    resource: str
    total_windows: int  # windows planned for this resource
    done_windows: int  # windows finished (fetched or failed) so far
    window: tuple[date, date] | None = None
    rows: int = 0  # rows the window returned
    error: str | None = None


Progress = Callable[[ProgressEvent], None]
"""Who presents progress: the CLI's bars for a bulk sync, MCP progress notifications for a tool call."""


@dataclass
class ResourceReport:
    """What a sync did for one resource."""

    resource: str
    planned: int = 0
    fetched: int = 0  # windows fetched and stored
    failed: int = 0  # windows that failed (their days stay stale)
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    requests: int = 0  # requests on the wire, retries included
    seconds: float = 0.0
    errors: list[UpstreamError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # records that could not be stored, and why


@dataclass
class SyncReport:
    """What a whole sync did, resource by resource."""

    athlete_id: str
    start: date
    end: date
    resources: dict[str, ResourceReport] = field(default_factory=dict)

    @property
    def errors(self) -> list[UpstreamError]:
        return [e for r in self.resources.values() for e in r.errors]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def skipped(self) -> list[str]:
        return [s for r in self.resources.values() for s in r.skipped]

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.resources.values())

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.resources.values())
