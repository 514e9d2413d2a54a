"""What the cache holds of a resource over a span: gaps, stale days, the sync that fills them.

Definitions:
- Coverage is a list of fetched day ranges, each with the time it was fetched. Where ranges
  overlap, a day counts as fetched at the latest of their times.
- A gap is a run of days of the requested span that no range covers.
- Stale days are covered days that the freshness rule (`is_stale`, passed in: the server
  wires `sync.windows.is_stale` with its policy, today and now) says to fetch again. Gap days
  are not counted as stale: they are gaps.
- The sync command fills the gaps: one `intervals-mcp sync` from the first gap's first day to
  the last gap's last day (a sync skips the fresh days in between, so one command is cheap),
  for one resource or several (`--only activities,wellness`). Stale days are left to the
  ordinary read-through; they need no command.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from intervals_mcp.analysis.periods import Period, check_span
from intervals_mcp.days import each_day


@dataclass(frozen=True, slots=True)
class CoveredRange:
    start: date
    end: date
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class CacheStatus:
    resource: str
    span: Period
    cached: Period | None  # first to last covered day of the span, None if none is
    gaps: tuple[Period, ...]
    gap_days: int
    stale_days: int
    last_fetch: datetime | None  # the latest fetch among the ranges touching the span
    sync_command: str | None  # None when there is no gap


StalePredicate = Callable[[date, datetime], bool]


def covered_ranges(days: Mapping[date, datetime]) -> list[CoveredRange]:
    """Coverage read per day (day -> fetched_at) as ranges: runs of consecutive days fetched
    at the same moment (one fetch window each), ascending."""
    ranges: list[CoveredRange] = []
    for day in sorted(days):
        at = days[day]
        last = ranges[-1] if ranges else None
        if last is not None and last.fetched_at == at and (day - last.end).days == 1:
            ranges[-1] = CoveredRange(last.start, day, at)
        else:
            ranges.append(CoveredRange(day, day, at))
    return ranges


def fetched_days(covered: Sequence[CoveredRange], span: Period) -> dict[date, datetime]:
    """Each covered day of the span and when it was last fetched."""
    days: dict[date, datetime] = {}
    for rng in covered:
        for day in each_day(max(rng.start, span.start), min(rng.end, span.end)):
            known = days.get(day)
            if known is None or rng.fetched_at > known:
                days[day] = rng.fetched_at
    return days


def gaps(span: Period, fetched: dict[date, datetime] | set[date]) -> list[Period]:
    """The runs of days of `span` not in `fetched`, ascending."""
    runs: list[Period] = []
    run_start: date | None = None
    for day in each_day(span.start, span.end):
        if day in fetched:
            if run_start is not None:
                runs.append(Period(run_start, day - timedelta(days=1)))
                run_start = None
        elif run_start is None:
            run_start = day
    if run_start is not None:
        runs.append(Period(run_start, span.end))
    return runs


def sync_command(
    resource: str | Sequence[str], holes: Sequence[Period], athlete_id: str | None = None
) -> str | None:
    """The one `intervals-mcp sync` command that fills every hole, or None without holes."""
    if not holes:
        return None
    first = min(h.start for h in holes)
    last = max(h.end for h in holes)
    only = resource if isinstance(resource, str) else ",".join(dict.fromkeys(resource))
    command = f"intervals-mcp sync --since {first.isoformat()} --until {last.isoformat()} --only {only}"
    return f"{command} --athlete-id {athlete_id}" if athlete_id else command


def cache_status(
    resource: str,
    start: date,
    end: date,
    covered: Sequence[CoveredRange],
    is_stale: StalePredicate,
    athlete_id: str | None = None,
) -> CacheStatus:
    """The cache's state for one resource over [start, end]."""
    span = check_span(start, end)
    fetched = fetched_days(covered, span)
    holes = gaps(span, fetched)
    touching = [r.fetched_at for r in covered if r.start <= span.end and r.end >= span.start]
    return CacheStatus(
        resource=resource,
        span=span,
        cached=Period(min(fetched), max(fetched)) if fetched else None,
        gaps=tuple(holes),
        gap_days=sum(h.days for h in holes),
        stale_days=sum(1 for day, at in fetched.items() if is_stale(day, at)),
        last_fetch=max(touching, default=None),
        sync_command=sync_command(resource, holes, athlete_id),
    )
