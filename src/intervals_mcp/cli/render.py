"""How the CLI shows a sync and the cache to a person: rich progress bars and tables on stderr.

The sync service only yields progress events and reports; everything a person reads is drawn
here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table
from rich.text import Text

from intervals_mcp.sync.reports import ProgressEvent, SyncReport
from intervals_mcp.words import plural


def console() -> Console:
    """Rich output on stderr; wide enough for the summary when stderr is a file or a pipe."""
    out = Console(stderr=True, highlight=False)
    if not out.is_terminal:
        out.width = max(out.width, 120)
    return out


class ProgressBar:
    """One rich progress bar per resource, on stderr."""

    def __init__(self, out: Console) -> None:
        self.progress = Progress(
            TextColumn("{task.description:<11}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rows]} rows"),
            console=out,
        )
        self.tasks: dict[str, TaskID] = {}
        self.rows: dict[str, int] = {}

    def __enter__(self) -> ProgressBar:
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


class PlainLines:
    """One plain line per planned resource and finished window, for logs and pipes."""

    def __init__(self, out: Console) -> None:
        self.console = out

    def __enter__(self) -> PlainLines:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def update(self, event: ProgressEvent) -> None:
        if event.kind == "planned":
            line = f"{event.resource}: {plural(event.total_windows, 'window')} to fetch"
        else:
            where = f" {event.window[0]}..{event.window[1]}" if event.window else ""
            outcome = plural(event.rows, "row") if event.error is None else f"failed: {event.error}"
            line = f"{event.resource}{where}: {outcome} ({event.done_windows}/{event.total_windows})"
        self.console.print(line, markup=False, soft_wrap=True)


@dataclass(frozen=True)
class Grid:
    """Rows of cells under a title: a table where the terminal is wide enough, else one line
    per row (`key: column value, column value, ...`, wrapped, never cut short)."""

    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    key_columns: int = 1  # leading columns that name the row in a stacked line
    right: frozenset[str] = frozenset()  # right-aligned columns (numbers)
    caption: str | None = None

    def table(self) -> Table:
        table = Table(title=self.title, caption=self.caption)
        for column in self.columns:
            table.add_column(column, justify="right" if column in self.right else "left")
        for row in self.rows:
            table.add_row(*row)
        return table

    def stacked(self) -> list[tuple[str, str]]:
        """(row name, its other cells as 'column value, ...'), for terminals too narrow for the table."""
        out = []
        for row in self.rows:
            cells = zip(self.columns[self.key_columns :], row[self.key_columns :], strict=True)
            out.append((" ".join(row[: self.key_columns]), ", ".join(f"{c} {v}" for c, v in cells if v)))
        return out

    def show(self, out: Console) -> None:
        table = self.table()
        natural = out.measure(table, options=out.options.update_width(10_000)).maximum
        if natural <= out.width:
            out.print(table)
            return
        out.print(Text(self.title, style="italic"))
        for name, facts in self.stacked():
            out.print(Text(name, style="bold"))
            out.print(Padding(Text(facts), (0, 0, 0, 4)))
        if self.caption:
            out.print(self.caption, markup=False, highlight=False)


def summary_table(report: SyncReport) -> Grid:
    """Per resource: windows fetched, rows inserted/updated/deleted, requests, seconds."""
    columns = (
        "resource", "windows", "failed", "rows", "inserted", "updated", "deleted", "requests", "seconds"
    )
    rows = [
        (
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
        for r in report.resources.values()
    ]
    title = f"Sync {report.athlete_id} {report.start}..{report.end}"
    return Grid(title, columns, rows, right=frozenset(columns[1:]))


def status_table(status: dict[str, Any]) -> Grid:
    """The status for a person (on stderr)."""
    size = status["db_bytes"]
    title = f"Cache {status['db_path']}" + (f" ({size / 1_000_000:.1f} MB)" if size is not None else "")
    columns = ("athlete", "resource", "rows", "covered", "last sync (UTC)", "gaps", "stale days")
    rows = []
    for entry in status["resources"]:
        ranges = entry["covered"]
        covered = "" if not ranges else f"{ranges[0][0]}..{ranges[-1][1]}"
        if len(ranges) > 1:
            covered += f" ({len(ranges)} ranges)"
        gaps = entry.get("gap_days") or 0
        rows.append(
            (
                entry["athlete_id"],
                entry["resource"],
                str(entry["rows"]),
                covered,
                (entry["last_sync"] or "never").replace("+00:00", "").replace("T", " "),
                f"{gaps} days" if gaps else "",
                "" if entry["stale_days"] is None else str(entry["stale_days"]),
            )
        )
    caption = None
    if not status.get("exists", True):
        caption = "There is no cache here yet: `intervals-mcp sync` creates and fills it."
    elif not status["resources"]:
        caption = "The cache is empty: run `intervals-mcp sync` to fill it."
    numbers = frozenset({"rows", "gaps", "stale days"})
    return Grid(title, columns, rows, key_columns=2, right=numbers, caption=caption)
