"""The parser reads workout text the way Intervals.icu was measured to (WORKOUT_TEXT.md §1-§4)."""

from __future__ import annotations

import pytest

from intervals_mcp.workouts import Repeat, Step, Target, parse_workout


def only_step(text: str) -> Step:
    items = parse_workout(text).items
    assert len(items) == 1 and isinstance(items[0], Step), items
    return items[0]


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("45m", 2700), ("1h45m", 6300), ("2m30s", 150), ("1m40s", 100), ("0m10s", 10), ("40s", 40),
     ("2h", 7200), ("1m30", 90), ("5'", 300), ("1'30\"", 90), ("400m", 24000)],
)
def test_durations(written: str, seconds: int) -> None:
    # §1: h/m/s combinable; `1m30` is the author's own example; bare `m` is minutes, even `400m`.
    assert only_step(f"- {written} 50%").duration == seconds


@pytest.mark.parametrize(
    ("written", "metres"),
    [("400mtr", 400.0), ("0.4km", 400.0), ("2.5km", 2500.0), ("1mi", 1609.344), ("100yrd", 91.44)],
)
def test_distances(written: str, metres: float) -> None:
    step = only_step(f"- {written} Z2 Pace")
    assert step.distance == pytest.approx(metres)
    assert step.duration is None


@pytest.mark.parametrize(
    ("written", "field", "target"),
    [
        ("90%", "power", Target("%ftp", value=90)),
        ("88-92%", "power", Target("%ftp", start=88, end=92)),
        ("250w", "power", Target("w", value=250)),
        ("240w-260w", "power", Target("w", start=240, end=260)),
        ("240-260w", "power", Target("w", start=240, end=260)),
        ("Z2", "power", Target("power_zone", value=2)),
        ("Z3-Z4", "power", Target("power_zone", start=3, end=4)),
        ("60% MMP", "power", Target("%mmp", value=60)),
        ("75% HR", "hr", Target("%hr", value=75)),
        ("95% LTHR", "hr", Target("%lthr", value=95)),
        ("70-80% LTHR", "hr", Target("%lthr", start=70, end=80)),
        ("Z2 HR", "hr", Target("hr_zone", value=2)),
        ("95% Pace", "pace", Target("%pace", value=95)),
        ("Z2 Pace", "pace", Target("pace_zone", value=2)),
        ("5:00/km Pace", "pace", Target("secs/km", value=300)),
        ("7:15-7:00/km Pace", "pace", Target("secs/km", start=435, end=420)),
        ("1:45/100m Pace", "pace", Target("secs/100m", value=105)),
        ("90rpm", "cadence", Target("rpm", value=90)),
        ("85-95rpm", "cadence", Target("rpm", start=85, end=95)),
    ],
)
def test_targets(written: str, field: str, target: Target) -> None:
    # §2: each form as the platform stores it in `workout_doc`.
    assert getattr(only_step(f"- 10m {written}"), field) == target


def test_ramp_keyword_and_descending_ramp() -> None:
    # §2: `ramp` before a range makes a ramp, descending allowed (RGW-FX 100664338).
    step = only_step("- 10m ramp 60-47%")
    assert step.ramp and step.power == Target("%ftp", start=60, end=47)
    assert not only_step("- 10m 60-47%").ramp  # without the keyword a range is a steady band


def test_ramp_as_label_word_is_only_a_label() -> None:
    # §2/§4: `- Ramp 3 1m 239w` is a steady 239 W step labelled "Ramp 3" (RGW-FX 113478887).
    step = only_step("- Ramp 3 1m 239w")
    assert (step.text, step.duration, step.ramp, step.power) == ("Ramp 3", 60, False, Target("w", value=239))


def test_full_step_line_with_extras() -> None:
    # §2: `power=1s` averaging, `Press lap` gate (RGW-FX 102536019), intensity, freeride.
    step = only_step("- Cooldown 10m Z1 power=1s Press lap")
    assert step.text == "Cooldown" and step.duration == 600 and step.until_lap_press
    assert step.power == Target("power_zone", value=1, average="1s")
    assert only_step("- 20m freeride").freeride
    assert only_step("- 2m 40% intensity=rest").intensity == "rest"


