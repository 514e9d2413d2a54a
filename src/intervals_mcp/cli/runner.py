"""`intervals-mcp sync` and `intervals-mcp status`: the sync service run from the command line.

Everything a person reads goes to stderr (a progress bar on a terminal, plain lines otherwise,
then a summary table); stdout carries only `status --json`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rich.console import Console

from intervals_mcp.cli.args import resolve_range
from intervals_mcp.cli.render import PlainLines, ProgressBar, console, status_table, summary_table
from intervals_mcp.config import Settings
from intervals_mcp.db.engine import Database, on_database, upgrade_database
from intervals_mcp.errors import IntervalsMCPError
from intervals_mcp.sync.asks import DocumentAsk
from intervals_mcp.sync.bulk import sync_history
from intervals_mcp.sync.factory import Services
from intervals_mcp.sync.reports import SyncReport
from intervals_mcp.sync.status import collect_status

log = logging.getLogger(__name__)

INTERRUPTED = 130
SYNC_ATTEMPTS = 10
RESUME_LINE = (
    "Sync interrupted: every finished window is saved, and the next `intervals-mcp sync` "
    "resumes where this one stopped."
)


@dataclass(frozen=True)
class SyncRequest:
    """What `intervals-mcp sync` was asked for, as given (dates resolve against the athlete's today)."""

    athlete_id: str | None
    since: str | None
    days: int | None
    until: str | None
    resources: Sequence[str]
    full: bool = False
    with_intervals: bool = False
    events_ahead: int | None = None  # days of planned events past today, unless --until was given
    # Several athletes, synced one after another; ["all"]: everyone the key can read.
    athletes: Sequence[str] | None = None


def run_sync(settings: Settings, request: SyncRequest) -> int:
    """Sync what `request` asks into the cache; the exit code (0 ok, 1 failed, 130 interrupted).

    A ConfigError (missing credentials) propagates for the CLI to print.
    """
    settings.require_credentials()
    out = console()
    reports: list[SyncReport] = []
    try:
        upgrade_database(settings.database_url)
        asyncio.run(_sync(settings, request, out, reports))
    except (KeyboardInterrupt, asyncio.CancelledError):
        out.print(RESUME_LINE, markup=False, soft_wrap=True)
        return INTERRUPTED
    except IntervalsMCPError as exc:
        for report in reports:
            out.print(summary_table(report))
        out.print(f"Sync failed: {exc}", markup=False, soft_wrap=True)
        return 1
    for report in reports:
        out.print(summary_table(report))
    failed_reports = [r for r in reports if r.errors]
    if failed_reports:
        failed = sum(r.failed for report in failed_reports for r in report.resources.values())
        out.print(
            f"Sync incomplete: {failed} window(s) failed ({failed_reports[0].errors[0]}); run "
            "`intervals-mcp sync` again to fetch them.",
            markup=False,
            soft_wrap=True,
        )
        return 1
    return 0


async def _sync(settings: Settings, request: SyncRequest, out: Console, reports: list[SyncReport]) -> None:
    """Sync each athlete asked for in turn, appending each one's report as it finishes."""
    services = await Services.open(settings, sync_attempts=SYNC_ATTEMPTS, upgrade=False)
    try:
        for given in await _athlete_ids(services, request):
            athlete = await services.athlete(given, interactive=False)
            if request.athletes:
                out.print(f"Athlete {athlete.id} {athlete.name or ''}".rstrip() + ":", markup=False)
            today = athlete.today(services.sync.now())
            start, end = resolve_range(
                since=request.since, days=request.days, until=request.until, today=today
            )
            events_until = today + timedelta(days=request.events_ahead) if request.events_ahead else None
            with ProgressBar(out) if out.is_terminal else PlainLines(out) as shown:
                reports.append(
                    await sync_history(
                        services.records,
                        athlete,
                        start,
                        end,
                        request.resources,
                        full=request.full,
                        with_intervals=request.with_intervals,
                        events_until=events_until,
                        progress=shown.update,
                    )
                )
    finally:
        await services.close()


async def _athlete_ids(services: Services, request: SyncRequest) -> list[str | None]:
    """The athletes to sync: `--athletes` (`all`: everyone the key can read), else the one."""
    if not request.athletes:
        return [request.athlete_id]
    if list(request.athletes) != ["all"]:
        return list(request.athletes)
    owner = await services.key_owner(interactive=False)
    row, _ = await services.documents.ensure(DocumentAsk("athletes"), owner, interactive=False)
    return [str(a["id"]) for a in row.payload.get("athletes") or [] if isinstance(a, dict) and a.get("id")]


def run_status(settings: Settings, *, as_json: bool) -> int:
    """Print what the cache holds (JSON on stdout with `as_json`, else a table on stderr)."""
    out = console()
    try:
        status = on_database(settings.database_url, lambda db: _status(db, settings))
    except IntervalsMCPError as exc:
        out.print(f"Status failed: {exc}", markup=False, soft_wrap=True)
        return 1
    if as_json:
        sys.stdout.write(json.dumps(status, indent=2, default=str) + "\n")
        sys.stdout.flush()
    else:
        out.print(status_table(status))
    return 0


async def _status(db: Database, settings: Settings) -> dict[str, Any]:
    reader = db.open_reader()
    try:
        return await collect_status(reader, settings, describe=db.describe(), size=db.size())
    finally:
        await reader.aclose()
