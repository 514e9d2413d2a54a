"""The read-through sync service: the one code path between the API client and the cache.

Tools ask `ensure_fresh` (a date range of one resource) and then read through the query
layer; single records and their extras go through `records.py`, bulk history through
`bulk.py`, both on top of this. Every fetch window is written in one transaction (rows
upserted, vanished rows deleted, days marked covered), so a crash or a failed request leaves
the window's days stale, never half-marked. Identical windows in flight at once in this
process share one request; a slower, older answer never overwrites what a newer one stored
(see `db.writes`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.config import Settings
from intervals_mcp.days import each_day
from intervals_mcp.db import queries, writes
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.db.resources import SPECS, Resource
from intervals_mcp.db.writes import WindowChange
from intervals_mcp.errors import STOPS_A_SYNC, AuthenticationError, InvalidResponseError, UpstreamError
from intervals_mcp.sync.athletes import Athlete
from intervals_mcp.sync.memo import GenerationMemo
from intervals_mcp.sync.reports import Freshness, Progress, ProgressEvent
from intervals_mcp.sync.windows import (
    FreshnessPolicy,
    Window,
    newest_days,
    plan_windows,
    stale_days,
)
from intervals_mcp.words import plural

log = logging.getLogger(__name__)

# Windows fetched at once. The client throttles to under 10 requests/s whatever we do; a few in
# flight hide the latency of each response without piling requests up in the throttle.
CONCURRENT_WINDOWS = 4
T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WindowResult:
    window: Window
    rows: int
    change: WindowChange | None
    error: UpstreamError | None


class SyncService:
    """Keeps date ranges of the cache fresh, on demand and in bulk."""

    def __init__(
        self,
        db: Database,
        reader: CacheReader,
        client: IntervalsClient,
        settings: Settings,
        *,
        quick: IntervalsClient | None = None,
        clock: Callable[[], datetime] = utcnow,
        concurrency: int = CONCURRENT_WINDOWS,
    ) -> None:
        self.db = db
        self.reader = reader
        self.client = client  # the sync budget: long retries, nobody is waiting
        self.quick = quick or client  # the tool budget: a person is waiting
        self.policy = FreshnessPolicy.from_settings(settings)
        self._clock = clock
        self._concurrency = concurrency
        # One writer at a time: SQLite has a single write lock, and waiting here is cheaper
        # than waiting in busy_timeout.
        self._write_lock = asyncio.Lock()
        # The reads behind each freshness check, kept while nothing commits anywhere.
        self.memo = GenerationMemo(reader.generation)
        self._inflight: dict[tuple[Resource, str, date, date], asyncio.Future[tuple[int, WindowChange]]] = {}

    def now(self) -> datetime:
        return self._clock()

    def client_for(self, interactive: bool) -> IntervalsClient:
        return self.quick if interactive else self.client

    async def write(self, work: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """Run one write under this process's single-writer lock."""
        async with self._write_lock:
            return await work()

    async def coverage(
        self, athlete_id: str, resource: Resource, start: date, end: date
    ) -> dict[date, datetime]:
        key = ("coverage", athlete_id, resource, start, end)
        return await self.memo.get(
            key, lambda: queries.coverage(self.reader, athlete_id, resource, start, end)
        )

    def plan(
        self,
        resource: Resource,
        athlete: Athlete,
        start: date,
        end: date,
        covered: dict[date, datetime],
        *,
        full: bool,
    ) -> list[Window]:
        """The windows of [start, end] to fetch now, under this service's policy and clock."""
        now = self.now()
        today = athlete.today(now)
        days = each_day(start, end) if full else stale_days(start, end, covered, today, now, self.policy)
        return plan_windows(days, today, self.policy, SPECS[resource].window_days)

    # --- ranges -----------------------------------------------------------------------------

    async def ensure_fresh(
        self,
        resource: Resource,
        athlete: Athlete,
        start: date,
        end: date,
        *,
        refresh: bool = False,
        interactive: bool = True,
        max_days: int | None = None,
        progress: Progress | None = None,
    ) -> Freshness:
        """Fetch the stale or missing days of [start, end]; say how fresh the cache now is.

        With `max_days`, at most that many days are fetched, the newest first; older stale days
        are answered as cached and older missing ones stay missing (`Freshness.complete` says so).
        AuthenticationError is always raised. Any other upstream error is raised only when the
        cache holds nothing for the range; otherwise it is returned in `Freshness.error`.
        `progress` hears of the windows planned and of each one done, as a bulk sync's do.
        """
        covered = await self.coverage(athlete.id, resource, start, end)
        windows = self.plan(resource, athlete, start, end, covered, full=refresh)
        if max_days is not None:
            windows = newest_days(windows, max_days)
        on_done = None
        if progress is not None and windows:
            progress(ProgressEvent("planned", resource, len(windows), 0))
            finished = 0

            def on_done(result: WindowResult) -> None:
                nonlocal finished
                finished += 1
                progress(window_event(result, resource, len(windows), finished))

        try:
            results = await self.fetch_windows(
                self.client_for(interactive), resource, athlete.id, windows, on_done=on_done
            )
        except AuthenticationError:
            raise
        except STOPS_A_SYNC as exc:  # the other windows were stopped: the cache answers, if it can
            results = [WindowResult(windows[0], 0, None, exc)]
        error = next((r.error for r in results if r.error is not None), None)
        if windows:
            covered = await self.coverage(athlete.id, resource, start, end)
        if error is not None:
            if not covered:
                raise error
            log.warning("Refreshing %s failed, answering from the cache: %s", resource, error)
        return Freshness(
            resource=resource,
            start=start,
            end=end,
            fetched_windows=sum(1 for r in results if r.error is None),
            as_of=min(covered.values()) if covered else None,
            error=error,
            complete=all(d in covered for d in each_day(start, end)),
            skipped=tuple(s for r in results if r.change is not None for s in r.change.skipped),
        )

    async def fetch_windows(
        self,
        client: IntervalsClient,
        resource: Resource,
        athlete_id: str,
        windows: Sequence[Window],
        on_done: Callable[[WindowResult], None] | None = None,
    ) -> list[WindowResult]:
        """Fetch and store windows concurrently; a failure that every window would meet
        (`STOPS_A_SYNC`: a rejected key, a wrong base URL, nothing listening) stops them all
        and is raised."""
        if not windows:
            return []
        semaphore = asyncio.Semaphore(self._concurrency)

        async def one(window: Window) -> WindowResult:
            async with semaphore:
                try:
                    rows, change = await self._shared_window(client, resource, athlete_id, window)
                    result = WindowResult(window, rows, change, None)
                except STOPS_A_SYNC:
                    raise
                except UpstreamError as exc:
                    result = WindowResult(window, 0, None, exc)
            if on_done is not None:
                on_done(result)
            return result

        return await run_all([one(w) for w in windows])

    async def _shared_window(
        self, client: IntervalsClient, resource: Resource, athlete_id: str, window: Window
    ) -> tuple[int, WindowChange]:
        """One fetch per identical window in flight: a second caller waits for the first's."""
        key = (resource, athlete_id, *window)
        running = self._inflight.get(key)
        if running is None:
            running = asyncio.ensure_future(self._fetch_window(client, resource, athlete_id, window))
            self._inflight[key] = running
            running.add_done_callback(lambda done: self._settled(key, done))
        # Shielded: one caller giving up (a cancelled tool call) must not cancel the others'.
        return await asyncio.shield(running)

    async def aclose(self) -> None:
        """Stop the window fetches still running and wait for them to end: an interrupted sync
        leaves its shielded fetches behind, and none may write through an engine being closed
        or outlive the event loop (a window's write is one transaction: it commits or not)."""
        running = [task for task in self._inflight.values() if not task.done()]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)

    def _settled(self, key: tuple[Resource, str, date, date], done: asyncio.Future[Any]) -> None:
        self._inflight.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved here, so a failure nobody awaited any more is not logged as lost

    async def _fetch_window(
        self, client: IntervalsClient, resource: Resource, athlete_id: str, window: Window
    ) -> tuple[int, WindowChange]:
        start, end = window
        fetched_at = self.now()  # the data is at least as fresh as the moment we asked
        raw = await getattr(client, SPECS[resource].list_method)(athlete_id, start, end)
        rows = dict_rows(raw, resource)
        try:
            change = await self.write(
                lambda: writes.replace_window(self.db, resource, athlete_id, start, end, rows, fetched_at)
            )
        except ValueError as exc:  # not one record with its id and date: a damaged response
            raise damaged_response(f"a list of {resource}", exc) from None
        if change.skipped:
            log.warning(
                "Stored %s %s..%s without %s: %s",
                resource, start, end, plural(len(change.skipped), "record"), "; ".join(change.skipped),
            )
        log.debug("Stored %s %s..%s: %d rows (%s)", resource, start, end, len(rows), change)
        return len(rows) - len(change.skipped), change


