"""Fitness (CTL/ATL/form) and wellness against its baseline: text and structured results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from intervals_mcp.analysis.fitness import FitnessPoint, FitnessTrend, ForecastPoint, downsample
from intervals_mcp.analysis.wellness import BASELINE_DAYS, RECENT_DAYS, Baseline, WellnessTrends
from intervals_mcp.server.formatting.core import Framed, hmm, one
from intervals_mcp.server.formatting.figures import framed, head, plural, r1, signed, thousands
from intervals_mcp.server.formatting.tables import DATE
from intervals_mcp.server.schemas_analysis import (
    BaselineRow,
    DayLineRow,
    FitnessRow,
    FitnessTrendResult,
    ForecastRow,
    LoadMeans,
    PeakRow,
    WellnessTrendsResult,
)

TEXT_POINTS = 14  # rows of the fitness table the model reads (the structured output keeps <= 60)
TEXT_FORECAST = 8


def fitness_answer(
    t: FitnessTrend,
    start: date,
    end: date,
    athlete_id: str,
    forecast_days: int,
    note: str | None,
    command: str | None,
) -> tuple[Framed, FitnessTrendResult]:
    first = head("Fitness trend", start, end, athlete_id, plural(t.records, "day") + " with CTL and ATL")
    lines = [note or ""]
    if t.latest is None:
        lines.append("Intervals.icu has no fitness (CTL) or fatigue (ATL) values in this range.")
    else:
        latest = t.latest
        on = "" if latest.date == end else f" (the last day with values before {end})"
        lines.append(
            f"On {latest.date}{on}: fitness (CTL) {one(latest.ctl)}, fatigue (ATL) {one(latest.atl)}, "
            f"form {signed(latest.form)}."
        )
    if t.peak is not None:
        ramp = (
            "" if t.ramp_per_week is None else f" Ramp {signed(t.ramp_per_week)} CTL a week over the range."
        )
        lines.append(f"Peak fitness {one(t.peak.ctl)} on {t.peak.date}.{ramp}")
    lines.append("Past values are Intervals.icu's own.")
    after: list[str] = []
    if t.forecast:
        last = t.forecast[-1]
        after.append(
            f"Forecast to {last.date}: fitness {one(last.ctl)}, fatigue {one(last.atl)}, form "
            f"{signed(last.form)}, from {thousands(sum(f.planned_load for f in t.forecast))} planned load. "
            f"{t.forecast_note}"
        )
        after.append("date | CTL | ATL | form | planned load")
        after += [
            f"{f.date} | {one(f.ctl)} | {one(f.atl)} | {signed(f.form)} | {thousands(f.planned_load)}"
            for f in downsample(t.forecast, TEXT_FORECAST)
        ]
    elif forecast_days > 0:
        after.append("No forecast: there are no past values to start it from.")
    rows = downsample(t.points, TEXT_POINTS) if len(t.points) > 1 else []
    columns = [
        DATE,
        ("CTL", lambda p: one(p.ctl)),
        ("ATL", lambda p: one(p.atl)),
        ("form", lambda p: signed(p.form)),
    ]
    text = framed(first, lines, rows, columns, "ask for a shorter range", after=after)

    def row(p: FitnessPoint | ForecastPoint) -> FitnessRow:
        return FitnessRow(date=str(p.date), ctl=round(p.ctl, 1), atl=round(p.atl, 1), form=round(p.form, 1))

    result = FitnessTrendResult(
        athlete_id=athlete_id,
        start_date=str(start),
        end_date=str(end),
        records=t.records,
        note=note,
        sync_command=command,
        latest=None if t.latest is None else row(t.latest),
        peak=None if t.peak is None else PeakRow(date=str(t.peak.date), ctl=round(t.peak.ctl, 1)),
        points=[row(p) for p in t.points],
        ramp_per_week=r1(t.ramp_per_week),
        forecast_days=forecast_days,
        forecast=[
            ForecastRow(**row(f).model_dump(), planned_load=round(f.planned_load, 1))
            for f in downsample(t.forecast, 60)
        ],
        forecast_note=t.forecast_note,
    )
    return text, result


# --- wellness against its baseline --------------------------------------------------------------


def _baseline(b: Baseline, digits: int = 1) -> BaselineRow:
    def rounded(v: float | None) -> float | None:
        return None if v is None else round(v, digits)

    return BaselineRow(
        recent_mean=rounded(b.recent_mean),
        baseline_mean=rounded(b.baseline_mean),
        baseline_sd=rounded(b.baseline_sd),
        recent_vs_baseline=rounded(b.recent_vs_baseline),
        recent_vs_baseline_pct=r1(b.recent_vs_baseline_pct),
        recent_days=b.recent_days,
        baseline_days=b.baseline_days,
    )


def _metric(
    label: str,
    b: Baseline,
    unit: str,
    show: Callable[[float | None], str] = one,
    diff_of: Callable[[float], str] = signed,
) -> str:
    if b.recent_mean is None:
        return f"{label}: no value in the recent {RECENT_DAYS} days ({b.baseline_days} in the baseline)."
    sd = "" if b.baseline_sd is None else f" ± {show(b.baseline_sd)}"
    pct = "" if b.recent_vs_baseline_pct is None else f", {b.recent_vs_baseline_pct:+.1f}%"
    diff = "" if b.recent_vs_baseline is None else f" ({diff_of(b.recent_vs_baseline)} {unit}{pct})"
    return (
        f"{label}: recent {show(b.recent_mean)} vs baseline {show(b.baseline_mean)}{sd} {unit}{diff}; "
        f"{b.recent_days} and {b.baseline_days} days with a value."
    )


def _hours(value: float | None) -> str:
    return "" if value is None else hmm(value * 3600)


def _signed_hours(value: float) -> str:
    return ("-" if value < 0 else "+") + hmm(abs(value) * 3600)


def wellness_answer(
    w: WellnessTrends, start: date, athlete_id: str, note: str | None, command: str | None
) -> tuple[Framed, WellnessTrendsResult]:
    recent_start, base_start = w.days[0].date, w.end - timedelta(days=BASELINE_DAYS - 1)
    first = head(
        "Wellness trends",
        start,
        w.end,
        athlete_id,
        f"recent = {RECENT_DAYS} days from {recent_start}, baseline = {BASELINE_DAYS} days from {base_start}",
        plural(w.records, "wellness day"),
    )
    flags = []
    if w.hrv_low:
        flags.append("HRV is below the baseline band (mean - 1 sd)")
    if w.resting_hr_high:
        flags.append("resting HR is above the baseline band (mean + 1 sd)")
    weight = (
        "Weight: too few days with a weight for a trend."
        if w.weight_trend_kg_per_week is None
        else f"Weight: {w.weight_trend_kg_per_week:+.2f} kg a week over {w.weight_days} days with a weight."
    )
    lines = [
        note or "",
        ("Flags: " + "; ".join(flags) + ".")
        if flags
        else "No flags: HRV and resting HR are within the band.",
        _metric("HRV", w.hrv, "ms"),
        _metric("Resting HR", w.resting_hr, "bpm"),
        _metric("Sleep", w.sleep_hours, "h:mm", _hours, _signed_hours),
        weight,
        f"Training load: recent {one(w.recent_load_mean)} a day, baseline {one(w.baseline_load_mean)}.",
    ]
    columns = [
        DATE,
        ("HRV ms", lambda d: one(d.hrv)),
        ("rest HR", lambda d: one(d.resting_hr)),
        ("sleep h:mm", lambda d: _hours(d.sleep_hours)),
        ("load", lambda d: thousands(d.training_load)),
    ]
    text = framed(first, lines, list(w.days), columns, "ask for fewer days")
    result = WellnessTrendsResult(
        athlete_id=athlete_id,
        start_date=str(start),
        end_date=str(w.end),
        records=w.records,
        note=note,
        sync_command=command,
        recent_start=str(recent_start),
        baseline_start=str(base_start),
        hrv=_baseline(w.hrv),
        resting_hr=_baseline(w.resting_hr),
        sleep_hours=_baseline(w.sleep_hours, 2),
        hrv_low=w.hrv_low,
        resting_hr_high=w.resting_hr_high,
        flags=flags,
        weight_trend_kg_per_week=None
        if w.weight_trend_kg_per_week is None
        else round(w.weight_trend_kg_per_week, 3),
        weight_days=w.weight_days,
        training_load=LoadMeans(
            recent_mean=round(w.recent_load_mean, 1), baseline_mean=round(w.baseline_load_mean, 1)
        ),
        days=[
            DayLineRow(
                date=str(d.date),
                hrv=d.hrv,
                resting_hr=d.resting_hr,
                sleep_hours=None if d.sleep_hours is None else round(d.sleep_hours, 2),
                training_load=round(d.training_load, 1),
            )
            for d in w.days
        ],
    )
    return text, result
