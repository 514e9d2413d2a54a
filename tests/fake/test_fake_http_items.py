"""Gear, custom items and activity messages over real HTTP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fake_support import ATHLETE, TODAY

from intervals_mcp.fake import FakeIntervals, FakeStore
from intervals_mcp.fake.messages import generated


def _native(store: FakeStore, with_messages: bool | None = None) -> dict[str, Any]:
    return max((a for a in store.activities.values() if a["source"] != "STRAVA"
                and (with_messages is None or bool(generated(a, store.athlete)) == with_messages)),
               key=lambda a: a["start_date_local"])


# ---- gear -------------------------------------------------------------------------------------


def test_gear_totals_follow_the_activities(ro: httpx.Client, shared_store: FakeStore) -> None:
    gear = {g["id"]: g for g in ro.get("/athlete/0/gear").json()}
    assert {g["type"] for g in gear.values()} == {"Bike", "Shoes"}
    for gear_id, item in gear.items():
        used = [a for a in shared_store.activities.values() if (a.get("gear") or {}).get("id") == gear_id]
        assert used, gear_id
        assert item["activities"] == len(used)
        assert item["distance"] == pytest.approx(sum(a["distance"] or 0 for a in used), abs=0.1)
        assert item["time"] == sum(a["moving_time"] for a in used)
        assert item["athlete_id"] == ATHLETE
    bikes = {b["id"]: b["distance"] for b in shared_store.athlete["bikes"]}
    assert all(gear[i]["distance"] == d for i, d in bikes.items())  # the profile agrees
    runs = [a for a in shared_store.activities.values() if a["type"] == "Run"]
    assert all(a["gear"]["id"] == "g7654321" for a in runs)
    assert ro.get("/athlete/0/gear.json").json() == list(gear.values())


def test_gear_moves_with_an_upstream_edit(fake: FakeIntervals, client: httpx.Client) -> None:
    ride = next(a for a in fake.store.activities.values() if a["type"] == "Ride")
    before = {g["id"]: g for g in client.get("/athlete/0/gear").json()}
    fake.store.update_activity(ride["id"], gear={"id": "g7654321", "name": "Pegasus 41",
                                                 "distance": 0.0, "primary": True})
    after = {g["id"]: g for g in client.get("/athlete/0/gear").json()}
    assert after["b1234567"]["activities"] == before["b1234567"]["activities"] - 1
    assert after["g7654321"]["distance"] == pytest.approx(
        before["g7654321"]["distance"] + ride["distance"], abs=0.2)


# ---- custom items -----------------------------------------------------------------------------


def test_custom_items_list_matches_the_profile(ro: httpx.Client) -> None:
    listed = ro.get("/athlete/0/custom-item").json()
    assert listed == ro.get("/athlete/0").json()["custom_items"]
    assert [i["type"] for i in listed] == ["INPUT_FIELD", "FITNESS_CHART"]
    assert ro.get(f"/athlete/0/custom-item/{listed[0]['id']}").json() == listed[0]
    missing = ro.get("/athlete/0/custom-item/1")
    assert missing.status_code == 404 and missing.json()["error"] == "Custom item 1 not found"


def test_custom_item_lifecycle(client: httpx.Client) -> None:
    created = client.post("/athlete/0/custom-item", json={
        "name": "Sweat rate", "type": "ACTIVITY_FIELD", "visibility": "FOLLOWERS",
        "content": {"code": "SweatRate", "type": "numeric", "aggregate": "SUM"}})
    assert created.status_code == 200
    item = created.json()
    assert item["required_items_created"] == [] and item["athlete_id"] == ATHLETE
    assert item["index"] == 2 and item["usage_count"] == 0
    updated = client.put(f"/athlete/0/custom-item/{item['id']}", json={"description": "ml/h"})
    assert updated.json()["description"] == "ml/h" and updated.json()["updated"] > item["updated"]
    assert updated.json()["name"] == "Sweat rate"  # unspecified fields are kept
    assert client.delete(f"/athlete/0/custom-item/{item['id']}").status_code == 200
    assert client.get(f"/athlete/0/custom-item/{item['id']}").status_code == 404
    assert client.delete(f"/athlete/0/custom-item/{item['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [({"type": "FITNESS_CHART"}, "name is required"), ({"name": "x"}, "type is required"),
     ({"name": "x", "type": "PIE"}, "Unknown custom item type [PIE]"),
     ({"name": "x", "type": "ZONES", "visibility": "EVERYONE"}, "Unknown visibility"),
     ({"name": "x", "type": "INPUT_FIELD", "content": {"type": "number"}}, "numeric, text or select"),
     ({"name": "x", "type": "INPUT_FIELD", "content": {"aggregate": "AVG"}}, "MIN, SUM, MAX or AVERAGE")],
)
def test_bad_custom_items_get_422(client: httpx.Client, body: dict[str, Any], message: str) -> None:
    before = client.get("/athlete/0/custom-item").json()
    response = client.post("/athlete/0/custom-item", json=body)
    assert response.status_code == 422 and message in response.json()["error"]
    assert client.get("/athlete/0/custom-item").json() == before


# ---- activity messages ------------------------------------------------------------------------


def test_generated_messages(ro: httpx.Client, shared_store: FakeStore) -> None:
    talked = _native(shared_store, with_messages=True)
    (message,) = ro.get(f"/activity/{talked['id']}/messages").json()
    assert message["activity_id"] == talked["id"] and message["athlete_id"] == ATHLETE
    assert message["type"] == "TEXT" and message["content"] and message["created"] > talked["created"]
    silent = _native(shared_store, with_messages=False)
    assert ro.get(f"/activity/{silent['id']}/messages").json() == []


def test_post_message_then_read_it_back(fake: FakeIntervals, client: httpx.Client) -> None:
    activity = _native(fake.store, with_messages=True)
    path = f"/activity/{activity['id']}/messages"
    (old,) = client.get(path).json()
    answer = client.post(path, json={"content": "Great pacing"}).json()
    assert set(answer) == {"id", "new_chat"} and answer["id"] > old["id"]
    thread = client.get(path).json()
    assert [m["id"] for m in thread] == [old["id"], answer["id"]]
    assert thread[1]["content"] == "Great pacing" and thread[1]["name"] == fake.store.athlete["name"]
    assert client.get(path, params={"sinceId": old["id"]}).json() == thread[1:]
    assert client.get(path, params={"limit": 1}).json() == thread[:1]
    empty = client.post(path, json={"content": "  "})
    assert empty.status_code == 422 and empty.json()["error"] == "content is required"


def test_messages_of_strava_and_missing_activities(ro: httpx.Client, shared_store: FakeStore) -> None:
    strava = next(a for a in shared_store.activities.values() if a["source"] == "STRAVA")
    assert ro.get(f"/activity/{strava['id']}/messages").status_code == 422
    assert ro.get("/activity/i1/messages").status_code == 404


def test_recent_history_has_gear_on_every_ride_and_run(shared_store: FakeStore) -> None:
    recent = [a for a in shared_store.activities.values()
              if a["start_date_local"] >= f"{TODAY - timedelta(days=30)}"]
    for activity in recent:
        if activity["type"] in {"Ride", "VirtualRide", "Run"}:
            assert activity["gear"]["id"] in {"b1234567", "g7654321"}
        else:
            assert activity["gear"] is None
