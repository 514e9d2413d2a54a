"""The preview a model reads, and the check of Intervals.icu's parse against ours."""

from __future__ import annotations

from typing import Any

from intervals_mcp.workouts import (
    Thresholds,
    WorkoutSummary,
    compare_with_platform,
    describe_platform,
    format_clock,
    parse_workout,
    preview_lines,
    summarize,
)

RIDE_TEXT = (
    "Warmup\n- 10m ramp 50-70%\n\nMain Set 4x\n- 4m 105%\n- 3m 55%\n\n- 20m 65% 90rpm\n\nCooldown\n- 8m 50%\n"
)


def summary(duration_s: int = 3600, steps: int = 4, distance: bool = False) -> WorkoutSummary:
    return WorkoutSummary(step_count=steps, duration_s=duration_s, distance_m=0.0, load=50.0,
                          intensity=0.7, has_distance_steps=distance)


def event(steps: list[dict[str, Any]] | None, moving_time: int | None = 3600,
          load: float | None = 50) -> dict[str, Any]:
    return {"workout_doc": {"steps": steps} if steps is not None else None,
            "moving_time": moving_time, "icu_training_load": load}


FOUR_STEPS = [{"duration": 900}, {"reps": 2, "steps": [{"duration": 600}]}, {"duration": 1500}]


def test_preview_of_a_ride() -> None:
    workout = parse_workout(RIDE_TEXT)
    lines = preview_lines(workout, summarize(workout, Thresholds(sport="Ride", ftp=250)))
    assert lines[:4] == [
        "Warmup: 10m ramp 50-70%",
        "Main Set 4x: 4m 105% · 3m 55%",
        "20m 65% 90rpm",
        "Cooldown: 8m 50%",
    ]
    # 10 + 4 x 7 + 20 + 8 = 66 minutes, 1 + 8 + 1 + 1 = 11 steps
    assert lines[4].startswith("Total 1:06, 11 steps, estimated load ")
    assert lines[4].endswith(" (from FTP).")


def test_preview_says_what_the_totals_leave_out() -> None:
    workout = parse_workout("- 2km Z2 Pace\n- 10m\n- 20m 90% LTHR")
    line = preview_lines(workout, summarize(workout, Thresholds(sport="Run", lthr=170)))[-1]
    assert line == ("Total 0:30, 3 steps, 2.0 km, estimated load 27 (from LTHR); 2.0 km not timed"
                    " (no pace to time it); 0:10 without a resolvable target adds no load.")


def test_preview_is_cut_with_a_count() -> None:
    workout = parse_workout("\n".join(f"- {n}m 50%" for n in range(1, 21)))
    lines = preview_lines(workout, summarize(workout), max_lines=5)
    assert lines[:4] == ["1m 50%", "2m 50%", "3m 50%", "4m 50%"]
    assert lines[4] == "… 16 more lines of steps"
    assert len(lines) == 6


def test_preview_without_steps() -> None:
    workout = parse_workout("Easy spin, legs loose")
    lines = preview_lines(workout, summarize(workout))
    assert lines[0].startswith("No steps:")


def test_format_clock() -> None:
    assert [format_clock(s) for s in (0, 2700, 3900, 150_000)] == ["0:00", "0:45", "1:05", "41:40"]


def test_platform_agreeing_gives_no_warning() -> None:
    assert compare_with_platform(summary(), event(FOUR_STEPS)) == []


def test_platform_found_no_steps() -> None:
    for platform in (event([]), event(None), {}):
        (warning,) = compare_with_platform(summary(), platform)
        assert warning.startswith("Intervals.icu found no steps")


def test_platform_step_count_differs() -> None:
    (warning,) = compare_with_platform(summary(steps=5), event(FOUR_STEPS))
    assert "read 4 steps where we read 5" in warning


def test_time_only_workouts_must_match_within_30_seconds() -> None:
    assert compare_with_platform(summary(3600), event(FOUR_STEPS, moving_time=3630)) == []
    (warning,) = compare_with_platform(summary(3600), event(FOUR_STEPS, moving_time=3631))
    assert "1:01 long where we expected 1:00" in warning


def test_estimated_workouts_must_be_5_minutes_and_20_percent_apart() -> None:
    ours = summary(3600, distance=True)
    assert compare_with_platform(ours, event(FOUR_STEPS, moving_time=3600 + 299)) == []
    assert compare_with_platform(ours, event(FOUR_STEPS, moving_time=3600 + 600)) == []  # 14 %
    (warning,) = compare_with_platform(ours, event(FOUR_STEPS, moving_time=150_000))  # the 41 h swim
    assert "41:40 long where we expected 1:00" in warning


def test_platform_without_load() -> None:
    (warning,) = compare_with_platform(summary(), event(FOUR_STEPS, load=0))
    assert warning.startswith("Intervals.icu computed no training load")


def test_moving_time_falls_back_to_the_doc_duration() -> None:
    platform = {"workout_doc": {"steps": FOUR_STEPS, "duration": 7200}, "icu_training_load": 50}
    (warning,) = compare_with_platform(summary(3600), platform)
    assert "2:00 long" in warning


def test_describe_platform() -> None:
    assert describe_platform(event(FOUR_STEPS, 3900, 62.4)) == "Intervals.icu parsed 4 steps, 1:05, load 62."
    assert describe_platform(event(FOUR_STEPS, 3900, None)) == "Intervals.icu parsed 4 steps, 1:05, no load."
    assert describe_platform(event([])) == "Intervals.icu parsed no steps."