def test_label_rules() -> None:
    # §4: the label is the text before the duration; a zone before the duration erases it.
    assert only_step("- Easy spin 45m 177w 90rpm").text == "Easy spin"
    assert only_step("- Z2 Steady 1h45m 197w-256w 85-95rpm").text is None
    assert only_step("- Warm up 20m 54-66%").warmup is False  # a label does not set the flag


def test_last_target_of_a_kind_wins() -> None:
    # §2: `- Z6 1m 113-138%` keeps the % band and drops Z6 (RGW-FX 102536019).
    assert only_step("- Z6 1m 113-138%").power == Target("%ftp", start=113, end=138)


def test_two_time_tokens_are_added() -> None:
    # §1: `60s` left in a label plus the real `1m` gave a 2-minute step (RGW-SD).
    assert only_step("- best 60s 1m 300w").duration == 120


def test_step_without_space_after_dash() -> None:
    # §1: `-Z2 2h` is one 7200 s step (RGW-FX 105592267).
    assert only_step("-Z2 2h") == Step(duration=7200, power=Target("power_zone", value=2))


@pytest.mark.parametrize("line", ["- Cool Down 0s", "- 0s 180w", "- MAX standing start from near-stop",
                                  "--- Coach Notes ---"])
def test_dropped_lines(line: str) -> None:
    # §1: no readable duration/distance, or a zero one: dropped, not a 0 s step.
    workout = parse_workout(f"- 5m 50%\n{line}")
    assert len(workout.items) == 1
    assert workout.lines[1].kind == "dropped"


def test_repeat_block_with_header_text() -> None:
    text = "- 10m 50%\n\nMain Set 4x\n- 4m 105%\n- 3m 55%\n\n- 8m 50%\n"
    items = parse_workout(text).items
    assert items[1] == Repeat(reps=4, text="Main Set 4x", steps=(
        Step(duration=240, power=Target("%ftp", value=105)),
        Step(duration=180, power=Target("%ftp", value=55))))
    assert isinstance(items[2], Step) and items[2].duration == 480
    assert items[1].line == 3 and items[1].steps[0].line == 4


def test_prose_ending_in_nx_is_a_repeat_header() -> None:
    # §3: `2 × 90s @ MAP 2x` became reps 2 with that text (RGW-FX 112729671).
    items = parse_workout("2 × 90s @ MAP 2x\n- 1m30s 391w 100rpm\n- 4m 150w\n").items
    assert items == (Repeat(reps=2, text="2 × 90s @ MAP 2x", steps=(
        Step(duration=90, power=Target("w", value=391), cadence=Target("rpm", value=100)),
        Step(duration=240, power=Target("w", value=150)))),)


def test_sections_flag_steps_until_the_blank_line() -> None:
    # §4: `Warmup`/`Cooldown` flag the following steps up to the next blank line.
    text = "Warmup\n- 10m ramp 54-80%\n- 5m 60%\n\n- 30s 127%\n\nCooldown\n- 10m ramp 60-47%\n"
    steps = parse_workout(text).items
    assert [(s.warmup, s.cooldown) for s in steps if isinstance(s, Step)] == [
        (True, False), (True, False), (False, False), (False, True)]


def test_repeated_warmup_header_is_a_repeat_not_a_section() -> None:
    # §4: `Warmup 4x` is not flagged; the name survives in the block text (HH-T).
    (block,) = parse_workout("Warmup 4x\n- 1m 60%\n").items
    assert isinstance(block, Repeat) and block.text == "Warmup 4x" and not block.steps[0].warmup


def test_prose_lines_with_numbers_make_no_steps() -> None:
    # §4: `Main: 3 x 3 min hard` is a note (RGW-FX 100664338).
    workout = parse_workout("Main: 3 x 3 min hard\n\n- 10m 50%")
    assert workout.notes == ("Main: 3 x 3 min hard",)
    assert len(workout.items) == 1 and workout.items[0].line == 3


def test_empty_text() -> None:
    workout = parse_workout("")
    assert workout.items == () and workout.notes == () and workout.lines == ()
