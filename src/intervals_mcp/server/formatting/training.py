"""Training totals and time in zones: text for the model and the structured results."""

from __future__ import annotations

from datetime import date, timedelta

from intervals_mcp.analysis.periods import Period
from intervals_mcp.analysis.summary import Totals, TrainingSummary
from intervals_mcp.analysis.zones import IntensityDistribution, Polarization
from intervals_mcp.server.formatting.core import Framed, hmm
from intervals_mcp.server.formatting.figures import (
    change,
    framed,
    head,
    listed,
    percent,
    plural,
    thousands,
)
from intervals_mcp.server.schemas_analysis import (
    Figures,
    HiddenActivity,
    IntensityResult,
    PeriodFigures,
    PolarizationRow,
    TrainingSummaryResult,
    WeekZonesRow,
    ZoneRow,
    span_of,
)

HIDDEN_NAMED = 6
_LABEL = {"week": "week of", "month": "month", "year": "year", "none": "span"}
_ZONE_LETTERS = {"power": "power", "hr": "heart rate", "pace": "pace"}


def figures(t: Totals) -> Figures:
    return Figures(
        sessions=t.sessions,
        moving_time_s=round(t.moving_time_s),
        distance_km=round(t.distance_km, 1),
        elevation_m=round(t.elevation_m),
        training_load=round(t.training_load, 1),
        strava_hidden=t.strava_hidden,
    )


def period_figures(p: Period, t: Totals) -> PeriodFigures:
    return PeriodFigures(**span_of(p), **figures(t).model_dump())


def _said(t: Totals) -> str:
    return (
        f"{plural(t.sessions, 'session')}, {hmm(t.moving_time_s)} h, {thousands(t.distance_km, 1)} km, "
        f"{thousands(t.elevation_m)} m climbing, load {thousands(t.training_load)}"
    )


def _whole(p: Period, group_by: str) -> bool:
    """Whether a period is a whole ISO week, month or year (not cut by the span)."""
    if group_by == "week":
        return p.start.weekday() == 0 and p.days == 7
    ends_a_month = p.end == date.max or (p.end + timedelta(days=1)).day == 1
    if group_by == "month":
        return p.start.day == 1 and ends_a_month
    return (p.start.month, p.start.day, p.end.month, p.end.day) == (1, 1, 12, 31)


def _label(p: Period, group_by: str) -> str:
    """'2026-11-02' (a week's Monday), '2025-12', '2025'; '*' marks a period cut by the span."""
    if group_by == "none":
        return f"{p.start} to {p.end}"
    text = {"week": str(p.start), "month": p.start.strftime("%Y-%m"), "year": str(p.start.year)}[group_by]
    return text if _whole(p, group_by) else text + "*"


def summary_answer(
    s: TrainingSummary, athlete_id: str, note: str | None, command: str | None
) -> tuple[Framed, TrainingSummaryResult]:
    sport = s.sport or "all sports"
    first = head(
        "Training summary",
        s.span.start,
        s.span.end,
        athlete_id,
        sport,
        f"by {s.group_by}" if s.group_by != "none" else "",
        plural(s.records, "activity", "activities"),
    )
    lines = [note or "", f"Total: {_said(s.totals)}."]
    before = s.previous
    lines.append(
        f"Previous {s.previous_span.days} days ({s.previous_span.start} to {s.previous_span.end}): "
        f"{_said(before)}"
        + (
            f" (load {change(s.totals.training_load, before.training_load)}, time "
            f"{change(s.totals.moving_time_s, before.moving_time_s)})"
            if before.sessions
            else ""
        )
        + "."
    )
    if s.by_sport and (len(s.by_sport) > 1 or s.sport is None):
        parts = [
            f"{kind} {t.sessions}, {hmm(t.moving_time_s)} h, {thousands(t.distance_km, 1)} km, "
            f"load {thousands(t.training_load)}"
            for kind, t in s.by_sport.items()
        ]
        lines.append("By sport: " + "; ".join(parts) + ".")
    if s.hidden:
        unknown = f" (their sport is unknown: they may or may not be {s.sport})" if s.sport else ""
        named = [f"{h.date} {h.id}" for h in s.hidden]
        lines.append(
            f"Strava-hidden, counted but not summed{unknown}: {len(s.hidden)}: {listed(named, HIDDEN_NAMED)}."
        )
    rows = list(s.periods)
    cut = any(not _whole(Period(p.start, p.end), s.group_by) for p in rows)
    columns = [
        (_LABEL[s.group_by], lambda p: _label(Period(p.start, p.end), s.group_by)),
        ("sessions", lambda p: str(p.totals.sessions)),
        ("time h:mm", lambda p: hmm(p.totals.moving_time_s)),
        ("km", lambda p: thousands(p.totals.distance_km, 1)),
        ("climb m", lambda p: thousands(p.totals.elevation_m)),
        ("load", lambda p: thousands(p.totals.training_load)),
    ]
    after = ["* only part of that period lies in the range."] if cut and len(rows) > 1 else []
    text = framed(
        first,
        lines,
        rows if len(rows) > 1 else [],
        columns,
        "ask with a coarser group_by or a shorter range",
        after=after,
    )
    result = TrainingSummaryResult(
        athlete_id=athlete_id,
        start_date=str(s.span.start),
        end_date=str(s.span.end),
        records=s.records,
        note=note,
        sync_command=command,
        group_by=s.group_by,
        sport=s.sport,
        totals=figures(s.totals),
        by_sport={kind: figures(t) for kind, t in s.by_sport.items()},
        periods=[period_figures(Period(p.start, p.end), p.totals) for p in s.periods],
        previous=period_figures(s.previous_span, s.previous),
        strava_hidden=[HiddenActivity(date=str(h.date), id=h.id) for h in s.hidden],
    )
    return text, result