# --- small pure helpers -----------------------------------------------------------------------


def window_event(result: WindowResult, resource: str, total: int, done: int) -> ProgressEvent:
    """The progress event of one finished window (`done` of `total` now finished)."""
    return ProgressEvent(
        "window_done" if result.error is None else "window_failed",
        resource,
        total,
        done,
        result.window,
        result.rows,
        None if result.error is None else str(result.error),
    )


def damaged_response(what: str, exc: ValueError) -> InvalidResponseError:
    """One sentence for a response holding a record the cache cannot place (no id, no date).

    Nothing of it is stored, so the cached copy stays as it was.
    """
    reason = str(exc).strip().rstrip(".")
    return InvalidResponseError(
        f"Intervals.icu sent {what} the cache cannot use ({reason}), so the cached copy was kept; "
        "try again later."
    )


def dict_rows(raw: list[Any], resource: str) -> list[dict[str, Any]]:
    """The list response's records; anything that is not an object means a broken response."""
    if not all(isinstance(item, dict) for item in raw):
        raise InvalidResponseError(
            f"Intervals.icu sent a {resource} list with entries that are not records; try again later."
        )
    return raw


async def run_all(coros: Sequence[Coroutine[Any, Any, T]]) -> list[T]:
    """Run coroutines concurrently; the first failure cancels the rest and is raised as itself.

    Not an asyncio.TaskGroup: on a child's failure it cancels the *calling* task, which the
    anyio cancel scopes of an MCP server (or a test runner) around us take as their own.
    """
    tasks = [asyncio.ensure_future(c) for c in coros]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
