"""Wellness days, activities, comments and custom items: each write lands upstream, shows in the
cache at once, is checked before it is sent, and refuses another athlete's activity."""

from __future__ import annotations

from typing import Any

import pytest

from intervals_mcp.config import Settings
from intervals_mcp.fake import FakeIntervals, FakeStore

from .conftest import connect, day, ok, sentence, text_of, writes_sent

pytestmark = pytest.mark.anyio


def native_activity(store: FakeStore, *, strava: bool = False) -> dict[str, Any]:
    with store.lock:
        found = sorted(
            (dict(a) for a in store.activities.values() if (a.get("source") == "STRAVA") == strava),
            key=lambda a: str(a["start_date_local"]),
        )
    if not found:
        pytest.skip("the generated athlete has no such activity")
    return found[-1]


async def test_wellness_lands_and_shows_at_once(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    today = str(day(0))
    week = {"start_date": str(day(-6)), "end_date": today}
    async with connect(settings) as c:
        ok(await c.call_tool("get_wellness_data", week))
        data = ok(
            await c.call_tool(
                "update_wellness",
                {
                    "date": today,
                    "weight": 70.4,
                    "resting_hr": 44,
                    "sleep_hours": 7.25,
                    "soreness": 3,
                    "comments": "Legs heavy",
                },
            )
        )
        fake.clear_log()
        shown = ok(await c.call_tool("get_wellness_data", {**week, "include_all_fields": True}))
    upstream = store.get_wellness(day(0))
    assert (upstream["weight"], upstream["restingHR"], upstream["sleepSecs"], upstream["soreness"]) == (
        70.4,
        44,
        26100,
        3,
    )
    assert upstream["comments"] == "Legs heavy"
    assert data["request"]["body"] == {
        "weight": 70.4,
        "restingHR": 44,
        "sleepSecs": 26100,
        "soreness": 3,
        "comments": "Legs heavy",
    }
    assert data["changed"]["sleepSecs"] == 26100 and data["record_id"] == today
    assert fake.requests == []
    (row,) = [d for d in shown["days"] if d["date"] == today]
    assert row["weight_kg"] == 70.4 and row["resting_hr_bpm"] == 44 and row["soreness"] == 3


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ({"soreness": 5}, "soreness 5 is out of range: give a whole number from 1 to 4."),
        ({"mood": 0}, "mood 0 is out of range: give a whole number from 1 to 4."),
        ({"weight": 4}, "weight 4 is out of range: give a number from 20 to 400 kg."),
        ({"sleep_hours": 25}, "sleep_hours 25 is out of range: give a number from 0 to 24 hours."),
        ({"resting_hr": 300}, "resting_hr 300 is out of range"),
        ({}, "Give at least one value"),
    ],
)
async def test_wellness_values_are_range_checked_before_sending(
    settings: Settings, fake: FakeIntervals, args: dict[str, Any], words: str
) -> None:
    async with connect(settings) as c:
        res = await c.call_tool("update_wellness", {"date": str(day(0)), **args})
    assert words in sentence(res, "update_wellness")
    assert writes_sent(fake) == []


async def test_wellness_of_a_future_day_is_refused(settings: Settings, fake: FakeIntervals) -> None:
    async with connect(settings) as c:
        res = await c.call_tool("update_wellness", {"date": str(day(2)), "mood": 1})
    assert "after today" in sentence(res, "update_wellness") and writes_sent(fake) == []


async def test_update_activity_lands_and_the_cache_follows(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    activity = native_activity(store)
    bike = store.athlete["bikes"][0]["id"]
    async with connect(settings) as c:
        dry = ok(
            await c.call_tool("update_activity", {"activity_id": activity["id"], "rpe": 7, "dry_run": True})
        )
        assert writes_sent(fake) == []
        data = ok(
            await c.call_tool(
                "update_activity",
                {
                    "activity_id": activity["id"],
                    "name": "Hill repeats",
                    "rpe": 7,
                    "feel": 2,
                    "commute": False,
                    "gear_id": bike,
                },
            )
        )
        fake.clear_log()
        shown = ok(await c.call_tool("get_activity_details", {"activity_id": activity["id"]}))
    upstream = store.get_activity(activity["id"])
    assert (upstream["name"], upstream["icu_rpe"], upstream["feel"], upstream["gear"]["id"]) == (
        "Hill repeats",
        7,
        2,
        bike,
    )
    assert dry["request"] == {"method": "PUT", "path": f"/activity/{activity['id']}", "body": {"icu_rpe": 7}}
    assert data["changed"] == {
        "icu_rpe": 7,
        "feel": 2,
        "name": "Hill repeats",
        "commute": False,
        "gear": bike,
    }
    assert (
        fake.requests == [] and shown["facts"]["RPE 1-10"] == 7 and shown["facts"]["name"] == "Hill repeats"
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ({"rpe": 11}, "rpe 11 is out of range"),
        ({"feel": 0}, "feel 0 is out of range"),
        ({}, "Give at least one value"),
    ],
)
async def test_activity_values_are_checked(
    settings: Settings, fake: FakeIntervals, store: FakeStore, args: dict[str, Any], words: str
) -> None:
    async with connect(settings) as c:
        res = await c.call_tool("update_activity", {"activity_id": native_activity(store)["id"], **args})
    assert words in sentence(res, "update_activity") and writes_sent(fake) == []


