"""A coach's key behind the fake (the coach, a coached athlete in Sydney, a followed one in
Denver), through a real MCP client over real HTTP and a real SQLite file: the athletes it can
read, every tool's athlete_id, records that never mix between athletes, the roster's order,
and `sync --athletes`."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from pydantic import SecretStr

from intervals_mcp.cli.runner import SyncRequest, run_sync
from intervals_mcp.config import Settings, load_settings
from intervals_mcp.fake import FakeIntervals, FakeStore, FakeWorld, generate_athlete
from intervals_mcp.server.app import build_server
from sync.helpers import clone

from .conftest import sentence, text_of

pytestmark = pytest.mark.anyio

THURSDAY = date(2026, 11, 26)
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # Thursday in Brussels, Sydney and Denver alike
MONDAY = THURSDAY - timedelta(days=3)
COACH, ANN, BOB = "i100", "i201", "i202"
ZONES = {COACH: "Europe/Brussels", ANN: "Australia/Sydney", BOB: "America/Denver"}


@pytest.fixture(scope="module")
def athletes() -> dict[str, FakeStore]:
    return {
        a: generate_athlete(seed=s, years=0.4, today=THURSDAY, athlete_id=a, timezone=ZONES[a])
        for s, a in ((1, COACH), (2, ANN), (3, BOB))
    }


@pytest.fixture
def world(athletes: dict[str, FakeStore]) -> FakeWorld:
    coach, ann, bob = (clone(athletes[a]) for a in (COACH, ANN, BOB))
    return FakeWorld.coach(coach, [ann], key="coach-key", follows=[bob], athlete_keys={ANN: "ann-key"})


@pytest.fixture
def fake(world: FakeWorld) -> Iterator[FakeIntervals]:
    with FakeIntervals(world, latency=0.0, rate_limit=None) as server:
        yield server


def coach_settings(
    fake: FakeIntervals, tmp_path: Path, key: str = "coach-key", athlete: str = COACH
) -> Settings:
    return load_settings(
        api_key=SecretStr(key),
        athlete_id=athlete,
        base_url=fake.base_url,
        db_path=tmp_path / "cache.sqlite3",
        tool_retry_seconds=1.5,
    )


@dataclass
class Clock:
    now: datetime = NOON

    def __call__(self) -> datetime:
        return self.now


@asynccontextmanager
async def connect(settings: Settings) -> AsyncIterator[Client]:
    async with Client(build_server(settings, clock=Clock())) as client:  # type: ignore[arg-type]
        yield client


async def ok(c: Client, name: str, args: dict[str, Any] | None = None) -> Any:
    res = await c.call_tool(name, args or {})
    assert not res.is_error, text_of(res)
    return res


def ids_of(store: FakeStore) -> set[str]:
    return {str(i) for i in store.activities} | {str(i) for i in store.events}


async def test_list_athletes_names_everyone_the_key_reads(fake: FakeIntervals, tmp_path: Path) -> None:
    async with connect(coach_settings(fake, tmp_path)) as c:
        res = await ok(c, "list_athletes")
        before = len(fake.requests)
        await ok(c, "list_athletes")
        assert len(fake.requests) == before
    data = res.structured_content
    assert data["key_owner"] == COACH
    assert [(a["id"], a["timezone"], a["key_owner"]) for a in data["athletes"]] == [
        (COACH, ZONES[COACH], True),
        (ANN, ZONES[ANN], False),
        (BOB, ZONES[BOB], False),
    ]
    assert fake.world.store(ANN).athlete["name"] in text_of(res)


async def test_a_coached_athletes_profile_is_theirs(fake: FakeIntervals, tmp_path: Path) -> None:
    ann = fake.world.store(ANN).athlete
    async with connect(coach_settings(fake, tmp_path)) as c:
        theirs = await ok(c, "get_athlete_profile", {"athlete_id": ANN})
        mine = await ok(c, "get_athlete_profile")
        days = await ok(c, "get_wellness_data", {"athlete_id": ANN})
    assert theirs.structured_content["timezone"] == "Australia/Sydney"
    assert mine.structured_content["timezone"] == "Europe/Brussels"
    ride = next(s for s in ann["sportSettings"] if "Ride" in s["types"])
    sport = next(s for s in theirs.structured_content["sports"] if "Ride" in s["types"])
    assert sport["ftp_w"] == ride["ftp"] and sport["lthr_bpm"] == ride["lthr"]
    assert days.structured_content["end_date"] == str(THURSDAY)  # Sydney's today at the clock's noon UTC


async def test_records_of_two_athletes_never_mix(fake: FakeIntervals, tmp_path: Path) -> None:
    coach, ann = fake.world.store(COACH), fake.world.store(ANN)
    ann_ride = max(
        (a for a in ann.activities.values() if a.get("source") != "STRAVA"),
        key=lambda a: a["start_date_local"],
    )
    month = {"start_date": str(THURSDAY - timedelta(days=30)), "end_date": str(THURSDAY), "limit": 200}
    answers: dict[str, list[str]] = {COACH: [], ANN: []}
    listed: dict[str, set[str]] = {}
    async with connect(coach_settings(fake, tmp_path)) as c:
        for who, extra in ((COACH, {}), (ANN, {"athlete_id": ANN})):
            for name, args in (
                ("get_activities", month),
                ("get_wellness_data", {}),
                ("get_events", {}),
                ("get_gear_list", {}),
                ("get_custom_items", {}),
                ("get_athlete_power_curves", {}),
                ("get_athlete_profile", {}),
            ):
                res = await ok(c, name, {**args, **extra})
                answers[who].append(text_of(res) + repr(res.structured_content))
                if name == "get_activities":
                    listed[who] = {a["id"] for a in res.structured_content["activities"]}
        for name in ("get_activity_details", "get_activity_streams", "get_activity_messages"):
            res = await ok(c, name, {"activity_id": ann_ride["id"], "athlete_id": ANN})
            answers[ANN].append(text_of(res) + repr(res.structured_content))
            wrong = await c.call_tool(name, {"activity_id": ann_ride["id"]})  # as the coach
            assert f"belongs to athlete {ANN}" in sentence(wrong, name)
        roster = await ok(c, "get_roster_status")
    assert listed[ANN] and listed[ANN] <= set(ann.activities)
    assert listed[COACH] and listed[COACH] <= set(coach.activities)
    for who, other in ((COACH, ann), (ANN, coach)):
        shown = set(re.findall(r"\bi\d{6,}\b|\b\d{8,}\b", " ".join(answers[who])))
        assert shown.isdisjoint(ids_of(other) - ids_of(fake.world.store(who))), (
            f"{who} shows the other's records"
        )
    assert answers[COACH][0] != answers[ANN][0] and answers[COACH][3] != answers[ANN][3]
    rows = {r["athlete_id"]: r for r in roster.structured_content["athletes"]}
    for who in (COACH, ANN):
        store = fake.world.store(who)
        newest = max(
            a["start_date_local"][:10]
            for a in store.activities.values()
            if a["start_date_local"][:10] <= str(THURSDAY)
        )
        assert rows[who]["last_activity_date"] == newest


def shape_the_roster(world: FakeWorld) -> None:
    """Ann: form -40 and two planned sessions missed this week; Bob: idle ten days, ramp 9;
    the coach: nothing to flag. HRV flat for all (no HRV flag)."""
    bob = world.store(BOB)
    for activity_id, activity in list(bob.activities.items()):
        if activity["start_date_local"][:10] > str(THURSDAY - timedelta(days=10)):
            bob.delete_activity(activity_id)  # before the wellness is set: a delete recomputes fitness
    plans = {COACH: (60.0, 55.0, 2.0), ANN: (60.0, 100.0, 2.0), BOB: (50.0, 60.0, 9.0)}
    for who, (ctl, atl, ramp) in plans.items():
        store = world.store(who)
        with store.lock:
            for key, record in list(store.wellness.items()):
                if key >= str(THURSDAY - timedelta(days=70)):
                    store.wellness[key] = record | {"ctl": ctl, "atl": atl, "rampRate": ramp, "hrv": 60.0}
            for event_id, event in list(store.events.items()):
                if str(MONDAY) <= event["start_date_local"][:10] <= str(THURSDAY):
                    del store.events[event_id]
    ann = world.store(ANN)
    for day in (MONDAY, MONDAY + timedelta(days=1)):
        ann.add_event(
            {
                "start_date_local": f"{day}T00:00:00",
                "category": "WORKOUT",
                "type": "Rowing",
                "name": f"Erg {day}",
                "moving_time": 3600,
            }
        )


async def test_the_roster_puts_who_needs_attention_first(
    world: FakeWorld, fake: FakeIntervals, tmp_path: Path
) -> None:
    shape_the_roster(world)
    async with connect(coach_settings(fake, tmp_path)) as c:
        res = await ok(c, "get_roster_status")
        before = len(fake.requests)
        await ok(c, "get_roster_status")
        assert len(fake.requests) == before
        some = await ok(c, "get_roster_status", {"athlete_ids": f"{BOB},{COACH}"})
        stranger = await c.call_tool("get_roster_status", {"athlete_ids": "i999"})
    rows = res.structured_content["athletes"]
    assert [r["athlete_id"] for r in rows] == [ANN, BOB, COACH]  # two flags (form -40 first), two, none
    ann, bob, coach = rows
    assert ann["form"] == -40.0 and ann["missed_this_week"] == [
        f"{MONDAY} Erg {MONDAY}",
        f"{MONDAY + timedelta(days=1)} Erg {MONDAY + timedelta(days=1)}",
    ]
    assert ann["flags"][0].startswith("form -40") and ann["flags"][1] == "missed 2 planned sessions this week"
    assert bob["ramp"] == 9.0 and bob["days_since_activity"] >= 10 and len(bob["flags"]) == 2
    assert coach["flags"] == [] and coach["form"] == 5.0 and coach["hrv_low"] is False
    assert [r["athlete_id"] for r in some.structured_content["athletes"]] == [BOB, COACH]
    assert "i999" in sentence(stranger, "get_roster_status")


def test_sync_athletes_all_syncs_each_in_turn(
    fake: FakeIntervals, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = coach_settings(fake, tmp_path)
    request = SyncRequest(
        athlete_id=None, since=None, days=14, until=None, resources=["activities"], athletes=["all"]
    )
    assert run_sync(settings, request) == 0
    err = capsys.readouterr().err
    for who in (COACH, ANN, BOB):
        assert f"Sync {who}" in err
        paths = {r.path for r in fake.requests}
        assert f"/api/v1/athlete/{who}/activities" in paths
    fake.clear_log()
    request = SyncRequest(
        athlete_id=None, since=None, days=14, until=None, resources=["wellness"], athletes=[ANN]
    )
    assert run_sync(settings, request) == 0
    assert {r.path for r in fake.requests if "wellness" in r.path} == {f"/api/v1/athlete/{ANN}/wellness"}
