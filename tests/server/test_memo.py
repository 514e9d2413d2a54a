"""Repeated questions are answered from memo, and never from a stale one: an upstream edit that a
refresh or an expired window brings in, and a write to the cache file by another process or
another connection, all show in the very next answer. Real fake over HTTP, real SQLite file."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import pytest
from mcp import Client

from backends import storage_env
from intervals_mcp.config import Settings
from intervals_mcp.db import writes
from intervals_mcp.db.engine import Database
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault, generate_athlete
from intervals_mcp.server.app import build_server

from .conftest import KEY, TODAY, make_settings, text_of, values

pytestmark = pytest.mark.anyio

MONTH = {"start_date": str(TODAY - timedelta(days=30)), "end_date": str(TODAY)}


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store() -> FakeStore:
    """A store of its own: these tests edit "upstream"."""
    return generate_athlete(seed=11, years=0.3, today=TODAY, athlete_id="i12345")


@pytest.fixture
def own_fake(store: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(store, api_key=KEY, latency=0.0, rate_limit=None) as server:
        yield server


@pytest.fixture
def own_settings(own_fake: FakeIntervals, database_url: str) -> Settings:
    return make_settings(own_fake, database_url)


@asynccontextmanager
async def client(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Client]:
    async with Client(build_server(settings, clock=clock)) as c:  # type: ignore[arg-type]
        yield c


def newest_named(store: FakeStore) -> dict[str, Any]:
    since = str(TODAY - timedelta(days=10))
    found = [
        a
        for a in values(store.activities)
        if a.get("source") != "STRAVA" and a.get("name") and str(a["start_date_local"]) >= since
    ]
    if not found:
        pytest.skip("the generated athlete has no named activity in the last 10 days")
    return max(found, key=lambda a: str(a["start_date_local"]))


async def ask(c: Client, name: str, args: dict[str, Any]) -> str:
    res = await c.call_tool(name, args)
    assert not res.is_error, text_of(res)
    return text_of(res)


async def test_a_repeat_is_identical_and_costs_no_request(
    own_settings: Settings, own_fake: FakeIntervals
) -> None:
    async with client(own_settings) as c:
        fetched = await c.call_tool("get_activities", MONTH)
        own_fake.clear_log()
        second = await ask(c, "get_activities", MONTH)
        third = await c.call_tool("get_activities", MONTH)
    first = text_of(fetched)
    assert len(own_fake.requests) == 0
    assert "fresh from Intervals.icu" in first  # fetched by this call
    assert second == text_of(third) and "cached at" in second.splitlines()[0]  # provenance renewed
    # Only the provenance differs from the fetching call's answer (the body it was memoised as).
    assert first.splitlines()[1:] == second.splitlines()[1:]
    assert first.splitlines()[0].split("; ")[0] == second.splitlines()[0].split("; ")[0]
    assert fetched.structured_content and third.structured_content
    assert third.structured_content["provenance"]["source"] == "cache"
    assert fetched.structured_content["provenance"]["source"] == "upstream"
    assert {k: v for k, v in fetched.structured_content.items() if k != "provenance"} == {
        k: v for k, v in third.structured_content.items() if k != "provenance"
    }


async def test_refresh_brings_an_upstream_edit_into_the_next_answers(
    own_settings: Settings, own_fake: FakeIntervals, store: FakeStore
) -> None:
    activity = newest_named(store)
    async with client(own_settings) as c:
        for _ in range(2):
            await ask(c, "get_activities", MONTH)
            await ask(c, "get_activity_details", {"activity_id": activity["id"]})
        store.update_activity(activity["id"], name="Renamed upstream")
        # Within the freshness window the cache answers, as designed ...
        assert "Renamed upstream" not in await ask(c, "get_activities", MONTH)
        # ... until the user asks for a refresh, and from then on every answer has it.
        assert "Renamed upstream" in await ask(c, "get_activities", {**MONTH, "refresh": True})
        assert "Renamed upstream" in await ask(c, "get_activities", MONTH)
        assert "Renamed upstream" in await ask(c, "get_activity_details", {"activity_id": activity["id"]})


async def test_an_expired_window_brings_an_upstream_edit_in(
    own_settings: Settings, own_fake: FakeIntervals, store: FakeStore
) -> None:
    clock = Clock(datetime.now(UTC))
    async with client(own_settings, clock) as c:
        await ask(c, "get_wellness_data", {})
        assert "cached at" in (await ask(c, "get_wellness_data", {})).splitlines()[0]
        store.update_wellness(TODAY, weight=123.4)
        assert "123.4" not in await ask(c, "get_wellness_data", {})  # still fresh: the cache answers
        clock.now += timedelta(minutes=11)  # past the 10-minute TTL of recent days
        own_fake.clear_log()
        after = await ask(c, "get_wellness_data", {})
    assert len(own_fake.requests) >= 1
    assert "123.4" in after.splitlines()[-1]  # today's row, with the new weight


async def test_another_process_syncing_the_file_shows_in_the_next_answer(
    own_settings: Settings, own_fake: FakeIntervals, store: FakeStore
) -> None:
    activity = newest_named(store)
    async with client(own_settings) as c:
        await ask(c, "get_activities", MONTH)
        assert "Renamed by a sync" not in await ask(c, "get_activities", MONTH)
        store.update_activity(activity["id"], name="Renamed by a sync")
        env = {
            "API_KEY": KEY,
            "ATHLETE_ID": own_fake.athlete_id,
            "INTERVALS_API_BASE_URL": own_fake.base_url,
            **storage_env(own_settings.database_url),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        }
        done = await anyio.run_process(
            [sys.executable, "-m", "intervals_mcp", "sync", "--days", "30", "--full", "--only", "activities"],
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()
        own_fake.clear_log()
        text = await ask(c, "get_activities", MONTH)
        details = await ask(c, "get_activity_details", {"activity_id": activity["id"]})
    assert len(own_fake.requests) == 0  # the cache was fresh: the answer came from the file
    assert "Renamed by a sync" in text and "Renamed by a sync" in details


async def test_another_connection_writing_the_file_shows_in_the_next_answer(
    own_settings: Settings, own_fake: FakeIntervals, store: FakeStore
) -> None:
    activity = newest_named(store)
    event = min(
        (e for e in values(store.events) if str(e["start_date_local"]) >= str(TODAY)),
        key=lambda e: str(e["start_date_local"]),
        default=None,
    )
    async with client(own_settings) as c:
        for _ in range(2):  # the second round is answered from the cache, and memoised
            await ask(c, "get_activities", MONTH)
            await ask(c, "get_activity_details", {"activity_id": activity["id"]})
            await ask(c, "get_events", {})
            if event is not None:
                await ask(c, "get_event_by_id", {"event_id": event["id"]})
        other = await Database.open(own_settings.database_url)
        try:
            edited = {**activity, "name": "Written by another connection"}
            await writes.upsert_records(other, "activities", own_fake.athlete_id, [edited], datetime.now(UTC))
            if event is not None:
                moved = {**event, "name": "Event renamed elsewhere"}
                await writes.upsert_records(other, "events", own_fake.athlete_id, [moved], datetime.now(UTC))
        finally:
            await other.close()
        own_fake.clear_log()
        assert "Written by another connection" in await ask(c, "get_activities", MONTH)
        assert "Written by another connection" in await ask(
            c, "get_activity_details", {"activity_id": activity["id"]}
        )
        if event is not None:
            assert "Event renamed elsewhere" in await ask(c, "get_events", {})
            assert "Event renamed elsewhere" in await ask(c, "get_event_by_id", {"event_id": event["id"]})
    assert len(own_fake.requests) == 0


async def test_a_failed_refresh_is_said_even_when_the_answer_was_memoised(
    own_settings: Settings, own_fake: FakeIntervals
) -> None:
    async with client(own_settings) as c:
        await ask(c, "get_activities", MONTH)
        cached = await ask(c, "get_activities", MONTH)
        own_fake.inject(Fault(kind="status", status=503, times=1000))
        failed = await ask(c, "get_activities", {**MONTH, "refresh": True})
        own_fake.clear_faults()
        again = await ask(c, "get_activities", MONTH)
    assert "could not refresh" not in cached
    assert "could not refresh" in failed.splitlines()[0]
    assert failed.splitlines()[1:] == cached.splitlines()[1:]  # same rows, honest provenance
    assert "could not refresh" not in again
