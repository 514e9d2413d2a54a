"""What the cache holds, for `intervals-mcp status`: gathered from the repo, judged by the policy."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from rich.table import Table

from intervals_mcp.config import Settings
from intervals_mcp.db import repo
from intervals_mcp.db.engine import Database
from intervals_mcp.sync.windows import RESOURCES, FreshnessPolicy, stale_days


async def collect_status(
    db: Database,
    settings: Settings,
    *,
    now: datetime | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """A JSON-ready summary: db path and size, then per athlete and resource the rows cached,
    covered day ranges, last fetch and how many days of the covered span are stale or missing.
    """
    now = now or datetime.now(UTC)
    today = today or now.astimezone().date()
    policy = FreshnessPolicy.from_settings(settings)
    summary = await repo.status(db)
    entries: list[dict[str, Any]] = []
    for entry in summary.resources:
        stale: int | None = None
        if entry.resource in RESOURCES and entry.covered:
            first, last = entry.covered[0][0], entry.covered[-1][1]
            covered = await repo.coverage_days(db, entry.athlete_id, entry.resource, first, last)
            stale = len(stale_days(first, last, covered, today, now, policy))
        entries.append(
            {
                "athlete_id": entry.athlete_id,
                "resource": entry.resource,
                "rows": entry.rows,
                "covered": [[a.isoformat(), b.isoformat()] for a, b in entry.covered],
                "last_sync": _iso(entry.last_fetched_at),
                "oldest_fetch": _iso(entry.oldest_fetched_at),
                "stale_days": stale,
            }
        )
    return {"db_path": str(summary.path), "db_bytes": summary.file_bytes, "resources": entries}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def status_table(status: dict[str, Any]) -> Table:
    """The status as a rich table (for a person, on stderr)."""
    size_mb = status["db_bytes"] / 1_000_000
    table = Table(title=f"Cache {status['db_path']} ({size_mb:.1f} MB)")
    for column in ("athlete", "resource", "rows", "covered", "last sync (UTC)", "stale days"):
        table.add_column(column, justify="right" if column in ("rows", "stale days") else "left")
    for entry in status["resources"]:
        ranges = entry["covered"]
        covered = "" if not ranges else f"{ranges[0][0]}..{ranges[-1][1]}"
        if len(ranges) > 1:
            covered += f" ({len(ranges)} ranges)"
        table.add_row(
            entry["athlete_id"],
            entry["resource"],
            str(entry["rows"]),
            covered,
            (entry["last_sync"] or "never").replace("+00:00", ""),
            "" if entry["stale_days"] is None else str(entry["stale_days"]),
        )
    if not status["resources"]:
        table.caption = "The cache is empty: run `intervals-mcp sync` to fill it."
    return table
