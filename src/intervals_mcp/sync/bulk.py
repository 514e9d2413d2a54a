"""Bulk history for `intervals-mcp sync`: the same windows and writes the tools use, many at
once, with progress events for whoever presents them (the CLI draws them; nothing here does).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import date

from intervals_mcp.db import queries
from intervals_mcp.db.queries import Record
from intervals_mcp.db.resources import spec_of
from intervals_mcp.errors import STOPS_A_SYNC, UpstreamError
from intervals_mcp.sync.athletes import Athlete
from intervals_mcp.sync.records import Records
from intervals_mcp.sync.reports import Progress, ProgressEvent, ResourceReport, SyncReport
from intervals_mcp.sync.service import SyncService, WindowResult, run_all, window_event


def _emit(progress: Progress | None, event: ProgressEvent) -> None:
    if progress is not None:
        progress(event)


async def sync_history(
    records: Records,
    athlete: Athlete,
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
    A failure every request would meet (`STOPS_A_SYNC`: a rejected key, a wrong base URL,
    nothing listening) stops the sync and is raised; other upstream errors are collected in
    the report and the rest carries on.
    """
    sync = records.sync
    report = SyncReport(athlete_id=athlete.id, start=start, end=end)
    for name in resources:
        spec = spec_of(name)
        last = max(end, events_until) if spec.name == "events" and events_until else end
        report.resources[spec.name] = await _sync_resource(
            sync, spec.name, athlete, start, last, full, progress
        )
    if with_intervals:
        report.resources["intervals"] = await _sync_intervals(records, athlete, start, end, full, progress)
    return report


async def _sync_resource(
    sync: SyncService,
    resource: str,
    athlete: Athlete,
    start: date,
    end: date,
    full: bool,
    progress: Progress | None,
) -> ResourceReport:
    spec = spec_of(resource)
    began, requests_before = time.monotonic(), sync.client.request_count
    covered = await sync.coverage(athlete.id, spec.name, start, end)
    windows = sync.plan(spec.name, athlete, start, end, covered, full=full)
    report = ResourceReport(resource=spec.name, planned=len(windows))
    _emit(progress, ProgressEvent("planned", spec.name, len(windows), 0))

    def done(result: WindowResult) -> None:
        if result.error is None and result.change is not None:
            report.fetched += 1
            report.rows += result.rows
            report.inserted += result.change.inserted
            report.updated += result.change.updated
            report.deleted += result.change.deleted
            report.skipped.extend(result.change.skipped)
        else:
            report.failed += 1
            if result.error is not None:
                report.errors.append(result.error)
        _emit(progress, window_event(result, spec.name, len(windows), report.fetched + report.failed))

    try:
        await sync.fetch_windows(sync.client, spec.name, athlete.id, windows, on_done=done)
    finally:
        report.requests = sync.client.request_count - requests_before
        report.seconds = time.monotonic() - began
    return report


async def _sync_intervals(
    records: Records, athlete: Athlete, start: date, end: date, full: bool, progress: Progress | None
) -> ResourceReport:
    """Prefetch intervals of every readable activity in range whose markers moved."""
    sync = records.sync
    began, requests_before = time.monotonic(), sync.client.request_count
    todo: list[tuple[Record, bool]] = []
    for activity in await queries.records_in(sync.reader, "activities", athlete.id, start, end):
        if activity.is_strava_stub:
            continue  # their intervals always answer 422
        cached = await queries.extra(sync.reader, "intervals", athlete.id, str(activity.id))
        if full or cached is None or cached.markers != activity.markers:
            todo.append((activity, cached is not None))
    report = ResourceReport(resource="intervals", planned=len(todo))
    _emit(progress, ProgressEvent("planned", "intervals", len(todo), 0))
    semaphore = asyncio.Semaphore(4)

    async def one(activity: Record, known: bool) -> None:
        error: UpstreamError | None = None
        async with semaphore:
            try:
                await records.fetch_extra("intervals", athlete.id, activity, interactive=False)
            except STOPS_A_SYNC:
                raise
            except UpstreamError as exc:
                error = exc
        if error is None:
            report.fetched += 1
            report.rows += 1
            if known:  # a refetch of intervals already cached
                report.updated += 1
            else:
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
        await run_all([one(*item) for item in todo])
    finally:
        report.requests = sync.client.request_count - requests_before
        report.seconds = time.monotonic() - began
    return report
