"""The fake against the official OpenAPI document (tests/fake/openapi.json, July 2026 copy).

(a) every route the fake serves is a path + method of the spec, found by walking the Starlette
routes; (b) the JSON of every GET route validates against the spec's response schema for that
operation, and so does the synthetic generator's and the demo athlete's output.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_support import TODAY
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from starlette.routing import Route

from intervals_mcp.fake import FakeStore, generate_athlete, load_demo_athlete
from intervals_mcp.fake.app import build_app
from intervals_mcp.fake.routes_activities import listed
from intervals_mcp.fake.shapes import (
    ACTIVITY_KEYS,
    ATHLETE_KEYS,
    EVENT_KEYS,
    INTERVAL_GROUP_KEYS,
    INTERVAL_KEYS,
    SPORT_SETTINGS_KEYS,
    WELLNESS_KEYS,
)

SPEC: dict[str, Any] = json.loads((Path(__file__).parent / "openapi.json").read_text())
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
# Objects the live service sends with every declared key (nulls included): require them all.
FULL = {"Activity", "ActivityWithIntervals", "Hidden", "Wellness", "Event", "IntervalsDTO",
        "Interval", "IntervalGroup", "WithSportSettings", "SportSettings", "ActivityStream"}


def _nullable(schema: Any) -> Any:
    """Accept null for every object property, recursively.

    The live service sends null for absent values in full key sets (API_NOTES.md §2) while the
    spec declares no property nullable; validating strictly would reject every real response.
    Only properties become nullable: top-level payloads, array items and types stay strict.
    """
    if isinstance(schema, list):
        return [_nullable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _nullable(value) for key, value in schema.items() if key != "properties"}
    if "properties" in schema:
        out["properties"] = {name: {"anyOf": [{"type": "null"}, _nullable(sub)]}
                             for name, sub in schema["properties"].items()}
    if out.get("additionalProperties") == {"type": "object"}:
        # springdoc writes Java's Map<String, Object> this way, but Java's Object is any JSON
        # value: the live workout_doc is {"duration": 4560, "steps": [...]} (API_NOTES §7).
        out["additionalProperties"] = True
    if "oneOf" in out:
        # getActivity's oneOf [Activity, ActivityWithIntervals, Hidden] has no discriminator and
        # alternatives that overlap by design (an Activity is a valid ActivityWithIntervals), so
        # "exactly one" can never hold; the required key sets below make anyOf discriminate.
        out["anyOf"] = out.pop("oneOf")
    return out


@cache
def _components() -> dict[str, Any]:
    schemas = copy.deepcopy(SCHEMAS)
    # The spec types stream `data`/`data2` as object; the service sends arrays (API_NOTES §5c).
    for key in ("data", "data2"):
        schemas["ActivityStream"]["properties"][key] = {"type": "array"}
    schemas = _nullable(schemas)
    for name in FULL:
        schemas[name]["required"] = sorted(schemas[name]["properties"])
    # additionalProperties stays unset (= allowed): custom activity/wellness fields, and the
    # undocumented `paired_activity_id` (events) and `valueType` (streams) are real.
    return {"schemas": schemas}


def _strict_integers(checker: Any, instance: Any) -> bool:
    # JSON Schema counts 5.0 as an integer; the service's integers are written without a point.
    return isinstance(instance, int) and not isinstance(instance, bool)


StrictValidator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integers),
)
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """Validate against a (fragment of a) spec schema, `$ref`s resolved into the components."""
    root = {"components": _components(), **_nullable(schema)}
    StrictValidator(root, format_checker=FORMATS).validate(instance)


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def response_schema(path: str, method: str) -> dict[str, Any]:
    responses = SPEC["paths"][path][method]["responses"]
    chosen = responses.get("200") or responses["default"]
    schema: dict[str, Any] = chosen["content"]["*/*"]["schema"]
    if SPEC["paths"][path][method]["operationId"] in {"listActivities", "getActivities"}:
        # Declared as Activity items, but described (and observed) to hold Strava stubs.
        schema = {"type": "array", "items": {"anyOf": [ref("Activity"), ref("Hidden")]}}
    return schema


def spec_path(route_path: str) -> str:
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", route_path)


def fake_routes() -> Iterator[tuple[str, str]]:
    app = build_app(generate_athlete(seed=1, years=0.05, today=TODAY))
    for route in app.routes:
        assert isinstance(route, Route)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            yield spec_path(route.path), method.lower()


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
                       (SPORT_SETTINGS_KEYS, "SportSettings")]:
        assert list(keys) == list(SCHEMAS[name]["properties"]), name


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


def _fill(path: str, store: FakeStore) -> list[str]:
    """Concrete URLs for a spec path, from the store's data; a new parameter fails loudly."""
    native = max((a for a in store.activities.values() if a["source"] != "STRAVA"),
                 key=lambda a: a["start_date_local"])
    strava = next(a for a in store.activities.values() if a["source"] == "STRAVA")
    workout = next(e for e in store.events.values() if e["workout_doc"])
    values = {
        "athleteId": [store.athlete_id], "ids": [f"{native['id']},{strava['id']},i1"],
        "eventId": [str(workout["id"])], "date": [(TODAY - timedelta(days=1)).isoformat()],
        "ext": ["", ".json"], "format": ["", ".json"],
        "id": [store.athlete_id] if path.startswith("/api/v1/athlete/") else [native["id"]],
    }
    urls = [path]
    for name in re.findall(r"\{(\w+)\}", path):
        urls = [u.replace(f"{{{name}}}", v) for u in urls for v in values[name]]
    return urls


def _query(path: str) -> dict[str, str]:
    declared = {p["name"] for p in SPEC["paths"][path]["get"].get("parameters", [])}
    wanted = {"oldest": (TODAY - timedelta(days=60)).isoformat(),
              "newest": (TODAY + timedelta(days=200)).isoformat()}
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
