"""The seed's read tools and the athlete's context, through a real MCP client, against the fake
over real HTTP and a real SQLite file: each answer's figures are worked out here from the
fake's own records, and each repeat is answered with no request upstream."""

from __future__ import annotations

import statistics
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from mcp import Client

from intervals_mcp.config import Settings
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault
from intervals_mcp.fake.messages import generated
from intervals_mcp.server.app import build_server

from .conftest import KEY, TODAY, sentence, text_of, values

pytestmark = pytest.mark.anyio

MONTH = {"start_date": str(TODAY - timedelta(days=30)), "end_date": str(TODAY)}


@asynccontextmanager
async def connect(settings: Settings) -> AsyncIterator[Client]:
    async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
        yield client


async def ok(c: Client, name: str, args: dict[str, Any] | None = None) -> Any:
    res = await c.call_tool(name, args or {})
    assert not res.is_error, text_of(res)
    return res


async def twice(c: Client, fake: FakeIntervals, name: str, args: dict[str, Any] | None = None) -> Any:
    """The answer, and a check that asking again makes no request and says the same."""
    first = await ok(c, name, args)
    before = len(fake.requests)
    again = await ok(c, name, args)
    assert len(fake.requests) == before, f"the repeat of {name} asked upstream"
    assert again.structured_content == {
        **first.structured_content,
        "provenance": again.structured_content["provenance"],
    }
    assert again.structured_content["provenance"]["source"] == "cache"
    return first


def newest_ride(store: FakeStore) -> dict[str, Any]:
    rides = [
        a
        for a in values(store.activities)
        if a.get("type") in ("Ride", "VirtualRide")
        and a.get("source") != "STRAVA"
        and a["start_date_local"][:10] >= MONTH["start_date"]
    ]
    if not rides:
        pytest.skip("no ride in the last 30 days")
    return max(rides, key=lambda a: a["start_date_local"])


def settings_for(store: FakeStore, sport: str) -> dict[str, Any]:
    return next(s for s in store.athlete["sportSettings"] if sport in s["types"])


def upstream(fake: FakeIntervals, path: str, **params: Any) -> Any:
    """What the fake answers a direct request (the raw upstream answer, not through our code)."""
    response = httpx.get(f"{fake.base_url}/{path}", params=params, auth=("API_KEY", KEY), timeout=10)
    response.raise_for_status()
    return response.json()


def inclusive(values_: list[float], p: int) -> float:
    return statistics.quantiles(values_, n=100, method="inclusive")[p - 1]


