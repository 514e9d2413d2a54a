"""What the cache holds, for `intervals-mcp status`: gathered from the database, judged by the
freshness policy. Plain data only; the CLI presents it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from intervals_mcp.config import Settings
from intervals_mcp.days import each_day
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.db.resources import SPECS
from intervals_mcp.db.status import cache_status, merge_day_ranges
from intervals_mcp.sync.windows import FreshnessPolicy, is_stale


async def collect_status(
    reader: CacheReader,
    settings: Settings,
    *,
    describe: str,
    size: int | None,
    now: datetime | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """A JSON-ready summary: the database and its size, then per athlete and resource the rows
    cached, covered day ranges, last fetch, the never-fetched gaps between the first and last
    covered day, and how many covered days are stale."""
    now = now or datetime.now(UTC)
    today = today or now.astimezone().date()
    policy = FreshnessPolicy.from_settings(settings)
    entries: list[dict[str, Any]] = []
    for entry in await cache_status(reader):
        stale: int | None = None
        gaps: list[tuple[date, date]] = []
        if entry.resource in SPECS and entry.covered:
            first, last = entry.covered[0][0], entry.covered[-1][1]
            days = entry.covered_days
            stale = sum(1 for day, at in days.items() if is_stale(day, at, today, now, policy))
            gaps = merge_day_ranges(d for d in each_day(first, last) if d not in days)
        entries.append(
            {
                "athlete_id": entry.athlete_id,
                "resource": entry.resource,
                "rows": entry.rows,
                "covered": [[a.isoformat(), b.isoformat()] for a, b in entry.covered],
                "gaps": [[a.isoformat(), b.isoformat()] for a, b in gaps],
                "gap_days": sum((b - a).days + 1 for a, b in gaps),
                "last_sync": _iso(entry.last_fetched_at),
                "oldest_fetch": _iso(entry.oldest_fetched_at),
                "stale_days": stale,
            }
        )
    return {"db_path": describe, "db_bytes": size, "resources": entries}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")
