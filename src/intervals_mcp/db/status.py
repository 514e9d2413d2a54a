"""What the cache holds, per athlete and resource: rows, covered days, fetch times.

Read through the same `CacheReader` as everything else; judging freshness (stale days, gaps)
is left to the caller, which knows the policy and the athlete's today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, Table, func, select

from intervals_mcp.db.reader import CacheReader
from intervals_mcp.db.resources import COVERAGE, EXTRAS, PROFILES, SPECS


@dataclass(frozen=True)
class ResourceStatus:
    """One athlete's cache of one resource ("activities", …, "intervals", "profile")."""

    athlete_id: str
    resource: str
    rows: int
    covered: tuple[tuple[date, date], ...]
    covered_days: dict[date, datetime]  # day -> fetched_at, for windowed resources
    last_fetched_at: datetime | None
    oldest_fetched_at: datetime | None


def merge_day_ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days merged into inclusive (first, last) ranges, in order."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if ranges and day - ranges[-1][1] == timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def _totals(table: Table) -> Select[Any]:
    return select(
        table.c.athlete_id, func.count(), func.max(table.c.fetched_at), func.min(table.c.fetched_at)
    ).group_by(table.c.athlete_id)


_NAMED: tuple[tuple[str, Table], ...] = (
    *((name, spec.table) for name, spec in SPECS.items()),
    *((name, extra.table) for name, extra in EXTRAS.items()),
    ("profile", PROFILES),
)
_COVERAGE = select(COVERAGE.c.athlete_id, COVERAGE.c.resource, COVERAGE.c.day, COVERAGE.c.fetched_at)


async def cache_status(reader: CacheReader) -> list[ResourceStatus]:
    """Per athlete and resource: rows cached, covered day ranges, newest and oldest fetch."""
    counts: dict[tuple[str, str], tuple[int, datetime | None, datetime | None]] = {}
    for resource, table in _NAMED:
        for athlete, n, newest, oldest in await reader.rows(_totals(table), {}):
            counts[(athlete, resource)] = (int(n), newest, oldest)
    days: dict[tuple[str, str], dict[date, datetime]] = {}
    for athlete, resource, day, at in await reader.rows(_COVERAGE, {}):
        days.setdefault((athlete, resource), {})[day] = at
    entries = []
    for key in sorted(set(counts) | set(days)):
        n, newest, oldest = counts.get(key, (0, None, None))
        covered = days.get(key, {})
        if covered:  # for windowed resources, freshness is the coverage's
            newest, oldest = max(covered.values()), min(covered.values())
        entries.append(
            ResourceStatus(
                athlete_id=key[0],
                resource=key[1],
                rows=n,
                covered=tuple(merge_day_ranges(covered)),
                covered_days=covered,
                last_fetched_at=newest,
                oldest_fetched_at=oldest,
            )
        )
    return entries
