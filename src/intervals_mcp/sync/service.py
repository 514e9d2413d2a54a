"""The read-through sync service: the one code path between the API client and the cache.

Tools call `ensure_*` and then read with `db.repo`; the `sync` command calls `sync`. Every fetch
window is written in one transaction (rows upserted, vanished rows deleted, days marked covered),
so a crash or a failed request leaves the window's days stale, never half-marked, and the next
call simply fetches them again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.config import Settings
from intervals_mcp.db import repo
from intervals_mcp.db.columns import each_day
from intervals_mcp.db.engine import Database
from intervals_mcp.db.generation import GenerationMemo
from intervals_mcp.db.repo import ActivityRow, EventRow, IntervalsRow, ProfileRow, WindowChange
from intervals_mcp.errors import (
    AuthenticationError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    UpstreamError,
)
from intervals_mcp.sync.reports import (
    Freshness,
    ProgressEvent,
    ResourceReport,
    SyncReport,
)
from intervals_mcp.sync.windows import (
    MAX_WINDOW_DAYS,
    RESOURCES,
    FreshnessPolicy,
    Resource,
    Window,
    plan_windows,
)

if TYPE_CHECKING:
    from intervals_mcp.db.fastread import CacheReader

__all__ = ["Freshness", "ProgressEvent", "ResourceReport", "SyncReport", "SyncService"]

log = logging.getLogger(__name__)

# Windows fetched at once. The client throttles to under 10 requests/s whatever we do; a few in
# flight hide the latency of each response without piling requests up in the throttle.
CONCURRENT_WINDOWS = 4

Progress = Callable[[ProgressEvent], None]
_ONE_RECORD = {"activities": "an activity", "events": "an event", "wellness": "a wellness day"}
_RECORD_KIND = {"activities": "activity", "events": "event", "wellness": "wellness"}
T = TypeVar("T")
R = TypeVar("R", ActivityRow, EventRow)


def utcnow() -> datetime:
    return datetime.now(UTC)


def strava_sentence(activity_id: str) -> str:
    return (
        f"Activity {activity_id} was imported from Strava, and Intervals.icu does not share "
        "Strava activities' details (intervals, streams) through its API: open it on "
        "intervals.icu or Strava instead."
    )


@dataclass(frozen=True)
class _WindowResult:
    window: Window
    rows: int
    change: WindowChange | None
    error: UpstreamError | None


class SyncService:
    """Keeps the cache fresh on demand (`ensure_*`) and in bulk (`sync`)."""

    def __init__(
        self,
        db: Database,
        client: IntervalsClient,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        today: Callable[[], date] | None = None,
        concurrency: int = CONCURRENT_WINDOWS,
        reader: CacheReader | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.policy = FreshnessPolicy.from_settings(settings)
        self._clock = clock
        self._today = today
        self._concurrency = concurrency
        # One writer at a time: SQLite has a single write lock, and waiting here is cheaper
        # than waiting in busy_timeout.
        self._write_lock = asyncio.Lock()
        # The cache reads behind each freshness check (coverage, "is it cached?"). A server
        # passes a synchronous reader (microseconds a query instead of a millisecond through
        # the async engine), and its results are memoised on the file's data generation:
        # while nothing commits, repeating a check costs no query, and any commit (ours or
        # another process's) forgets them all. Without a reader, reads go through `repo`.
        self._reader = reader
        self._memo = GenerationMemo(reader.current if reader is not None else None)

    async def _coverage(
        self, athlete_id: str, resource: Resource, start: date, end: date
    ) -> dict[date, datetime]:
        if (r := self._reader) is None:
            return await repo.coverage_days(self.db, athlete_id, resource, start, end)
        key = ("coverage", athlete_id, resource, start, end)
        return self._memo.get_now(key, lambda: r.coverage_days(athlete_id, resource, start, end))

    async def _cached_activity(self, athlete_id: str, activity_id: str) -> ActivityRow | None:
        if (r := self._reader) is None:
            return await repo.get_activity(self.db, activity_id, athlete_id)
        key = ("activity", athlete_id, activity_id)
        return self._memo.get_now(key, lambda: r.get_activity(athlete_id, activity_id))

    async def _cached_event(self, athlete_id: str, event_id: int) -> EventRow | None:
        if (r := self._reader) is None:
            return await repo.get_event(self.db, athlete_id, event_id)
        return self._memo.get_now(("event", athlete_id, event_id), lambda: r.get_event(athlete_id, event_id))

    async def _cached_intervals(self, athlete_id: str, activity_id: str) -> IntervalsRow | None:
        if (r := self._reader) is None:
            return await repo.get_intervals(self.db, activity_id, athlete_id)
        key = ("intervals", athlete_id, activity_id)
        return self._memo.get_now(key, lambda: r.get_intervals(athlete_id, activity_id))

    async def _cached_profile(self, athlete_id: str) -> ProfileRow | None:
        if (r := self._reader) is None:
            return await repo.get_profile(self.db, athlete_id)
        return self._memo.get_now(("profile", athlete_id), lambda: r.get_profile(athlete_id))

    def _plan(
        self, resource: Resource, start: date, end: date, covered: dict[date, datetime], *, full: bool
    ) -> list[Window]:
        """The windows of [start, end] to fetch now, under this service's policy and clock."""
        return plan_windows(
            start, end, covered, self.today(), self.now(), self.policy, MAX_WINDOW_DAYS[resource], full=full
        )

    # --- time -------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self._clock()

    def today(self) -> date:
        """The athlete's calendar day: as given, else the clock's date in this machine's zone."""
        if self._today is not None:
            return self._today()
        return self._clock().astimezone().date()

    # --- ranges -----------------------------------------------------------------------------

    async def ensure_fresh(
        self,
        resource: Resource,
        athlete_id: str,
        start: date,
        end: date,
        *,
        refresh: bool = False,
        client: IntervalsClient | None = None,
    ) -> Freshness:
        """Fetch the stale or missing days of [start, end]; say how fresh the cache now is.

        AuthenticationError is always raised. Any other upstream error is raised only when the
        cache holds nothing for the range; otherwise it is returned in `Freshness.error`.
        """
        covered = await self._coverage(athlete_id, resource, start, end)
        windows = self._plan(resource, start, end, covered, full=refresh)
        results = await self._fetch_windows(client or self.client, resource, athlete_id, windows)
        error = next((r.error for r in results if r.error is not None), None)
        if windows and error is None:
            covered = await self._coverage(athlete_id, resource, start, end)
        elif error is not None:
            covered = await self._coverage(athlete_id, resource, start, end)
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
        )

    async def _fetch_windows(
        self,
        client: IntervalsClient,
        resource: Resource,
        athlete_id: str,
        windows: Sequence[Window],
        on_done: Callable[[_WindowResult], None] | None = None,
    ) -> list[_WindowResult]:
        """Fetch and store windows concurrently; an AuthenticationError stops them all."""
        if not windows:
            return []
        semaphore = asyncio.Semaphore(self._concurrency)

        async def one(window: Window) -> _WindowResult:
            async with semaphore:
                try:
                    rows, change = await self._fetch_window(client, resource, athlete_id, window)
                    result = _WindowResult(window, rows, change, None)
                except AuthenticationError:
                    raise
                except UpstreamError as exc:
                    result = _WindowResult(window, 0, None, exc)
            if on_done is not None:
                on_done(result)
            return result

        return await _run_all([one(w) for w in windows])

    async def _fetch_window(
        self, client: IntervalsClient, resource: Resource, athlete_id: str, window: Window
    ) -> tuple[int, WindowChange]:
        start, end = window
        fetched_at = self.now()  # the data is at least as fresh as the moment we asked
        if resource == "activities":
            raw = await client.list_activities(athlete_id, start, end)
        elif resource == "wellness":
            raw = await client.list_wellness(athlete_id, start, end)
        else:
            raw = await client.list_events(athlete_id, start, end)
        rows = _dict_rows(raw, resource)
        async with self._write_lock:
            try:
                change = await repo.replace_window(
                    self.db, resource, athlete_id, start, end, rows, fetched_at
                )
            except ValueError as exc:  # a record without id or date: a damaged response
                raise damaged_response(f"a list of {resource}", exc) from None
        log.debug("Stored %s %s..%s: %d rows (%s)", resource, start, end, len(rows), change)
        return len(rows), change

    # --- single records ---------------------------------------------------------------------

    async def ensure_activity(
        self,
        athlete_id: str,
        activity_id: str,
        *,
        refresh: bool = False,
        client: IntervalsClient | None = None,
    ) -> tuple[ActivityRow | None, Freshness]:
        """The cached activity (the list endpoint returns full objects), or GET it and cache it.

        Strava stubs are never re-requested: their detail endpoint always answers 422.
        """
        cached = await self._cached_activity(athlete_id, activity_id)
        return await self._ensure_record(
            "activities",
            athlete_id,
            activity_id,
            cached,
            refresh=refresh and not (cached is not None and cached.is_strava_stub),
            fetch=lambda c: c.get_activity(activity_id),
            reread=lambda: repo.get_activity(self.db, activity_id, athlete_id),
            client=client,
        )

    async def ensure_event(
        self,
        athlete_id: str,
        event_id: int,
        *,
        refresh: bool = False,
        client: IntervalsClient | None = None,
    ) -> tuple[EventRow | None, Freshness]:
        """The cached event, or GET it and cache it (None if upstream has no such event)."""
        return await self._ensure_record(
            "events",
            athlete_id,
            event_id,
            await self._cached_event(athlete_id, event_id),
            refresh=refresh,
            fetch=lambda c: c.get_event(athlete_id, event_id),
            reread=lambda: repo.get_event(self.db, athlete_id, event_id),
            client=client,
        )

    async def _ensure_record(
        self,
        resource: Resource,
        athlete_id: str,
        record_id: str | int,
        cached: R | None,
        *,
        refresh: bool,
        fetch: Callable[[IntervalsClient], Awaitable[dict[str, Any]]],
        reread: Callable[[], Awaitable[R | None]],
        client: IntervalsClient | None,
    ) -> tuple[R | None, Freshness]:
        """One record through the cache: the cached copy once its day is fresh (a stale day is
        re-listed first, so edits and deletions upstream show), else its detail endpoint.
        Upstream's 404 removes it; other upstream failures keep the cached copy and say why
        (or raise when there is none); a rejected key always raises."""
        kind = _RECORD_KIND[resource]
        if cached is not None and not refresh:
            day = cached.local_date
            try:
                fr = await self.ensure_fresh(resource, athlete_id, day, day, client=client)
            except AuthenticationError:
                raise
            except UpstreamError as exc:
                return cached, _record_freshness(kind, day, cached.fetched_at, 0, exc)
            if fr.fetched_windows == 0:
                return cached, _record_freshness(kind, day, cached.fetched_at, 0, fr.error)
            relisted = await reread()
            if relisted is not None:
                return relisted, _record_freshness(kind, day, fr.as_of, fr.fetched_windows)
            # Gone from its day's list: deleted upstream, or moved to another day; the detail
            # endpoint below tells which.
        fetched_at = self.now()
        try:
            payload = await fetch(client or self.client)
            await self._store_record(resource, athlete_id, payload, fetched_at)
        except NotFoundError:
            if cached is not None:
                async with self._write_lock:
                    await repo.delete_rows(self.db, resource, athlete_id, [record_id])
            return None, Freshness(kind, None, None, 1, None, None, complete=True)
        except AuthenticationError:
            raise
        except UpstreamError as exc:
            if cached is None:
                raise
            return cached, _record_freshness(kind, cached.local_date, cached.fetched_at, 0, exc)
        row = await reread()
        return row, _record_freshness(kind, row.local_date if row else None, fetched_at, 1)

    async def _store_record(
        self, resource: Resource, athlete_id: str, payload: dict[str, Any], fetched_at: datetime
    ) -> None:
        """Upsert one record from a detail endpoint; a record without id or date is refused."""
        async with self._write_lock:
            try:
                await repo.upsert_rows(self.db, resource, athlete_id, [payload], fetched_at)
            except ValueError as exc:
                raise damaged_response(_ONE_RECORD[resource], exc) from None

    async def ensure_intervals(
        self,
        athlete_id: str,
        activity_id: str,
        *,
        refresh: bool = False,
        client: IntervalsClient | None = None,
    ) -> tuple[IntervalsRow, Freshness]:
        """The activity's intervals, re-fetched only when its change markers moved (or refresh).

        The activity's own day is refreshed first when stale, so moved markers are noticed.
        Raises NotFoundError for an unknown activity and InvalidRequestError for a Strava stub.
        """
        use = client or self.client
        # ensure_activity re-lists the activity's day when stale, so moved markers are noticed.
        activity, _ = await self.ensure_activity(athlete_id, activity_id, client=use)
        if activity is None:
            raise NotFoundError(f"There is no activity {activity_id}: check the id.")
        if activity.is_strava_stub:
            raise InvalidRequestError(strava_sentence(activity_id))
        markers = activity.markers
        cached = await self._cached_intervals(athlete_id, activity_id)
        if cached is not None and not refresh and cached.markers == markers:
            return cached, _record_freshness("intervals", activity.local_date, cached.fetched_at, 0)
        try:
            await self._fetch_intervals(use, athlete_id, activity_id, markers)
        except AuthenticationError:
            raise
        except InvalidRequestError as exc:
            if "strava" in str(exc).lower():
                raise InvalidRequestError(strava_sentence(activity_id)) from None
            raise
        except UpstreamError as exc:
            if cached is None:
                raise
            return cached, _record_freshness("intervals", activity.local_date, cached.fetched_at, 0, exc)
        row = await repo.get_intervals(self.db, activity_id, athlete_id)
        if row is None:  # pragma: no cover - just written
            raise InvalidResponseError()
        return row, _record_freshness("intervals", activity.local_date, row.fetched_at, 1)

    async def _fetch_intervals(
        self,
        client: IntervalsClient,
        athlete_id: str,
        activity_id: str,
        markers: tuple[str | None, str | None],
    ) -> None:
        fetched_at = self.now()
        payload = await client.get_activity_intervals(activity_id)
        async with self._write_lock:
            await repo.save_intervals(self.db, athlete_id, activity_id, payload, markers, fetched_at)

    async def ensure_profile(
        self,
        athlete_id: str,
        *,
        refresh: bool = False,
        client: IntervalsClient | None = None,
    ) -> tuple[ProfileRow, Freshness]:
        """The athlete with sport settings; re-fetched after the recent TTL (FTP, zones change)."""
        cached = await self._cached_profile(athlete_id)
        now = self.now()
        if cached is not None and not refresh and now - cached.fetched_at < self.policy.recent_ttl:
            return cached, _record_freshness("profile", None, cached.fetched_at, 0)
        try:
            payload = await (client or self.client).get_athlete(athlete_id)
        except AuthenticationError:
            raise
        except UpstreamError as exc:
            if cached is None:
                raise
            return cached, _record_freshness("profile", None, cached.fetched_at, 0, exc)
        async with self._write_lock:
            await repo.save_profile(self.db, athlete_id, payload, now)
        row = await repo.get_profile(self.db, athlete_id)
        if row is None:  # pragma: no cover - just written
            raise InvalidResponseError()
        return row, _record_freshness("profile", None, now, 1)

    # --- bulk sync --------------------------------------------------------------------------

    async def sync(
        self,
        athlete_id: str,
        start: date,
        end: date,
        resources: Sequence[str],
        *,
        full: bool = False,
        with_intervals: bool = False,
        events_until: date | None = None,
        progress: Progress | None = None,
    ) -> SyncReport:
        """Bring [start, end] of each resource up to date; failed windows stay stale.

        Events run on to `events_until` when that is later than `end`: the calendar's planned
        workouts and races lie ahead of today. Resources are synced one after another (so
        requests are counted per resource), the windows of each concurrently.
        AuthenticationError stops the sync; other upstream errors are collected in the report
        and the rest carries on.
        """
        report = SyncReport(athlete_id=athlete_id, start=start, end=end)
        for name in resources:
            resource = _resource(name)
            last = max(end, events_until) if resource == "events" and events_until else end
            report.resources[resource] = await self._sync_resource(
                resource, athlete_id, start, last, full, progress
            )
        if with_intervals:
            report.resources["intervals"] = await self._sync_intervals(athlete_id, start, end, full, progress)
        return report

    async def _sync_resource(
        self,
        resource: Resource,
        athlete_id: str,
        start: date,
        end: date,
        full: bool,
        progress: Progress | None,
    ) -> ResourceReport:
        began, requests_before = time.monotonic(), self.client.request_count
        covered = await self._coverage(athlete_id, resource, start, end)
        windows = self._plan(resource, start, end, covered, full=full)
        report = ResourceReport(resource=resource, planned=len(windows))
        _emit(progress, ProgressEvent("planned", resource, len(windows), 0))

        def done(result: _WindowResult) -> None:
            if result.error is None and result.change is not None:
                report.fetched += 1
                report.rows += result.rows
                report.inserted += result.change.inserted
                report.updated += result.change.updated
                report.deleted += result.change.deleted
            else:
                report.failed += 1
                if result.error is not None:
                    report.errors.append(result.error)
            _emit(
                progress,
                ProgressEvent(
                    "window_done" if result.error is None else "window_failed",
                    resource,
                    len(windows),
                    report.fetched + report.failed,
                    result.window,
                    result.rows,
                    None if result.error is None else str(result.error),
                ),
            )

        try:
            await self._fetch_windows(self.client, resource, athlete_id, windows, on_done=done)
        finally:
            report.requests = self.client.request_count - requests_before
            report.seconds = time.monotonic() - began
        return report

    async def _sync_intervals(
        self,
        athlete_id: str,
        start: date,
        end: date,
        full: bool,
        progress: Progress | None,
    ) -> ResourceReport:
        """Prefetch intervals of every readable activity in range whose markers moved."""
        began, requests_before = time.monotonic(), self.client.request_count
        todo: list[tuple[str, tuple[str | None, str | None]]] = []
        for activity in await repo.list_activities(self.db, athlete_id, start, end, None):
            if activity.is_strava_stub:
                continue  # their intervals always answer 422
            markers = activity.markers
            cached = None if full else await repo.get_intervals(self.db, activity.id, athlete_id)
            if cached is None or cached.markers != markers:
                todo.append((activity.id, markers))
        report = ResourceReport(resource="intervals", planned=len(todo))
        _emit(progress, ProgressEvent("planned", "intervals", len(todo), 0))
        semaphore = asyncio.Semaphore(self._concurrency)

        async def one(activity_id: str, markers: tuple[str | None, str | None]) -> None:
            error: UpstreamError | None = None
            async with semaphore:
                try:
                    await self._fetch_intervals(self.client, athlete_id, activity_id, markers)
                except AuthenticationError:
                    raise
                except UpstreamError as exc:
                    error = exc
            if error is None:
                report.fetched += 1
                report.rows += 1
                report.inserted += 1
            else:
                report.failed += 1
                report.errors.append(error)
            _emit(
                progress,
                ProgressEvent(
                    "window_done" if error is None else "window_failed",
                    "intervals",
                    len(todo),
                    report.fetched + report.failed,
                    rows=1 if error is None else 0,
                    error=None if error is None else str(error),
                ),
            )

        try:
            await _run_all([one(activity_id, markers) for activity_id, markers in todo])
        finally:
            report.requests = self.client.request_count - requests_before
            report.seconds = time.monotonic() - began
        return report


