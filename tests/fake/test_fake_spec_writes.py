"""Every write route (POST, PUT, DELETE) against the OpenAPI document: one representative request
each, over real HTTP, whose answer validates against the operation's response schema."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fake_support import TODAY
from spec_support import SPEC, fake_routes, validate

from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete

Request = tuple[str, dict[str, str], Any]  # url (below /api/v1), query, JSON body


def _requests(store: FakeStore) -> dict[tuple[str, str], Request]:
    """One request per write route; a new route without an entry fails the coverage test."""
    day = (TODAY - timedelta(days=1)).isoformat()
    events = sorted(store.events)
    activity = max((a for a in store.activities.values() if a["source"] != "STRAVA"),
                   key=lambda a: a["start_date_local"])
    item = store.athlete["custom_items"][0]["id"]
    future = f"{TODAY + timedelta(days=2)}T00:00:00"
    workout = {"category": "WORKOUT", "type": "Ride", "name": "Sweet spot",
               "start_date_local": future, "description": "- 10m 60%\n\n3x\n- 8m 90%\n- 4m 55%\n"}
    athlete = "/api/v1/athlete/{id}"
    return {
        (f"{athlete}/wellness/{{date}}", "put"): (f"/athlete/0/wellness/{day}", {}, {"mood": 2}),
        (f"{athlete}/wellness", "put"): ("/athlete/0/wellness", {}, {"id": day, "hrv": 61.5}),
        (f"{athlete}/wellness-bulk", "put"): (
            "/athlete/0/wellness-bulk", {}, [{"id": day, "stress": 2}]),
        (f"{athlete}/events", "post"): ("/athlete/0/events", {}, workout),
        (f"{athlete}/events/bulk", "post"): (
            "/athlete/0/events/bulk", {"upsert": "true"}, [workout | {"external_id": "w-1"}]),
        (f"{athlete}/events/bulk-delete", "put"): (
            "/athlete/0/events/bulk-delete", {}, [{"id": events[0]}, {"external_id": "none"}]),
        (f"{athlete}/events/{{eventId}}", "put"): (
            f"/athlete/0/events/{events[1]}", {}, {"name": "Renamed"}),
        (f"{athlete}/events/{{eventId}}", "delete"): (f"/athlete/0/events/{events[2]}", {}, None),
        (f"{athlete}/events", "delete"): (
            "/athlete/0/events", {"oldest": (TODAY + timedelta(days=20)).isoformat(),
                                  "category": "WORKOUT,NOTE"}, None),
        ("/api/v1/activity/{id}", "put"): (
            f"/activity/{activity['id']}", {}, {"name": "Hill reps", "icu_rpe": 7, "feel": 2,
                                                "commute": False, "gear_id": "b1234567"}),
        ("/api/v1/activity/{id}/messages", "post"): (
            f"/activity/{activity['id']}/messages", {}, {"content": "Good one"}),
        (f"{athlete}/custom-item", "post"): (
            "/athlete/0/custom-item", {}, {"name": "RPE chart", "type": "FITNESS_CHART"}),
        (f"{athlete}/custom-item/{{itemId}}", "put"): (
            f"/athlete/0/custom-item/{item}", {}, {"description": "changed"}),
        (f"{athlete}/custom-item/{{itemId}}", "delete"): (
            f"/athlete/0/custom-item/{item + 1}", {}, None),
    }


def test_every_write_route_has_a_request() -> None:
    writes = {(path, method) for path, method in fake_routes() if method != "get"}
    assert writes == set(_requests(generate_athlete(seed=1, years=0.05, today=TODAY)))


def test_every_write_answer_validates(fake: FakeIntervals, client: httpx.Client) -> None:
    for (path, method), (url, query, body) in _requests(fake.store).items():
        response = client.request(method.upper(), url, params=query, json=body)
        assert response.status_code == 200, (method, url, response.text)
        chosen = SPEC["paths"][path][method]["responses"]
        content = (chosen.get("200") or chosen["default"]).get("content")
        if content is None:
            assert response.content == b"", (method, url)
            continue
        validate(response.json(), content["*/*"]["schema"])
