"""Compact lines a model can read about a workout, and a check of what Intervals.icu made of it.

After a write the platform returns the event with its own parse (WORKOUT_TEXT.md §6: `workout_doc`
steps, `moving_time`, `icu_training_load`); §8 says to verify that the steps are there, that the
expanded step count and `moving_time` match ours and that the load is above zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intervals_mcp.workouts.model import Repeat, Step, Workout, WorkoutSummary
from intervals_mcp.workouts.render import format_step

# "Far": a time-only workout should come back to the second (§6: `moving_time` is the parsed
# duration in 115/118 live events), so more than 30 s apart is far (§8 lint 16, RUSTY). With
# distance steps both sides estimate their time from a pace, so far means more than 5 minutes
# *and* more than 20 % apart.
EXACT_TOLERANCE_S = 30
ESTIMATE_TOLERANCE_S = 300
ESTIMATE_TOLERANCE_RATIO = 0.2


def format_clock(seconds: float) -> str:
    """`h:mm`, rounded to the minute (`0:45`, `1:05`, `41:40`)."""
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def _step_text(step: Step) -> str:
    return format_step(step).removeprefix("- ")


def _item_line(item: Step | Repeat) -> str:
    if isinstance(item, Repeat):
        return f"{item.text or f'{item.reps}x'}: " + " · ".join(_step_text(s) for s in item.steps)
    prefix = "Warmup: " if item.warmup else "Cooldown: " if item.cooldown else ""
    return prefix + _step_text(item)


def summary_line(summary: WorkoutSummary) -> str:
    """`Total 1:05, 11 steps, 12.0 km, estimated load 62 (FTP)` plus what the figures leave out."""
    parts = [f"Total {format_clock(summary.duration_s)}", f"{summary.step_count} steps"]
    if summary.distance_m:
        parts.append(f"{summary.distance_m / 1000:.1f} km")
    if summary.load is not None:
        basis = f" (from {', '.join(summary.basis)})" if summary.basis else ""
        parts.append(f"estimated load {round(summary.load)}{basis}")
    else:
        parts.append("no load estimate (no target the athlete's thresholds resolve)")
    notes = []
    if summary.estimated_s:
        notes.append(f"{format_clock(summary.estimated_s)} of it estimated from pace")
    if summary.untimed_distance_m:
        notes.append(f"{summary.untimed_distance_m / 1000:.1f} km not timed (no pace to time it)")
    if summary.unloaded_s and summary.load is not None:
        notes.append(f"{format_clock(summary.unloaded_s)} without a resolvable target adds no load")
    return ", ".join(parts) + (f"; {'; '.join(notes)}" if notes else "") + "."


def preview_lines(workout: Workout, summary: WorkoutSummary, max_lines: int = 12) -> list[str]:
    """One line per step or repeat block (cut to `max_lines` with a count), then the totals line."""
    lines = [_item_line(item) for item in workout.items]
    if len(lines) > max_lines:
        hidden = len(lines) - (max_lines - 1)
        lines = [*lines[: max_lines - 1], f"… {hidden} more lines of steps"]
    if not lines:
        lines = ["No steps: Intervals.icu would store this text as a note with no duration and no load."]
    return [*lines, summary_line(summary)]


def _expanded_count(steps: Any) -> int:
    if not isinstance(steps, list):
        return 0
    count = 0
    for step in steps:
        if isinstance(step, Mapping) and isinstance(step.get("steps"), list):
            reps = step.get("reps")
            count += (reps if isinstance(reps, int) else 1) * _expanded_count(step["steps"])
        elif isinstance(step, Mapping):
            count += 1
    return count


def _platform_steps(event: Mapping[str, Any]) -> Any:
    doc = event.get("workout_doc")
    return doc.get("steps") if isinstance(doc, Mapping) else None


def _platform_seconds(event: Mapping[str, Any]) -> float | None:
    doc = event.get("workout_doc")
    raw = event.get("moving_time")
    if raw is None and isinstance(doc, Mapping):
        raw = doc.get("duration")
    return float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None


def is_far(ours: float, theirs: float, estimated: bool) -> bool:
    """Whether two workout durations disagree enough to warn (see the tolerances above)."""
    gap = abs(ours - theirs)
    if not estimated:
        return gap > EXACT_TOLERANCE_S
    return gap > ESTIMATE_TOLERANCE_S and gap > ESTIMATE_TOLERANCE_RATIO * max(ours, theirs)


def describe_platform(platform_event: Mapping[str, Any]) -> str:
    """One line on what Intervals.icu parsed: steps, time, load."""
    count = _expanded_count(_platform_steps(platform_event))
    if not count:
        return "Intervals.icu parsed no steps."
    seconds = _platform_seconds(platform_event)
    load = platform_event.get("icu_training_load")
    parts = [f"Intervals.icu parsed {count} steps"]
    if seconds is not None:
        parts.append(format_clock(seconds))
    parts.append(f"load {round(load)}" if isinstance(load, int | float) else "no load")
    return ", ".join(parts) + "."


def compare_with_platform(summary: WorkoutSummary, platform_event: Mapping[str, Any]) -> list[str]:
    """Warnings (one sentence each) where the platform's parse disagrees with ours; [] when it agrees."""
    count = _expanded_count(_platform_steps(platform_event))
    if not count:
        return ["Intervals.icu found no steps in the text, so it saved a note with no duration and no"
                " load; rewrite the steps as lines such as `- 10m 55%` and check the lint findings."]
    warnings = []
    if count != summary.step_count:
        warnings.append(f"Intervals.icu read {count} steps where we read {summary.step_count}; a line was"
                        " dropped or read differently, so compare the steps it shows with the text.")
    seconds = _platform_seconds(platform_event)
    if seconds is not None and is_far(summary.duration_s, seconds, summary.has_distance_steps):
        warnings.append(f"Intervals.icu made this workout {format_clock(seconds)} long where we expected"
                        f" {format_clock(summary.duration_s)}; check for `m` used for metres (write `mtr`)"
                        " or a step it read differently.")
    load = platform_event.get("icu_training_load")
    if not load:
        warnings.append("Intervals.icu computed no training load, so its targets did not resolve; use"
                        " pace or heart-rate targets on runs and swims and check the athlete's thresholds.")
    return warnings
