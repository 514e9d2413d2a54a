"""Lint findings reach the model through `add_or_update_event`: an error refuses the write and
names the line, the rule and the words at fault; a warning is shown and the write goes ahead.
(Every rule has its unit tests in tests/workouts; these are the tool path.)"""

from __future__ import annotations

from typing import Any

import pytest

from intervals_mcp.config import Settings
from intervals_mcp.fake import FakeIntervals, FakeStore

from .conftest import connect, day, events_named, ok, sentence, text_of, writes_sent

pytestmark = pytest.mark.anyio


def event(sport: str, text: str, name: str = "Linted") -> dict[str, Any]:
    return {"workout_type": sport, "name": name, "start_date": str(day(2)), "description": text}


ERRORS = [
    ("Swim", "- 2500m 80% Pace", "metres_as_minutes", "`2500m` is 2500 minutes"),
    ("Ride", "- 10min 60%", "duration_format", "`10min` is not read as a duration; write `10m`"),
    ("Ride", "- 10m 75", "missing_unit", "`75` has no unit"),
    ("Run", "- 20m Threshold", "prose_target", "`Threshold` is not a target Intervals.icu reads"),
    ("Run", "- 5:00/km", "pace_form", "write `5:00/km Pace`"),
    ("Ride", "- 10m 50%\n3x\n- 1m 100%\n- 1m 50%\n- 5m 50%", "repeat_blank_lines", "blank line before `3x`"),
    ("Ride", "2x\n3x\n- 1m 100%\n- 1m 50%\n\n- 5m 50%", "nested_repeat", "a repeat inside a repeat"),
]


@pytest.mark.parametrize(("sport", "text", "rule", "words"), ERRORS, ids=[e[2] for e in ERRORS])
async def test_an_error_refuses_the_write_with_its_line_and_fix(
    settings: Settings, fake: FakeIntervals, sport: str, text: str, rule: str, words: str
) -> None:
    async with connect(settings) as c:
        res = await c.call_tool("add_or_update_event", event(sport, text))
        dry = await c.call_tool("add_or_update_event", {**event(sport, text), "dry_run": True})
    said = sentence(res, "add_or_update_event")
    assert said.startswith("Nothing was written: the workout text has")
    assert f"({rule})" in said and words in said, said
    assert sentence(dry, "add_or_update_event") == said
    assert writes_sent(fake) == [] and events_named(fake.store, "Linted") == []


WARNINGS = [
    ("Run", "- 30m", "no_load_target", "no pace or heart-rate target"),
    ("Ride", "- 10m 50%\n\n- 3x 1m 100%", "inline_repeat", "on a line of its own"),
    ("Ride", "- 90% 10m", "target_order", "Write the duration before the target (`- 10m 90%`)"),
    ("Ride", "- 10m 55%\n- 5m", "missing_target", "no power, heart-rate or pace target"),
]


@pytest.mark.parametrize(("sport", "text", "rule", "words"), WARNINGS, ids=[w[2] for w in WARNINGS])
async def test_a_warning_is_shown_and_the_write_goes_ahead(
    settings: Settings, fake: FakeIntervals, sport: str, text: str, rule: str, words: str
) -> None:
    async with connect(settings) as c:
        res = await c.call_tool("add_or_update_event", event(sport, text))
    data = ok(res)
    found = [f for f in data["lint"] if f["rule"] == rule]
    assert found and found[0]["severity"] == "warning" and words in found[0]["message"]
    assert f"({rule}): " in text_of(res) and "Lint warnings:" in text_of(res)
    assert [e["description"] for e in events_named(fake.store, "Linted")] == [text]


async def test_a_swim_pace_needs_the_athletes_threshold_pace(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    with store.lock:
        for entry in store.athlete["sportSettings"]:
            if "Swim" in entry["types"]:
                entry["threshold_pace"] = None
    async with connect(settings) as c:
        res = await c.call_tool("add_or_update_event", event("Swim", "- 400mtr 90% Pace"))
    said = sentence(res, "add_or_update_event")
    assert "(swim_pace_without_threshold)" in said and "no swim threshold pace (CSS)" in said
    assert writes_sent(fake) == []


async def test_the_load_estimate_uses_the_athletes_ftp(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    ride = next(s for s in store.athlete["sportSettings"] if "Ride" in s["types"])
    async with connect(settings) as c:
        data = ok(await c.call_tool("add_or_update_event", {**event("Ride", "- 1h 100%"), "dry_run": True}))
        watts = ok(
            await c.call_tool(
                "add_or_update_event", {**event("Ride", f"- 1h {ride['ftp'] // 2}w"), "dry_run": True}
            )
        )
    # One hour at FTP is 100 by definition (hours x IF^2 x 100); at half FTP, 25.
    assert data["preview"][-1] == "Total 1:00, 1 steps, estimated load 100 (from FTP)."
    assert "estimated load 25 (from FTP)" in watts["preview"][-1]
