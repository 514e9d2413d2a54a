"""Wellness and calendar endpoints over real HTTP, reads and writes."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from fake_support import ATHLETE, TODAY

from intervals_mcp.fake import FakeIntervals
from intervals_mcp.fake.shapes import EVENT_KEYS, WELLNESS_KEYS

MILLIS_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")


# ---- wellness ------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", ["", ".json"])
def test_wellness_list_is_ascending_and_inclusive(ro: httpx.Client, ext: str) -> None:
    body = ro.get(f"/athlete/0/wellness{ext}", params={"oldest": "2026-11-01", "newest": "2026-11-07"}).json()
    assert [w["id"] for w in body] == [f"2026-11-0{d}" for d in range(1, 8)]
    for record in body:
        assert set(WELLNESS_KEYS) <= set(record)
        assert MILLIS_UTC.match(record["updated"])
        assert "restingHR" in record and "resting_hr" not in record  # camelCase, as live


def test_wellness_fields_projection(ro: httpx.Client) -> None:
    body = ro.get("/athlete/0/wellness", params={"oldest": "2026-11-01", "newest": "2026-11-07",
                                                 "fields": "id,ctl,atl,comments"}).json()
    assert all(set(r) == {"id", "ctl", "atl"} for r in body)


def test_wellness_day(ro: httpx.Client) -> None:
    record = ro.get(f"/athlete/{ATHLETE}/wellness/2026-11-20").json()
    assert record["id"] == "2026-11-20" and isinstance(record["ctl"], float)


def test_wellness_put_merges_unsets_and_bumps_updated(fake: FakeIntervals, client: httpx.Client) -> None:
    day = (TODAY - timedelta(days=2)).isoformat()
    before = client.get(f"/athlete/0/wellness/{day}").json()
    response = client.put(f"/athlete/0/wellness/{day}", json={"weight": 71.3, "soreness": 3,
                                                                "steps": -1})
    assert response.status_code == 200
    after = response.json()
    assert after["weight"] == 71.3 and after["soreness"] == 3 and after["steps"] is None
    assert after["ctl"] == before["ctl"]  # untouched fields stay
    assert after["updated"] > before["updated"]
    assert client.get(f"/athlete/0/wellness/{day}").json() == after


def test_wellness_put_rejects_unknown_fields(client: httpx.Client) -> None:
    day = (TODAY - timedelta(days=2)).isoformat()
    before = client.get(f"/athlete/0/wellness/{day}").json()
    response = client.put(f"/athlete/0/wellness/{day}", json={"weight": 60.0, "feel": 2})
    assert response.status_code == 422
    assert response.json() == {"status": 422,
                               "error": f"Unrecognized wellness field [feel] for athlete {ATHLETE}"}
    assert client.get(f"/athlete/0/wellness/{day}").json() == before  # nothing applied


def test_wellness_bulk(client: httpx.Client) -> None:
    days = [(TODAY - timedelta(days=n)).isoformat() for n in (1, 2)]
    response = client.put("/athlete/0/wellness-bulk",
                          json=[{"id": days[0], "mood": 1}, {"id": days[1], "mood": 4}])
    assert response.status_code == 200
    got = client.get("/athlete/0/wellness", params={"oldest": days[1], "newest": days[0]}).json()
    assert [r["mood"] for r in got] == [4, 1]
    rejected = client.put("/athlete/0/wellness-bulk", json=[{"id": days[0], "mood": 2},
                                                            {"id": days[1], "bogus": 1}])
    assert rejected.status_code == 422
    assert client.get(f"/athlete/0/wellness/{days[0]}").json()["mood"] == 1


# ---- events --------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", ["", ".json"])
def test_events_default_to_the_coming_week(ro: httpx.Client, ext: str) -> None:
    body = ro.get(f"/athlete/0/events{ext}").json()
    assert body
    days = [e["start_date_local"][:10] for e in body]
    assert days == sorted(days)
    assert TODAY.isoformat() <= days[0] and days[-1] <= (TODAY + timedelta(days=6)).isoformat()
    for event in body:
        assert set(EVENT_KEYS) <= set(event) and "paired_activity_id" in event
        assert event["start_date_local"].endswith("T00:00:00")


def test_events_category_filter_and_range(ro: httpx.Client) -> None:
    params = {"oldest": TODAY.isoformat(), "newest": (TODAY + timedelta(days=200)).isoformat()}
    races = ro.get("/athlete/0/events", params=params | {"category": "RACE_A,RACE_B"}).json()
    assert {e["category"] for e in races} == {"RACE_A", "RACE_B"}
    assert all(e["start_date_local"][:10] <= (TODAY + timedelta(days=190)).isoformat() for e in races)
    notes = ro.get("/athlete/0/events", params=params | {"category": "NOTE"}).json()
    assert notes and {e["category"] for e in notes} == {"NOTE"}
    bad = ro.get("/athlete/0/events", params=params | {"category": "PARTY"})
    assert bad.status_code == 422


def test_past_workouts_are_paired_with_activities(ro: httpx.Client) -> None:
    params = {"oldest": (TODAY - timedelta(days=30)).isoformat(),
              "newest": (TODAY - timedelta(days=1)).isoformat(), "category": "WORKOUT"}
    paired = [e for e in ro.get("/athlete/0/events", params=params).json() if e["paired_activity_id"]]
    assert paired
    activity = ro.get(f"/activity/{paired[0]['paired_activity_id']}").json()
    assert activity["paired_event_id"] == paired[0]["id"]


def test_event_crud(client: httpx.Client) -> None:
    day = (TODAY + timedelta(days=2)).isoformat()
    created = client.post("/athlete/0/events", json={
        "category": "WORKOUT", "start_date_local": f"{day}T00:00:00", "type": "Ride",
        "name": "Sweet Spot", "description": "- 15m 55%\n\n3x\n- 12m 90%\n- 5m 55%\n\n- 10m 50%"})
    assert created.status_code == 200
    event = created.json()
    assert isinstance(event["id"], int) and event["athlete_id"] == ATHLETE
    assert event["moving_time"] == 15 * 60 + 3 * 17 * 60 + 10 * 60
    assert event["icu_training_load"] > 0 and event["workout_doc"]["steps"]
    assert MILLIS_UTC.match(event["updated"])
    assert client.get(f"/athlete/0/events/{event['id']}").json() == event
    listed = client.get("/athlete/0/events", params={"oldest": day, "newest": day}).json()
    assert event["id"] in [e["id"] for e in listed]

    updated = client.put(f"/athlete/0/events/{event['id']}", json={"name": "Renamed", "nonsense": 1})
    assert updated.status_code == 200
    assert updated.json()["name"] == "Renamed" and updated.json()["updated"] > event["updated"]
    assert "nonsense" not in updated.json()

    assert client.delete(f"/athlete/0/events/{event['id']}").status_code == 200
    assert client.get(f"/athlete/0/events/{event['id']}").status_code == 404
    assert client.delete(f"/athlete/0/events/{event['id']}").status_code == 404


def test_event_create_validation(client: httpx.Client) -> None:
    missing = client.post("/athlete/0/events", json={"name": "No category"})
    assert missing.status_code == 422 and missing.json()["status"] == 422
    not_json = client.post("/athlete/0/events", content=b"{nope",
                           headers={"content-type": "application/json"})
    assert not_json.status_code == 400


def test_event_bulk_create_and_bulk_delete(client: httpx.Client) -> None:
    day = (TODAY + timedelta(days=3)).isoformat()
    created = client.post("/athlete/0/events/bulk", json=[
        {"category": "NOTE", "start_date_local": day, "name": "A", "external_id": "x1"},
        {"category": "NOTE", "start_date_local": day, "name": "B"},
    ])
    assert created.status_code == 200
    ids = [e["id"] for e in created.json()]
    assert len(set(ids)) == 2
    upserted = client.post("/athlete/0/events/bulk?upsert=true", json=[
        {"category": "NOTE", "start_date_local": day, "name": "A2", "external_id": "x1"}]).json()
    assert upserted[0]["id"] == ids[0] and upserted[0]["name"] == "A2"
    deleted = client.put("/athlete/0/events/bulk-delete",
                         json=[{"id": ids[1]}, {"external_id": "x1"}, {"id": 1}])
    assert deleted.json() == {"eventsDeleted": 2}
    assert all(client.get(f"/athlete/0/events/{i}").status_code == 404 for i in ids)
