"""`intervals-mcp sync` and `intervals-mcp status`: run the sync service from the command line.

Everything a person reads goes to stderr (a progress bar on a terminal, plain lines otherwise,
then a summary table); stdout carries only `status --json`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import SecretStr
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.config import Settings
from intervals_mcp.db.engine import Database, upgrade_database
from intervals_mcp.errors import IntervalsMCPError
from intervals_mcp.sync.reports import ProgressEvent, SyncReport
from intervals_mcp.sync.service import SyncService
from intervals_mcp.sync.status import collect_status, status_table

log = logging.getLogger(__name__)

INTERRUPTED = 130
RESUME_LINE = (
    "Sync interrupted: every finished window is saved, and the next `intervals-mcp sync` "
    "resumes where this one stopped."
)


def _console() -> Console:
    """Rich output on stderr; wide enough for the summary when stderr is a file or a pipe."""
    console = Console(stderr=True, highlight=False)
    if not console.is_terminal:
        console.width = max(console.width, 120)
    return console


def run_sync(
    settings: Settings,
    *,
    athlete_id: str,
    since: date,
    until: date,
    resources: Sequence[str],
    full: bool,
    with_intervals: bool,
    events_until: date | None = None,
) -> int:
    """Sync [since, until] into the cache; the exit code (0 ok, 1 failed, 130 interrupted).

    Events run on to `events_until` when it is later (planned workouts lie ahead).

    A ConfigError (missing credentials) propagates for the CLI to print.
    """
    api_key, _ = settings.require_credentials()
    console = _console()
    try:
        upgrade_database(settings.db_path)
        report = asyncio.run(
            _sync(
                settings,
                api_key,
                athlete_id,
                since,
                until,
                list(resources),
                full,
                with_intervals,
                events_until,
                console,
            )
        )
    except (KeyboardInterrupt, asyncio.CancelledError):
        console.print(RESUME_LINE, markup=False, soft_wrap=True)
        return INTERRUPTED
    except IntervalsMCPError as exc:
        console.print(f"Sync failed: {exc}", markup=False, soft_wrap=True)
        return 1
    console.print(summary_table(report))
    if report.errors:
        failed = sum(r.failed for r in report.resources.values())
        console.print(
            f"Sync incomplete: {failed} window(s) failed ({report.errors[0]}); run "
            "`intervals-mcp sync` again to fetch them.",
            markup=False,
            soft_wrap=True,
        )
        return 1
    return 0


async def _sync(
    settings: Settings,
    api_key: SecretStr,
    athlete_id: str,
    since: date,
    until: date,
    resources: list[str],
    full: bool,
    with_intervals: bool,
    events_until: date | None,
    console: Console,
) -> SyncReport:
    db = await Database.open(settings.db_path, upgrade=False)
    try:
        async with IntervalsClient(
            settings.base_url,
            api_key,
            timeout=settings.request_timeout,
            policy=RetryPolicy(total_seconds=settings.sync_retry_seconds, max_attempts=10),
        ) as client:
            service = SyncService(db, client, settings)
            with _ProgressBar(console) if console.is_terminal else _PlainLines(console) as shown:
                return await service.sync(
                    athlete_id,
                    since,
                    until,
                    resources,
                    full=full,
                    with_intervals=with_intervals,
                    events_until=events_until,
                    progress=shown.update,
                )
    finally:
        await db.close()


class _ProgressBar:
    """One rich progress bar per resource, on stderr."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("{task.description:<11}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rows]} rows"),
            console=console,
        )
        self.tasks: dict[str, TaskID] = {}
        self.rows: dict[str, int] = {}

    def __enter__(self) -> _ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, event: ProgressEvent) -> None:
        if event.kind == "planned":
            self.rows[event.resource] = 0
            self.tasks[event.resource] = self.progress.add_task(
                event.resource, total=event.total_windows, rows=0
            )
            return
        self.rows[event.resource] = self.rows.get(event.resource, 0) + event.rows
        self.progress.update(
            self.tasks[event.resource],
            completed=event.done_windows,
            rows=self.rows[event.resource],
        )


class _PlainLines:
    """One plain line per planned resource and finished window, for logs and pipes."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def __enter__(self) -> _PlainLines:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def update(self, event: ProgressEvent) -> None:
        if event.kind == "planned":
            line = f"{event.resource}: {event.total_windows} window(s) to fetch"
        else:
            where = f" {event.window[0]}..{event.window[1]}" if event.window else ""
            outcome = f"{event.rows} rows" if event.error is None else f"failed: {event.error}"
            line = f"{event.resource}{where}: {outcome} ({event.done_windows}/{event.total_windows})"
        self.console.print(line, markup=False, soft_wrap=True)


def summary_table(report: SyncReport) -> Table:
    """Per resource: windows fetched, rows inserted/updated/deleted, requests, seconds."""
    table = Table(title=f"Sync {report.athlete_id} {report.start}..{report.end}")
    for column in ("resource", "windows", "failed", "rows", "inserted", "updated", "deleted"):
        table.add_column(column, justify="left" if column == "resource" else "right")
    table.add_column("requests", justify="right")
    table.add_column("seconds", justify="right")
    for r in report.resources.values():
        table.add_row(
            r.resource,
            f"{r.fetched}/{r.planned}",
            str(r.failed),
            str(r.rows),
            str(r.inserted),
            str(r.updated),
            str(r.deleted),
            str(r.requests),
            f"{r.seconds:.1f}",
        )
    return table


def run_status(settings: Settings, *, as_json: bool) -> int:
    """Print what the cache holds (JSON on stdout with `as_json`, else a table on stderr)."""
    console = _console()
    try:
        upgrade_database(settings.db_path)
        status = asyncio.run(_status(settings))
    except IntervalsMCPError as exc:
        console.print(f"Status failed: {exc}", markup=False, soft_wrap=True)
        return 1
    if as_json:
        sys.stdout.write(json.dumps(status, indent=2, default=str) + "\n")
        sys.stdout.flush()
    else:
        console.print(status_table(status))
    return 0


async def _status(settings: Settings) -> dict[str, Any]:
    db = await Database.open(settings.db_path, upgrade=False)
    try:
        return await collect_status(db, settings)
    finally:
        await db.close()
