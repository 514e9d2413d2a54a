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
from intervals_mcp.db.dialects import dialect_for
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.errors import IntervalsMCPError, StorageError
from intervals_mcp.sync.asks import DocumentAsk
from intervals_mcp.sync.bulk import sync_history
from intervals_mcp.sync.factory import Services
from intervals_mcp.sync.reports import SyncReport, skipped_sentence
from intervals_mcp.sync.status import collect_status
from intervals_mcp.words import plural

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

    What stops it before it starts (missing credentials, a cache that cannot be created or is
    damaged) propagates for the CLI to say like any other start-up error.
    """
    settings.require_credentials()
    out = console()
    open_checked(settings.database_url)
    reports: list[SyncReport] = []
    try:
        asyncio.run(_sync(settings, request, out, reports))
    except (KeyboardInterrupt, asyncio.CancelledError):
        out.print(RESUME_LINE, markup=False, soft_wrap=True)
        return INTERRUPTED
    except IntervalsMCPError as exc:
        for report in reports:
            show_report(out, report)
        out.print(f"Sync failed: {exc}", markup=False, soft_wrap=True)
        return 1
    for report in reports:
        show_report(out, report)
    failed_reports = [r for r in reports if r.errors]
    if failed_reports:
        failed = sum(r.failed for report in failed_reports for r in report.resources.values())
        first = str(failed_reports[0].errors[0]).rstrip(".")
        out.print(
            f"Sync incomplete: {plural(failed, 'window')} failed ({first}); run `intervals-mcp sync` "
            "again to fetch them.",
            markup=False,
            soft_wrap=True,
        )
        return 1
    return 0


def show_report(out: Console, report: SyncReport) -> None:
    """One athlete's sync: the summary (or that all was fresh), and any record it had to skip."""
    if any(r.planned for r in report.resources.values()):
        summary_table(report).show(out)
    else:
        out.print(
            f"Everything from {report.start} to {report.end} is already fresh in the cache: nothing "
            "to fetch (`--full` fetches it again).",
            markup=False,
            soft_wrap=True,
        )
    if report.skipped:
        out.print(f"{skipped_sentence(report.skipped)}.", markup=False, soft_wrap=True)


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
    """Print what the cache holds (JSON on stdout with `as_json`, else a table on stderr); a
    missing cache is said, never created. 1 when the cache reads back damaged."""
    out = console()
    url = settings.database_url
    dialect = dialect_for(url)
    exists = dialect.exists(url)
    status: dict[str, Any] = {
        "db_path": dialect.describe(url),
        "db_bytes": dialect.size(url) if exists else None,
        "resources": [],
    }
    problem = None
    if exists:
        problem = open_checked(url, check=False)
        try:
            status = asyncio.run(_status(settings))
        except StorageError:
            if problem is None:
                raise  # damage quick_check did not see: said like any other failure
    status["exists"] = exists
    status["problem"] = problem
    if as_json:
        sys.stdout.write(json.dumps(status, indent=2, default=str) + "\n")
        sys.stdout.flush()
    else:
        status_table(status).show(out)
        if problem:
            out.print(problem, markup=False, soft_wrap=True)
    return 1 if problem else 0


def open_checked(url: str, *, check: bool = True) -> str | None:
    """Create or migrate the cache, then check it reads back whole (PRAGMA quick_check: cheap).

    A damaged cache raises StorageError naming `intervals-mcp db reset`, or with check=False
    returns that sentence (None: sound)."""
    upgrade_database(url)
    problem = dialect_for(url).integrity(url)
    if problem and check:
        raise StorageError(problem)
    return problem


async def _status(settings: Settings) -> dict[str, Any]:
    from intervals_mcp.db.engine import Database

    db = await Database.open(settings.database_url, upgrade=False)
    reader = db.open_reader()
    try:
        return await collect_status(reader, settings, describe=db.describe(), size=db.size())
    finally:
        await reader.aclose()
        await db.close()
