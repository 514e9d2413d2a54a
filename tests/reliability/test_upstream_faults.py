"""Intervals.icu misbehaving, during a sync and during tool calls: every fault ends in a retry
that succeeds or in one clear sentence, and a bad answer never overwrites good cached rows.

What a damaged 200 does (decided here, enforced in sync/ and db/columns.py):
- extra fields are kept: the payload is stored whole, exactly as sent;
- null or absent fields in a record that still has its id and its date are upstream's truth
  (the live API sends nulls for everything not recorded), so they are stored;
- a record without its id or its date cannot be placed in the cache: it is skipped, the rest of
  its window is stored and the answer says what was skipped (nothing of that window is deleted);
  a window with no placeable record at all, or such a single record, is rejected as an invalid
  response and the cached rows stay as they were.

Real HTTP to the fake on 127.0.0.1, a real SQLite file, the real MCP client in process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from pydantic import SecretStr

from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.config import Settings
from intervals_mcp.db import queries
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.errors import (
    InvalidResponseError,
    RateLimitedError,
    UpstreamConnectionError,
    UpstreamError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
    UpstreamUnreachableError,
)
from intervals_mcp.fake import FakeIntervals, Fault, FaultKind
from intervals_mcp.server.app import build_server
from server.conftest import make_settings, sentence, text_of
from sync.helpers import Harness, harness

from .conftest import (
    RELIABILITY_ATHLETE as ATHLETE,
)
from .conftest import (
    RELIABILITY_KEY as KEY,
)
from .conftest import (
    RELIABILITY_TODAY as TODAY,
)
from .conftest import (
    assert_one_sentence,
    closed_port_url,
)

pytestmark = pytest.mark.anyio

START, END = TODAY - timedelta(days=30), TODAY
MONTH = {"start_date": str(START), "end_date": str(END), "limit": 200}
REQUEST_TIMEOUT = 0.4  # a hung request gives up after this


def quick_policy(total: float = 3.0) -> RetryPolicy:
    return RetryPolicy(total_seconds=total, base_delay=0.02, max_delay=0.1, min_attempt_seconds=0.2)


@asynccontextmanager
async def service_for(
    base_url: str, db_path: Path, *, budget: float = 3.0
) -> AsyncIterator[tuple[Harness, CacheReader]]:
    settings = Settings(api_key=SecretStr(KEY), athlete_id=ATHLETE, base_url=base_url, db_path=db_path)
    db = await Database.open(db_path)
    reader = db.open_reader()
    try:
        async with IntervalsClient(
            base_url,
            SecretStr(KEY),
            timeout=REQUEST_TIMEOUT,
            policy=quick_policy(budget),
            requests_per_second=1000.0,
            burst=100,
        ) as client:
            yield harness(db, reader, client, settings), reader
    finally:
        await reader.aclose()
        await db.close()


def tool_settings(fake: FakeIntervals, db_path: Path, **update: Any) -> Settings:
    settings = make_settings(fake, db_path, key=KEY, request_timeout=REQUEST_TIMEOUT)
    return settings.model_copy(update=update)


@asynccontextmanager
async def tools(settings: Settings) -> AsyncIterator[Client]:
    async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
        yield client


async def cached(reader: CacheReader) -> dict[str, dict[Any, Any]]:
    """Every cached payload of the month, per resource."""
    return {
        resource: {r.id: r.payload for r in await queries.records_in(reader, resource, ATHLETE, START, END)}
        for resource in ("activities", "wellness", "events")
    }


def requests_to(fake: FakeIntervals, contains: str) -> list[int]:
    """The status of every request whose path contains `contains`, in order."""
    return [r.status for r in fake.requests if contains in r.path]


def recent_activity_id(fake: FakeIntervals) -> str:
    return max(
        (a for a in fake.store.activities.values() if a.get("source") != "STRAVA"),
        key=lambda a: str(a["start_date_local"]),
    )["id"]


# --- faults that pass: the retry succeeds --------------------------------------------------

TRANSIENT = {
    "429 with Retry-After": Fault(kind="rate_limit", retry_after=0.05, times=3),
    "429 without Retry-After": Fault(kind="rate_limit", retry_after=None, times=3),
    "503 burst": Fault(kind="status", status=503, times=3),
    "502 burst": Fault(kind="status", status=502, times=2),
    "hang": Fault(kind="hang", seconds=3.0, times=1),
    "truncated JSON": Fault(kind="truncated_json", times=2),
    "invalid JSON": Fault(kind="invalid_json", times=2),
    "HTML error page": Fault(kind="html", times=2),
    "connection reset": Fault(kind="reset", times=2),
}


@pytest.mark.parametrize("name", list(TRANSIENT))
async def test_sync_retries_a_passing_fault_and_stores_the_good_answer(
    name: str, quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    fault = TRANSIENT[name]
    quiet_fake.inject(replace(fault, path_contains="/activities"))
    async with service_for(quiet_fake.base_url, tmp_path / "cache.sqlite3") as (service, reader):
        report = await service.sync(START, END, ["activities", "wellness", "events"])
        assert report.ok, report.errors
        statuses = requests_to(quiet_fake, "/activities")
        windows = report.resources["activities"].fetched
        assert len(statuses) == fault.times + windows, statuses  # each fault retried, then successes
        got = await cached(reader)
    expected = {a["id"] for a in quiet_fake.store.activities.values() if START <= _day(a) <= END}
    assert set(got["activities"]) == expected and expected


@pytest.mark.parametrize("name", ["429 with Retry-After", "503 burst", "HTML error page", "hang"])
async def test_a_tool_call_retries_a_passing_fault_and_answers_fresh(
    name: str, quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    fault = TRANSIENT[name]
    quiet_fake.inject(replace(fault, path_contains="/activities"))
    async with tools(tool_settings(quiet_fake, tmp_path / "cache.sqlite3", tool_retry_seconds=2.5)) as c:
        result = await c.call_tool("get_activities", MONTH)
    assert not result.is_error, text_of(result)
    assert "fresh from Intervals.icu" in text_of(result)
    assert quiet_fake.pending_faults == []  # every faulty answer was met, then retried
    assert len(requests_to(quiet_fake, "/activities")) > fault.times


# --- faults that outlast the retry budget --------------------------------------------------

PERSISTENT: dict[str, tuple[Fault | None, type[UpstreamError]]] = {
    "429 storm with Retry-After": (Fault(kind="rate_limit", retry_after=0.1, times=1000), RateLimitedError),
    "429 storm without Retry-After": (
        Fault(kind="rate_limit", retry_after=None, times=1000),
        RateLimitedError,
    ),
    "503 for good": (Fault(kind="status", status=503, times=1000), UpstreamUnavailableError),
    "hang for good": (Fault(kind="hang", seconds=5.0, times=1000), UpstreamTimeoutError),
    "truncated JSON for good": (Fault(kind="truncated_json", times=1000), InvalidResponseError),
    "invalid JSON for good": (Fault(kind="invalid_json", times=1000), InvalidResponseError),
    "HTML page for good": (Fault(kind="html", times=1000), InvalidResponseError),
    "connection refused": (None, UpstreamConnectionError),  # None: a closed port instead of the fake
}


@pytest.mark.parametrize("name", list(PERSISTENT))
async def test_sync_gives_up_with_one_sentence_and_marks_nothing_covered(
    name: str, quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    fault, error_type = PERSISTENT[name]
    base_url = quiet_fake.base_url if fault is not None else closed_port_url()
    if fault is not None:
        quiet_fake.inject(replace(fault, path_contains="/wellness"))
    async with service_for(base_url, tmp_path / "cache.sqlite3", budget=1.0) as (service, reader):
        if fault is None:
            # Nothing listening: every window would fail the same way, so the sync stops at once.
            with pytest.raises(UpstreamUnreachableError) as stopped:
                await service.sync(START, END, ["wellness"])
            assert_one_sentence(str(stopped.value))
        else:
            report = await service.sync(START, END, ["wellness"])
            wellness = report.resources["wellness"]
            assert not report.ok and wellness.fetched == 0 and wellness.failed == wellness.planned >= 1
            for error in report.errors:
                assert isinstance(error, error_type), repr(error)
                assert_one_sentence(str(error))
        assert await queries.coverage(reader, ATHLETE, "wellness", START, END) == {}
        assert await queries.records_in(reader, "wellness", ATHLETE, START, END) == []


@pytest.mark.parametrize(
    "name",
    [
        "429 storm without Retry-After",
        "503 for good",
        "HTML page for good",
        "hang for good",
        "connection refused",
    ],
)
async def test_a_tool_call_without_cache_gives_one_sentence_tool_error(
    name: str, quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    fault, _ = PERSISTENT[name]
    settings = tool_settings(quiet_fake, tmp_path / "cache.sqlite3", tool_retry_seconds=1.0)
    if fault is None:
        settings = settings.model_copy(update={"base_url": closed_port_url()})
    else:
        quiet_fake.inject(fault)
    async with tools(settings) as c:
        result = await c.call_tool("get_wellness_data", {"start_date": str(START), "end_date": str(END)})
    message = sentence(result, "get_wellness_data")
    assert message.startswith("No wellness day for this range is in the cache to answer from:")
    assert_one_sentence(message)


# --- damage on a refresh never overwrites good cached rows --------------------------------

DAMAGE = {
    "null fields": Fault(kind="null_fields", times=1000),
    "missing fields": Fault(kind="missing_fields", times=1000),
    "null dates": Fault(kind="null_fields", times=1000, fields=frozenset({"start_date_local"})),
    "truncated JSON": Fault(kind="truncated_json", times=1000),
    "HTML error page": Fault(kind="html", times=1000),
    "invalid JSON": Fault(kind="invalid_json", times=1000),
}


@pytest.mark.parametrize("name", list(DAMAGE))
async def test_a_damaged_refresh_keeps_the_cached_rows(
    name: str, quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    async with service_for(quiet_fake.base_url, tmp_path / "cache.sqlite3", budget=0.5) as (service, reader):
        assert (await service.sync(START, END, ["activities", "events"])).ok
        before = await cached(reader)
        assert before["activities"] and before["events"]
        quiet_fake.inject(DAMAGE[name])
        for resource in ("activities", "events"):
            fresh = await service.ensure_fresh(resource, START, END, refresh=True)
            assert isinstance(fresh.error, InvalidResponseError), (resource, fresh)
            assert fresh.complete and fresh.fetched_windows == 0
            assert_one_sentence(str(fresh.error))
        assert await cached(reader) == before


@pytest.mark.parametrize("name", ["null fields", "missing fields", "truncated JSON", "HTML error page"])
async def test_a_tool_answers_from_cache_with_a_note_when_the_refresh_is_damaged(
    name: str, quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    async with tools(tool_settings(quiet_fake, tmp_path / "cache.sqlite3", tool_retry_seconds=0.8)) as c:
        first = await c.call_tool("get_activities", MONTH)
        assert not first.is_error and first.structured_content
        activity_id = recent_activity_id(quiet_fake)
        details = await c.call_tool("get_activity_details", {"activity_id": activity_id})
        assert not details.is_error, text_of(details)

        quiet_fake.inject(DAMAGE[name])
        again = await c.call_tool("get_activities", {**MONTH, "refresh": True})
        assert not again.is_error, text_of(again)
        assert "could not refresh" in text_of(again)
        assert again.structured_content and first.structured_content
        assert again.structured_content["activities"] == first.structured_content["activities"]
        assert again.structured_content["provenance"]["refresh_error"]

        one = await c.call_tool("get_activity_details", {"activity_id": activity_id, "refresh": True})
        assert not one.is_error, text_of(one)
        assert "could not refresh" in text_of(one)
        assert one.structured_content and details.structured_content
        assert _without_provenance(one.structured_content) == _without_provenance(details.structured_content)


async def test_single_records_with_damage_keep_the_cached_copy(
    quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    activity_id = recent_activity_id(quiet_fake)
    event_id = next(iter(quiet_fake.store.events))
    async with service_for(quiet_fake.base_url, tmp_path / "cache.sqlite3") as (service, reader):
        activity, _ = await service.ensure_record("activities", activity_id)
        event, _ = await service.ensure_record("events", int(event_id))
        assert activity is not None and event is not None
        quiet_fake.inject(Fault(kind="missing_fields", times=2))

        again, fresh = await service.ensure_record("activities", activity_id, refresh=True)
        assert again == activity and isinstance(fresh.error, InvalidResponseError)
        assert_one_sentence(str(fresh.error))
        same, fresh = await service.ensure_record("events", int(event_id), refresh=True)
        assert same == event and isinstance(fresh.error, InvalidResponseError)
        assert (await queries.record(reader, "activities", ATHLETE, activity_id)) == activity


# --- legitimate variations are stored as sent ---------------------------------------------


async def test_extra_null_and_absent_fields_of_a_whole_record_are_kept(
    quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    store = quiet_fake.store
    extra_id, nulled_id, sparse_id = sorted(
        a["id"] for a in store.activities.values() if START <= _day(a) <= END and a.get("source") != "STRAVA"
    )[:3]
    with store.lock:
        store.activities[extra_id]["brand_new_metric"] = {"value": 42, "unit": "W"}
        store.activities[nulled_id].update(name=None, icu_training_load=None, average_heartrate=None)
        for key in ("distance", "average_watts"):
            store.activities[sparse_id].pop(key, None)
    async with service_for(quiet_fake.base_url, tmp_path / "cache.sqlite3") as (service, reader):
        assert (await service.sync(START, END, ["activities"])).ok
        got = (await cached(reader))["activities"]
    assert got[extra_id]["brand_new_metric"] == {"value": 42, "unit": "W"}
    assert got[nulled_id]["name"] is None and got[nulled_id]["icu_training_load"] is None
    assert "distance" not in got[sparse_id] and got[sparse_id]["start_date_local"]


@pytest.mark.parametrize("kind", ["null_fields", "missing_fields"])
async def test_a_window_whose_every_record_lost_its_id_is_rejected(
    kind: FaultKind, quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    async with service_for(quiet_fake.base_url, tmp_path / "cache.sqlite3") as (service, reader):
        assert (await service.sync(START, END, ["activities"])).ok
        before = await cached(reader)
        store = quiet_fake.store
        with store.lock:  # upstream renamed everything: the good rows would change if stored
            for activity_id in before["activities"]:
                store.activities[activity_id]["name"] = "Renamed upstream"
        quiet_fake.inject(Fault(kind=kind, fields=frozenset({"id"}), path_contains="/activities", times=9))
        fresh = await service.ensure_fresh("activities", START, END, refresh=True)
        assert isinstance(fresh.error, InvalidResponseError)
        assert "has no id" in str(fresh.error)
        assert_one_sentence(str(fresh.error))
        assert await cached(reader) == before  # nothing of that window moved


@pytest.mark.parametrize("kind", ["null_fields", "missing_fields"])
async def test_one_record_without_its_id_is_skipped_and_the_rest_stored(
    kind: FaultKind, quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    """Deliberately changed (issue 10): one malformed record used to reject its whole window.
    Now the rest is stored, the answer says what was skipped, and nothing of that window is
    deleted (the skipped record may be a cached one)."""
    async with service_for(quiet_fake.base_url, tmp_path / "cache.sqlite3") as (service, reader):
        assert (await service.sync(START, END, ["activities"])).ok
        before = await cached(reader)
        store = quiet_fake.store
        with store.lock:  # upstream renamed everything
            for activity_id in before["activities"]:
                store.activities[activity_id]["name"] = "Renamed upstream"
        quiet_fake.inject(
            Fault(kind=kind, fields=frozenset({"id"}), path_contains="/activities", records=1)
        )
        fresh = await service.ensure_fresh("activities", START, END, refresh=True)
        after = await cached(reader)
    assert fresh.error is None and fresh.fetched_windows >= 1
    assert len(fresh.skipped) == 1 and "has no id" in fresh.skipped[0]
    # nothing deleted, and every record upstream renamed but the damaged one carries the new name
    assert set(after["activities"]) == set(before["activities"])
    unchanged = {i for i, a in before["activities"].items() if after["activities"][i] == a}
    strava_stubs = {i for i, a in before["activities"].items() if "name" not in a}  # listed bare
    assert len(unchanged - strava_stubs) == 1


async def test_a_tool_says_what_it_skipped(quiet_fake: FakeIntervals, tmp_path: Path) -> None:
    settings = tool_settings(quiet_fake, tmp_path / "cache.sqlite3")
    quiet_fake.inject(
        Fault(kind="missing_fields", fields=frozenset({"id"}), path_contains="/activities", records=1)
    )
    async with tools(settings) as c:
        result = await c.call_tool("get_activities", {"start_date": str(START), "end_date": str(END)})
    assert not result.is_error, text_of(result)
    head = text_of(result).splitlines()[0]
    assert head.endswith(
        "fresh from Intervals.icu; Intervals.icu sent 1 record the cache cannot place (The activity "
        "payload has no id, so it cannot be cached), so it was skipped and the rest stored."
    )
    assert result.structured_content["provenance"]["skipped"]
    assert result.structured_content["total"] >= 1


async def test_a_damaged_wellness_day_keeping_its_date_is_upstream_truth(
    quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    """A wellness record's id *is* its date, so a day of nulls is a day with nothing recorded."""
    async with service_for(quiet_fake.base_url, tmp_path / "cache.sqlite3") as (service, reader):
        assert (await service.sync(TODAY, TODAY, ["wellness"])).ok
        quiet_fake.inject(Fault(kind="null_fields", times=1))
        fresh = await service.ensure_fresh("wellness", TODAY, TODAY, refresh=True)
        assert fresh.error is None
        (day,) = await queries.records_in(reader, "wellness", ATHLETE, TODAY, TODAY)
    assert day.payload["id"] == str(TODAY)
    assert all(v is None for k, v in day.payload.items() if k != "id")


def _day(activity: dict[str, Any]) -> date:
    return date.fromisoformat(str(activity["start_date_local"])[:10])


def _without_provenance(structured: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in structured.items() if k != "provenance"}
