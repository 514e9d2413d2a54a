"""Writes as the live service applies them, over real HTTP: workout text into events, bulk upsert
and deletes, activity edits, wellness partial updates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fake_support import TODAY

from intervals_mcp.fake import FakeIntervals

DAY = TODAY + timedelta(days=3)


def _workout(**extra: Any) -> dict[str, Any]:
    return {"category": "WORKOUT", "type": "Ride", "name": "Threshold",
            "start_date_local": f"{DAY}T00:00:00",
            "description": "- 15m 60%\n\n2x\n- 20m 95%\n- 5m 55%\n\n- 10m 50%"} | extra


def _ftp(fake: FakeIntervals, sport: str = "Ride") -> float:
    settings = next(s for s in fake.store.athlete["sportSettings"] if sport in s["types"])
    return float(settings["ftp"] or settings["threshold_pace"])


# ---- events -----------------------------------------------------------------------------------


def test_created_workout_is_parsed(fake: FakeIntervals, client: httpx.Client) -> None:
    body = _workout(workout_doc={"steps": [{"duration": 1}]}, moving_time=60)
    event = client.post("/athlete/0/events", json=body).json()
    assert event["moving_time"] == 900 + 2 * 1500 + 600  # the text wins over the client's
    load = (900 * 0.6**2 + 2 * (1200 * 0.95**2 + 300 * 0.55**2) + 600 * 0.5**2) / 3600 * 100
    assert event["icu_training_load"] == round(load)
    assert [s.get("reps") for s in event["workout_doc"]["steps"]] == [None, 2, None]
    assert event["icu_ftp"] == _ftp(fake) and event["target"] == "POWER"
    assert event["created_by_id"] == fake.athlete_id and event["id"] in fake.store.events


def test_metre_trap_reaches_the_calendar(client: httpx.Client) -> None:
    swim = {"category": "WORKOUT", "type": "Swim", "name": "2.5k", "start_date_local": f"{DAY}",
            "description": "- 2500m 100% Pace"}
    event = client.post("/athlete/0/events", json=swim).json()
    assert event["moving_time"] == 150_000 and event["start_date_local"] == f"{DAY}T00:00:00"


def test_updates_reparse_keep_or_wipe_the_steps(client: httpx.Client) -> None:
    event = client.post("/athlete/0/events", json=_workout()).json()
    renamed = client.put(f"/athlete/0/events/{event['id']}", json={"name": "Moved"}).json()
    assert renamed["workout_doc"] == event["workout_doc"]  # metadata only: steps kept
    assert renamed["updated"] > event["updated"]
    shorter = client.put(f"/athlete/0/events/{event['id']}",
                         json={"description": "- 30m 70%"}).json()
    assert shorter["moving_time"] == 1800 and len(shorter["workout_doc"]["steps"]) == 1
    prose = client.put(f"/athlete/0/events/{event['id']}", json={"description": "Easy spin"}).json()
    assert prose["workout_doc"]["steps"] == [] and prose["icu_training_load"] is None
    assert prose["moving_time"] is None


def test_bulk_upsert_on_external_id(fake: FakeIntervals, client: httpx.Client) -> None:
    first = client.post("/athlete/0/events/bulk", params={"upsert": "true"},
                        json=[_workout(external_id="plan-7")]).json()
    again = client.post("/athlete/0/events/bulk", params={"upsert": "true"},
                        json=[_workout(external_id="plan-7", name="Renamed")]).json()
    assert again[0]["id"] == first[0]["id"] and again[0]["name"] == "Renamed"
    plain = client.post("/athlete/0/events/bulk", json=[_workout(external_id="plan-7")]).json()
    assert plain[0]["id"] != first[0]["id"]  # without upsert: a second event
    same = [e for e in fake.store.events.values() if e["external_id"] == "plan-7"]
    assert len(same) == 2


def test_upsert_on_uid_and_plan_applied(client: httpx.Client) -> None:
    params = {"upsertOnUid": "true", "updatePlanApplied": "true"}
    first = client.post("/athlete/0/events/bulk", params=params, json=[_workout(uid="u-1")]).json()
    second = client.post("/athlete/0/events/bulk", params=params,
                         json=[_workout(uid="u-1", name="Again")]).json()
    assert second[0]["id"] == first[0]["id"] and second[0]["plan_applied"]
    single = client.post("/athlete/0/events", params={"upsertOnUid": "true"},
                         json=_workout(uid="u-1", name="Single")).json()
    assert single["id"] == first[0]["id"] and single["name"] == "Single"


def test_bulk_is_all_or_nothing(fake: FakeIntervals, client: httpx.Client) -> None:
    before = len(fake.store.events)
    response = client.post("/athlete/0/events/bulk",
                           json=[_workout(), _workout(category="WORKOUTS")])
    assert response.status_code == 422 and "WORKOUTS" in response.json()["error"]
    assert len(fake.store.events) == before


def test_bulk_delete_by_external_id_wins_over_id(fake: FakeIntervals, client: httpx.Client) -> None:
    tagged = client.post("/athlete/0/events/bulk", params={"upsert": "true"},
                         json=[_workout(external_id="x-1")]).json()[0]
    other = client.post("/athlete/0/events", json=_workout()).json()
    answer = client.put("/athlete/0/events/bulk-delete", json=[
        {"id": other["id"], "external_id": "x-1"}, {"external_id": "missing"}, {"id": 1}]).json()
    assert answer == {"eventsDeleted": 1}
    assert tagged["id"] not in fake.store.events and other["id"] in fake.store.events


def test_range_delete(fake: FakeIntervals, client: httpx.Client) -> None:
    def days(category: str) -> list[str]:
        return sorted(e["start_date_local"][:10] for e in fake.store.events.values()
                      if e["category"] == category)

    notes_before = days("NOTE")
    oldest, newest = TODAY + timedelta(days=5), TODAY + timedelta(days=12)
    response = client.delete("/athlete/0/events", params={
        "oldest": oldest.isoformat(), "newest": newest.isoformat(), "category": "WORKOUT"})
    assert response.status_code == 200 and response.content == b""
    assert not [d for d in days("WORKOUT") if oldest.isoformat() <= d <= newest.isoformat()]
    assert [d for d in days("WORKOUT") if d > newest.isoformat()]  # outside the range: kept
    assert days("NOTE") == notes_before  # other categories: kept
    client.delete("/athlete/0/events", params={"oldest": oldest.isoformat(), "category": "WORKOUT"})
    assert not [d for d in days("WORKOUT") if d >= oldest.isoformat()]  # no newest: all future


def test_range_delete_by_creator(fake: FakeIntervals, client: httpx.Client) -> None:
    mine = client.post("/athlete/0/events", json=_workout()).json()
    fake.store.add_event(_workout(), created_by="i999")
    client.delete("/athlete/0/events", params={"oldest": DAY.isoformat(), "newest": DAY.isoformat(),
                                               "category": "WORKOUT", "createdById": "i999"})
    left = [e for e in fake.store.events.values() if e["start_date_local"][:10] == DAY.isoformat()
            and e["category"] == "WORKOUT"]
    assert mine["id"] in {e["id"] for e in left}
    assert all(e["created_by_id"] != "i999" for e in left)


@pytest.mark.parametrize(("params", "missing"), [({"category": "WORKOUT"}, "oldest"),
                                                 ({"oldest": "2026-12-01"}, "category")])
def test_range_delete_needs_oldest_and_category(
    fake: FakeIntervals, client: httpx.Client, params: dict[str, str], missing: str
) -> None:
    before = dict(fake.store.events)
    response = client.delete("/athlete/0/events", params=params)
    assert response.status_code == 422
    assert response.json()["error"].startswith(f"Required request parameter '{missing}'")
    assert fake.store.events == before


# ---- activity edits ----------------------------------------------------------------------------


def _native(fake: FakeIntervals) -> dict[str, Any]:
    return max((a for a in fake.store.activities.values()
                if a["type"] == "Ride" and a["source"] != "STRAVA"),
               key=lambda a: a["start_date_local"])


def test_activity_edit(fake: FakeIntervals, client: httpx.Client) -> None:
    activity = _native(fake)
    client.post("/athlete/0/custom-item", json={
        "name": "Sweat", "type": "ACTIVITY_FIELD", "content": {"code": "Sweat", "type": "numeric"}})
    edited = client.put(f"/activity/{activity['id']}", json={
        "name": "Hill reps", "description": "Felt good", "icu_rpe": 8, "feel": 2,
        "commute": True, "trainer": True, "gear_id": "g7654321", "sport_type": "ignored",
        "LegFreshness": 7, "Sweat": 1.2})
    assert edited.status_code == 200
    body = edited.json()
    assert (body["name"], body["description"], body["icu_rpe"], body["feel"]) == (
        "Hill reps", "Felt good", 8, 2)
    assert body["commute"] is True and body["trainer"] is True
    assert body["gear"]["id"] == "g7654321" and body["gear"]["name"] == "Pegasus 41"
    assert body["session_rpe"] == 8 * round(activity["moving_time"] / 60)
    assert body["icu_sync_date"] > activity["icu_sync_date"] and body["analyzed"] > activity["analyzed"]
    assert "sport_type" not in body and "LegFreshness" not in body  # not an ACTIVITY_FIELD code
    assert body["Sweat"] == 1.2  # a custom activity field is kept
    assert fake.store.get_activity(activity["id"]) == body
    cleared = client.put(f"/activity/{activity['id']}", json={"icu_rpe": -1}).json()
    assert cleared["icu_rpe"] is None and cleared["name"] == "Hill reps"


@pytest.mark.parametrize(
    ("body", "message"),
    [({"icu_rpe": 11}, "icu_rpe must be a whole number from 1 to 10"),
     ({"feel": 0}, "feel must be a whole number from 1 to 5"),
     ({"feel": "good"}, "feel must be"), ({"type": "Bicycle"}, "Invalid activity type [Bicycle]"),
     ({"gear_id": "b999"}, "Unknown gear [b999]")],
)
def test_bad_activity_edits_get_422(
    fake: FakeIntervals, client: httpx.Client, body: dict[str, Any], message: str
) -> None:
    activity = _native(fake)
    response = client.put(f"/activity/{activity['id']}", json=body)
    assert response.status_code == 422 and message in response.json()["error"]
    assert fake.store.get_activity(activity["id"]) == activity


def test_strava_and_missing_activities_cannot_be_edited(fake: FakeIntervals, client: httpx.Client) -> None:
    strava = fake.store.add_activity({"start_date_local": f"{TODAY}T07:00:00", "source": "STRAVA"})
    response = client.put(f"/activity/{strava['id']}", json={"name": "x"})
    assert response.status_code == 422
    assert response.json()["error"] == "Strava activities cannot be updated"
    assert client.put("/activity/i1", json={"name": "x"}).status_code == 404


# ---- wellness -------------------------------------------------------------------------------------


def test_wellness_put_only_changes_what_is_sent(fake: FakeIntervals, client: httpx.Client) -> None:
    day = (TODAY - timedelta(days=3)).isoformat()
    before = fake.store.get_wellness(day)
    after = client.put(f"/athlete/0/wellness/{day}", json={
        "weight": "71.5", "soreness": 2.0, "comments": "ok", "sleepSecs": None}).json()
    assert (after["weight"], after["soreness"], after["comments"]) == (71.5, 2, "ok")
    assert after["sleepSecs"] is None
    unchanged = {k for k in before if k not in {"weight", "soreness", "comments", "sleepSecs",
                                                "updated"}}
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}


@pytest.mark.parametrize("body", [{"mood": "great"}, {"locked": "yes"},
                                  {"menstrualPhase": "WINTER"}, {"comments": 5}])
def test_wellness_values_of_the_wrong_type_get_400(
    fake: FakeIntervals, client: httpx.Client, body: dict[str, Any]
) -> None:
    day = (TODAY - timedelta(days=3)).isoformat()
    before = fake.store.get_wellness(day)
    response = client.put(f"/athlete/0/wellness/{day}", json=body)
    assert response.status_code == 400 and response.json()["error"].startswith("JSON parse error")
    assert fake.store.get_wellness(day) == before


def test_wellness_put_with_the_day_in_the_body(fake: FakeIntervals, client: httpx.Client) -> None:
    day = (TODAY - timedelta(days=2)).isoformat()
    record = client.put("/athlete/0/wellness", json={"id": day, "hrv": 58.5}).json()
    assert record["id"] == day and fake.store.get_wellness(day)["hrv"] == 58.5
    missing = client.put("/athlete/0/wellness", json={"hrv": 58.5})
    assert missing.status_code == 422 and "id is required" in missing.json()["error"]


def test_wellness_bulk_is_all_or_nothing(fake: FakeIntervals, client: httpx.Client) -> None:
    days = [(TODAY - timedelta(days=n)).isoformat() for n in (1, 2)]
    before = [fake.store.get_wellness(d) for d in days]
    response = client.put("/athlete/0/wellness-bulk",
                          json=[{"id": days[0], "mood": 1}, {"id": days[1], "mood": "bad"}])
    assert response.status_code == 400
    assert [fake.store.get_wellness(d) for d in days] == before