# --- small pure helpers -----------------------------------------------------------------------


def _resource(name: str) -> Resource:
    for resource in RESOURCES:
        if name == resource:
            return resource
    raise ValueError(f"Unknown resource {name!r}: use activities, wellness or events.")


def damaged_response(what: str, exc: ValueError) -> InvalidResponseError:
    """One sentence for a response holding a record the cache cannot place (no id, no date).

    Nothing of it is stored, so the cached copy stays as it was.
    """
    reason = str(exc).strip().rstrip(".")
    return InvalidResponseError(
        f"Intervals.icu sent {what} the cache cannot use ({reason}), so the cached copy was kept; "
        "try again later."
    )


def _dict_rows(raw: list[Any], resource: str) -> list[dict[str, Any]]:
    """The list response's records; anything that is not an object means a broken response."""
    if not all(isinstance(item, dict) for item in raw):
        raise InvalidResponseError(
            f"Intervals.icu sent a {resource} list with entries that are not records; try again later."
        )
    return raw


def _record_freshness(
    resource: str,
    day: date | None,
    as_of: datetime | None,
    fetched: int,
    error: UpstreamError | None = None,
) -> Freshness:
    return Freshness(resource, day, day, fetched, as_of, error, complete=True)


def _emit(progress: Progress | None, event: ProgressEvent) -> None:
    if progress is not None:
        progress(event)


async def _run_all(coros: Sequence[Coroutine[Any, Any, T]]) -> list[T]:
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
