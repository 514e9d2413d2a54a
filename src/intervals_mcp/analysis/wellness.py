"""Wellness against the athlete's own baseline: HRV, resting HR, sleep, weight, load beside them.

Definitions (all ours, labelled as such by the tool):
- recent: the 7 days ending `end`; baseline: the 60 days ending `end` (it includes the recent
  days). Means are over the days that have a value; a missing value is never a zero.
- baseline_sd: the sample standard deviation (n - 1) of the baseline values; None under two.
- recent_vs_baseline: recent_mean - baseline_mean, in the metric's unit (ms, bpm, h);
  recent_vs_baseline_pct: that difference as a percentage of baseline_mean.
- Flags: HRV is low when recent_mean < baseline_mean - baseline_sd; resting HR is high when
  recent_mean > baseline_mean + baseline_sd.
- Weight trend: the least-squares slope of weight over the days of [start, end] that have one,
  in kg per week.
- Training load beside them: each recent day's total load, and the mean daily load of the
  recent and the baseline days (a day without training has load 0: there the zero is real).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

RECENT_DAYS = 7
BASELINE_DAYS = 60


@dataclass(frozen=True, slots=True)
class WellnessDay:
    """One wellness record's values (None: not recorded that day)."""

    date: date
    hrv: float | None = None  # rMSSD, ms
    resting_hr: float | None = None  # restingHR, bpm
    sleep_secs: float | None = None  # sleepSecs
    weight: float | None = None  # kg


@dataclass(frozen=True, slots=True)
class Baseline:
    recent_mean: float | None
    baseline_mean: float | None
    baseline_sd: float | None
    recent_vs_baseline: float | None
    recent_vs_baseline_pct: float | None
    recent_days: int  # days with a value among the recent days
    baseline_days: int  # days with a value among the baseline days


@dataclass(frozen=True, slots=True)
class DayLine:
    """One recent day: its wellness values beside its training load."""

    date: date
    hrv: float | None
    resting_hr: float | None
    sleep_hours: float | None
    training_load: float


@dataclass(frozen=True, slots=True)
class WellnessTrends:
    end: date
    hrv: Baseline
    resting_hr: Baseline
    sleep_hours: Baseline
    hrv_low: bool
    resting_hr_high: bool
    weight_trend_kg_per_week: float | None
    weight_days: int
    recent_load_mean: float  # mean daily training load of the recent days
    baseline_load_mean: float  # mean daily training load of the baseline days
    days: tuple[DayLine, ...]  # the recent days, oldest first
    records: int  # wellness days used (baseline window and weight span together)


def baseline(values: Mapping[date, float], end: date,
             recent_days: int = RECENT_DAYS, baseline_days: int = BASELINE_DAYS) -> Baseline:
    """Recent and baseline statistics of one metric; `values` holds only days with a value."""
    recent_from = end - timedelta(days=recent_days - 1)
    base_from = end - timedelta(days=baseline_days - 1)
    recent = [v for d, v in values.items() if recent_from <= d <= end]
    base = [v for d, v in values.items() if base_from <= d <= end]
    recent_mean = statistics.fmean(recent) if recent else None
    base_mean = statistics.fmean(base) if base else None
    sd = statistics.stdev(base) if len(base) >= 2 else None
    diff = None if recent_mean is None or base_mean is None else recent_mean - base_mean
    pct = None if diff is None or not base_mean else diff / base_mean * 100.0
    return Baseline(recent_mean, base_mean, sd, diff, pct, len(recent), len(base))


def below_band(b: Baseline) -> bool:
    """Recent mean under baseline mean - 1 sd (False when any of them is unknown)."""
    if b.recent_mean is None or b.baseline_mean is None or b.baseline_sd is None:
        return False
    return b.recent_mean < b.baseline_mean - b.baseline_sd


def above_band(b: Baseline) -> bool:
    """Recent mean over baseline mean + 1 sd (False when any of them is unknown)."""
    if b.recent_mean is None or b.baseline_mean is None or b.baseline_sd is None:
        return False
    return b.recent_mean > b.baseline_mean + b.baseline_sd


def weekly_slope(values: Mapping[date, float]) -> float | None:
    """Least-squares slope of the values against their day, per 7 days; None under two days."""
    if len(values) < 2:
        return None
    first = min(values)
    xs = [float((d - first).days) for d in values]
    slope, _ = statistics.linear_regression(xs, list(values.values()))
    return slope * 7.0


def _series(days: Sequence[WellnessDay], pick: str) -> dict[date, float]:
    out: dict[date, float] = {}
    for day in days:
        value = getattr(day, pick)
        if value is not None:
            out[day.date] = float(value)
    return out


def wellness_trends(
    days: Sequence[WellnessDay],
    start: date,
    end: date,
    daily_load: Mapping[date, float],
) -> WellnessTrends:
    """Everything get_wellness_trends answers.

    `days` must cover the baseline window (the 60 days ending `end`) and [start, end] for the
    weight trend; other days are ignored. `daily_load` maps a day to its total training load
    (days absent: 0).
    """
    base_from = end - timedelta(days=BASELINE_DAYS - 1)
    recent_from = end - timedelta(days=RECENT_DAYS - 1)
    in_base = [d for d in days if base_from <= d.date <= end]
    hrv = baseline(_series(in_base, "hrv"), end)
    rhr = baseline(_series(in_base, "resting_hr"), end)
    sleep = baseline({d: s / 3600.0 for d, s in _series(in_base, "sleep_secs").items()}, end)
    weights = _series([d for d in days if start <= d.date <= end], "weight")
    by_date = {d.date: d for d in in_base}
    lines = []
    for offset in range(RECENT_DAYS):
        day = recent_from + timedelta(days=offset)
        w = by_date.get(day)
        sleep_secs = w.sleep_secs if w else None
        lines.append(DayLine(
            day,
            w.hrv if w else None,
            w.resting_hr if w else None,
            None if sleep_secs is None else sleep_secs / 3600.0,
            float(daily_load.get(day, 0.0)),
        ))
    base_load = [float(daily_load.get(base_from + timedelta(days=i), 0.0)) for i in range(BASELINE_DAYS)]
    used = {d.date for d in in_base} | set(weights)
    return WellnessTrends(
        end=end,
        hrv=hrv,
        resting_hr=rhr,
        sleep_hours=sleep,
        hrv_low=below_band(hrv),
        resting_hr_high=above_band(rhr),
        weight_trend_kg_per_week=weekly_slope(weights),
        weight_days=len(weights),
        recent_load_mean=statistics.fmean(line.training_load for line in lines),
        baseline_load_mean=statistics.fmean(base_load),
        days=tuple(lines),
        records=len(used),
    )
