"""Client edits of activities and wellness days, checked as the service checks them.

`PUT /activity/{id}` (body: a partial `Activity`): only fields sent change; known editable
fields are taken, `-1` clears a number [forum], unknown keys are ignored as Jackson does, and
custom activity fields (the codes of the athlete's ACTIVITY_FIELD items) are stored as extra
keys. `gear_id` (what the seed project sends) or `gear: {"id": …}` picks gear from the profile.
`icu_rpe` must be 1–10 and `feel` 1–5, `type` a sport of the spec, `sub_type` of its enum
[inferred: the service's own checks are undocumented]. Strava-sourced activities cannot be
updated (spec). The edit bumps `icu_sync_date`/`analyzed` like any upstream change.

Wellness writes: values are read the way Jackson reads them (numbers for numeric fields, a
number in a string accepted, a fraction truncated for integers); anything else is a 400 JSON
error and nothing is written. Value ranges are not enforced upstream [inferred].
"""

from __future__ import annotations

from typing import Any

from intervals_mcp.fake.errors import BadJson, Invalid
from intervals_mcp.fake.gear import gear_ref
from intervals_mcp.fake.shapes import SPORT_TYPES
from intervals_mcp.fake.store import FakeStore, is_strava

ACTIVITY_EDITABLE = frozenset({
    "name", "description", "type", "sub_type", "commute", "trainer", "race", "icu_rpe", "feel",
    "perceived_exertion", "tags", "kg_lifted", "carbs_ingested", "icu_ignore_time",
    "icu_ignore_power", "icu_ignore_hr", "ignore_velocity", "ignore_pace", "icu_color",
})
_CLEARABLE = frozenset({"icu_rpe", "feel", "perceived_exertion", "kg_lifted", "carbs_ingested"})
_RANGES = {"icu_rpe": (1, 10), "feel": (1, 5)}
_SUB_TYPES = frozenset({"NONE", "COMMUTE", "WARMUP", "COOLDOWN", "RACE"})

WELLNESS_INTEGERS = frozenset({
    "restingHR", "kcalConsumed", "sleepSecs", "sleepQuality", "soreness", "fatigue", "stress",
    "mood", "motivation", "injury", "systolic", "diastolic", "hydration", "steps"})
WELLNESS_NUMBERS = frozenset({
    "ctl", "atl", "rampRate", "ctlLoad", "atlLoad", "weight", "hrv", "hrvSDNN", "sleepScore",
    "avgSleepingHR", "spO2", "hydrationVolume", "readiness", "baevskySI", "bloodGlucose",
    "lactate", "bodyFat", "abdomen", "vo2max", "respiration", "carbohydrates", "protein",
    "fatTotal"})
WELLNESS_BOOLEANS = frozenset({"locked", "tempWeight", "tempRestingHR"})
MENSTRUAL_PHASES = frozenset({"PERIOD", "FOLLICULAR", "OVULATING", "LUTEAL", "NONE"})


def _custom_codes(athlete: dict[str, Any]) -> set[str]:
    return {str((item.get("content") or {}).get("code")) for item in athlete.get("custom_items") or []
            if item.get("type") == "ACTIVITY_FIELD" and (item.get("content") or {}).get("code")}


def activity_changes(store: FakeStore, activity: dict[str, Any],
                     body: dict[str, Any]) -> dict[str, Any]:
    """The fields a PUT /activity body changes, or Invalid with the service's sentence."""
    if is_strava(activity):
        raise Invalid("Strava activities cannot be updated")
    changes: dict[str, Any] = {}
    for key, value in body.items():
        if key in _CLEARABLE and value == -1:
            changes[key] = None
        elif key in ACTIVITY_EDITABLE:
            changes[key] = value
    for key, (low, high) in _RANGES.items():
        value = changes.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not low <= value <= high):
            raise Invalid(f"{key} must be a whole number from {low} to {high}, got {value!r}")
    if "type" in changes and changes["type"] not in SPORT_TYPES:
        raise Invalid(f"Invalid activity type [{changes['type']}]")
    if "sub_type" in changes and changes["sub_type"] not in _SUB_TYPES:
        raise Invalid(f"Invalid sub_type [{changes['sub_type']}]")
    gear_id = body.get("gear_id", (body.get("gear") or {}).get("id")
                       if isinstance(body.get("gear"), dict) else None)
    if gear_id is not None:
        with store.lock:
            gear = gear_ref(store.athlete, gear_id, list(store.activities.values()))
        if gear is None:
            raise Invalid(f"Unknown gear [{gear_id}] for athlete {store.athlete_id}")
        changes["gear"] = gear
    changes |= {k: v for k, v in body.items() if k in _custom_codes(store.athlete)}
    if changes.get("icu_rpe") and activity.get("moving_time"):
        changes["session_rpe"] = changes["icu_rpe"] * round(activity["moving_time"] / 60)
    return changes


def _number(name: str, value: Any, integer: bool) -> int | float:
    if isinstance(value, bool):
        raise BadJson(f"Cannot deserialize value of type `{_java(integer)}` from Boolean "
                      f"value for field [{name}]")
    if isinstance(value, int | float):
        return int(value) if integer else float(value)
    try:
        number = float(str(value).strip())
    except ValueError:
        raise BadJson(f"Cannot deserialize value of type `{_java(integer)}` from String "
                      f"\"{value}\": not a valid number (field [{name}])") from None
    return int(number) if integer else number


def _java(integer: bool) -> str:
    return "java.lang.Integer" if integer else "java.lang.Float"


def wellness_values(fields: dict[str, Any]) -> dict[str, Any]:
    """A wellness body read as Jackson reads it (null and -1 pass: they clear)."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None:
            out[name] = None
        elif name in WELLNESS_INTEGERS or name in WELLNESS_NUMBERS:
            out[name] = _number(name, value, name in WELLNESS_INTEGERS)
        elif name in WELLNESS_BOOLEANS and not isinstance(value, bool):
            raise BadJson(f"Cannot deserialize value of type `java.lang.Boolean` from "
                          f"{value!r} (field [{name}])")
        elif name in ("menstrualPhase", "menstrualPhasePredicted") and value not in MENSTRUAL_PHASES:
            raise BadJson(f"Cannot deserialize value of type `MenstrualPhase` from String "
                          f"\"{value}\": not one of the values accepted for Enum class")
        elif name == "comments" and not isinstance(value, str):
            raise BadJson("Cannot deserialize value of type `java.lang.String` (field [comments])")
        else:
            out[name] = value
    return out
