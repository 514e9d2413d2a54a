"""Fitness (CTL), fatigue (ATL) and form over a span, and our forecast of them.

Past CTL/ATL are Intervals.icu's own wellness values, passed in, never recomputed here.
Form = CTL - ATL (Intervals.icu has no form field).

The forecast is ours and labelled as an estimate. It uses Intervals.icu's exponentially
weighted model: each day, `ctl += (load - ctl) * k` with `k = 1 - exp(-1/42)` (= 0.023528),
and the same for ATL with 7 days (k = 0.133122). These are the decay factors a forum analysis
of Intervals.icu's numbers gives ("new Load contributes 0.023528*Load to Fitness and
0.133122*Load to Fatigue", https://forum.intervals.icu/t/calculate-needed-training-load/5788),
and the ones our fake Intervals.icu uses, so a forecast over known loads reproduces the
platform's own values. The textbook form `ctl += (load - ctl) / 42` differs by about 1% in k.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

CTL_DAYS = 42
ATL_DAYS = 7
MAX_POINTS = 60
FORECAST_NOTE = (
    "Estimate: projected by intervals-mcp from the planned workouts' load with the 42/7-day "
    "model; not Intervals.icu's own values."
)


@dataclass(frozen=True, slots=True)
class FitnessDay:
    """One wellness day's fitness and fatigue, as Intervals.icu computed them."""

    date: date
    ctl: float | None
    atl: float | None

    @property
    def form(self) -> float | None:
        return None if self.ctl is None or self.atl is None else self.ctl - self.atl


@dataclass(frozen=True, slots=True)
class FitnessPoint:
    """A day with both values: Intervals.icu's own, or (as a `ForecastPoint`) our projection."""

    date: date
    ctl: float
    atl: float
    form: float


@dataclass(frozen=True, slots=True)
class ForecastPoint(FitnessPoint):
    """A projected day: the values the planned load of that day leads to (an estimate)."""

    planned_load: float


@dataclass(frozen=True, slots=True)
class FitnessTrend:
    latest: FitnessPoint | None
    peak: FitnessPoint | None  # the day of the highest CTL (see `peak_fitness`)
    points: tuple[FitnessPoint, ...]
    ramp_per_week: float | None
    forecast: tuple[ForecastPoint, ...]
    forecast_note: str | None  # FORECAST_NOTE when there is a forecast
    records: int  # days with both CTL and ATL


def known_points(days: Sequence[FitnessDay]) -> list[FitnessPoint]:
    """The days that have both CTL and ATL, in date order."""
    return [
        FitnessPoint(d.date, d.ctl, d.atl, d.ctl - d.atl)
        for d in sorted(days, key=lambda d: d.date)
        if d.ctl is not None and d.atl is not None
    ]


def latest_fitness(points: Sequence[FitnessPoint], end: date) -> FitnessPoint | None:
    """The values on `end`, or on the last day before it that has them (its date says which)."""
    before = [p for p in points if p.date <= end]
    return max(before, key=lambda p: p.date) if before else None


def peak_fitness(points: Sequence[FitnessPoint]) -> FitnessPoint | None:
    """The point of the highest CTL; on a tie, the most recent day."""
    return max(points, key=lambda p: (p.ctl, p.date), default=None)


class _Charted(Protocol):
    @property
    def date(self) -> date: ...

    @property
    def ctl(self) -> float: ...


P = TypeVar("P", bound=_Charted)


def downsample(points: Sequence[P], max_points: int = MAX_POINTS) -> list[P]:
    """At most `max_points` of the date-ordered `points`, always with the last one and the peak
    (past points or forecast ones alike).

    Every `step`-th point counting back from the last, with step = ceil(n / max_points): a year
    of days becomes one point a week, each on the weekday of the last day. When the peak falls
    between two kept points it takes the place of the nearest kept point other than the last
    (or is added, when there is room), so the count never grows past `max_points`.
    """
    if max_points < 2:
        raise ValueError("max_points must be at least 2")
    n = len(points)
    if n <= max_points:
        return list(points)
    step = math.ceil(n / max_points)
    kept = list(range(n - 1, -1, -step))[::-1]
    peak = max(range(n), key=lambda i: (points[i].ctl, points[i].date))
    if peak not in kept:
        if len(kept) < max_points:
            kept.append(peak)
        else:
            nearest = min(kept[:-1], key=lambda i: (abs(i - peak), i))
            kept[kept.index(nearest)] = peak
        kept.sort()
    return [points[i] for i in kept]


def ramp_per_week(points: Sequence[FitnessPoint]) -> float | None:
    """Average CTL change per 7 days over the range.

    (CTL on the last day with a value - CTL on the first) * 7 / days between them; None with
    fewer than two days. Not Intervals.icu's `rampRate` (the change over the last 7 days only).
    """
    if len(points) < 2:
        return None
    first, last = points[0], points[-1]
    days = (last.date - first.date).days
    return None if days <= 0 else (last.ctl - first.ctl) * 7.0 / days


def _decay(days: int) -> float:
    return 1.0 - math.exp(-1.0 / days)


def forecast_fitness(
    last: FitnessPoint,
    planned: Mapping[date, float],
    days: int,
    ctl_days: int = CTL_DAYS,
    atl_days: int = ATL_DAYS,
) -> list[ForecastPoint]:
    """CTL/ATL for each of the `days` days after `last.date`, from the planned daily loads.

    `planned` maps a day to the sum of its planned workouts' load; a day absent from it has
    load 0 (rest). An estimate: see FORECAST_NOTE.
    """
    k_ctl, k_atl = _decay(ctl_days), _decay(atl_days)
    ctl, atl = last.ctl, last.atl
    out: list[ForecastPoint] = []
    for offset in range(1, days + 1):
        day = last.date + timedelta(days=offset)
        load = float(planned.get(day, 0.0))
        ctl += (load - ctl) * k_ctl
        atl += (load - atl) * k_atl
        out.append(ForecastPoint(day, ctl, atl, ctl - atl, load))
    return out


def fitness_trend(
    days: Sequence[FitnessDay],
    start: date,
    end: date,
    forecast_days: int = 0,
    planned: Mapping[date, float] | None = None,
    max_points: int = MAX_POINTS,
) -> FitnessTrend:
    """Everything get_fitness_trend answers, from the wellness days of [start, end].

    The forecast starts the day after the latest known values (normally `end`) and runs
    `forecast_days` days past `end`.
    """
    points = [p for p in known_points(days) if start <= p.date <= end]
    latest = latest_fitness(points, end)
    forecast: list[ForecastPoint] = []
    if forecast_days > 0 and latest is not None:
        horizon = (end - latest.date).days + forecast_days
        forecast = forecast_fitness(latest, planned or {}, horizon)
    return FitnessTrend(
        latest=latest,
        peak=peak_fitness(points),
        points=tuple(downsample(points, max_points)),
        ramp_per_week=ramp_per_week(points),
        forecast=tuple(forecast),
        forecast_note=FORECAST_NOTE if forecast else None,
        records=len(points),
    )
