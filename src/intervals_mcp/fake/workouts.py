"""A small reader for Intervals.icu's native workout text ("- 10m 55%", "3x" blocks).

The live service parses an event's description into `workout_doc`, `moving_time` and a planned
load. The fake understands the subset it writes itself plus what tests are likely to send:
durations in h/m/s, one percentage (or a range, whose middle is used) and `Nx` repeat headers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

_STEP = re.compile(r"^\s*-\s*(?P<body>.+)$")
_REPEAT = re.compile(r"^\s*(?P<reps>\d+)\s*x\s*$", re.IGNORECASE)
_DURATION = re.compile(r"(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m(?!i))?(?:(?P<s>\d+)s)?")
_PERCENT = re.compile(r"(?P<lo>\d+(?:\.\d+)?)(?:\s*-\s*(?P<hi>\d+(?:\.\d+)?))?\s*%")
_ZONE = re.compile(r"\bZ(?P<zone>[1-7])\b", re.IGNORECASE)
_ZONE_PERCENT = {1: 50.0, 2: 65.0, 3: 82.0, 4: 97.0, 5: 112.0, 6: 135.0, 7: 160.0}


@dataclass(frozen=True, slots=True)
class ParsedWorkout:
    doc: dict[str, Any]
    moving_time: int
    training_load: int
    intensity: float  # percent, like Event.icu_intensity


def _duration(text: str) -> int:
    for match in _DURATION.finditer(text):
        if match.group(0):
            h, m, s = (int(match.group(k) or 0) for k in ("h", "m", "s"))
            return h * 3600 + m * 60 + s
    return 0


def _percent(text: str) -> float:
    match = _PERCENT.search(text)
    if match:
        lo = float(match.group("lo"))
        hi = float(match.group("hi") or lo)
        return (lo + hi) / 2
    zone = _ZONE.search(text)
    return _ZONE_PERCENT[int(zone.group("zone"))] if zone else 65.0


def parse_workout(text: str | None, sport: str | None) -> ParsedWorkout | None:
    """Parse workout text; None when it contains no steps."""
    if not text:
        return None
    units = "%ftp" if sport and "Ride" in sport else "%pace" if sport and "Run" in sport else "%hr"
    target = "power" if units == "%ftp" else "pace" if units == "%pace" else "hr"
    steps: list[dict[str, Any]] = []
    block: dict[str, Any] | None = None
    for line in text.splitlines():
        if not line.strip():
            block = None
            continue
        repeat = _REPEAT.match(line)
        if repeat:
            reps = int(repeat.group("reps"))
            block = {"reps": reps, "text": f"{reps}x", "duration": 0, "steps": []}
            steps.append(block)
            continue
        step_match = _STEP.match(line)
        if not step_match:
            continue
        body = step_match.group("body")
        step: dict[str, Any] = {
            "duration": _duration(body), target: {"value": _percent(body), "units": units},
        }
        if block is not None:
            block["steps"].append(step)
            block["duration"] += step["duration"] * block["reps"]
        else:
            steps.append(step)
    flat: list[tuple[int, float]] = []
    for step in steps:
        if "reps" in step:
            for _ in range(step["reps"]):
                flat.extend((s["duration"], s[target]["value"]) for s in step["steps"])
        else:
            flat.append((step["duration"], step[target]["value"]))
    total = sum(d for d, _ in flat)
    if total <= 0:
        return None
    load = sum(d / 3600 * (p / 100) ** 2 * 100 for d, p in flat)
    intensity = math.sqrt(load / (total / 3600) / 100) * 100
    return ParsedWorkout(
        doc={"duration": total, "steps": steps},
        moving_time=total,
        training_load=round(load),
        intensity=round(intensity, 4),
    )


def workout_fields(description: str | None, sport: str | None, ftp: int | None) -> dict[str, Any]:
    """Event fields the live service derives from a workout's text (empty if it has no steps)."""
    parsed = parse_workout(description, sport)
    if parsed is None:
        return {}
    fields: dict[str, Any] = {
        "workout_doc": parsed.doc, "moving_time": parsed.moving_time,
        "icu_training_load": parsed.training_load, "icu_intensity": parsed.intensity,
        "target": "POWER" if sport and "Ride" in sport else "PACE" if sport and (
            "Run" in sport or "Swim" in sport) else "AUTO",
    }
    if ftp and sport and "Ride" in sport:
        joules = round(ftp * parsed.intensity / 100 * parsed.moving_time)
        fields |= {"icu_ftp": ftp, "joules": joules, "joules_above_ftp": 0}
    return fields
