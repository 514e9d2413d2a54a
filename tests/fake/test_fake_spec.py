"""The fake against the official OpenAPI document (tests/fake/openapi.json, July 2026 copy).

(a) every route the fake serves is a path + method of the spec, found by walking the Starlette
routes; (b) the JSON of every GET route validates against the spec's response schema for that
operation, and so does the synthetic generator's and the demo athlete's output.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fake_support import TODAY
from jsonschema.exceptions import ValidationError
from spec_support import SCHEMAS, SPEC, fake_routes, ref, response_schema, validate

from intervals_mcp.fake import FakeStore, generate_athlete, load_demo_athlete
from intervals_mcp.fake.custom_items import ITEM_TYPES
from intervals_mcp.fake.edits import (
    MENSTRUAL_PHASES,
    WELLNESS_BOOLEANS,
    WELLNESS_INTEGERS,
    WELLNESS_NUMBERS,
)
from intervals_mcp.fake.messages import generated
from intervals_mcp.fake.routes_activities import listed
from intervals_mcp.fake.shapes import (
    ACTIVITY_KEYS,
    ATHLETE_KEYS,
    ATHLETE_WITH_TAGS_KEYS,
    CUSTOM_ITEM_KEYS,
    DATA_CURVE_KEYS,
    EVENT_KEYS,
    GEAR_KEYS,
    INTERVAL_GROUP_KEYS,
    INTERVAL_KEYS,
    MESSAGE_KEYS,
    SPORT_SETTINGS_KEYS,
    SPORT_TYPES,
    WELLNESS_KEYS,
)
from intervals_mcp.fake.store import EVENT_CATEGORIES

# ---- (a) routes ----------------------------------------------------------------------------


def test_every_route_is_an_operation_of_the_spec() -> None:
    served = list(fake_routes())
    assert len(served) >= 18
    missing = [(path, method) for path, method in served
               if method not in SPEC["paths"].get(path, {})]
    assert missing == []


def test_payload_key_sets_match_the_spec() -> None:
    for keys, name in [(ACTIVITY_KEYS, "Activity"), (WELLNESS_KEYS, "Wellness"),
                       (EVENT_KEYS, "Event"), (INTERVAL_KEYS, "Interval"),
                       (INTERVAL_GROUP_KEYS, "IntervalGroup"), (ATHLETE_KEYS, "WithSportSettings"),
                       (SPORT_SETTINGS_KEYS, "SportSettings"), (GEAR_KEYS, "Gear"),
                       (CUSTOM_ITEM_KEYS, "CustomItem"), (MESSAGE_KEYS, "Message"),
                       (DATA_CURVE_KEYS, "DataCurve"), (ATHLETE_WITH_TAGS_KEYS, "AthleteWithTags")]:
        assert list(keys) == list(SCHEMAS[name]["properties"]), name


def test_value_types_the_fake_checks_match_the_spec() -> None:
    props = SCHEMAS["Wellness"]["properties"]
    assert {k for k, v in props.items() if v.get("type") == "integer"} == WELLNESS_INTEGERS
    assert {k for k, v in props.items() if v.get("type") == "number"} == WELLNESS_NUMBERS
    assert {k for k, v in props.items() if v.get("type") == "boolean"} == WELLNESS_BOOLEANS
    assert set(props["menstrualPhase"]["enum"]) == MENSTRUAL_PHASES
    curves = SPEC["paths"]["/api/v1/athlete/{id}/power-curves{ext}"]["get"]["parameters"]
    assert list(SPORT_TYPES) == next(p for p in curves if p["name"] == "type")["schema"]["enum"]
    assert set(SCHEMAS["CustomItem"]["properties"]["type"]["enum"]) == ITEM_TYPES
    assert set(SCHEMAS["Event"]["properties"]["category"]["enum"]) == EVENT_CATEGORIES


# ---- the validator itself must be able to fail ---------------------------------------------


def test_validator_rejects_wrong_types_and_missing_keys(shared_store: FakeStore) -> None:
    activity = next(a for a in shared_store.activities.values() if a["source"] != "STRAVA")
    validate(activity, ref("Activity"))
    validate(activity | {"VO2MaxGarmin": 55.0}, ref("Activity"))  # custom fields are fine
    for broken in (activity | {"moving_time": "1h"}, activity | {"icu_training_load": 65.5},
                   activity | {"source": "CARRIER_PIGEON"}, activity | {"created": "yesterday"},
                   {k: v for k, v in activity.items() if k != "name"}):
        with pytest.raises(ValidationError):
            validate(broken, ref("Activity"))
    with pytest.raises(ValidationError):
        validate([None], {"type": "array", "items": ref("Wellness")})


# ---- (b) every GET route over HTTP -----------------------------------------------------------


def _native(store: FakeStore) -> dict[str, Any]:
    """The latest native activity that carries generated comments."""
    return max((a for a in store.activities.values()
                if a["source"] != "STRAVA" and generated(a, store.athlete)),
               key=lambda a: a["start_date_local"])


def _fill(path: str, store: FakeStore) -> list[str]:
    """Concrete URLs for a spec path, from the store's data; a new parameter fails loudly."""
    native = _native(store)
    strava = next(a for a in store.activities.values() if a["source"] == "STRAVA")
    workout = next(e for e in store.events.values() if e["workout_doc"])
    values = {
        "athleteId": [store.athlete_id], "ids": [f"{native['id']},{strava['id']},i1"],
        "eventId": [str(workout["id"])], "date": [(TODAY - timedelta(days=1)).isoformat()],
        "ext": ["", ".json"], "format": ["", ".json"],
        "id": [store.athlete_id] if path.startswith("/api/v1/athlete/") else [native["id"]],
        "itemId": [str(store.athlete["custom_items"][0]["id"])],
    }
    urls = [path]
    for name in re.findall(r"\{(\w+)\}", path):
        urls = [u.replace(f"{{{name}}}", v) for u in urls for v in values[name]]
    return urls


