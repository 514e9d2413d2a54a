"""What the service derives from a workout's text: `workout_doc`, `moving_time`, load, intensity.

Steps come from workout_text.py (see its docstring for the text rules, WORKOUT_TEXT.md §1–§4).
Time and load (WORKOUT_TEXT.md §5, §6):

* `moving_time` is the doc's duration: repeats count `reps` times (§3, §6). A distance step
  (`400mtr`) gets an estimated duration from its pace target and the sport's threshold pace;
  without those the estimate is a placeholder speed per sport (§1 "placeholders").
* Load per step = hours × IF² × 100, IF from the first target the athlete's thresholds can
  anchor: rides try power, then HR, then pace; runs and swims pace, then HR, then power. Power
  needs an FTP for that sport (so `%`/`Z2`/watts on a run load nothing without run power, §5),
  HR needs LTHR (`% HR` also max HR), pace needs a threshold pace (a swim without CSS loads
  nothing, §5). A step with no target, or none its sport can anchor, adds time but no load
  (§2, §7). Zone targets take their zone's midpoint, so an open top zone (999 %) gives an
  absurd figure, as live (§2 RGW-ZT).
* Prose-only text still saves the event, with `steps: []` and no load (§6).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from intervals_mcp.fake.workout_text import Repeat, Step, pace_metres, parse_text

_PLACEHOLDER_SPEED = {"Run": 3.33, "Swim": 0.83, "Ride": 8.33}  # m/s when nothing anchors
_SWIMS = ("Swim", "OpenWaterSwim")


@dataclass(frozen=True, slots=True)
class Thresholds:
    """A sport's anchors, from its sport settings (speeds in m/s, zones as the service has them)."""

    ftp: float | None = None
    lthr: float | None = None
    max_hr: float | None = None
    threshold_pace: float | None = None
    power_zones: tuple[float, ...] = ()
    hr_zones: tuple[float, ...] = ()
    pace_zones: tuple[float, ...] = ()


def thresholds_for(athlete: dict[str, Any], sport: str | None) -> Thresholds:
    """The anchors of the sport settings that list `sport` (none: no anchors)."""
    for settings in athlete.get("sportSettings") or []:
        if sport and sport in (settings.get("types") or []):
            return Thresholds(
                settings.get("ftp"), settings.get("lthr"), settings.get("max_hr"),
                settings.get("threshold_pace"), tuple(settings.get("power_zones") or ()),
                tuple(settings.get("hr_zones") or ()), tuple(settings.get("pace_zones") or ()))
    return Thresholds()


@dataclass(frozen=True, slots=True)
class ParsedWorkout:
    doc: dict[str, Any]
    moving_time: int
    training_load: int
    intensity: float  # percent, like Event.icu_intensity
    target: str  # Event.target: POWER, HR, PACE or AUTO


def _mid(value: dict[str, Any]) -> float:
    if "value" in value:
        return float(value["value"])
    return (float(value["start"]) + float(value["end"])) / 2


def _zone_mid(zones: tuple[float, ...], zone: float) -> float | None:
    index = round(zone) - 1
    if not 0 <= index < len(zones):
        return None
    low = zones[index - 1] if index > 0 else 0.0
    return (low + zones[index]) / 2


def _factor(kind: str, value: dict[str, Any], t: Thresholds) -> float | None:
    """The step's intensity factor from one target, or None when nothing anchors it."""
    units, mid = value.get("units"), _mid(value)
    if kind == "power" and t.ftp:
        if units == "%ftp":
            return mid / 100
        if units == "w":
            return mid / t.ftp
        zone = _zone_mid(t.power_zones, mid) if units == "power_zone" else None
        return zone / 100 if zone is not None else None
    if kind == "hr" and t.lthr:
        if units == "%lthr":
            return mid / 100
        if units == "%hr":
            return mid / 100 * t.max_hr / t.lthr if t.max_hr else None
        zone = _zone_mid(t.hr_zones, mid) if units == "hr_zone" else None
        return zone / t.lthr if zone is not None else None
    if kind == "pace" and t.threshold_pace:
        if units == "%pace":
            return mid / 100
        if str(units).startswith("secs/") and mid > 0:
            return pace_metres(str(units)) / mid / t.threshold_pace
        zone = _zone_mid(t.pace_zones, mid) if units == "pace_zone" else None
        return zone / 100 if zone is not None else None
    return None