# --- time in zones ------------------------------------------------------------------------------


def _polarization(p: Polarization) -> PolarizationRow:
    return PolarizationRow(
        low=round(p.low, 4),
        moderate=round(p.moderate, 4),
        high=round(p.high, 4),
        index=None if p.index is None else round(p.index, 2),
        polarized=p.polarized,
    )


def _three(p: Polarization) -> str:
    index = "undefined" if p.index is None else f"{p.index:.2f}"
    verdict = "polarized" if p.polarized else "not polarized"
    return (
        f"low {percent(p.low, 1)}, moderate {percent(p.moderate, 1)}, high {percent(p.high, 1)}; "
        f"polarization index {index} ({verdict})"
    )


def _bands(d: IntensityDistribution) -> str:
    """Which zones make low, moderate and high (analysis.zones: Z1-Z2 / Z3 / Z4+, or 1:1 with 3)."""
    if len(d.zones) == 3:
        return "low Z1, moderate Z2, high Z3"
    return "low Z1-Z2, moderate Z3, high Z4 and above"


def intensity_answer(
    d: IntensityDistribution,
    start_end: Period,
    athlete_id: str,
    sport: str | None,
    note: str | None,
    command: str | None,
) -> tuple[Framed, IntensityResult]:
    metric = _ZONE_LETTERS[d.metric]
    counted = d.with_zones + d.without_zones
    first = head(
        "Intensity distribution",
        start_end.start,
        start_end.end,
        athlete_id,
        sport or "all sports",
        f"{metric} zones",
        f"{plural(d.with_zones, 'activity', 'activities')} with zone times",
    )
    lines = [note or ""]
    if d.without_zones:
        lines.append(
            f"{d.without_zones} of {counted} activities have no {metric} zone times, so they are counted "
            "here but not in the shares (no sensor, Strava-hidden, or not that kind of sport)."
        )
    if not d.zones:
        lines.append(f"No {metric} zone times in this range.")
    zone_rows = list(d.zones)
    after = []
    if d.sweet_spot_seconds:
        after.append(
            f"Sweet spot {hmm(d.sweet_spot_seconds)} h (it overlaps Z3-Z4, so it is not added to the zones)."
        )
    if d.polarization is not None:
        after.append(f"Three zones ({_bands(d)}): {_three(d.polarization)}.")
    weeks = [w for w in d.weeks if w.seconds > 0]
    if len(weeks) > 1:
        after.append("week of | time h:mm | low | moderate | high | PI")
        after += [
            f"{w.start} | {hmm(w.seconds)} | "
            + (
                " | ".join(
                    [
                        percent(w.polarization.low),
                        percent(w.polarization.moderate),
                        percent(w.polarization.high),
                        "" if w.polarization.index is None else f"{w.polarization.index:.2f}",
                    ]
                )
                if w.polarization
                else " |  |  | "
            )
            for w in weeks
        ]
    columns = [
        ("zone", lambda z: z.zone),
        ("time h:mm", lambda z: hmm(z.seconds)),
        ("share", lambda z: percent(z.share, 1)),
    ]
    text = framed(first, lines, zone_rows, columns, "ask for a shorter range", after=after)
    result = IntensityResult(
        athlete_id=athlete_id,
        start_date=str(start_end.start),
        end_date=str(start_end.end),
        records=counted,
        note=note,
        sync_command=command,
        sport=sport,
        metric=d.metric,
        zones=[ZoneRow(zone=z.zone, seconds=round(z.seconds), share=round(z.share, 4)) for z in d.zones],
        total_seconds=round(d.total_seconds),
        sweet_spot_seconds=round(d.sweet_spot_seconds),
        polarization=None if d.polarization is None else _polarization(d.polarization),
        weekly=[
            WeekZonesRow(
                **span_of(w),
                seconds=round(w.seconds),
                **(_polarization(w.polarization).model_dump(exclude={"polarized"}) if w.polarization else {}),
            )
            for w in d.weeks
        ],
        activities_with_zones=d.with_zones,
        activities_without_zones=d.without_zones,
    )
    return text, result
