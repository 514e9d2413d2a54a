"""Pure checks and request bodies for the write tools: each bad argument is one sentence saying
what to give instead (`InputError`), and nothing is sent when one is wrong.

The ranges are the ones Intervals.icu shows (API_NOTES §6c: soreness, fatigue, stress, mood,
motivation and injury 1-4 where 1 is good; sleep score 0-100) and what a person can be (weight,
heart rate); RPE 1-10 and feel 1-5 as the activity editor offers them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from intervals_mcp.errors import InputError
from intervals_mcp.server.inputs import MAX_RANGE_DAYS, parse_day
from intervals_mcp.words import shown

EVENT_CATEGORIES = (
    "WORKOUT",
    "RACE_A",
    "RACE_B",
    "RACE_C",
    "NOTE",
    "PLAN",
    "HOLIDAY",
    "SICK",
    "INJURED",
    "SET_EFTP",
    "FITNESS_DAYS",
    "SEASON_START",
    "TARGET",
    "SET_FITNESS",
)
NEEDS_SPORT = frozenset({"WORKOUT", "RACE_A", "RACE_B", "RACE_C"})
ITEM_TYPES = (
    "FITNESS_CHART",
    "FITNESS_TABLE",
    "TRACE_CHART",
    "INPUT_FIELD",
    "ACTIVITY_FIELD",
    "INTERVAL_FIELD",
    "ACTIVITY_STREAM",
    "ACTIVITY_CHART",
    "ACTIVITY_HISTOGRAM",
    "ACTIVITY_HEATMAP",
    "ACTIVITY_MAP",
    "ACTIVITY_PANEL",
    "ZONES",
)
VISIBILITIES = ("PRIVATE", "FOLLOWERS", "PUBLIC")
FIELD_ITEMS = frozenset({"INPUT_FIELD", "ACTIVITY_FIELD", "INTERVAL_FIELD"})
FIELD_TYPES = ("numeric", "text", "select")
AGGREGATES = ("MIN", "SUM", "MAX", "AVERAGE")
MAX_TEXT = 20_000  # longer descriptions or comments are surely a mistake


@dataclass(frozen=True)
class Ranged:
    """A numeric argument: the API field it fills, its unit, its bounds, whole or not."""

    field: str
    low: float
    high: float
    unit: str = ""
    whole: bool = True
    scale: float = 1.0  # what one unit given is in the API's unit (hours -> seconds)


WELLNESS: dict[str, Ranged] = {
    "weight": Ranged("weight", 20, 400, "kg", whole=False),
    "resting_hr": Ranged("restingHR", 20, 150, "bpm"),
    "hrv": Ranged("hrv", 1, 400, "ms", whole=False),
    "sleep_hours": Ranged("sleepSecs", 0, 24, "hours", whole=False, scale=3600),
    "sleep_score": Ranged("sleepScore", 0, 100, "", whole=False),
    "soreness": Ranged("soreness", 1, 4),
    "fatigue": Ranged("fatigue", 1, 4),
    "stress": Ranged("stress", 1, 4),
    "mood": Ranged("mood", 1, 4),
    "motivation": Ranged("motivation", 1, 4),
    "injury": Ranged("injury", 1, 4),
}
ACTIVITY: dict[str, Ranged] = {"rpe": Ranged("icu_rpe", 1, 10), "feel": Ranged("feel", 1, 5)}
EVENT: dict[str, Ranged] = {
    "moving_time": Ranged("moving_time", 1, 7 * 86400, "seconds"),
    "distance": Ranged("distance", 1, 2_000_000, "metres", whole=False),
}


def _number(name: str, value: Any, spec: Ranged) -> int | float:
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and spec.low <= value <= spec.high
        and (not spec.whole or float(value).is_integer())
    )
    if not ok:
        kind = "a whole number" if spec.whole else "a number"
        unit = f" {spec.unit}" if spec.unit else ""
        given = (
            f"{value:g}" if isinstance(value, int | float) and not isinstance(value, bool) else shown(value)
        )
        raise InputError(
            f"{name} {given} is out of range: give {kind} from {spec.low:g} to {spec.high:g}{unit}."
        )
    scaled = value * spec.scale
    return round(scaled) if spec.whole or spec.scale != 1 else float(scaled)


def ranged_fields(given: Mapping[str, Any], specs: Mapping[str, Ranged]) -> dict[str, Any]:
    """The API fields of the numeric arguments given (None: not given), range-checked."""
    return {specs[n].field: _number(n, v, specs[n]) for n, v in given.items() if v is not None}


def text_arg(name: str, value: str | None, *, required: bool = False) -> str | None:
    """A text argument, stripped; empty counts as not given (refused when `required`)."""
    text = value.strip() if isinstance(value, str) else None
    if not text:
        if required:
            raise InputError(f"{name} is empty: give it some text.")
        return None
    if len(text) > MAX_TEXT:
        raise InputError(f"{name} is {len(text)} characters long: keep it under {MAX_TEXT}.")
    return text


def choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    """`value` upper-cased when it is one of `allowed`, else a sentence listing them."""
    text = value.strip().upper()
    if text not in allowed:
        raise InputError(
            f"{name} {shown(value)} is not one Intervals.icu knows: use one of {', '.join(allowed)}."
        )
    return text


def event_day(value: str | None, today: date) -> date:
    """The event's day (`start_date`, YYYY-MM-DD; default the athlete's today)."""
    return parse_day(value, "start_date") or today


def require_range(start: str, end: str) -> tuple[date, date]:
    """Both ends of a range to delete (no default: a delete names what it covers)."""
    first, last = parse_day(start, "start_date"), parse_day(end, "end_date")
    if first is None or last is None:
        raise InputError("Give both start_date and end_date (YYYY-MM-DD) of the events to delete.")
    if first > last:
        raise InputError(f"start_date {first} is after end_date {last}: give the earlier date as start_date.")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise InputError(
            f"{first} to {last} is more than {MAX_RANGE_DAYS} days: delete a shorter range at a time."
        )
    return first, last


def json_object(name: str, value: dict[str, Any] | str | None) -> dict[str, Any] | None:
    """A JSON object given as an object or as JSON text (the seed accepts both)."""
    if value is None or isinstance(value, dict):
        return value
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise InputError(f'{name} must be a JSON object, like {{"type": "numeric"}}.')
    return parsed


def custom_item_fields(
    *,
    name: str | None,
    item_type: str | None,
    description: str | None,
    content: dict[str, Any] | str | None,
    visibility: str | None,
) -> dict[str, Any]:
    """The body of a custom item create or update, checked for the seed project's known traps
    (field items' `content.type` is numeric/text/select, `aggregate` MIN/SUM/MAX/AVERAGE)."""
    body: dict[str, Any] = {}
    if (text := text_arg("name", name)) is not None:
        body["name"] = text
    if item_type is not None:
        body["type"] = choice("item_type", item_type, ITEM_TYPES)
    if (about := text_arg("description", description)) is not None:
        body["description"] = about
    if visibility is not None:
        body["visibility"] = choice("visibility", visibility, VISIBILITIES)
    parsed = json_object("content", content)
    if parsed is not None:
        if body.get("type") in FIELD_ITEMS:
            if "type" in parsed and parsed["type"] not in FIELD_TYPES:
                raise InputError(
                    f"content.type {shown(parsed['type'])} is not a field type: use numeric, text or select."
                )
            if "aggregate" in parsed and parsed["aggregate"] not in AGGREGATES:
                raise InputError(
                    f"content.aggregate {shown(parsed['aggregate'])} is not one Intervals.icu knows: use "
                    "MIN, SUM, MAX or AVERAGE."
                )
        body["content"] = parsed
    return body
