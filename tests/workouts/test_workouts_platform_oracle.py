"""Our parse and estimates against what Intervals.icu itself made of real workout texts (RGW-FX).

The expected figures are the platform's own (`platform_parses.json`), not computed by our code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from intervals_mcp.workouts import (
    Thresholds,
    compare_with_platform,
    parse_workout,
    render_workout,
    summarize,
    workout_to_doc,
)

EVENTS: list[dict[str, Any]] = json.loads(
    (Path(__file__).with_name("platform_parses.json")).read_text(encoding="utf-8"))["events"]
DEFAULT_POWER_ZONES = (55.0, 75.0, 90.0, 105.0, 120.0, 150.0, 999.0)  # API_NOTES §3 sample athlete
# 112729671 has short sprints, which the platform smooths more than NP does (see totals.py).
LOAD_CHECKED = [e for e in EVENTS if e["id"] != 112729671]


def numbers_as_ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: numbers_as_ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [numbers_as_ints(v) for v in value]
    return value


def ride(event: dict[str, Any]) -> Thresholds:
    return Thresholds(sport="Ride", ftp=event["ftp"], power_zones=DEFAULT_POWER_ZONES)


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: str(e["id"]))
def test_parse_matches_the_platform_doc(event: dict[str, Any]) -> None:
    ours = workout_to_doc(parse_workout(event["description"]))["steps"]
    assert numbers_as_ints(ours) == numbers_as_ints(event["steps"])


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: str(e["id"]))
def test_duration_matches_moving_time(event: dict[str, Any]) -> None:
    assert summarize(parse_workout(event["description"]), ride(event)).duration_s == event["moving_time"]


@pytest.mark.parametrize("event", LOAD_CHECKED, ids=lambda e: str(e["id"]))
def test_load_estimate_within_five_percent(event: dict[str, Any]) -> None:
    load = summarize(parse_workout(event["description"]), ride(event)).load
    assert load is not None
    assert load == pytest.approx(event["load"], rel=0.05)


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: str(e["id"]))
def test_canonical_rewrite_keeps_the_steps(event: dict[str, Any]) -> None:
    workout = parse_workout(event["description"])
    again = parse_workout(render_workout(workout))
    assert again.items == workout.items


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: str(e["id"]))
def test_platform_event_agrees_with_our_summary(event: dict[str, Any]) -> None:
    summary = summarize(parse_workout(event["description"]), ride(event))
    platform = {"workout_doc": {"steps": event["steps"]}, "moving_time": event["moving_time"],
                "icu_training_load": event["load"]}
    assert compare_with_platform(summary, platform) == []