async def test_streams_are_summarised_from_the_recorded_values(
    settings: Settings, fake: FakeIntervals
) -> None:
    ride = newest_ride(fake.store)
    raw = {s["type"]: s for s in fake.store.get_streams(ride["id"], None)}
    async with connect(settings) as c:
        await ok(c, "get_activities", {**MONTH, "limit": 200})  # as a model would: list, then look closer
        fake.clear_log()
        res = await twice(c, fake, "get_activity_streams", {"activity_id": ride["id"]})
        assert [r.path.rsplit("/", 1)[-1] for r in fake.requests] == ["streams"]
        series = await ok(
            c,
            "get_activity_streams",
            {
                "activity_id": ride["id"],
                "stream_types": "watts, heartrate,smo2",
                "include_series": True,
                "max_points": 50,
            },
        )
    assert len(fake.requests) == 1, "another choice of streams is answered from the cache"
    data = res.structured_content
    assert {r["type"] for r in data["streams"]} == set(raw) - {"time", "latlng"}  # GPS: a note
    times = raw["time"]["data"]
    assert data["step_s"] == times[1] - times[0]
    watts = [float(v) for v in raw["watts"]["data"] if v is not None]
    row = next(r for r in data["streams"] if r["type"] == "watts")
    assert (row["samples"], row["min"], row["max"]) == (len(watts), min(watts), max(watts))
    assert row["mean"] == pytest.approx(statistics.fmean(watts))
    assert row["p50"] == pytest.approx(inclusive(watts, 50)) and row["p90"] == pytest.approx(
        inclusive(watts, 90)
    )
    bounds = [round(p * ride["icu_ftp"] / 100) for p in ride["icu_power_zones"]]
    counts = [0] * len(bounds)
    for w in watts:
        counts[next((i for i, b in enumerate(bounds) if w <= b), len(bounds) - 1)] += 1
    assert [b["seconds"] for b in row["bands"]] == [n * data["step_s"] for n in counts]
    names = settings_for(fake.store, ride["type"])["power_zone_names"]
    assert [b["name"] for b in row["bands"]] == names
    assert f"FTP {ride['icu_ftp']} W" in text_of(res)
    assert ("latlng:" in text_of(res)) == ("latlng" in raw)
    assert len(text_of(res)) < 3000 < sum(len(s["data"]) for s in raw.values()), "a summary, never raw values"

    picked = series.structured_content
    assert [r["type"] for r in picked["streams"]] == ["watts", "heartrate"]
    assert picked["not_recorded"] == ["smo2"]
    w = picked["streams"][0]
    size = -(-len(watts) // 50)
    assert len(w["series"]) <= 50 and w["series"][0] == pytest.approx(
        round(statistics.fmean(watts[:size]), 2)
    )
    assert w["series_every_s"] == size * data["step_s"]


async def test_messages_of_an_activity(settings: Settings, fake: FakeIntervals) -> None:
    store = fake.store
    found = [
        a
        for a in values(store.activities)
        if a.get("source") != "STRAVA"
        and a["start_date_local"][:10] >= MONTH["start_date"]
        and generated(a, store.athlete)
    ]
    if not found:
        pytest.skip("no commented activity in the last 30 days")
    activity = found[0]
    async with connect(settings) as c:
        await ok(c, "get_activities", {**MONTH, "limit": 200})
        res = await twice(c, fake, "get_activity_messages", {"activity_id": activity["id"]})
    expected = generated(activity, store.athlete)
    assert [m["content"] for m in res.structured_content["messages"]] == [m["content"] for m in expected]
    assert expected[0]["content"] in text_of(res) and store.athlete["name"] in text_of(res)


async def test_profile_gives_time_zone_thresholds_and_zones(settings: Settings, fake: FakeIntervals) -> None:
    athlete = fake.store.athlete
    async with connect(settings) as c:
        res = await twice(c, fake, "get_athlete_profile")
    data = res.structured_content
    assert data["timezone"] == athlete["timezone"] and data["name"] == athlete["name"]
    assert data["weight_kg"] == athlete["icu_weight"]
    ride = settings_for(fake.store, "Ride")
    sport = next(s for s in data["sports"] if "Ride" in s["types"])
    assert (sport["ftp_w"], sport["lthr_bpm"], sport["max_hr_bpm"]) == (
        ride["ftp"],
        ride["lthr"],
        ride["max_hr"],
    )
    assert [z["high"] for z in sport["power_zones_w"]][:-1] == [
        round(p * ride["ftp"] / 100) for p in ride["power_zones"]
    ][:-1]
    assert [z["name"] for z in sport["power_zones_w"]] == ride["power_zone_names"]
    assert [z["high"] for z in sport["hr_zones_bpm"]][:-1] == ride["hr_zones"][:-1]
    run = next(s for s in data["sports"] if "Run" in s["types"])
    speed = settings_for(fake.store, "Run")["threshold_pace"]
    secs = round(1000 / speed)
    assert run["threshold_pace"] == f"{secs // 60}:{secs % 60:02d}/km"
    assert f"time zone {athlete['timezone']}" in text_of(res) and f"FTP {ride['ftp']} W" in text_of(res)


async def test_power_curves_at_the_seeds_durations(settings: Settings, fake: FakeIntervals) -> None:
    raw = upstream(
        fake, f"athlete/{fake.athlete_id}/power-curves", type="Ride", curves="s0,s1", now=str(TODAY)
    )
    ftp = settings_for(fake.store, "Ride")["ftp"]
    async with connect(settings) as c:
        res = await twice(c, fake, "get_athlete_power_curves")
        fake.clear_log()
        short = await ok(c, "get_athlete_power_curves", {"durations": [5, 7, 60]})
    assert fake.requests == [], "other durations are read from the cached curves"
    curves = res.structured_content["curves"]
    assert [c["id"] for c in curves] == ["s0", "s1"]
    for got, want in zip(curves, raw["list"], strict=True):
        for point in got["points"]:
            i = want["secs"].index(point["secs"])
            assert point["value"] == want["values"][i] and point["activity_id"] == want["activity_id"][i]
            assert point["watts_per_kg"] == want["watts_per_kg"][i]
            assert point["pct_of_threshold"] == pytest.approx(round(want["values"][i] / ftp * 100, 1))
        assert {p["secs"] for p in got["points"]} == {5, 15, 30, 60, 120, 300, 600, 1200, 3600} & set(
            want["secs"]
        )
    assert short.structured_content["curves"][0]["missing"] == [7.0]


async def test_hr_and_pace_curves_are_siblings(settings: Settings, fake: FakeIntervals) -> None:
    hr = upstream(fake, f"athlete/{fake.athlete_id}/hr-curves", type="Ride", curves="s0", now=str(TODAY))
    pace = upstream(fake, f"athlete/{fake.athlete_id}/pace-curves", type="Run", curves="s0", now=str(TODAY))
    async with connect(settings) as c:
        h = await twice(c, fake, "get_athlete_hr_curves", {"durations": [60, 1200], "last_season": False})
        p = await twice(c, fake, "get_athlete_pace_curves", {"distances": [1000, 5000], "last_season": False})
    for point in h.structured_content["curves"][0]["points"]:
        assert point["value"] == hr["list"][0]["values"][hr["list"][0]["secs"].index(point["secs"])]
    for point in p.structured_content["curves"][0]["points"]:
        want = pace["list"][0]
        assert point["value"] == want["values"][want["distance"].index(point["distance_m"])]
        assert point["pace"].endswith("/km")


async def test_curve_arguments_are_checked_before_any_request(
    settings: Settings, fake: FakeIntervals
) -> None:
    async with connect(settings) as c:
        await ok(c, "get_athlete_profile")
        fake.clear_log()
        lone = await c.call_tool("get_athlete_power_curves", {"start_date": "2026-01-01"})
        none = await c.call_tool("get_athlete_power_curves", {"this_season": False, "last_season": False})
        where = await c.call_tool("get_athlete_power_curves", {"indoor_outdoor": "garage"})
        sport = await c.call_tool("get_athlete_power_curves", {"activity_type": "Riding"})
    assert "both start_date and end_date" in sentence(lone, "get_athlete_power_curves")
    assert "at least one curve" in sentence(none, "get_athlete_power_curves")
    assert "indoor or outdoor" in sentence(where, "get_athlete_power_curves")
    assert "not an Intervals.icu activity type" in sentence(sport, "get_athlete_power_curves")
    assert fake.requests == []


async def test_gear_with_distance_and_time_from_its_activities(
    settings: Settings, fake: FakeIntervals
) -> None:
    totals: dict[str, list[float]] = {}
    for a in values(fake.store.activities):
        gear = a.get("gear")
        if isinstance(gear, dict) and gear.get("id"):
            t = totals.setdefault(gear["id"], [0.0, 0.0, 0])
            t[0] += a.get("distance") or 0.0
            t[1] += a.get("moving_time") or 0
            t[2] += 1
    async with connect(settings) as c:
        res = await twice(c, fake, "get_gear_list")
        fake.clear_log()
        await ok(c, "get_gear_list", {"refresh": True})
        assert [r.path.rsplit("/", 1)[-1] for r in fake.requests] == ["gear"]
    rows = {g["id"]: g for g in res.structured_content["gear"]}
    assert set(rows) == set(totals)
    for gear_id, (metres, secs, count) in totals.items():
        assert rows[gear_id]["distance_m"] == pytest.approx(metres, abs=0.1)
        assert rows[gear_id]["time_s"] == secs and rows[gear_id]["activities"] == count
        assert f"{metres / 1000:.1f}" in text_of(res)


async def test_custom_items_and_one_by_id(settings: Settings, fake: FakeIntervals) -> None:
    items = fake.store.athlete["custom_items"]
    async with connect(settings) as c:
        listed = await twice(c, fake, "get_custom_items")
        one = await twice(c, fake, "get_custom_item_by_id", {"item_id": items[0]["id"]})
        before = len(fake.requests)
        missing = await c.call_tool("get_custom_item_by_id", {"item_id": 1})
        assert len(fake.requests) == before, "the item list is cached: an unknown id costs no request"
    assert [i["id"] for i in listed.structured_content["items"]] == [i["id"] for i in items]
    assert one.structured_content["content"] == items[0]["content"]
    assert one.structured_content["item"]["name"] == items[0]["name"]
    assert "There is no custom item 1" in sentence(missing, "get_custom_item_by_id")


async def test_a_strava_stubs_streams_and_an_unknown_activity_are_one_sentence(
    settings: Settings, fake: FakeIntervals
) -> None:
    stubs = [a for a in values(fake.store.activities) if a.get("source") == "STRAVA"]
    if not stubs:
        pytest.skip("the generated athlete has no Strava-sourced activity")
    stub = max(stubs, key=lambda a: a["start_date_local"])
    day = stub["start_date_local"][:10]
    async with connect(settings) as c:
        await ok(c, "get_activities", {"start_date": day, "end_date": day})
        fake.clear_log()
        hidden = await c.call_tool("get_activity_streams", {"activity_id": stub["id"]})
        assert fake.requests == [], "a stub's streams are never asked for"
        unknown = await c.call_tool("get_activity_messages", {"activity_id": "i1"})
    assert "imported from Strava" in sentence(hidden, "get_activity_streams")
    assert "There is no activity i1" in sentence(unknown, "get_activity_messages")


async def test_gear_answers_from_the_cache_when_intervals_icu_fails(
    settings: Settings, fake: FakeIntervals
) -> None:
    async with connect(settings) as c:
        first = await ok(c, "get_gear_list")
        fake.inject(Fault("status", 503, times=100))
        kept = await ok(c, "get_gear_list", {"refresh": True})
    assert kept.structured_content["gear"] == first.structured_content["gear"]
    assert kept.structured_content["provenance"]["refresh_error"]
    assert "could not refresh" in text_of(kept)
