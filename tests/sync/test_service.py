"""The sync service against the fake Intervals.icu over real HTTP, into a real SQLite file."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import anyio
import pytest
from pydantic import SecretStr

from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.config import Settings
from intervals_mcp.days import each_day
from intervals_mcp.db import queries
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.db.resources import SPECS
from intervals_mcp.errors import (
    AuthenticationError,
    InvalidRequestError,
    NotFoundError,
    UpstreamUnavailableError,
)
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault
from intervals_mcp.fake.routes_activities import listed
from intervals_mcp.sync.windows import plan_windows

from .conftest import ATHLETE, TODAY, Clock, Harness, harness
from .helpers import RESOURCES, count_requests, list_paths, store_range

pytestmark = pytest.mark.anyio

BOUNDARY = TODAY - timedelta(days=14)  # first "recent" day under the default policy


async def cached_payloads(reader: CacheReader, start: date, end: date) -> dict[str, dict[object, object]]:
    return {
        resource: {r.id: r.payload for r in await queries.records_in(reader, resource, ATHLETE, start, end)}
        for resource in ("activities", "wellness", "events")
    }


async def listed_rows(reader: CacheReader, resource: str, start: date, end: date) -> list[queries.Record]:
    return await queries.records_in(reader, resource, ATHLETE, start, end)  # type: ignore[arg-type]


def fake_payloads(store: FakeStore) -> dict[str, dict[object, object]]:
    with store.lock:
        return {
            "activities": {k: listed(dict(a)) for k, a in store.activities.items()},
            "wellness": {k: dict(w) for k, w in store.wellness.items()},
            "events": {k: dict(e) for k, e in store.events.items()},
        }


async def test_five_years_into_an_empty_cache_match_the_fake_field_for_field(
    service: Harness, db: Database, reader: CacheReader, fake: FakeIntervals
) -> None:
    start, end = store_range(fake.store)
    assert (TODAY - start).days >= 5 * 365 - 7 and end > TODAY  # history and planned events

    report = await service.sync(start, end, RESOURCES)

    assert report.ok, report.errors
    expected = fake_payloads(fake.store)
    cached = await cached_payloads(reader, start, end)
    for resource in RESOURCES:
        assert cached[resource] == expected[resource], resource
        assert report.resources[resource].inserted == len(expected[resource])
        planned = plan_windows(each_day(start, end), TODAY, service.policy, SPECS[resource].window_days)
        assert report.resources[resource].requests == len(planned)
    stubs = [a for a in cached["activities"].values() if a.get("source") == "STRAVA"]
    assert stubs and all(
        set(a) == {"id", "icu_athlete_id", "start_date_local", "source", "_note"} for a in stubs
    )
    assert report.requests == len(fake.requests) <= 60
    # every day of the range is covered now
    for resource in RESOURCES:
        covered = await queries.coverage(reader, ATHLETE, resource, start, end)
        assert len(covered) == (end - start).days + 1


async def test_second_sync_fetches_only_what_the_policy_calls_for(
    service: Harness, fake: FakeIntervals, clock: Clock
) -> None:
    start, end = store_range(fake.store)
    await service.sync(start, end, RESOURCES)

    fake.clear_log()
    clock.advance(minutes=5)  # everything still fresh
    again = await service.sync(start, end, RESOURCES)
    assert again.requests == 0 and fake.requests == []

    clock.advance(minutes=6)  # recent and future days are now stale, history is not
    recent = await service.sync(start, end, RESOURCES)
    lists = list_paths(fake)
    assert {r for r, _ in lists} == set(RESOURCES)
    assert all(q["oldest"] >= BOUNDARY.isoformat() for _, q in lists)  # no history re-fetched
    recent_windows = sum(
        len(plan_windows(each_day(BOUNDARY, end), TODAY, service.policy, SPECS[r].window_days))
        for r in RESOURCES
    )
    assert recent.requests == len(lists) == recent_windows == 4  # activities need 2 of 120 days

    fake.clear_log()
    full = await service.sync(start, end, RESOURCES, full=True)
    windows = sum(
        len(plan_windows(each_day(start, end), TODAY, service.policy, SPECS[r].window_days))
        for r in RESOURCES
    )
    assert full.requests == len(list_paths(fake)) == windows
    assert sum(r.inserted + r.updated + r.deleted for r in full.resources.values()) == 0


async def test_upstream_edits_and_deletions_show_once_their_window_is_refetched(
    service: Harness, db: Database, reader: CacheReader, fake: FakeIntervals, clock: Clock
) -> None:
    start, end = store_range(fake.store)
    await service.sync(start, end, RESOURCES)
    store = fake.store
    old_day = TODAY - timedelta(days=400)
    readable = [a for a in store.activities.values() if a.get("source") != "STRAVA"]
    old = min(readable, key=lambda a: abs(date.fromisoformat(a["start_date_local"][:10]) - old_day))
    recent = max(
        readable, key=lambda a: a["start_date_local"] if a["start_date_local"] < TODAY.isoformat() else ""
    )
    future_event = max(store.events.values(), key=lambda e: e["start_date_local"])
    old_event = min(store.events.values(), key=lambda e: e["start_date_local"])

    store.update_activity(old["id"], name="Renamed upstream")
    store.delete_activity(recent["id"])
    store.delete_event(future_event["id"])
    store.delete_event(old_event["id"])

    clock.advance(minutes=11)  # the recent window is re-fetched, settled history is not
    report = await service.sync(start, end, RESOURCES)
    assert report.resources["activities"].deleted == 1
    assert report.resources["events"].deleted == 1
    assert await queries.record(reader, "activities", ATHLETE, recent["id"]) is None
    assert await queries.record(reader, "events", ATHLETE, future_event["id"]) is None
    cached_old = await queries.record(reader, "activities", ATHLETE, old["id"])
    assert cached_old is not None and cached_old.payload["name"] == old["name"]  # still the old copy
    assert await queries.record(reader, "events", ATHLETE, old_event["id"]) is not None

    clock.advance(days=7)  # now history is stale too
    await service.sync(start, end, RESOURCES)
    cached_old = await queries.record(reader, "activities", ATHLETE, old["id"])
    assert cached_old is not None and cached_old.payload == store.activities[old["id"]]
    assert cached_old.payload["name"] == "Renamed upstream"
    assert cached_old.payload["icu_sync_date"] != old["icu_sync_date"]
    assert await queries.record(reader, "events", ATHLETE, old_event["id"]) is None
    assert await cached_payloads(reader, start, end) == fake_payloads(store)


async def test_refresh_refetches_a_fresh_range_at_once(
    service: Harness, db: Database, reader: CacheReader, fake: FakeIntervals
) -> None:
    day = TODAY - timedelta(days=300)
    first = await service.ensure_fresh("wellness", day - timedelta(days=6), day)
    assert first.fetched_windows == 1 and first.complete and first.error is None
    fake.store.update_wellness(day, comments="edited upstream")

    cached = await service.ensure_fresh("wellness", day - timedelta(days=6), day)
    assert cached.from_cache_only
    assert (await listed_rows(reader, "wellness", day, day))[0].payload.get("comments") is None

    refreshed = await service.ensure_fresh("wellness", day - timedelta(days=6), day, refresh=True)
    assert refreshed.fetched_windows == 1
    assert (await listed_rows(reader, "wellness", day, day))[0].payload["comments"] == "edited upstream"


async def test_intervals_are_fetched_on_demand_and_refetched_only_when_markers_move(
    service: Harness, db: Database, reader: CacheReader, fake: FakeIntervals, clock: Clock
) -> None:
    day = TODAY - timedelta(days=200)
    await service.ensure_fresh("activities", day - timedelta(days=30), day)
    rows = [
        r
        for r in await listed_rows(reader, "activities", day - timedelta(days=30), day)
        if not r.is_strava_stub
    ]
    activity = rows[0]
    fake.clear_log()

    intervals, fresh = await service.ensure_intervals(activity.id)
    assert fresh.fetched_windows == 1
    assert intervals.payload == fake.store.get_intervals(activity.id)
    assert count_requests(fake, f"/activity/{activity.id}/intervals") == 1

    fake.clear_log()
    again, fresh = await service.ensure_intervals(activity.id)
    assert fresh.from_cache_only and again.payload == intervals.payload
    assert fake.requests == []

    fake.store.update_activity(activity.id, name="Re-analysed")
    clock.advance(days=8)  # the activity's day is stale: its window is re-listed, markers moved
    moved, fresh = await service.ensure_intervals(activity.id)
    assert fresh.fetched_windows == 1
    assert count_requests(fake, f"/activity/{activity.id}/intervals") == 1
    assert moved.markers != intervals.markers
    assert moved.payload["analyzed"] == fake.store.activities[activity.id]["analyzed"]

    fake.clear_log()
    clock.advance(minutes=1)
    await service.ensure_intervals(activity.id)
    assert count_requests(fake, "/intervals") == 0


async def test_strava_stubs_never_request_intervals(
    service: Harness, db: Database, reader: CacheReader, fake: FakeIntervals
) -> None:
    start, end = store_range(fake.store)
    await service.sync(TODAY - timedelta(days=120), TODAY, ["activities"])
    stubs = [r for r in await listed_rows(reader, "activities", start, end) if r.is_strava_stub]
    assert stubs
    fake.clear_log()
    with pytest.raises(InvalidRequestError, match="Strava"):
        await service.ensure_intervals(stubs[0].id)
    assert count_requests(fake, f"/activity/{stubs[0].id}") == 0

    report = await service.sync(TODAY - timedelta(days=120), TODAY, ["activities"], with_intervals=True)
    readable = [
        r
        for r in await listed_rows(reader, "activities", TODAY - timedelta(days=120), TODAY)
        if not r.is_strava_stub
    ]
    assert report.resources["intervals"].fetched == len(readable)
    assert report.ok
    assert all(count_requests(fake, f"/activity/{s.id}/") == 0 for s in stubs)


async def test_ensure_fresh_errors_follow_what_the_cache_can_answer(
    service: Harness, fake: FakeIntervals, clock: Clock
) -> None:
    covered_start, covered_end = TODAY - timedelta(days=40), TODAY - timedelta(days=20)
    await service.ensure_fresh("wellness", covered_start, covered_end)
    clock.advance(days=8)  # all stale
    fake.inject(Fault(kind="status", status=503, times=1000))

    whole = await service.ensure_fresh("wellness", covered_start, covered_end)
    assert isinstance(whole.error, UpstreamUnavailableError)
    assert whole.complete and whole.fetched_windows == 0 and whole.as_of is not None

    part = await service.ensure_fresh("wellness", covered_start, TODAY)
    assert isinstance(part.error, UpstreamUnavailableError) and not part.complete

    with pytest.raises(UpstreamUnavailableError):
        await service.ensure_fresh("wellness", TODAY - timedelta(days=500), TODAY - timedelta(days=450))


async def test_authentication_errors_always_raise(
    db: Database, reader: CacheReader, fake: FakeIntervals, settings: Settings, clock: Clock, service: Harness
) -> None:
    start, end = TODAY - timedelta(days=10), TODAY
    await service.ensure_fresh("events", start, end)
    clock.advance(hours=1)
    async with IntervalsClient(
        fake.base_url, SecretStr("wrong-key"), policy=RetryPolicy(total_seconds=2)
    ) as bad:
        refused = harness(db, reader, bad, settings, clock)
        with pytest.raises(AuthenticationError):
            await refused.ensure_fresh("events", start, end)
        with pytest.raises(AuthenticationError):
            await refused.sync(start, end, RESOURCES)


async def test_a_failed_window_stays_stale_and_the_next_sync_fetches_only_it(
    service: Harness, db: Database, reader: CacheReader, fake: FakeIntervals
) -> None:
    start, end = TODAY - timedelta(days=400), TODAY
    fake.inject(Fault(kind="status", status=503, times=1000, path_contains="wellness"))
    report = await service.sync(start, end, RESOURCES)
    assert not report.ok and report.resources["wellness"].failed == 3  # 2 history + 1 recent
    assert report.resources["activities"].failed == 0
    assert await queries.coverage(reader, ATHLETE, "wellness", start, end) == {}
    assert await listed_rows(reader, "wellness", start, end) == []

    fake.clear_faults()
    fake.clear_log()
    again = await service.sync(start, end, RESOURCES)
    assert again.ok
    assert {r for r, _ in list_paths(fake)} == {"wellness"}
    assert len(await queries.coverage(reader, ATHLETE, "wellness", start, end)) == 401


async def test_intervals_of_an_uncached_activity_take_two_requests(
    service: Harness, db: Database, reader: CacheReader, fake: FakeIntervals
) -> None:
    activity = next(a for a in fake.store.activities.values() if a.get("source") != "STRAVA")
    intervals, fresh = await service.ensure_intervals(activity["id"])
    assert fresh.fetched_windows == 1
    assert [r.path.rsplit("/", 1)[-1] for r in fake.requests] == [activity["id"], "intervals"]
    assert intervals.markers == (activity["icu_sync_date"], activity["analyzed"])
    cached = await queries.record(reader, "activities", ATHLETE, activity["id"])
    assert cached is not None and cached.payload == activity


async def test_unknown_activity_and_event(service: Harness) -> None:
    with pytest.raises(NotFoundError):
        await service.ensure_intervals("i1")
    row, fresh = await service.ensure_record("events", 1)
    assert row is None and fresh.fetched_windows == 1


async def test_a_rejected_key_inside_an_anyio_task_group_is_raised_as_itself(
    db: Database, reader: CacheReader, fake: FakeIntervals, settings: Settings, clock: Clock
) -> None:
    """As in the MCP server, whose tools run in anyio task groups and cancel scopes."""
    results: list[BaseException] = []
    policy = RetryPolicy(total_seconds=2)
    async with IntervalsClient(fake.base_url, SecretStr("wrong-key"), policy=policy) as bad:
        service = harness(db, reader, bad, settings, clock)

        async def tool() -> None:
            with anyio.CancelScope():  # as the server wraps each request
                try:
                    await service.ensure_fresh("activities", TODAY - timedelta(days=30), TODAY)
                except AuthenticationError as exc:
                    results.append(exc)

        async with anyio.create_task_group() as group:
            group.start_soon(tool)
    assert len(results) == 1


async def test_events_run_ahead_of_the_history_range_when_asked(
    service: Harness, fake: FakeIntervals, db: Database, reader: CacheReader
) -> None:
    ahead = TODAY + timedelta(days=90)
    report = await service.sync(TODAY - timedelta(days=30), TODAY, RESOURCES, events_until=ahead)
    assert report.ok
    lists = dict(list_paths(fake))
    assert lists["events"]["newest"] == ahead.isoformat()
    assert lists["activities"]["newest"] == f"{TODAY.isoformat()}T23:59:59"  # the whole last day
    planned = await listed_rows(reader, "events", TODAY + timedelta(days=1), ahead)
    expected = [
        e
        for e in fake.store.events.values()
        if TODAY.isoformat() < e["start_date_local"][:10] <= ahead.isoformat()
    ]
    assert planned
    assert len(planned) == len(expected)


async def test_a_cached_record_follows_upstream_once_its_day_is_stale(
    service: Harness, fake: FakeIntervals, clock: Clock
) -> None:
    """Details come from the cached list row, but not forever: once the row's day is stale
    its day is re-listed (one request), so renames and deletions upstream show."""
    week = TODAY + timedelta(days=7)
    await service.sync(TODAY - timedelta(days=3), TODAY, ["activities", "events"], events_until=week)
    first, today_, ahead = str(TODAY - timedelta(days=3)), str(TODAY), str(week)
    activity = next(
        a for a in fake.store.activities.values() if a["start_date_local"][:10] >= first and a.get("type")
    )
    event = next(e for e in fake.store.events.values() if today_ <= e["start_date_local"][:10] <= ahead)
    fake.store.update_activity(activity["id"], name="Renamed upstream")
    fake.store.delete_event(event["id"])

    fake.clear_log()
    row, fresh = await service.ensure_record("activities", activity["id"])
    assert row is not None and row.payload["name"] != "Renamed upstream"  # its day is still fresh
    assert fresh.from_cache_only and fake.requests == []

    clock.advance(minutes=11)  # recent and future days are stale now
    row, fresh = await service.ensure_record("activities", activity["id"])
    assert row is not None and row.payload["name"] == "Renamed upstream"
    assert fresh.fetched_windows == 1 and len(fake.requests) == 1
    gone, _ = await service.ensure_record("events", int(event["id"]))
    assert gone is None


async def test_identical_windows_in_flight_share_one_request(service: Harness, fake: FakeIntervals) -> None:
    fake.latency = 0.3  # both calls are surely in flight at once
    start, end = TODAY - timedelta(days=10), TODAY  # recent days only: one window
    first, second = await asyncio.gather(
        service.ensure_fresh("wellness", start, end), service.ensure_fresh("wellness", start, end)
    )
    assert [r for r, _ in list_paths(fake)] == ["wellness"], "one request served both"
    assert first.complete and second.complete and not first.error and not second.error
    # A different window is its own request.
    fake.clear_log()
    await asyncio.gather(
        service.ensure_fresh("wellness", start - timedelta(days=40), start - timedelta(days=30)),
        service.ensure_fresh("wellness", start - timedelta(days=50), start - timedelta(days=45)),
    )
    assert len(list_paths(fake)) == 2
