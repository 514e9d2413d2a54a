"""Lint rules that need the athlete's anchors: each fires once per workout, at the first step concerned.

WORKOUT_TEXT.md §5 (swim pace loads off CSS; distance-step times are placeholders without a
threshold, §1), §8 lint 17 `anchor_missing`, §8 lint 18 `top_zone` (§2, RGW-ZT).
"""

from __future__ import annotations

from intervals_mcp.workouts.model import Finding, Line, SportFamily, Step, Target, Thresholds

_ANCHORS: dict[str, tuple[str, str]] = {
    # units: (Thresholds field, what the athlete must set)
    "%ftp": ("ftp", "FTP"), "w": ("ftp", "FTP"), "power_zone": ("ftp", "FTP"),
    "%lthr": ("lthr", "threshold heart rate (LTHR)"), "hr_zone": ("lthr", "threshold heart rate (LTHR)"),
    "%hr": ("max_hr", "max heart rate"),
    "%pace": ("threshold_pace_m_per_s", "threshold pace"),
    "pace_zone": ("threshold_pace_m_per_s", "threshold pace"),
}
_ZONES = {"power_zone": "power_zones", "hr_zone": "hr_zones", "pace_zone": "pace_zones"}


def _targets(step: Step) -> list[Target]:
    return [t for t in (step.power, step.hr, step.pace) if t is not None]


def _written(line: Line, target: Target) -> str:
    scan = line.scan
    tokens = scan.tokens if scan else ()
    return next((t.text for t in tokens if t.target is target), target.units)


def _swim_pace(line: Line, step: Step, family: SportFamily, t: Thresholds) -> Finding | None:
    if family != "swim" or step.pace is None or t.threshold_pace_m_per_s:
        return None
    return Finding(
        "swim_pace_without_threshold", line.number, "error",
        f"The athlete has no swim threshold pace (CSS) in Intervals.icu, so `{_written(line, step.pace)}`"
        " cannot be resolved and this swim's times and load come out as placeholders; set the CSS in"
        " the athlete's Swim settings, or use heart-rate targets such as `Z2 HR`.")


def _missing_anchor(line: Line, target: Target, family: SportFamily, t: Thresholds) -> Finding | None:
    anchor = _ANCHORS.get(target.units)
    if anchor is None or getattr(t, anchor[0]):
        return None
    if target.units in {"%pace", "pace_zone"} and family == "swim":
        return None  # the swim rule says it as an error
    if anchor[0] == "ftp" and family in {"run", "swim"}:
        return None  # no_load_target already says a run or swim needs pace or HR (or run power)
    sport = t.sport or "this sport"
    return Finding(
        "missing_threshold", line.number, "warning",
        f"The athlete has no {anchor[1]} set for {sport} in Intervals.icu, so `{_written(line, target)}`"
        " gives no load; set it in the athlete's sport settings, or use another target.")


def _top_zone(line: Line, target: Target, t: Thresholds) -> Finding | None:
    bounds = getattr(t, _ZONES[target.units]) if target.units in _ZONES else None
    if not bounds or bounds[-1] < 999:
        return None
    top = len(bounds)
    if top not in {target.value, target.start, target.end}:
        return None
    return Finding(
        "top_zone", line.number, "warning",
        f"`{_written(line, target)}` is the open-ended top zone, which Intervals.icu resolves to the"
        f" midpoint of {bounds[-2]:g}-{bounds[-1]:g} % (FTP 286 made Z7 1644 W); write a % target instead.")


def threshold_rules(lines: tuple[Line, ...], family: SportFamily, thresholds: Thresholds) -> list[Finding]:
    """Findings about anchors the athlete lacks, or zones that resolve absurdly; once per rule and unit."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for line in lines:
        step = line.scan.step if line.scan else None
        if step is None:
            continue
        candidates = [(_swim_pace(line, step, family, thresholds), "swim")]
        for target in _targets(step):
            anchor = _ANCHORS.get(target.units, ("", ""))[0]
            candidates.append((_missing_anchor(line, target, family, thresholds), anchor))
            candidates.append((_top_zone(line, target, thresholds), f"top:{target.units}"))
        for finding, key in candidates:
            if finding is not None and f"{finding.rule}:{key}" not in seen:
                seen.add(f"{finding.rule}:{key}")
                findings.append(finding)
    return findings
