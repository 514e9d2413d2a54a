"""The seed project's structured `workout_doc` (and the platform's own) to and from our step tree.

The accepted shape is the one mvilanova/intervals-mcp-server's `add_or_update_event` takes
(MV `utils/types.py` `WorkoutDoc`/`Step`/`Value`, whose JSON may carry numbers as strings and zones
as `"Z2"`), which is also what Intervals.icu returns as an event's `workout_doc` (WORKOUT_TEXT.md §2).
Bad input raises `WorkoutDocError` with one sentence naming the step and what to write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from intervals_mcp.workouts.model import (
    HR_UNITS,
    PACE_UNITS,
    POWER_UNITS,
    ZONE_UNITS,
    Repeat,
    Step,
    Target,
    Workout,
    WorkoutDocError,
)
from intervals_mcp.workouts.parser import SECTION_HEADERS, repeat_count
from intervals_mcp.workouts.tokens import scan_step

Entry = Step | Repeat | str  # a step, a repeat block, or a prose line, in document order

_FIELDS: dict[str, frozenset[str]] = {
    "power": POWER_UNITS, "hr": HR_UNITS, "pace": PACE_UNITS, "cadence": frozenset({"rpm"}),
}
_UNIT_ALIASES = {"cadence": "rpm", "watts": "w"}
_FLAGS = ("ramp", "freeride", "maxeffort", "hidepower", "until_lap_press", "warmup", "cooldown")
_INTENSITIES = frozenset({"active", "rest", "warmup", "cooldown", "recovery", "interval", "other"})
_STEP_KEYS = frozenset({"text", "duration", "distance", "reps", "steps", "intensity", "free",
                        *_FLAGS, *_FIELDS})
# Platform-computed or presentation keys that carry nothing to write back (MV `Step`/`WorkoutDoc`).
_IGNORED_STEP_KEYS = frozenset({"text_locale"})
_DOC_KEYS = frozenset({"description", "steps", "description_locale", "duration", "distance", "ftp",
                       "lthr", "threshold_pace", "pace_units", "sportSettings", "category", "target",
                       "zoneTimes", "options", "locales"})
_ZONE_VALUE = re.compile(r"^z(\d+)$", re.IGNORECASE)
_TRAILING_REPS = re.compile(r"\s*\d+\s*x$", re.IGNORECASE)


def prose_line(text: str) -> str:
    """A note line that stays a note (§8): never starting with `-`, never a repeat or section header.

    A leading `-` becomes `–` (else the line is a step, §1); a trailing `3x` gets a `.` (else it
    opens a repeat, §3); a bare `Warmup`/`Cooldown` gets a `:` (else it flags the steps below, §4).
    """
    line = " ".join(text.split())
    if line.startswith("-"):
        line = ("– " + line.lstrip("-").lstrip()).rstrip()
    if repeat_count(line) is not None:
        line += "."
    if line.lower() in SECTION_HEADERS:
        line += ":"
    return line


def _fail(where: str, problem: str) -> WorkoutDocError:
    return WorkoutDocError(f"workout_doc {where} {problem}.")


def _number(raw: object, where: str, name: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _fail(where, f"has {name} {raw!r}; give a number")
    text = str(raw).strip()
    match = _ZONE_VALUE.match(text)
    try:
        value = float(match.group(1)) if match else float(text)
    except ValueError:
        raise _fail(where, f"has {name} {raw!r}; give a number such as 90") from None
    if value != value or value < 0 or value in (float("inf"), float("-inf")):
        raise _fail(where, f"has {name} {raw!r}; give a number of 0 or more")
    return round(value, 2)


def _flag(raw: object, where: str, name: str) -> bool:
    if isinstance(raw, bool) or raw is None:
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in {"true", "false"}:
        return raw.strip().lower() == "true"
    raise _fail(where, f"has {name} {raw!r}; give true or false")


def _target(raw: object, field: str, where: str) -> Target | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise _fail(where, f"has {field} {raw!r}; give an object such as"
                    " {\"value\": 90, \"units\": \"%ftp\"}")
    written = str(raw.get("units", "")).strip().lower()
    units = _UNIT_ALIASES.get(written, written)
    if units not in _FIELDS[field]:
        allowed = ", ".join(sorted(_FIELDS[field]))
        raise _fail(where, f"has {field} units {raw.get('units')!r}; use one of {allowed}")
    value = None if raw.get("value") is None else _number(raw["value"], where, f"{field} value")
    start = None if raw.get("start") is None else _number(raw["start"], where, f"{field} start")
    end = None if raw.get("end") is None else _number(raw["end"], where, f"{field} end")
    if units in ZONE_UNITS:
        for zone in (value, start, end):
            if zone is not None and (not zone.is_integer() or not 1 <= zone <= 7):
                raise _fail(where, f"has {field} zone {zone:g}; zones are whole numbers from 1 to 7")
    if units.startswith("secs"):  # absolute paces are whole seconds in the text (`5:00/km Pace`)
        value, start, end = (None if v is None else float(round(v)) for v in (value, start, end))
    if start is not None and end is not None:
        value = None
    elif value is None:
        raise _fail(where, f"has a {field} target without a value; give \"value\" or \"start\" and \"end\"")
    average = raw.get("target")
    return Target(units=units, value=value, start=start, end=end,
                  average=None if average is None else str(average))


def _label(raw: object, where: str) -> str | None:
    if raw is None:
        return None
    label = " ".join(str(raw).split())
    if not label:
        return None
    # §4, §8: a label is plain words; number+unit, zone and flag tokens would be read as the step.
    if scan_step(f"{label} 1m").label != label:
        raise _fail(where, f"has the label {label!r}, which Intervals.icu would read partly as a duration"
                    " or target; keep numbers with units, zones and keywords out of step text")
    return label


def _step(raw: Mapping[str, Any], where: str) -> Step:
    distance = None if raw.get("distance") in (None, 0, "0") else _number(raw["distance"], where, "distance")
    duration = None if raw.get("duration") in (None, 0, "0") else _number(raw["duration"], where, "duration")
    if distance is not None:  # §1: the platform adds an estimated duration to distance steps
        distance, duration = float(round(distance)), None
    elif duration is not None:
        duration = float(round(duration))
    if not distance and not duration:
        raise _fail(where, "has neither a duration nor a distance; give \"duration\" in seconds (600)"
                    " or \"distance\" in metres (400), or make it a note with only \"text\"")
    intensity = raw.get("intensity")
    if intensity is not None and str(intensity).lower() not in _INTENSITIES:
        raise _fail(where, f"has intensity {intensity!r}; use one of {', '.join(sorted(_INTENSITIES))}")
    flags = {name: _flag(raw.get(name), where, name) for name in _FLAGS}
    targets = {name: _target(raw.get(name), name, where) for name in _FIELDS}
    ranged = any(t is not None and t.is_range for t in (targets["power"], targets["hr"], targets["pace"]))
    return Step(
        duration=None if duration is None else int(duration), distance=distance,
        text=_label(raw.get("text"), where), power=targets["power"], hr=targets["hr"],
        pace=targets["pace"], cadence=targets["cadence"], ramp=flags["ramp"] and ranged,
        freeride=flags["freeride"] or _flag(raw.get("free"), where, "free"),
        maxeffort=flags["maxeffort"], hidepower=flags["hidepower"],
        until_lap_press=flags["until_lap_press"],
        intensity=None if intensity is None else str(intensity).lower(),
        warmup=flags["warmup"], cooldown=flags["cooldown"] and not flags["warmup"],
    )


def _entries(raw_steps: object, where: str, depth: int) -> list[Entry]:
    if not isinstance(raw_steps, Sequence) or isinstance(raw_steps, str):
        raise _fail(where, "has steps that are not a list; give \"steps\": [{\"duration\": 600, ...}]")
    out: list[Entry] = []
    for index, raw in enumerate(raw_steps, start=1):
        here = f"step {index}" if depth == 0 else f"{where}.{index}"
        if not isinstance(raw, Mapping):
            raise _fail(here, f"is {raw!r}, not an object; give {{\"duration\": 600, ...}}")
        unknown = sorted(k for k in raw if k not in _STEP_KEYS and k not in _IGNORED_STEP_KEYS
                         and not str(k).startswith("_"))
        if unknown:
            raise _fail(here, f"has unknown key {unknown[0]!r}; use {', '.join(sorted(_STEP_KEYS))}")
        if raw.get("reps") is not None:
            out.extend(_repeat(raw, here, depth))
        elif all(k == "text" or k in _IGNORED_STEP_KEYS or str(k).startswith("_") for k in raw):
            note = prose_line(str(raw.get("text") or ""))
            if note and depth:
                raise _fail(here, "is a note inside a repeat block; move notes outside repeats")
            if note:
                out.append(note)
        else:
            out.append(_step(raw, here))
    return out


def _repeat(raw: Mapping[str, Any], where: str, depth: int) -> list[Entry]:
    reps = _number(raw["reps"], where, "reps")
    if not reps.is_integer() or reps < 1:
        raise _fail(where, f"has reps {reps:g}; give a whole number of 1 or more")
    inner = [e for e in _entries(raw.get("steps") or [], where, depth + 1) if not isinstance(e, str)]
    if not inner:
        raise _fail(where, "is a repeat with no steps; put the steps to repeat in its \"steps\" list")
    base = _TRAILING_REPS.sub("", " ".join(str(raw.get("text") or "").split())).lstrip("-").strip()
    header = f"{base} {int(reps)}x" if base else f"{int(reps)}x"  # §3: the platform keeps the header as text
    if any(isinstance(e, Repeat) for e in inner):
        # §3/§8: nested repeats are not supported; unroll the outer level (RGW-R).
        return [e for _ in range(int(reps)) for e in inner]
    # Flags inside a block cannot be written in text (a `Warmup 4x` header flags nothing, §4).
    steps = tuple(replace(e, warmup=False, cooldown=False) for e in inner if isinstance(e, Step))
    return [Repeat(reps=int(reps), steps=steps, text=header)]


def entries_from_doc(doc: Mapping[str, Any]) -> list[Entry]:
    """Validate a `workout_doc` and return its prose lines, steps and repeat blocks in order."""
    if not isinstance(doc, Mapping):
        raise WorkoutDocError("workout_doc must be an object with a \"steps\" list.")
    unknown = sorted(k for k in doc if k not in _DOC_KEYS)
    if unknown:
        raise WorkoutDocError(f"workout_doc has unknown key {unknown[0]!r}; put the workout in"
                              " \"description\" (notes) and \"steps\".")
    description = str(doc.get("description") or "").splitlines()
    entries: list[Entry] = [prose_line(line) for line in description if line.strip()]
    entries.extend(_entries(doc.get("steps") or [], "", 0))
    if not any(not isinstance(e, str) for e in entries):
        raise WorkoutDocError("workout_doc has no steps; give at least one step with a duration or distance.")
    return entries


def _target_dict(target: Target) -> dict[str, Any]:
    out: dict[str, Any] = {"units": target.units}
    for name in ("value", "start", "end"):
        if getattr(target, name) is not None:
            out[name] = getattr(target, name)
    if target.average is not None:
        out["target"] = target.average
    return out


def step_to_doc(step: Step) -> dict[str, Any]:
    """A step in `workout_doc` form (only the keys that are set, as the platform writes them)."""
    out: dict[str, Any] = {}
    if step.text:
        out["text"] = step.text
    if step.duration is not None:
        out["duration"] = step.duration
    if step.distance is not None:
        out["distance"] = step.distance
    for name in ("power", "hr", "pace", "cadence"):
        target = getattr(step, name)
        if target is not None:
            out[name] = _target_dict(target)
    for name in _FLAGS:
        if getattr(step, name):
            out[name] = True
    if step.intensity:
        out["intensity"] = step.intensity
    return out


def workout_to_doc(workout: Workout) -> dict[str, Any]:
    """A parsed workout as a `workout_doc` ({"description", "steps"}); renders back to the same steps."""
    steps: list[dict[str, Any]] = []
    for item in workout.items:
        if isinstance(item, Repeat):
            block: dict[str, Any] = {"reps": item.reps, "steps": [step_to_doc(s) for s in item.steps]}
            if item.text:
                block["text"] = item.text
            steps.append(block)
        else:
            steps.append(step_to_doc(item))
    doc: dict[str, Any] = {"steps": steps}
    if workout.notes:
        doc["description"] = "\n".join(workout.notes)
    return doc
