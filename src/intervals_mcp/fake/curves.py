"""Best efforts of one activity (power, heart rate, speed) for the athlete's curves.

Derived from the activity's interval structure (`details.plan_segments`), the same one its
intervals endpoint shows: each segment holds a steady power (FTP × share), heart rate and
speed. The best average over a window of `d` seconds is exact for that piecewise-constant
profile (a best window starts or ends on a segment boundary); short efforts then rise towards
a peak (sprint power, the activity's max HR or max speed) as `exp(-d / tau)`. A best mean is
not always monotone in `d` (two hard ends around an easy middle), so each activity's curve is
made non-increasing: a longer effort also stands for the shorter durations it beats. Pace
curves are the fewest seconds for each distance, likewise never falling as distance grows.
Results are memoised per activity version.
"""

from __future__ import annotations

import math
import zlib
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from intervals_mcp.fake.details import POWER_SPORTS, plan_segments

# Durations (s) a curve reports, as far as the longest activity in range reaches.
SECS: tuple[int, ...] = (
    1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 360, 480, 600, 720, 900, 1200,
    1800, 2400, 3600, 5400, 7200, 10800, 14400, 18000, 21600,
)
# Distances (m) a pace curve reports, per sport family.
RUN_DISTANCES: tuple[float, ...] = (
    100.0, 200.0, 400.0, 800.0, 1000.0, 1609.34, 3000.0, 5000.0, 10000.0, 15000.0, 21097.5,
    42195.0,
)
SWIM_DISTANCES: tuple[float, ...] = (50.0, 100.0, 200.0, 400.0, 800.0, 1500.0, 3800.0)
_TAU = {"power": 40.0, "hr": 90.0, "speed": 60.0}
_MEMO: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_MEMO_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class Effort:
    value: float
    start: int  # seconds from the activity's start


def best_average(profile: Sequence[tuple[int, float]], secs: int) -> Effort | None:
    """The best mean over `secs` seconds of a piecewise-constant profile [(seconds, level)],
    earliest on ties; None when the profile is shorter."""
    total = sum(length for length, _ in profile)
    if secs <= 0 or secs > total:
        return None
    bounds, energy = [0], [0.0]
    for length, level in profile:
        bounds.append(bounds[-1] + length)
        energy.append(energy[-1] + length * level)

    def integral(t: int) -> float:
        i = min(bisect_right(bounds, t) - 1, len(profile) - 1)
        return energy[i] + (t - bounds[i]) * profile[i][1]

    starts = sorted({b for b in bounds if b + secs <= total}
                    | {b - secs for b in bounds if b - secs >= 0})
    best = max(starts, key=lambda t: (integral(t + secs) - integral(t), -t))
    return Effort((integral(best + secs) - integral(best)) / secs, best)


def with_peak(effort: Effort | None, peak: float, secs: int, tau: float) -> Effort | None:
    """Short efforts rise towards `peak`: mean + (peak - mean) · exp(-secs / tau)."""
    if effort is None:
        return None
    weight = math.exp(-secs / tau)
    return Effort(effort.value + max(0.0, peak - effort.value) * weight, effort.start)


def envelope(efforts: list[Effort | None], *, rising: bool) -> list[Effort | None]:
    """Make values monotone: non-increasing (`rising=False`: each takes the best of itself and
    every later one) or non-decreasing (`rising=True`: each takes the least of itself and every
    later one). Missing values stay missing."""
    out = list(efforts)
    best: Effort | None = None
    for i in range(len(out) - 1, -1, -1):
        effort = out[i]
        if effort is None:
            continue
        if best is None or (effort.value <= best.value if rising else effort.value >= best.value):
            best = effort
        out[i] = best
    return out


def _unit(activity: dict[str, Any], salt: str) -> float:
    """A stable number in [0, 1) per activity (how hard its sprints were, …)."""
    return zlib.crc32(f"{salt}:{activity['id']}".encode()) / 2**32


def _profiles(activity: dict[str, Any]) -> dict[str, list[tuple[int, float]]]:
    segments = plan_segments(activity)
    ftp = activity.get("icu_ftp") or 0
    lthr = activity.get("lthr") or 165
    max_hr = activity.get("athlete_max_hr") or 190
    speed = activity.get("average_speed") or 0.0
    return {
        "power": [(s.secs, ftp * s.pct) for s in segments],
        "hr": [(s.secs, min(lthr * (0.7 + 0.28 * s.pct), max_hr - 3)) for s in segments],
        "speed": [(s.secs, speed * (0.8 + 0.3 * s.pct)) for s in segments],
    }


def _peak(activity: dict[str, Any], kind: str) -> float:
    if kind == "power":
        return float(activity.get("p_max") or 0) * (0.55 + 0.45 * _unit(activity, "sprint"))
    if kind == "hr":
        return float(activity.get("max_heartrate") or 0)
    return float(activity.get("max_speed") or 0.0)


def _memo(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return _MEMO[key]
    value = compute()
    _MEMO[key] = value
    if len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return value


def _version(activity: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(activity.get(k) for k in (
        "id", "analyzed", "type", "moving_time", "icu_intensity", "icu_ftp", "p_max", "lthr",
        "average_speed", "max_speed", "max_heartrate"))


def has_kind(activity: dict[str, Any], kind: str) -> bool:
    """Whether the activity can contribute to a curve of this kind."""
    if kind == "power":
        return activity.get("type") in POWER_SPORTS and bool(activity.get("icu_ftp"))
    if kind == "hr":
        return bool(activity.get("has_heartrate")) and bool(activity.get("lthr"))
    return bool(activity.get("average_speed"))


def efforts(activity: dict[str, Any], kind: str) -> list[Effort | None]:
    """Best efforts of the activity at every duration of SECS ("power", "hr" or "speed")."""
    def compute() -> list[Effort | None]:
        if not has_kind(activity, kind):
            return [None] * len(SECS)
        profile = _profiles(activity)[kind]
        peak = _peak(activity, kind)
        raw = [with_peak(best_average(profile, d), peak, d, _TAU[kind]) for d in SECS]
        return envelope(raw, rising=False)

    result: list[Effort | None] = _memo((kind, *_version(activity)), compute)
    return result


def distance_times(activity: dict[str, Any], distances: Sequence[float]) -> list[Effort | None]:
    """Fewest seconds the activity needed for each distance (Effort.value = seconds)."""
    def compute() -> list[Effort | None]:
        if not has_kind(activity, "speed"):
            return [None] * len(distances)
        profile = _profiles(activity)["speed"]
        peak = _peak(activity, "speed")
        total = sum(length for length, _ in profile)

        def covered(secs: int) -> Effort | None:
            return with_peak(best_average(profile, secs), peak, secs, _TAU["speed"])

        out: list[Effort | None] = []
        for metres in distances:
            whole = covered(total)
            if whole is None or whole.value * total < metres:
                out.append(None)
                continue
            low, high = 1, total  # the least secs whose best window covers `metres`
            while low < high:
                mid = (low + high) // 2
                effort = covered(mid)
                if effort is not None and effort.value * mid >= metres:
                    high = mid
                else:
                    low = mid + 1
            found = covered(low)
            out.append(Effort(float(low), found.start if found else 0))
        return envelope(out, rising=True)

    result: list[Effort | None] = _memo(("distance", tuple(distances), *_version(activity)),
                                        compute)
    return result
