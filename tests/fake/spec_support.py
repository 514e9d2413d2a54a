"""The OpenAPI document and a validator for the fake's payloads (shared by the spec tests)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from fake_support import TODAY
from jsonschema import Draft202012Validator, FormatChecker, validators
from starlette.routing import Route

from intervals_mcp.fake import generate_athlete
from intervals_mcp.fake.app import build_app

SPEC: dict[str, Any] = json.loads((Path(__file__).parent / "openapi.json").read_text())
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
# Objects the live service sends with every declared key (nulls included): require them all.
FULL = {"Activity", "ActivityWithIntervals", "Hidden", "Wellness", "Event", "IntervalsDTO",
        "Interval", "IntervalGroup", "WithSportSettings", "SportSettings", "ActivityStream",
        "AthleteWithTags", "Gear", "CustomItem", "NewCustomItem", "Message", "DataCurve"}


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