async def test_a_strava_activity_is_refused(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    stub = native_activity(store, strava=True)
    async with connect(settings) as c:
        res = await c.call_tool("update_activity", {"activity_id": stub["id"], "name": "x"})
    assert "imported from Strava" in sentence(res, "update_activity") and writes_sent(fake) == []


async def test_another_athletes_activity_is_refused(
    coach_settings: Settings, coach_fake: FakeIntervals
) -> None:
    ann = coach_fake.world.store("i201")
    theirs = native_activity(ann)
    async with connect(coach_settings) as c:
        refused = await c.call_tool("update_activity", {"activity_id": theirs["id"], "name": "Renamed"})
        message = await c.call_tool("add_activity_message", {"activity_id": theirs["id"], "content": "Nice"})
        allowed = ok(
            await c.call_tool(
                "update_activity", {"activity_id": theirs["id"], "name": "Renamed", "athlete_id": "i201"}
            )
        )
    said = sentence(refused, "update_activity")
    assert said == (
        f"Activity {theirs['id']} belongs to athlete i201, not i100: ask again with athlete_id=i201."
    )
    assert "belongs to athlete i201" in sentence(message, "add_activity_message")
    assert allowed["action"] == "updated" and ann.get_activity(theirs["id"])["name"] == "Renamed"
    assert [r.method for r in writes_sent(coach_fake)] == ["PUT"]


async def test_a_comment_is_posted_once(settings: Settings, fake: FakeIntervals, store: FakeStore) -> None:
    activity = native_activity(store)
    words = "Great pacing on the last rep."
    async with connect(settings) as c:
        dry = ok(
            await c.call_tool(
                "add_activity_message", {"activity_id": activity["id"], "content": words, "dry_run": True}
            )
        )
        assert writes_sent(fake) == []
        first = ok(
            await c.call_tool("add_activity_message", {"activity_id": activity["id"], "content": words})
        )
        again = await c.call_tool("add_activity_message", {"activity_id": activity["id"], "content": words})
    thread = [m for m in store.messages[activity["id"]] if m["content"] == words]
    assert len(thread) == 1 and first["message_id"] == thread[0]["id"] and first["action"] == "posted"
    assert dry["request"]["body"] == {"content": words}
    assert ok(again)["action"] == "unchanged" and "nothing was sent" in text_of(again)
    assert [r.method for r in writes_sent(fake)] == ["POST"]


async def test_custom_items_are_created_changed_and_deleted(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    item = {
        "name": "Sore legs",
        "item_type": "INPUT_FIELD",
        "description": "1 fresh to 5 wrecked",
        "content": {"type": "numeric", "code": "SoreLegs", "aggregate": "AVERAGE"},
    }
    async with connect(settings) as c:
        created = ok(await c.call_tool("create_custom_item", item))
        repeat = ok(await c.call_tool("create_custom_item", item))
        clash = await c.call_tool("create_custom_item", {**item, "description": "another"})
        bad = await c.call_tool("create_custom_item", {**item, "content": {"type": "number"}})
        changed = ok(
            await c.call_tool("update_custom_item", {"item_id": created["item_id"], "visibility": "public"})
        )
        (upstream,) = [i for i in store.athlete["custom_items"] if i["id"] == created["item_id"]]
        assert upstream["visibility"] == "PUBLIC" and upstream["content"]["code"] == "SoreLegs"
        deleted = ok(await c.call_tool("delete_custom_item", {"item_id": created["item_id"]}))
        missing = await c.call_tool("delete_custom_item", {"item_id": created["item_id"]})
    assert created["action"] == "created" and repeat["action"] == "unchanged"
    assert repeat["item_id"] == created["item_id"]
    assert "already has a INPUT_FIELD custom item named 'Sore legs'" in sentence(clash, "create_custom_item")
    assert "numeric, text or select" in sentence(bad, "create_custom_item")
    assert changed["action"] == "updated" and changed["request"]["body"] == {"visibility": "PUBLIC"}
    assert deleted["action"] == "deleted"
    assert "no custom item" in sentence(missing, "delete_custom_item")
    names = [i["name"] for i in store.athlete["custom_items"]]
    assert "Sore legs" not in names
    assert [r.method for r in writes_sent(fake)] == ["POST", "PUT", "DELETE", "DELETE"]
