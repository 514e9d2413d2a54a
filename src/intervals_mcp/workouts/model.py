"""The typed shapes of a workout: targets, steps, repeat blocks, findings, thresholds, totals.

Field names follow the platform's own `workout_doc` (WORKOUT_TEXT.md §2; MV `utils/types.py`), so a
parsed step reads like the step Intervals.icu would store for the same line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from intervals_mcp.errors import InputError

Severity = Literal["error", "warning"]
Field = Literal["power", "hr", "pace", "cadence"]
SportFamily = Literal["ride", "run", "swim", "other"]

# Units as `workout_doc` stores them (WORKOUT_TEXT.md §2), grouped by the step field they live in.
POWER_UNITS = frozenset({"%ftp", "w", "power_zone", "%mmp"})
HR_UNITS = frozenset({"%hr", "%lthr", "hr_zone"})
# Absolute paces are seconds per denominator; "secs" is the sport's default unit (`5:00 Pace`).
PACE_DENOMINATORS: dict[str, float] = {
    "km": 1000.0, "mi": 1609.344, "100m": 100.0, "100y": 91.44, "500m": 500.0, "400m": 400.0,
    "250m": 250.0,
}
PACE_UNITS = frozenset({"%pace", "pace_zone", "secs"} | {f"secs/{d}" for d in PACE_DENOMINATORS})
ZONE_UNITS = frozenset({"power_zone", "hr_zone", "pace_zone"})


class WorkoutDocError(InputError):
    """The workout_doc cannot be turned into workout text; check its steps."""


@dataclass(frozen=True, slots=True)
class Target:
    """One intensity or cadence target: a `value`, or a `start`-`end` band (a ramp when the step says so).

    `average` is the head-unit averaging window the platform keeps as `target` (`power=1s`, §2).
    """

    units: str
    value: float | None = None
    start: float | None = None
    end: float | None = None
    average: str | None = None

    @property
    def is_range(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass(frozen=True, slots=True)
class Step:
    """One `- ` line the platform keeps (§1): a duration (seconds) or a distance (metres), targets, flags.

    `line` is the 1-based line of the text it came from (0 when built from a `workout_doc`); it is
    left out of equality so a rendered-then-parsed step equals the step it was rendered from.
    """

    duration: int | None = None
    distance: float | None = None
    text: str | None = None
    power: Target | None = None
    hr: Target | None = None
    pace: Target | None = None
    cadence: Target | None = None
    ramp: bool = False
    freeride: bool = False
    maxeffort: bool = False
    hidepower: bool = False
    until_lap_press: bool = False
    intensity: str | None = None
    warmup: bool = False
    cooldown: bool = False
    line: int = field(default=0, compare=False)

    @property
    def has_intensity_target(self) -> bool:
        """Power, heart rate or pace; cadence alone is not an intensity target (§2, RUSTY)."""
        return self.power is not None or self.hr is not None or self.pace is not None


@dataclass(frozen=True, slots=True)
class Repeat:
    """An `Nx` block (§3): its steps run `reps` times. `text` is the header line as written."""

    reps: int
    steps: tuple[Step, ...]
    text: str | None = None
    line: int = field(default=0, compare=False)


Item = Step | Repeat

LineKind = Literal["blank", "step", "dropped", "repeat", "section", "prose"]


@dataclass(frozen=True, slots=True)
class Token:
    """One whitespace-separated piece of a step line, classified (see `tokens.classify`).

    `text` is what was written (two words when a qualifier such as `Pace` or `HR` was joined on).
    `seconds`/`metres` are set for durations/distances, `target` for targets.
    """

    text: str
    kind: str
    seconds: int | None = None
    metres: float | None = None
    target: Target | None = None
    target_field: Field | None = None
    minutes_only: bool = False


@dataclass(frozen=True, slots=True)
class StepScan:
    """How one step line was read: its label, its tokens after the label, and the step (None: dropped)."""

    label: str | None
    label_cleared: bool
    tokens: tuple[Token, ...]
    step: Step | None


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the text as the parser classified it (kept for the linter's messages)."""

    number: int
    text: str
    kind: LineKind
    scan: StepScan | None = None
    reps: int | None = None


@dataclass(frozen=True, slots=True)
class Workout:
    """A parsed workout: the step tree, the prose lines, and every line as classified."""

    items: tuple[Item, ...]
    notes: tuple[str, ...] = ()
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One lint result: which rule, the 1-based line, how bad, and one sentence saying what to write."""

    rule: str
    line: int
    severity: Severity
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "line": self.line, "severity": self.severity, "message": self.message}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The athlete's anchors for one sport, as Intervals.icu keeps them in `sportSettings` (API_NOTES §3).

    `ftp` W, `lthr`/`max_hr` bpm, `threshold_pace_m_per_s` a speed (CSS for swims, §5). Zones are
    the upper bounds as the platform stores them: `power_zones` % of FTP (last 999), `hr_zones` bpm,
    `pace_zones` % of threshold pace. Everything is optional: unknown anchors give no estimate.
    """

    sport: str | None = None
    ftp: float | None = None
    lthr: float | None = None
    max_hr: float | None = None
    threshold_pace_m_per_s: float | None = None
    power_zones: tuple[float, ...] | None = None
    hr_zones: tuple[float, ...] | None = None
    pace_zones: tuple[float, ...] | None = None


@dataclass(frozen=True, slots=True)
class WorkoutSummary:
    """Totals and estimates for a workout (see `totals.summarize` for how each is computed).

    `duration_s` includes `estimated_s`, the time of distance steps converted with a pace;
    `untimed_distance_m` is distance no pace could convert (so it is missing from `duration_s`).
    `load` is None when no step had a target the thresholds could resolve; `unloaded_s` counts
    the seconds of steps that add nothing to it.
    """

    step_count: int
    duration_s: int
    distance_m: float
    load: float | None
    intensity: float | None
    estimated_s: int = 0
    untimed_distance_m: float = 0.0
    unloaded_s: int = 0
    has_distance_steps: bool = False
    basis: tuple[str, ...] = ()


def sport_family(sport: str | None) -> SportFamily:
    """Ride, run, swim or other, from an Intervals.icu activity type (`VirtualRide`, `TrailRun`…)."""
    name = (sport or "").lower()
    if "swim" in name:
        return "swim"
    if "run" in name:
        return "run"
    if "ride" in name or name in {"velomobile", "handcycle"}:
        return "ride"
    return "other"
