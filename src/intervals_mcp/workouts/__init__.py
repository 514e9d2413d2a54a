"""Intervals.icu workout text: parse, lint, render, total and preview it. Pure: no I/O, no HTTP, no SQL.

The syntax and its traps are sourced in WORKOUT_TEXT.md (shared/intervals-api); every rule here
cites its section. Public entry points (stable names; other layers call these):

- `parse_workout(text) -> Workout`: the step tree (`Step`, `Repeat`) with line numbers, prose
  `notes`, and every line classified (`lines`). Never raises.
- `lint_workout(text, sport=None, thresholds=None) -> list[Finding]`: findings
  `{rule, line, severity: "error"|"warning", message}`, each message one sentence saying what is
  wrong and what to write instead (rule list in `lint.py`). Threshold rules need `thresholds`.
- `render_workout_doc(doc) -> str`: the seed project's `workout_doc` (the `add_or_update_event`
  argument, or an event's own `workout_doc`) as canonical text (§8), deterministically; raises
  `WorkoutDocError` (an `InputError`) with one sentence naming the step at fault.
- `render_workout(workout) -> str` and `workout_to_doc(workout) -> dict`: the way back.
- `summarize(workout, thresholds=None) -> WorkoutSummary`: total time (distance steps timed by
  pace), distance, expanded step count and estimated load/IF (formulas in `totals.py`).
- `preview_lines(workout, summary, max_lines=12) -> list[str]`: a few compact lines for a model.
- `compare_with_platform(summary, platform_event) -> list[str]`: warnings when Intervals.icu's
  own parse (the event it returns: `workout_doc`, `moving_time`, `icu_training_load`) found no
  steps, other steps, a duration far from ours (`is_far`), or no load; `describe_platform(event)`
  says in one line what it parsed.
- `Thresholds(sport, ftp, lthr, max_hr, threshold_pace_m_per_s, power_zones, hr_zones,
  pace_zones)`: the athlete's anchors for one sport, all optional.
- `thresholds_from_profile(athlete_object, sport, indoor=False) -> Thresholds | None`: those
  anchors from the athlete object's `sportSettings` (None when the profile is unknown).

`guide.md` (package data) is the short guide to the syntax and these rules that the server
serves as a resource for models writing workouts.
"""

from intervals_mcp.workouts.anchors import thresholds_from_profile
from intervals_mcp.workouts.doc import workout_to_doc
from intervals_mcp.workouts.lint import lint_workout
from intervals_mcp.workouts.model import (
    Finding,
    Repeat,
    Step,
    Target,
    Thresholds,
    Workout,
    WorkoutDocError,
    WorkoutSummary,
    sport_family,
)
from intervals_mcp.workouts.parser import parse_workout
from intervals_mcp.workouts.preview import (
    compare_with_platform,
    describe_platform,
    format_clock,
    is_far,
    preview_lines,
)
from intervals_mcp.workouts.render import render_workout, render_workout_doc
from intervals_mcp.workouts.totals import summarize

__all__ = [
    "Finding",
    "Repeat",
    "Step",
    "Target",
    "Thresholds",
    "Workout",
    "WorkoutDocError",
    "WorkoutSummary",
    "compare_with_platform",
    "describe_platform",
    "format_clock",
    "is_far",
    "lint_workout",
    "parse_workout",
    "preview_lines",
    "render_workout",
    "render_workout_doc",
    "sport_family",
    "summarize",
    "thresholds_from_profile",
    "workout_to_doc",
]
