"""The six tools in process, through a real MCP client, against the fake and a real SQLite file.

Every test runs with the newest protocol (`Client(server)`) and with the initialize handshake
(`Client(server, mode="legacy")`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from intervals_mcp.config import Settings
from intervals_mcp.errors import AccessDeniedError, AuthenticationError
from intervals_mcp.fake import FakeIntervals, FakeWorld, Fault, generate_athlete
from intervals_mcp.server.app import build_server
from intervals_mcp.server.failures import KEY_REJECTED, rejected
from intervals_mcp.server.tools import TOOLS

from .conftest import KEY, TODAY, make_settings, recent_activity, sentence, text_of, values

pytestmark = pytest.mark.anyio

MONTH = {"start_date": str(TODAY - timedelta(days=30)), "end_date": str(TODAY)}


@pytest.fixture(params=["auto", "legacy"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@asynccontextmanager
async def connect(settings: Settings, mode: str) -> AsyncIterator[Client]:
    async with Client(build_server(settings), mode=mode) as client:  # type: ignore[arg-type]
        yield client


async def call(client: Client, name: str, args: dict[str, Any]) -> Any:
    return await client.call_tool(name, args)


async def test_tools_are_listed_with_schemas_and_annotations(settings: Settings, mode: str) -> None:
    async with connect(settings, mode) as c:
        tools = (await c.list_tools()).tools
    assert [t.name for t in tools] == [spec.name for spec in TOOLS]
    key_wide = {spec.name for spec in TOOLS if spec.domain == "coaching"}  # about the key, not one athlete
    kinds = {spec.name: spec.kind for spec in TOOLS}
    for tool in tools:
        assert tool.description and len(tool.description) > 60
        assert tool.annotations is not None
        assert tool.output_schema is not None and tool.output_schema.get("properties")
        props = tool.input_schema["properties"]
        assert ("athlete_id" in props) != (tool.name in key_wide)
        if kinds[tool.name] == "write":  # their annotations: tests/writes/test_write_modes.py
            continue
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.annotations.idempotent_hint is True
        # every tool that reads data through the cache may force a re-fetch; one that takes no
        # argument but the athlete (the cache's own status) fetches nothing to refresh
        assert "refresh" in props or set(props) == {"athlete_id"}
        assert not any("key" in p.lower() for p in props), "no tool takes the API key"
        for name, prop in props.items():
            assert prop.get("description"), f"{tool.name}.{name} has no description"
        # the docstring's indentation is not part of what the model reads
        lines = tool.description.splitlines()
        assert not any(line.startswith((" ", "\t")) for line in lines), tool.description


async def test_get_activities_lists_a_month(settings: Settings, fake: FakeIntervals, mode: str) -> None:
    async with connect(settings, mode) as c:
        res = await call(c, "get_activities", {**MONTH, "limit": 50})
    assert not res.is_error, text_of(res)
    text = text_of(res)
    data = res.structured_content
    assert text.startswith(f"Activities {MONTH['start_date']} to {MONTH['end_date']} (athlete i12345)")
    assert "fresh from Intervals.icu" in text
    assert data["shown"] == len(data["activities"]) > 0
    assert data["provenance"]["source"] == "upstream"
    for row in data["activities"]:
        assert row["id"] in text
    assert "N/A" not in text and "None" not in text
    stubs = [
        a
        for a in values(fake.store.activities)
        if a.get("source") == "STRAVA"
        and MONTH["start_date"] <= a["start_date_local"][:10] <= MONTH["end_date"]
    ]
    assert len(data["strava_hidden"]) == len(stubs)
    if stubs:
        assert "Strava-sourced" in text


async def test_default_limit_and_defaults(settings: Settings, mode: str) -> None:
    async with connect(settings, mode) as c:
        res = await call(c, "get_activities", {})
    data = res.structured_content
    assert data["end_date"] == str(TODAY) and data["start_date"] == str(TODAY - timedelta(days=30))
    assert data["shown"] <= 10


async def test_activity_details_and_intervals(settings: Settings, fake: FakeIntervals, mode: str) -> None:
    activity = recent_activity(fake.store)
    async with connect(settings, mode) as c:
        details = await call(c, "get_activity_details", {"activity_id": activity["id"]})
        intervals = await call(c, "get_activity_intervals", {"activity_id": activity["id"]})
    assert not details.is_error, text_of(details)
    assert f"Activity {activity['id']}" in text_of(details)
    assert f"sport: {activity['type']}" in text_of(details)
    assert details.structured_content["facts"]["sport"] == activity["type"]
    assert not intervals.is_error, text_of(intervals)
    assert text_of(intervals).startswith(f"Intervals of activity {activity['id']}")
    assert isinstance(intervals.structured_content["intervals"], list)


async def test_wellness(settings: Settings, mode: str) -> None:
    week = {"start_date": str(TODAY - timedelta(days=6)), "end_date": str(TODAY)}
    async with connect(settings, mode) as c:
        res = await call(c, "get_wellness_data", week)
        full = await call(c, "get_wellness_data", {**week, "include_all_fields": True})
    assert not res.is_error, text_of(res)
    text = text_of(res)
    assert "CTL fitness" in text and "form" in text
    assert res.structured_content["days_total"] >= 1
    assert "ctl" in res.structured_content["days"][0]
    assert len(text_of(full)) >= len(text)


async def test_events_and_event_by_id(settings: Settings, fake: FakeIntervals, mode: str) -> None:
    async with connect(settings, mode) as c:
        listed = await call(c, "get_events", {})
        assert not listed.is_error, text_of(listed)
        data = listed.structured_content
        assert data["start_date"] == str(TODAY) and data["end_date"] == str(TODAY + timedelta(days=30))
        if not data["events"]:
            pytest.skip("the generated athlete has no planned events")
        first = data["events"][0]
        one = await call(c, "get_event_by_id", {"event_id": str(first["id"])})
    assert not one.is_error, text_of(one)
    assert f"Event {first['id']}" in text_of(one)
    assert one.structured_content["event"]["id"] == first["id"]


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("get_activities", {"start_date": "2026-11-24", "end_date": "2026-11-01"}, "is after end_date"),
        ("get_activities", {"start_date": "24/11/2026"}, "is not a date: give it as YYYY-MM-DD"),
        ("get_wellness_data", {"end_date": "tomorrow"}, "end_date 'tomorrow' is not a date"),
        ("get_events", {"start_date": "2026-12-10", "end_date": "2026-12-01"}, "is after end_date"),
        ("get_activity_details", {"activity_id": "i999999999999"}, "There is no activity i999999999999"),
        ("get_activity_intervals", {"activity_id": "i999999999999"}, "i999999999999"),
        ("get_event_by_id", {"event_id": "abc"}, "event_id 'abc' is not a number"),
        ("get_event_by_id", {"event_id": 999999999}, "There is no event 999999999"),
        ("get_activities", {"athlete_id": "bob"}, "athlete_id 'bob' is not an athlete id"),
    ],
)
async def test_bad_arguments_give_one_sentence(
    settings: Settings, mode: str, name: str, args: dict[str, Any], expected: str
) -> None:
    async with connect(settings, mode) as c:
        res = await call(c, name, args)
    text = sentence(res, name)
    assert expected in text, text
    assert "Traceback" not in text


async def test_strava_stub_intervals_say_why(settings: Settings, fake: FakeIntervals, mode: str) -> None:
    stamp = f"{TODAY - timedelta(days=2)}T09:14:15"
    stub = fake.store.add_activity({"id": "16358453283", "start_date_local": stamp, "source": "STRAVA"})
    try:
        async with connect(settings, mode) as c:
            listed = await call(c, "get_activities", MONTH)
            res = await call(c, "get_activity_intervals", {"activity_id": stub["id"]})
            details = await call(c, "get_activity_details", {"activity_id": stub["id"]})
    finally:
        fake.store.delete_activity(stub["id"])
    assert stamp[:16].replace("T", " ") in listed.structured_content["strava_hidden"]
    assert "Strava-sourced" in text_of(listed) and "16358453283" not in text_of(listed)
    assert "Strava" in sentence(res, "get_activity_intervals")
    assert "Strava-sourced" in text_of(details)


async def test_rejected_key(fake: FakeIntervals, tmp_path: Path, mode: str) -> None:
    bad = make_settings(fake, tmp_path / "c.sqlite3", key="wrong-key-123")
    async with connect(bad, mode) as c:
        res = await call(c, "get_activities", MONTH)
    assert sentence(res, "get_activities").startswith(
        "Intervals.icu rejected the API key: check API_KEY and ATHLETE_ID"
    )
    assert "wrong-key-123" not in text_of(res)


@pytest.mark.parametrize("name", ["get_activities", "get_wellness_data", "get_events"])
async def test_an_athlete_the_key_cannot_see_is_named_not_the_key(
    settings: Settings, fake: FakeIntervals, mode: str, name: str
) -> None:
    """A coach asking about an athlete the key may not read: the fake answers 403, the key is
    seen to work for the configured athlete, so the sentence is about that athlete."""
    async with connect(settings, mode) as c:
        res = await call(c, name, {"athlete_id": "i999"})
        own = await call(c, name, {})
    assert sentence(res, name) == (
        "Intervals.icu refused access to athlete i999 with this API key, which works for i12345: "
        "the key's owner must be that athlete or their coach, so check the athlete id."
    )
    assert any(r.status == 403 and "i999" in r.path for r in fake.requests)
    assert not own.is_error, text_of(own)


@pytest.fixture
def coached() -> Iterator[FakeIntervals]:
    """A coach (i12345, key KEY) coaching i201."""
    coach = generate_athlete(seed=5, years=0.2, athlete_id="i12345")
    athlete = generate_athlete(seed=6, years=0.2, athlete_id="i201")
    with FakeIntervals(FakeWorld.coach(coach, [athlete], key=KEY), rate_limit=None) as fake:
        yield fake


@pytest.mark.parametrize("cached_first", [False, True])
async def test_a_wrong_key_asking_about_another_athlete_names_the_key(
    coached: FakeIntervals, tmp_path: Path, cached_first: bool
) -> None:
    """Intervals.icu answers a wrong key and a foreign athlete alike (403): asked about another
    athlete with a wrong key, the sentence is about the key, not "check the athlete id" (also
    when that athlete is cached, so the 403 comes from a refresh, not from looking them up)."""
    db = tmp_path / "c.sqlite3"
    if cached_first:
        async with connect(make_settings(coached, db), "auto") as c:
            assert not (await call(c, "get_events", {"athlete_id": "i201"})).is_error
    wrong = make_settings(coached, db, key="wrong-key-123")
    async with connect(wrong, "auto") as c:
        res = await call(c, "get_events", {"athlete_id": "i201", "refresh": True})
    assert sentence(res, "get_events") == KEY_REJECTED
    assert "wrong-key-123" not in text_of(res)


def test_a_refusal_names_the_athlete_only_when_the_key_was_seen_to_work() -> None:
    assert rejected(AuthenticationError(status=403)) == KEY_REJECTED
    denied = AccessDeniedError("Intervals.icu refused access to athlete i999 with this API key, ...")
    assert rejected(denied) == str(denied)


async def test_upstream_down_with_cache_answers_with_a_note(
    settings: Settings, fake: FakeIntervals, mode: str
) -> None:
    async with connect(settings, mode) as c:
        first = await call(c, "get_activities", MONTH)
        assert not first.is_error
        fake.inject(Fault(kind="status", status=503, times=1000))
        res = await call(c, "get_activities", {**MONTH, "refresh": True})
    assert not res.is_error, text_of(res)
    head = text_of(res).splitlines()[0]
    assert "cached at" in head and "could not refresh:" in head
    assert res.structured_content["provenance"]["refresh_error"]
    assert res.structured_content["activities"] == first.structured_content["activities"]


async def test_upstream_down_without_cache_is_a_tool_error(
    settings: Settings, fake: FakeIntervals, mode: str
) -> None:
    fake.inject(Fault(kind="status", status=503, times=1000))
    async with connect(settings, mode) as c:
        res = await call(c, "get_wellness_data", {})
    text = sentence(res, "get_wellness_data")
    assert text.startswith("No wellness day for this range is in the cache to answer from: ")
    assert "503" in text or "unavailable" in text


async def test_repeat_within_freshness_makes_no_request(
    settings: Settings, fake: FakeIntervals, mode: str
) -> None:
    activity = recent_activity(fake.store)
    conversation: list[tuple[str, dict[str, Any]]] = [
        ("get_activities", MONTH),
        ("get_activity_details", {"activity_id": activity["id"]}),
        ("get_activity_intervals", {"activity_id": activity["id"]}),
        ("get_wellness_data", {}),
        ("get_events", {}),
    ]
    async with connect(settings, mode) as c:
        for name, args in conversation:
            assert not (await call(c, name, args)).is_error
        assert len(fake.requests) > 0
        fake.clear_log()
        for name, args in conversation:
            res = await call(c, name, args)
            assert not res.is_error
            assert res.structured_content["provenance"]["source"] == "cache"
        assert fake.requests == []
    # a new server process on the same cache file: still nothing upstream
    async with connect(settings, mode) as c:
        for name, args in conversation:
            assert not (await call(c, name, args)).is_error
    assert fake.requests == []


async def test_refresh_goes_upstream(settings: Settings, fake: FakeIntervals, mode: str) -> None:
    async with connect(settings, mode) as c:
        await call(c, "get_events", {})
        fake.clear_log()
        res = await call(c, "get_events", {"refresh": True})
    assert not res.is_error
    assert len(fake.requests) >= 1
    assert res.structured_content["provenance"]["source"] == "upstream"


async def test_huge_range_is_capped_with_a_note(settings: Settings, mode: str) -> None:
    async with connect(settings, mode) as c:
        res = await call(c, "get_activities", {"start_date": "2001-01-01", "end_date": str(TODAY)})
    assert not res.is_error
    assert "Range capped" in text_of(res)
    assert res.structured_content["note"]


async def test_the_cap_keeps_the_end_nearest_today_and_fetches_no_far_future(
    settings: Settings, fake: FakeIntervals, athlete_store: Any
) -> None:
    """1900 to 2100 asks for the three years up to today (activities, wellness) or from today
    (events), not 2097 to 2100; no window past the kept range is fetched."""
    wide = {"start_date": "1900-01-01", "end_date": "2100-12-31"}
    async with connect(settings, "auto") as c:
        listed = await call(c, "get_activities", {**wide, "limit": 5})
        wellness = await call(c, "get_wellness_data", wide)
        events = await call(c, "get_events", wide)
    for res in (listed, wellness, events):
        assert not res.is_error, text_of(res)
        assert "the part nearest today" in text_of(res)
    assert listed.structured_content["end_date"] == str(TODAY)
    assert wellness.structured_content["end_date"] == str(TODAY)
    assert events.structured_content["start_date"] == str(TODAY)
    data = listed.structured_content
    upstream = sum(1 for a in values(athlete_store.activities) if a["start_date_local"][:10] <= str(TODAY))
    assert data["total"] + len(data["strava_hidden"]) + data["unnamed_skipped"] == upstream
    last_day = str(TODAY + timedelta(days=3 * 365 + 1))
    for request in fake.requests:
        newest = dict(request.query).get("newest")
        assert newest is None or newest[:10] <= last_day, request


async def test_a_cut_year_of_activities_counts_one_way(settings: Settings) -> None:
    """A year at the largest limit, cut to fit the answer: the header, the rows, the one line
    about what is not shown and the structured counts agree; no 'raise limit' at its maximum."""
    year = {"start_date": str(TODAY - timedelta(days=364)), "end_date": str(TODAY), "limit": 200}
    async with connect(settings, "auto") as c:
        res = await call(c, "get_activities", year)
    assert not res.is_error, text_of(res)
    data, lines = res.structured_content, text_of(res).splitlines()
    shown, total = data["shown"], data["total"]
    assert 0 < shown < min(200, total), "the year must be long enough to be cut"
    assert f"showing {shown} of {total}" in lines[0]
    assert len(data["activities"]) == shown
    assert sum(1 for line in lines if line.split(" | ")[0] in {a["id"] for a in data["activities"]}) == shown
    said = [line for line in lines if "not shown" in line or "output cut" in line]
    assert len(said) == 1 and said[0].startswith(f"{total - shown} older in range not shown"), said
    assert "raise limit" not in text_of(res)
