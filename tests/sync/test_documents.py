"""Athlete-level documents and the new per-activity extras through the cache, against the fake
over real HTTP and a real SQLite file: fetched once, answered from the cache while fresh,
re-fetched when a newer activity of the sport lands (curves), with age (messages), on
refresh; an upstream failure answers from the cached copy."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from intervals_mcp.db import queries
from intervals_mcp.errors import UpstreamError
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault
from intervals_mcp.fake.messages import generated
from intervals_mcp.sync.documents import DocumentAsk, Documents

from .conftest import TODAY, Clock, Harness
from .helpers import count_requests

pytestmark = pytest.mark.anyio

RIDES = frozenset({"Ride", "VirtualRide", "GravelRide", "MountainBikeRide", "TrackRide", "Cyclocross"})
RIDE_CURVES = DocumentAsk(
    "curves",
    key="power|Ride|s0,s1||2026",
    params={"kind": "power", "sport": "Ride", "curves": "s0,s1", "now": TODAY},
    sports=RIDES,
)


def newest(store: FakeStore, sport: str | frozenset[str]) -> dict[str, Any]:
    types = {sport} if isinstance(sport, str) else sport
    found = [a for a in store.activities.values() if a.get("type") in types and a.get("source") != "STRAVA"]
    return max(found, key=lambda a: (a["start_date_local"], a["id"]))


def land(store: FakeStore, sport: str) -> dict[str, Any]:
    """A new activity of `sport` today, copied from the athlete's newest of that sport."""
    like = copy.deepcopy(newest(store, sport))
    like.pop("id")
    like["start_date_local"] = f"{TODAY}T18:00:00"
    return store.add_activity(like)


async def test_curves_are_cached_until_a_newer_activity_of_that_sport_lands(
    service: Harness, fake: FakeIntervals, store: FakeStore, clock: Clock
) -> None:
    docs = Documents(service.service)
    row, fresh = await docs.ensure(RIDE_CURVES, service.athlete)
    assert count_requests(fake, "/power-curves") == 1 and fresh.fetched_windows == 1
    assert [c["id"] for c in row.payload["list"]] == ["s0", "s1"]
    assert row.marker is not None and row.marker.startswith(newest(store, RIDES)["id"] + "|")

    fake.clear_log()
    again, fresh = await docs.ensure(RIDE_CURVES, service.athlete)
    assert fake.requests == [] and fresh.from_cache_only and again.digest == row.digest

    land(store, "Run")  # another sport: the ride curves still stand
    clock.advance(minutes=11)  # the recent days are stale: the new run is listed
    await docs.ensure(RIDE_CURVES, service.athlete)
    assert count_requests(fake, "/activities") == 1 and count_requests(fake, "/power-curves") == 0

    ride = land(store, "Ride")
    clock.advance(minutes=11)
    moved, fresh = await docs.ensure(RIDE_CURVES, service.athlete)
    assert count_requests(fake, "/power-curves") == 1 and fresh.fetched_windows == 1
    assert moved.marker is not None and moved.marker.startswith(ride["id"] + "|")


async def test_a_document_answers_from_the_cache_when_upstream_fails_and_says_why(
    service: Harness, fake: FakeIntervals
) -> None:
    docs = Documents(service.service)
    ask = DocumentAsk("gear")
    row, _ = await docs.ensure(ask, service.athlete)
    fake.inject(Fault("status", 503, times=50))
    kept, fresh = await docs.ensure(ask, service.athlete, refresh=True)
    assert kept.digest == row.digest
    assert fresh.error is not None and fresh.fetched_windows == 0


async def test_nothing_cached_and_upstream_failing_raises(service: Harness, fake: FakeIntervals) -> None:
    fake.inject(Fault("status", 503, times=50))
    with pytest.raises(UpstreamError):
        await Documents(service.service).ensure(DocumentAsk("custom_items"), service.athlete)


