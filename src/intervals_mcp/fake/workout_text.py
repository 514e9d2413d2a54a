"""Intervals.icu workout text read into steps the way the service reads it, traps included.

Section numbers are those of /work/shared/intervals-api/WORKOUT_TEXT.md. The fake's model:

* Lines (§1, §3, §4): a step starts with `-` (a space after it is optional); a line ending in
  `<n>x` opens a repeat block that runs to the next blank line, but only when the line above
  it is blank (or it is the first line): a header glued under a step is prose, so its steps run
  once (§3, §7 "repeat without blank lines"); a header inside a block therefore never nests.
  `Warmup` / `Cooldown` header lines flag the steps below them up to the next blank line (§4).
  Every other line is prose and makes no step, numbers or not (§4).
* Durations (§1): `h`, `m`, `s` combined (`1h45m`, `2m30s`, `1m30` = 90 s), `5'`, `30"`.
  **Bare `m` is minutes**: `2500m` is 2,500 minutes (§1, §7). `10min` / `30sec` are not
  durations [unconfirmed: the fake drops such a step]. Distances: `400mtr`, `0.4km`, `1mi`,
  `50yrd` (§1). Several time tokens on one step are added (§1, RGW-SD).
* A step with no duration or distance, or a zero one, is dropped (§1).
* Label (§4): the words before the first duration/distance token; a target token among them
  (`- Z2 Steady 1h`) erases it but still counts as the target (§2, §7 "target before duration").
* Targets (§2): `90%`, `88-92%` (power %ftp); `250w`, `240-260w`; `Z2` (power zone), `Z2 HR`,
  `Z2 Pace`; `75% HR` (% max HR), `95% LTHR`; `95% Pace`, `5:00/km Pace`, `1:45/100m Pace`
  (absolute pace needs the word `Pace`, and `/100mtr` is not a denominator: both dropped);
  `ramp` before a range; `90rpm`, `85-95rpm`; `freeride`; `intensity=rest`; `Press lap`. The
  last target of a kind wins (§2). Words (`Threshold`, `CSS`, `easy`, `5K pace`) and numbers
  without `%` (`- 10m 75`) are no target: the step keeps its time but gets no load (§2, §7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_HMS = re.compile(r"^(?=\d)(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$", re.I)
_M_S = re.compile(r"^(?P<m>\d+)m(?P<s>\d+)$", re.I)  # 1m30
_APOSTROPHE = re.compile(r"^(?:(?P<m>\d+)')?(?:(?P<s>\d+)\")?$")
_DISTANCE = re.compile(r"^(?P<n>\d+(?:\.\d+)?)(?P<unit>km|mi|mtr|yrd)$", re.I)
_PERCENT = re.compile(r"^(?P<a>\d+(?:\.\d+)?)(?:-(?P<b>\d+(?:\.\d+)?))?%$")
_WATTS = re.compile(r"^(?P<a>\d+)w?(?:-(?P<b>\d+))?w$", re.I)
_ZONE = re.compile(r"^Z(?P<a>[1-7])(?:-Z?(?P<b>[1-7]))?$", re.I)
_PACE = re.compile(r"^(?P<am>\d+):(?P<as>\d\d)(?:-(?P<bm>\d+):(?P<bs>\d\d))?"
                   r"/(?P<per>km|mi|100m|100y|500m|400m|250m)$", re.I)
_CADENCE = re.compile(r"^(?P<a>\d+)(?:-(?P<b>\d+))?rpm$", re.I)
_REPEAT = re.compile(r"(?P<reps>\d+)\s*x\s*$", re.I)
_KIND_WORDS = {"hr": "hr", "lthr": "lthr", "pace": "pace"}
_PACE_METRES = {"km": 1000.0, "mi": 1609.34, "100m": 100.0, "100y": 91.44, "500m": 500.0,
                "400m": 400.0, "250m": 250.0}
_DISTANCE_METRES = {"km": 1000.0, "mi": 1609.34, "mtr": 1.0, "yrd": 0.9144}
_INTENSITIES = frozenset({"active", "rest", "warmup", "cooldown", "recovery", "interval",
                          "other"})


@dataclass
class Step:
    """One step: seconds and/or metres, targets by kind (`power`, `hr`, `pace`, `cadence`:
    `{"value"|"start"+"end": …, "units": …}`) and flags (ramp, warmup, until_lap_press …)."""

    duration: int = 0
    distance: float | None = None
    text: str | None = None
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)


@dataclass
class Repeat:
    reps: int
    text: str
    steps: list[Step] = field(default_factory=list)


def pace_metres(units: str) -> float:
    """Metres of a `secs/<unit>` pace unit (secs/km → 1000)."""
    return _PACE_METRES[units.split("/", 1)[1].lower()]


def _seconds(token: str) -> int | None:
    for pattern in (_HMS, _M_S, _APOSTROPHE):
        match = pattern.match(token)
        if match and any(match.groupdict().values()):
            parts = match.groupdict()
            return (int(parts.get("h") or 0) * 3600 + int(parts.get("m") or 0) * 60
                    + int(parts.get("s") or 0))
    return None


def _metres(token: str) -> float | None:
    match = _DISTANCE.match(token)
    if not match:
        return None
    return round(float(match["n"]) * _DISTANCE_METRES[match["unit"].lower()], 2)


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _span(a: str, b: str | None, units: str) -> dict[str, Any]:
    if b is None:
        return {"value": _number(a), "units": units}
    return {"start": _number(a), "end": _number(b), "units": units}


def _target(token: str, word: str) -> tuple[str, dict[str, Any], bool] | None:
    """(kind, value, consumed the next word) for a target token, else None."""
    kind = _KIND_WORDS.get(word.lower())
    if match := _PERCENT.match(token):
        units = {"hr": "%hr", "lthr": "%lthr", "pace": "%pace"}.get(kind or "", "%ftp")
        return ("hr" if kind in ("hr", "lthr") else "pace" if kind == "pace" else "power",
                _span(match["a"], match["b"], units), kind is not None)
    if match := _ZONE.match(token):
        if kind in ("hr", "pace"):
            return kind, _span(match["a"], match["b"], f"{kind}_zone"), True
        return "power", _span(match["a"], match["b"], "power_zone"), False
    if match := _WATTS.match(token):
        return "power", _span(match["a"], match["b"], "w"), False
    if match := _CADENCE.match(token):
        return "cadence", _span(match["a"], match["b"], "rpm"), False
    if (match := _PACE.match(token)) and kind == "pace":
        first = int(match["am"]) * 60 + int(match["as"])
        units = f"secs/{match['per'].lower()}"
        if match["bm"] is None:
            return "pace", {"value": first, "units": units}, True
        return "pace", {"start": first, "end": int(match["bm"]) * 60 + int(match["bs"]),
                        "units": units}, True
    return None


def parse_step(body: str) -> Step | None:
    """A step line without its leading `-`; None when the service would drop it."""
    tokens = body.split()
    step = Step()
    label: list[str] = []
    label_erased = False
    timed = False
    i = 0
    while i < len(tokens):
        token, word = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else ""
        seconds, metres = _seconds(token), _metres(token)
        lower = token.lower()
        if seconds is not None or metres is not None:
            timed = True
            step.duration += seconds or 0
            step.distance = metres if metres is not None else step.distance
        elif found := _target(token, word):
            kind, value, consumed = found
            step.targets[kind] = value
            label_erased = label_erased or not timed
            i += consumed
        elif lower == "ramp" and timed:
            step.flags["ramp"] = True
        elif lower == "freeride":
            step.flags["freeride"] = True
        elif lower == "press" and word.lower() == "lap":
            step.flags["until_lap_press"] = True
            i += 1
        elif lower.startswith("intensity=") and lower[10:] in _INTENSITIES:
            step.flags["intensity"] = lower[10:]
        elif "=" in token:
            pass  # head-unit extras such as power=1s (§2)
        elif not timed:
            label.append(token)
        i += 1
    if step.duration <= 0 and not step.distance:
        return None
    if label and not label_erased:
        step.text = " ".join(label)
    if "ramp" in step.flags and not any("start" in t for t in step.targets.values()):
        step.flags.pop("ramp")
    return step


def parse_text(text: str | None) -> list[Step | Repeat]:
    """The workout's top-level items: steps and repeat blocks (empty: prose only)."""
    items: list[Step | Repeat] = []
    block: Repeat | None = None
    section: str | None = None  # "warmup" / "cooldown" header in force
    previous_blank = True
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            block, section, previous_blank = None, None, True
            continue
        if line.startswith("-"):
            step = parse_step(line[1:])
            if step is not None:
                if section and block is None:
                    step.flags[section] = True
                (block.steps if block is not None else items).append(step)
        elif (repeat := _REPEAT.search(line)) and previous_blank:
            block = Repeat(int(repeat["reps"]), line)
            items.append(block)
        elif line.lower() in ("warmup", "cooldown"):
            section = line.lower()
        previous_blank = False
    return [item for item in items if not isinstance(item, Repeat) or (item.steps and item.reps)]
