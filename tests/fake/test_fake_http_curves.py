"""Best-effort curves over real HTTP: windows, sport families, filters, consistency with the
activities they cite, and a new upstream activity showing up."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fake_support import TODAY

from intervals_mcp.fake import FakeIntervals, FakeStore

RIDES = {"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"}
SEED_DURATIONS = [5, 15, 30, 60, 120, 300, 600, 1200, 3600]


def _curves(client: httpx.Client, kind: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/athlete/0/{kind}-curves", params={"newest": TODAY.isoformat()} | params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _in_window(store: FakeStore, curve: dict[str, Any], types: set[str]) -> list[dict[str, Any]]:
    first, last = curve["start_date_local"][:10], curve["end_date_local"][:10]
    return [a for a in store.activities.values() if a["source"] != "STRAVA"
            and a.get("type") in types and first <= a["start_date_local"][:10] <= last]


def test_power_curves_by_window(ro: httpx.Client, shared_store: FakeStore) -> None:
    body = _curves(ro, "power", type="Ride", curves="1y,42d,s0")
    year, recent, season = body["list"]
    assert [c["id"] for c in body["list"]] == ["1y", "42d", "s0"]
    assert (year["days"], recent["days"]) == (365, 42)
    assert recent["start_date_local"] == f"{TODAY - timedelta(days=41)}T00:00:00"
    assert season["start_date_local"] == f"{TODAY.year}-01-01T00:00:00"
    assert set(SEED_DURATIONS) <= set(year["secs"])
    assert year["values"] == sorted(year["values"], reverse=True)  # never rises with duration
    by_secs = dict(zip(year["secs"], year["values"], strict=True))
    assert all(v <= by_secs[s] for s, v in zip(recent["secs"], recent["values"], strict=True))
    for curve in body["list"]:
        riders = _in_window(shared_store, curve, RIDES)
        assert curve["moving_time"] == sum(a["moving_time"] for a in riders)
        assert curve["training_load"] == sum(a["icu_training_load"] for a in riders)
        ids = {a["id"] for a in riders}
        assert set(curve["activity_id"]) <= ids and set(curve["wkg_activity_id"]) <= ids
    cited = {i for c in body["list"] for i in c["activity_id"] + c["wkg_activity_id"]}
    assert set(body["activities"]) == cited
    assert all(a["type"] in RIDES for a in body["activities"].values())


def test_watts_per_kg_are_each_activitys_own(ro: httpx.Client) -> None:
    body = _curves(ro, "power", type="Ride")
    (curve,) = body["list"]
    for secs, per_kg, who in zip(curve["secs"], curve["watts_per_kg"], curve["wkg_activity_id"],
                                 strict=True):
        activity = body["activities"][who]
        assert per_kg * activity["icu_weight"] <= curve["values"][curve["secs"].index(secs)] + 1


@pytest.mark.parametrize(("value", "indoor"), [(True, True), ("outdoor", False)])
def test_indoor_filter(ro: httpx.Client, value: object, indoor: bool) -> None:
    filters = json.dumps([{"id": 1, "field_id": "indoor", "value": value}])
    body = _curves(ro, "power", type="Ride", filters=filters)
    kinds = {a["type"] for a in body["activities"].values()}
    assert kinds == ({"VirtualRide"} if indoor else {"Ride"})
    assert body["list"][0]["filters"] == json.loads(filters)


def test_date_range_curve(ro: httpx.Client, shared_store: FakeStore) -> None:
    first, last = TODAY - timedelta(days=90), TODAY - timedelta(days=60)
    (curve,) = _curves(ro, "power", type="Ride", curves=f"r.{first}.{last}")["list"]
    assert curve["days"] == 31 and curve["label"] == f"{first} to {last}"
    ids = {a["id"] for a in _in_window(shared_store, curve, RIDES)}
    assert ids and set(curve["activity_id"]) <= ids


def test_hr_curves_stay_under_the_cited_activitys_max(ro: httpx.Client) -> None:
    body = _curves(ro, "hr", type="Run")
    (curve,) = body["list"]
    assert curve["values"] == sorted(curve["values"], reverse=True)
    for value, who in zip(curve["values"], curve["activity_id"], strict=True):
        activity = body["activities"][who]
        assert activity["type"] in {"Run", "VirtualRun", "TrailRun"}
        assert value <= activity["max_heartrate"]


@pytest.mark.parametrize(("sport", "first"), [("Run", 100.0), ("Swim", 50.0)])
def test_pace_curves_are_times_for_distances(ro: httpx.Client, sport: str, first: float) -> None:
    body = _curves(ro, "pace", type=sport)
    (curve,) = body["list"]
    assert curve["distance"][0] == first and curve["type"] == "PACE"
    assert curve["values"] == sorted(curve["values"])  # longer takes longer
    for metres, secs, who in zip(curve["distance"], curve["values"], curve["activity_id"],
                                 strict=True):
        activity = body["activities"][who]
        assert activity["type"] == sport
        assert metres / secs <= activity["max_speed"] + 0.01
        assert secs <= activity["moving_time"]


def test_a_new_upstream_ride_leads_the_curve(fake: FakeIntervals, client: httpx.Client) -> None:
    before = _curves(client, "power", type="Ride", curves="42d")["list"][0]
    start = f"{TODAY - timedelta(days=1)}T09:00:00"
    # Under 25 minutes an activity is one steady block: 1.25 x 300 W throughout.
    new = fake.store.add_activity({
        "start_date_local": start, "type": "Ride", "moving_time": 1400, "icu_ftp": 300,
        "icu_intensity": 125.0, "p_max": 1400, "icu_weight": 70.0, "lthr": 170,
        "has_heartrate": True, "average_speed": 10.0, "max_speed": 16.0, "source": "UPLOAD",
        "icu_training_load": 60, "max_heartrate": 185})
    after = _curves(client, "power", type="Ride", curves="42d")["list"][0]
    twenty = after["secs"].index(1200)
    assert after["activity_id"][twenty] == new["id"]
    assert after["values"][twenty] == 375 > before["values"][before["secs"].index(1200)]


@pytest.mark.parametrize(
    ("params", "message"),
    [({}, "Required request parameter 'type'"), ({"type": "Ride", "curves": "7w"}, "Invalid curve [7w]"),
     ({"type": "Ride", "filters": "{oops"}, "JSON parse error")],
)
def test_bad_curve_requests_get_422(ro: httpx.Client, params: dict[str, str], message: str) -> None:
    response = ro.get("/athlete/0/power-curves", params=params)
    assert response.status_code == 422
    assert message in response.json()["error"]