async def test_documents_expire_after_their_lifetime(
    service: Harness, fake: FakeIntervals, clock: Clock
) -> None:
    docs = Documents(service.service)
    await docs.ensure(DocumentAsk("custom_items"), service.athlete)
    clock.advance(minutes=9)
    await docs.ensure(DocumentAsk("custom_items"), service.athlete)
    assert count_requests(fake, "/custom-item") == 1
    clock.advance(minutes=2)  # past the recent time to live (10 minutes)
    await docs.ensure(DocumentAsk("custom_items"), service.athlete)
    assert count_requests(fake, "/custom-item") == 2


async def test_streams_are_fetched_once_per_change_marker_with_every_listed_type(
    service: Harness, fake: FakeIntervals, store: FakeStore, clock: Clock
) -> None:
    ride = newest(store, "Ride")
    await service.ensure_fresh("activities", TODAY.replace(day=1), TODAY)
    row, _ = await service.records.ensure_extra("streams", service.athlete, ride["id"])
    asked = [r for r in fake.requests if r.path.endswith("/streams")]
    assert len(asked) == 1 and asked[0].query["types"] == ",".join(ride["stream_types"])
    assert [s["type"] for s in row.payload["streams"]] == ride["stream_types"]

    fake.clear_log()
    await service.records.ensure_extra("streams", service.athlete, ride["id"])
    assert fake.requests == []

    store.update_activity(ride["id"], name="Renamed")  # moves icu_sync_date and analyzed
    clock.advance(minutes=1)
    await service.ensure_fresh("activities", TODAY.replace(day=1), TODAY, refresh=True)
    await service.records.ensure_extra("streams", service.athlete, ride["id"])
    assert count_requests(fake, "/streams") == 1


def commented(store: FakeStore) -> dict[str, Any]:
    """The newest activity of the recent days (the last 14) that the fake gives a comment."""
    month = [a for a in store.activities.values() if a["start_date_local"] >= f"{TODAY - timedelta(days=14)}"]
    found = [a for a in month if a.get("source") != "STRAVA" and generated(a, store.athlete)]
    if not found:
        pytest.skip("no commented activity in the recent days")
    return max(found, key=lambda a: a["start_date_local"])


async def test_messages_also_go_stale_with_age(
    service: Harness, fake: FakeIntervals, store: FakeStore, clock: Clock
) -> None:
    ride = commented(store)
    await service.ensure_fresh("activities", TODAY.replace(day=1), TODAY)
    await service.records.ensure_extra("messages", service.athlete, ride["id"])
    clock.advance(minutes=5)
    await service.records.ensure_extra("messages", service.athlete, ride["id"])
    assert count_requests(fake, "/messages") == 1
    clock.advance(minutes=6)  # a recent activity's messages live as long as its day: 10 minutes
    row, fresh = await service.records.ensure_extra("messages", service.athlete, ride["id"])
    assert count_requests(fake, "/messages") == 2 and fresh.fetched_windows == 1
    assert row.payload["messages"] == store.messages[ride["id"]] != []


async def test_deleting_an_activity_drops_its_streams_and_messages(
    service: Harness, store: FakeStore, clock: Clock
) -> None:
    ride = newest(store, "Ride")
    await service.ensure_fresh("activities", TODAY.replace(day=1), TODAY)
    for kind in ("streams", "messages"):
        await service.records.ensure_extra(kind, service.athlete, ride["id"])  # type: ignore[arg-type]
    store.delete_activity(ride["id"])
    clock.advance(minutes=1)
    await service.ensure_fresh("activities", TODAY.replace(day=1), TODAY, refresh=True)
    reader = service.service.reader
    assert await queries.record(reader, "activities", service.athlete.id, ride["id"]) is None
    for kind in ("streams", "messages"):
        assert await queries.extra(reader, kind, service.athlete.id, ride["id"]) is None  # type: ignore[arg-type]