def _query(path: str) -> dict[str, str]:
    declared = {p["name"] for p in SPEC["paths"][path]["get"].get("parameters", [])}
    wanted = {"oldest": (TODAY - timedelta(days=60)).isoformat(),
              "newest": (TODAY + timedelta(days=200)).isoformat(),
              "curves": "1y,s0,42d", "type": "Ride"}
    if "curves" in path:
        kind = path.rsplit("/", 1)[-1].split("-")[0]
        wanted |= {"newest": TODAY.isoformat(), "type": "Ride" if kind == "power" else "Run"}
    return {k: v for k, v in wanted.items() if k in declared}


def test_every_get_route_validates_against_its_response_schema(
    shared_fake: Any, ro: httpx.Client, shared_store: FakeStore
) -> None:
    checked = 0
    for path, method in fake_routes():
        if method != "get":
            continue
        schema = response_schema(path, "get")
        for url in _fill(path, shared_store):
            for extra in ({}, {"intervals": "true"}):
                if extra and "intervals" not in {p["name"] for p in SPEC["paths"][path]["get"]
                                                 .get("parameters", [])}:
                    continue
                response = ro.get(url.removeprefix("/api/v1"), params=_query(path) | extra)
                assert response.status_code == 200, (url, response.text)
                body = response.json()
                assert body != [], url  # an empty list would validate anything
                validate(body, schema)
                checked += 1
    assert checked >= 14


def test_activity_detail_with_intervals_is_activity_with_intervals(
    ro: httpx.Client, shared_store: FakeStore
) -> None:
    native = next(a for a in shared_store.activities.values() if a["source"] != "STRAVA")
    validate(ro.get(f"/activity/{native['id']}").json(), ref("Activity"))
    detailed = ro.get(f"/activity/{native['id']}", params={"intervals": "true"}).json()
    validate(detailed, ref("ActivityWithIntervals"))
    with pytest.raises(ValidationError):  # without them it is not one
        validate(ro.get(f"/activity/{native['id']}").json(), ref("ActivityWithIntervals"))


# ---- generator and demo output ---------------------------------------------------------------


def _validate_store(store: FakeStore, sample_every: int) -> None:
    validate(store.athlete, ref("WithSportSettings"))
    activities = sorted(store.activities.values(), key=lambda a: a["start_date_local"])
    validate([listed(a) for a in activities],
             {"type": "array", "items": {"anyOf": [ref("Activity"), ref("Hidden")]}})
    validate([store.wellness[k] for k in sorted(store.wellness)],
             {"type": "array", "items": ref("Wellness")})
    validate(list(store.events.values()), {"type": "array", "items": ref("Event")})
    natives = [a for a in activities if a["source"] != "STRAVA"]
    for activity in natives[::sample_every]:
        validate(store.get_intervals(activity["id"]), ref("IntervalsDTO"))
        validate(store.get_streams(activity["id"], None),
                 {"type": "array", "items": ref("ActivityStream")})


def test_generated_athlete_validates() -> None:
    _validate_store(generate_athlete(seed=5, years=0.5, today=TODAY), sample_every=10)


def test_demo_athlete_validates() -> None:
    _validate_store(load_demo_athlete(TODAY), sample_every=4)
