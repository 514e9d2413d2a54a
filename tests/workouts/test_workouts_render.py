"""The seed's `workout_doc` rendered to canonical text (WORKOUT_TEXT.md §8), and back by the parser."""

from __future__ import annotations

from typing import Any

import pytest

from intervals_mcp.errors import InputError
from intervals_mcp.workouts import (
    Repeat,
    Step,
    Target,
    WorkoutDocError,
    lint_workout,
    parse_workout,
    render_workout_doc,
    workout_to_doc,
)

# The example in the seed's `add_or_update_event` docstring (mvilanova/intervals-mcp-server
# tools/events.py), numbers as strings and all.
SEED_EXAMPLE: dict[str, Any] = {
    "description": "High-intensity workout for increasing VO2 max",
    "steps": [
        {"power": {"value": "80", "units": "%ftp"}, "duration": "900", "warmup": True},
        {"reps": 2, "text": "High-intensity intervals", "steps": [
            {"power": {"value": "110", "units": "%ftp"}, "distance": "500", "text": "High-intensity"},
            {"power": {"value": "80", "units": "%ftp"}, "duration": "90", "text": "Recovery"},
        ]},
        {"power": {"value": "80", "units": "%ftp"}, "duration": "600", "cooldown": True},
        {"text": ""},
    ],
}


def test_seed_example_renders_canonically() -> None:
    assert render_workout_doc(SEED_EXAMPLE) == (
        "High-intensity workout for increasing VO2 max\n"
        "\n"
        "Warmup\n"
        "- 15m 80%\n"
        "\n"
        "High-intensity intervals 2x\n"
        "- High-intensity 500mtr 110%\n"
        "- Recovery 1m30s 80%\n"
        "\n"
        "Cooldown\n"
        "- 10m 80%\n"
    )


def test_seed_example_round_trips() -> None:
    workout = parse_workout(render_workout_doc(SEED_EXAMPLE))
    assert workout.notes == ("High-intensity workout for increasing VO2 max",)
    assert workout.items == (
        Step(duration=900, power=Target("%ftp", value=80), warmup=True),
        Repeat(reps=2, text="High-intensity intervals 2x", steps=(
            Step(distance=500, text="High-intensity", power=Target("%ftp", value=110)),
            Step(duration=90, text="Recovery", power=Target("%ftp", value=80)))),
        Step(duration=600, power=Target("%ftp", value=80), cooldown=True),
    )


@pytest.mark.parametrize(
    ("step", "line"),
    [
        ({"duration": 2700, "power": {"value": 65, "units": "%ftp"}}, "- 45m 65%"),
        ({"duration": 5400, "power": {"start": 88, "end": 92, "units": "%ftp"}}, "- 1h30m 88-92%"),
        ({"duration": 3600, "power": {"value": 87.5, "units": "%ftp"}}, "- 1h 87.5%"),
        ({"duration": 40, "power": {"value": 700, "units": "w"}}, "- 40s 700w"),
        ({"duration": 600, "ramp": True, "power": {"start": 50, "end": 75, "units": "%ftp"}},
         "- 10m ramp 50-75%"),
        ({"duration": 600, "ramp": True, "power": {"value": 50, "units": "%ftp"}}, "- 10m 50%"),
        ({"duration": 600, "power": {"start": 240, "end": 260, "units": "w"},
          "cadence": {"value": 90, "units": "cadence"}}, "- 10m 240w-260w 90rpm"),
        ({"distance": 2500, "pace": {"value": "Z2", "units": "pace_zone"}}, "- 2.5km Z2 Pace"),
        ({"distance": 400, "duration": 97, "pace": {"value": 95, "units": "%pace"}}, "- 400mtr 95% Pace"),
        ({"distance": 100, "pace": {"value": 105, "units": "secs/100m"}}, "- 100mtr 1:45/100m Pace"),
        ({"distance": 1000, "pace": {"start": 435, "end": 420, "units": "secs/km"}},
         "- 1km 7:15-7:00/km Pace"),
        ({"duration": 1200, "hr": {"value": "Z2", "units": "hr_zone"}}, "- 20m Z2 HR"),
        ({"duration": 1200, "hr": {"value": 95, "units": "%lthr"}}, "- 20m 95% LTHR"),
        ({"duration": 1200, "hr": {"value": 75, "units": "%hr"}}, "- 20m 75% HR"),
        ({"duration": 1200, "freeride": True}, "- 20m freeride"),
        ({"duration": 1200, "free": True, "power": {"value": 80, "units": "%ftp"}}, "- 20m 80% freeride"),
        ({"duration": 600, "text": "Cooldown", "until_lap_press": True,
          "power": {"value": 1, "units": "power_zone", "target": "1s"}},
         "- Cooldown 10m Z1 power=1s Press lap"),
        ({"duration": 120, "intensity": "rest", "power": {"value": 40, "units": "%ftp"}},
         "- 2m 40% intensity=rest"),
    ],
)
def test_step_forms(step: dict[str, Any], line: str) -> None:
    assert render_workout_doc({"steps": [step]}) == line + "\n"