def _order(sport: str) -> tuple[str, ...]:
    return ("power", "hr", "pace") if "Ride" in sport else ("pace", "hr", "power")


def _speed(step: Step, sport: str, t: Thresholds) -> float:
    pace = step.targets.get("pace")
    if pace and str(pace.get("units")).startswith("secs/") and _mid(pace) > 0:
        return pace_metres(str(pace["units"])) / _mid(pace)
    factor = _factor("pace", pace, t) if pace else None
    if factor and t.threshold_pace:
        return t.threshold_pace * factor
    family = "Swim" if sport in _SWIMS else "Run" if "Run" in sport else "Ride"
    return _PLACEHOLDER_SPEED[family]


def _step_doc(step: Step, sport: str, t: Thresholds) -> tuple[dict[str, Any], float, float]:
    """(doc step, seconds, load) of one step."""
    secs = float(step.duration)
    if step.distance and not secs:
        secs = step.distance / _speed(step, sport, t)
    factor = next((f for kind in _order(sport) if kind in step.targets
                   and (f := _factor(kind, step.targets[kind], t)) is not None), None)
    doc: dict[str, Any] = {"duration": round(secs)}
    if step.distance:
        doc["distance"] = step.distance
    if step.text:
        doc["text"] = step.text
    doc |= step.targets | step.flags
    load = secs / 3600 * factor**2 * 100 if factor else 0.0
    return doc, secs, load


def parse_workout(text: str | None, sport: str | None,
                  thresholds: Thresholds | None = None) -> ParsedWorkout | None:
    """The workout the service makes of `text`; None when it holds no step (prose only)."""
    items = parse_text(text)
    if not items:
        return None
    t, kind = thresholds or Thresholds(), sport or ""
    steps: list[dict[str, Any]] = []
    total = load = 0.0
    for item in items:
        if isinstance(item, Repeat):
            inner = [_step_doc(s, kind, t) for s in item.steps]
            block_secs = sum(s for _, s, _ in inner) * item.reps
            steps.append({"reps": item.reps, "text": item.text, "duration": round(block_secs),
                          "steps": [d for d, _, _ in inner]})
            total += block_secs
            load += sum(x for _, _, x in inner) * item.reps
        else:
            doc, secs, step_load = _step_doc(item, kind, t)
            steps.append(doc)
            total += secs
            load += step_load
    used = {k for s in _flat(steps) for k in ("power", "hr", "pace") if k in s}
    target = next((k.upper() for k in _order(kind) if k in used), "AUTO")
    intensity = math.sqrt(load / (total / 3600) / 100) * 100 if total and load else 0.0
    doc = {"duration": round(total), "steps": steps, "target": target}
    return ParsedWorkout(doc, round(total), round(load), round(intensity, 4), target)


def _flat(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for step in steps for s in (step.get("steps") or [step])]


def workout_fields(description: str | None, sport: str | None,
                   thresholds: Thresholds | None = None) -> dict[str, Any]:
    """Event fields the service derives from a WORKOUT's text (§6): the parsed doc, time,
    load and intensity; prose-only text gives an empty doc and no load."""
    parsed = parse_workout(description, sport, thresholds)
    if parsed is None:
        return {"workout_doc": {"duration": 0, "steps": []}, "icu_training_load": None,
                "icu_intensity": None, "joules": None, "joules_above_ftp": None}
    t = thresholds or Thresholds()
    fields: dict[str, Any] = {
        "workout_doc": parsed.doc, "moving_time": parsed.moving_time,
        "icu_training_load": parsed.training_load, "icu_intensity": parsed.intensity,
        "target": parsed.target,
    }
    if t.ftp and sport and "Ride" in sport:
        parsed.doc["ftp"] = t.ftp
        joules = round(t.ftp * parsed.intensity / 100 * parsed.moving_time)
        fields |= {"icu_ftp": round(t.ftp), "joules": joules, "joules_above_ftp": 0}
    if t.lthr:
        parsed.doc["lthr"] = t.lthr
    if t.threshold_pace:
        parsed.doc["threshold_pace"] = t.threshold_pace
    return fields
