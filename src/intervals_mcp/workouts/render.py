"""Canonical workout text (WORKOUT_TEXT.md §8), deterministically, from a `workout_doc` or a parsed workout.

§8 canonical form: prose first; one step per line, `- [label] duration [ramp] target [cadence]`;
durations as `XhYmZs` subsets, distances as `NNNmtr`/`N.Nkm` (never `NNNm`); a blank line between
groups, so before and after every repeat block; `Warmup`/`Cooldown` headers directly above their
steps; nested repeats unrolled (done in `doc.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from intervals_mcp.workouts.doc import Entry, entries_from_doc
from intervals_mcp.workouts.model import Repeat, Step, Target, Workout

_PERCENT_WORD = {"%ftp": "", "%hr": " HR", "%lthr": " LTHR", "%pace": " Pace", "%mmp": " MMP"}
_ZONE_WORD = {"power_zone": "", "hr_zone": " HR", "pace_zone": " Pace"}


def format_number(value: float) -> str:
    """`90`, `87.5`: no trailing zeros, no exponent."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_duration(seconds: int) -> str:
    """Seconds as `XhYmZs` parts (`45m`, `1h30m`, `2m30s`, `40s`), the forms verified live (§8)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return "".join(parts) or "0s"


def format_distance(metres: float) -> str:
    """`400mtr`, `2.5km` (§1, §8: never `NNNm`, which is minutes)."""
    if metres >= 1000 and round(metres) % 100 == 0:
        return f"{format_number(metres / 1000)}km"
    return f"{round(metres)}mtr"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _span(target: Target, show: Any) -> str:
    if target.is_range:
        assert target.start is not None and target.end is not None
        return f"{show(target.start)}-{show(target.end)}"
    assert target.value is not None
    return str(show(target.value))


def format_target(target: Target) -> str:
    """One target in text form (§2): `88-92%`, `250w`, `Z2 HR`, `95% LTHR`, `5:00/km Pace`, `90rpm`."""
    units = target.units
    if units in _PERCENT_WORD:
        return f"{_span(target, format_number)}%{_PERCENT_WORD[units]}"
    if units in _ZONE_WORD:
        return f"{_span(target, lambda v: f'Z{v:.0f}')}{_ZONE_WORD[units]}"
    if units == "w":
        return _span(target, lambda v: f"{format_number(v)}w")
    if units == "rpm":
        return f"{_span(target, format_number)}rpm"
    denominator = units.partition("/")[2]
    return f"{_span(target, _clock)}{'/' + denominator if denominator else ''} Pace"


def format_step(step: Step) -> str:
    """One step line, `- [label] duration [ramp] target [cadence] [flags]` (§8)."""
    parts = ["-"]
    if step.text:
        parts.append(step.text)
    if step.distance is not None:
        parts.append(format_distance(step.distance))
    elif step.duration is not None:
        parts.append(format_duration(step.duration))
    ramp_pending = step.ramp
    for target in (step.power, step.hr, step.pace):
        if target is None:
            continue
        if ramp_pending and target.is_range:  # §2: `ramp` directly before the range it applies to
            parts.append("ramp")
            ramp_pending = False
        parts.append(format_target(target))
    if step.cadence is not None:
        parts.append(format_target(step.cadence))
    parts.extend(name for name in ("freeride", "maxeffort", "hidepower") if getattr(step, name))
    for name in ("power", "hr", "pace"):
        target = getattr(step, name)
        if target is not None and target.average:
            parts.append(f"{name}={target.average}")
    if step.intensity:
        parts.append(f"intensity={step.intensity}")
    if step.until_lap_press:
        parts.append("Press lap")
    return " ".join(parts)


def _group_key(entry: Entry) -> str:
    if isinstance(entry, str):
        return "prose"
    if isinstance(entry, Repeat):
        return "repeat"
    return "warmup" if entry.warmup else "cooldown" if entry.cooldown else "steps"


def render_entries(entries: Iterable[Entry]) -> str:
    """Prose lines, steps and repeat blocks as canonical text, one blank line between groups."""
    groups: list[list[str]] = []
    last = ""
    for entry in entries:
        key = _group_key(entry)
        if isinstance(entry, Repeat):
            groups.append([entry.text or f"{entry.reps}x", *(format_step(s) for s in entry.steps)])
        elif isinstance(entry, str):
            if key != last:
                groups.append([])
            groups[-1].append(entry)
        else:
            if key != last:
                groups.append(["Warmup"] if key == "warmup" else ["Cooldown"] if key == "cooldown" else [])
            groups[-1].append(format_step(entry))
        last = key
    return "\n\n".join("\n".join(group) for group in groups) + "\n"


def render_workout_doc(doc: Mapping[str, Any]) -> str:
    """A `workout_doc` (the seed's `add_or_update_event` argument) as canonical workout text.

    Deterministic: the same doc always gives the same text. Raises `WorkoutDocError` (one
    sentence, naming the step) when the doc cannot be written as text the platform reads.
    """
    return render_entries(entries_from_doc(doc))


def render_workout(workout: Workout) -> str:
    """A parsed workout in canonical form: its notes first, then its steps (§8)."""
    return render_entries([*workout.notes, *workout.items])