def test_never_writes_metres_as_m_nor_minutes_over_59() -> None:
    # §1/§8: `NNNm` is minutes; distances are `mtr`/`km`, long durations take hours.
    text = render_workout_doc({"steps": [{"distance": 800, "pace": {"value": 90, "units": "%pace"}},
                                         {"duration": 6000, "power": {"value": 60, "units": "%ftp"}}]})
    assert text == "- 800mtr 90% Pace\n- 1h40m 60%\n"
    assert [f for f in lint_workout(text, "Run") if f.rule == "metres_as_minutes"] == []


def test_nested_repeats_are_unrolled() -> None:
    # §3/§8: nested repeats are unsupported; the outer level is written out (RGW-R).
    doc = {"steps": [{"reps": 2, "steps": [
        {"reps": 3, "steps": [{"duration": 60, "power": {"value": 120, "units": "%ftp"}},
                              {"duration": 60, "power": {"value": 50, "units": "%ftp"}}]},
        {"duration": 300, "power": {"value": 50, "units": "%ftp"}},
    ]}]}
    block = "3x\n- 1m 120%\n- 1m 50%"
    assert render_workout_doc(doc) == f"{block}\n\n- 5m 50%\n\n{block}\n\n- 5m 50%\n"


def test_prose_that_would_read_as_steps_or_headers_stays_prose() -> None:
    doc = {"description": "- keep it smooth\nRepeat the main set 3x\nWarmup",
           "steps": [{"duration": 600, "power": {"value": 50, "units": "%ftp"}}]}
    text = render_workout_doc(doc)
    assert text.splitlines()[:3] == ["– keep it smooth", "Repeat the main set 3x.", "Warmup:"]
    workout = parse_workout(text)
    assert len(workout.items) == 1 and len(workout.notes) == 3


def test_rendering_is_deterministic_and_idempotent() -> None:
    first = render_workout_doc(SEED_EXAMPLE)
    assert render_workout_doc(SEED_EXAMPLE) == first
    assert render_workout_doc(workout_to_doc(parse_workout(first))) == first


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ({"steps": [{"power": {"value": 80, "units": "%ftp"}}]},
         "step 1 has neither a duration nor a distance"),
        ({"steps": [{"duration": "ten", "power": {"value": 80, "units": "%ftp"}}]},
         "step 1 has duration 'ten'"),
        ({"steps": [{"duration": 60, "power": {"value": 80, "units": "%"}}]}, "power units '%'"),
        ({"steps": [{"duration": 60, "power": {"units": "w"}}]}, "without a value"),
        ({"steps": [{"duration": 60, "hr": {"value": "Z9", "units": "hr_zone"}}]}, "zones are whole numbers"),
        ({"steps": [{"duration": 60, "text": "best 60s", "power": {"value": 80, "units": "%ftp"}}]},
         "label 'best 60s'"),
        ({"steps": [{"duration": 60, "watts": 200}]}, "unknown key 'watts'"),
        ({"steps": [{"reps": 3, "steps": []}]}, "step 1 is a repeat with no steps"),
        ({"steps": [{"reps": 2, "steps": [{"duration": 60, "power": {"value": 80, "units": "%ftp"}},
                                          {"text": "note"}]}]}, "step 1.2 is a note inside a repeat"),
        ({"steps": []}, "has no steps"),
        ({"description": "just words"}, "has no steps"),
        ({"steps": "- 10m 50%"}, "not a list"),
        ({"name": "x", "steps": [{"duration": 60}]}, "unknown key 'name'"),
    ],
)
def test_bad_docs_get_one_clear_sentence(doc: dict[str, Any], fragment: str) -> None:
    with pytest.raises(WorkoutDocError) as raised:
        render_workout_doc(doc)
    assert isinstance(raised.value, InputError)
    message = str(raised.value)
    assert fragment in message and message.endswith(".")


def test_platform_doc_keys_are_accepted() -> None:
    # An event's own workout_doc carries computed keys (repeat duration/distance, `_power`, totals).
    doc = {"steps": [{"reps": 4, "text": "Main Set 4x", "duration": 1560, "distance": 0, "steps": [
        {"text": "Pursuit opener", "power": {"units": "w", "value": 394}, "duration": 30,
         "_power": {"value": 394}}]}], "duration": 1560, "distance": 0, "ftp": 280}
    assert render_workout_doc(doc) == "Main Set 4x\n- Pursuit opener 30s 394w\n"
