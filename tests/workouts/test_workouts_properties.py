"""Properties over generated input: nothing crashes, and render -> parse keeps every step."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from intervals_mcp.workouts import (
    Repeat,
    Thresholds,
    lint_workout,
    parse_workout,
    preview_lines,
    render_workout_doc,
    summarize,
    workout_to_doc,
)
from intervals_mcp.workouts.doc import entries_from_doc

WORDS = ["- ", "-", "10m", "400m", "2500mtr", "1.5km", "30s", "1h", "90%", "88-92%", "250w", "Z2", "HR",
         "Pace", "LTHR", "ramp", "3x", "Warmup", "Cooldown", "5:00/km", "90rpm", "10min", "easy", "75",
         "freeride", "Press", "lap", "power=1s", "0s", "Main", "Set", "\n", "\n\n", " ", "–", "Z7", "x"]
THRESHOLDS = st.builds(
    Thresholds, sport=st.sampled_from(["Ride", "Run", "Swim", "Yoga", None]),
    ftp=st.sampled_from([None, 250.0]), lthr=st.sampled_from([None, 170.0]),
    max_hr=st.sampled_from([None, 190.0]), threshold_pace_m_per_s=st.sampled_from([None, 1.2, 4.0]),
    power_zones=st.sampled_from([None, (55.0, 75.0, 90.0, 105.0, 120.0, 150.0, 999.0)]),
)
workoutish = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)


@settings(max_examples=300)
@given(text=st.one_of(st.text(), workoutish), thresholds=THRESHOLDS)
def test_nothing_crashes_on_any_text(text: str, thresholds: Thresholds) -> None:
    workout = parse_workout(text)
    for finding in lint_workout(text, thresholds.sport, thresholds):
        assert finding.severity in {"error", "warning"} and finding.message.endswith(".")
        assert 1 <= finding.line <= max(1, len(text.splitlines()))
    summary = summarize(workout, thresholds)
    assert summary.duration_s >= 0 and (summary.load is None or summary.load >= 0)
    assert preview_lines(workout, summary)


def _range(low: int, high: int) -> st.SearchStrategy[dict[str, Any]]:
    value = st.integers(low, high)
    return st.one_of(st.builds(lambda v: {"value": v}, value),
                     st.builds(lambda a, b: {"start": a, "end": b}, value, value))


TARGETS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "power": st.one_of(
        _range(1, 300).map(lambda d: {**d, "units": "%ftp"}),
        _range(1, 1500).map(lambda d: {**d, "units": "w"}),
        _range(1, 7).map(lambda d: {**d, "units": "power_zone"}),
    ),
    "hr": st.one_of(
        _range(1, 120).map(lambda d: {**d, "units": "%hr"}),
        _range(1, 120).map(lambda d: {**d, "units": "%lthr"}),
        _range(1, 7).map(lambda d: {**d, "units": "hr_zone"}),
    ),
    "pace": st.one_of(
        _range(1, 150).map(lambda d: {**d, "units": "%pace"}),
        _range(1, 7).map(lambda d: {**d, "units": "pace_zone"}),
        _range(60, 900).map(lambda d: {**d, "units": "secs/km"}),
        _range(40, 300).map(lambda d: {**d, "units": "secs/100m"}),
    ),
    "cadence": _range(40, 130).map(lambda d: {**d, "units": "rpm"}),
}
LABELS = st.one_of(st.none(), st.lists(st.sampled_from(["Hard", "Easy", "Spin", "Build", "Ramp", "2",
                                                         "—", "Over/under", "Sprint!"]),
                                       min_size=1, max_size=3).map(" ".join))


@st.composite
def steps(draw: st.DrawFn) -> dict[str, Any]:
    step: dict[str, Any] = {}
    if draw(st.booleans()):
        step["duration"] = draw(st.integers(1, 20_000))
    else:
        step["distance"] = draw(st.integers(1, 50_000))
    for field in draw(st.sets(st.sampled_from(sorted(TARGETS)))):
        step[field] = draw(TARGETS[field])
    for flag in draw(st.sets(st.sampled_from(["ramp", "freeride", "until_lap_press", "warmup", "cooldown"]))):
        step[flag] = True
    label = draw(LABELS)
    if label:
        step["text"] = label
    if draw(st.booleans()):
        step["intensity"] = draw(st.sampled_from(["active", "rest", "warmup", "cooldown"]))
    return step


@st.composite
def docs(draw: st.DrawFn) -> dict[str, Any]:
    def block(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        def make(reps: int, body: list[dict[str, Any]], text: str | None) -> dict[str, Any]:
            return {"reps": reps, "steps": body, **({"text": text} if text else {})}

        return st.builds(make, st.integers(1, 12), st.lists(inner, min_size=1, max_size=4), LABELS)

    entry = st.one_of(steps(), block(steps()), block(st.one_of(steps(), block(steps()))),
                      st.sampled_from(["note 3x", "- not a step", "Warmup", "Plain note"]).map(
                          lambda t: {"text": t}))
    doc: dict[str, Any] = {"steps": draw(st.lists(entry, min_size=1, max_size=8).filter(
        lambda items: any("text" not in i or len(i) > 1 for i in items)))}
    if draw(st.booleans()):
        doc["description"] = draw(st.sampled_from(["Intent: VO2\nKeep cadence high", "- warm well", "4x"]))
    return doc


@settings(max_examples=200)
@given(doc=docs())
def test_render_then_parse_keeps_every_step(doc: dict[str, Any]) -> None:
    text = render_workout_doc(doc)
    expected = entries_from_doc(doc)
    workout = parse_workout(text)
    assert list(workout.items) == [e for e in expected if not isinstance(e, str)]
    assert list(workout.notes) == [e for e in expected if isinstance(e, str)]
    assert parse_workout(render_workout_doc(workout_to_doc(workout))).items == workout.items


@settings(max_examples=150)
@given(doc=docs())
def test_rendered_text_has_no_structural_findings(doc: dict[str, Any]) -> None:
    structural = {"repeat_blank_lines", "nested_repeat", "metres_as_minutes", "duration_format",
                  "missing_unit", "target_order", "dropped_step", "pace_form", "multiple_durations",
                  "prose_repeat_header", "header_spelling", "section_gap", "inline_repeat"}
    findings = lint_workout(render_workout_doc(doc), "Ride")
    assert [f for f in findings if f.rule in structural] == []


def test_repeat_text_round_trips_through_the_platform_shape() -> None:
    doc = {"steps": [{"reps": 3, "text": "Main Set", "steps": [{"duration": 60, "power": {"value": 1, "units":
                                                                                         "power_zone"}}]}]}
    workout = parse_workout(render_workout_doc(doc))
    (block,) = workout.items
    assert isinstance(block, Repeat) and block.text == "Main Set 3x"
    assert workout_to_doc(workout)["steps"][0]["text"] == "Main Set 3x"
