"""Training totals over a span: overall, per sport, per period, and for the span just before.

Strava-hidden activities (the API's five-key stubs) have no type and no figures. They are
counted (`strava_hidden`) and listed by date and id, never added to the sums as zeros, and
never counted in `sessions`: `sessions` is the number of activities whose figures are summed.

A row may stand for several activities already summed (the database sums each day's
activities of one type in SQL): `ActivityRow.sessions` says how many, 1 for one activity.
Their sport is unknown, so they are listed whatever the sport filter; with a filter the text
should say they may or may not be of that sport.

Figures are not rounded here; the formatter rounds for people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from intervals_mcp.analysis.periods import (
    GroupBy,
    Period,
    bucket,
    check_group_by,
    previous_span,
    split_periods,
)
from intervals_mcp.analysis.sports import normalize_sport, sport_matches


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """One cached activity as the summary needs it (None: the payload had no value)."""

    date: date
    type: str | None
    moving_time_s: float | None = None
    distance_m: float | None = None
    elevation_m: float | None = None  # total_elevation_gain
    training_load: float | None = None  # icu_training_load
    is_strava_stub: bool = False
    id: str = ""
    sessions: int = 1  # activities this row sums (a day's activities of one type, in SQL)


@dataclass(frozen=True, slots=True)
class Totals:
    sessions: int = 0
    moving_time_s: float = 0.0
    distance_km: float = 0.0
    elevation_m: float = 0.0
    training_load: float = 0.0
    strava_hidden: int = 0


@dataclass(frozen=True, slots=True)
class PeriodTotals:
    start: date
    end: date
    totals: Totals


@dataclass(frozen=True, slots=True)
class HiddenActivity:
    date: date
    id: str


@dataclass(frozen=True, slots=True)
class TrainingSummary:
    span: Period
    group_by: GroupBy
    sport: str | None  # the canonical filter, None for all sports
    totals: Totals
    by_sport: dict[str, Totals]  # activity type -> totals, most moving time first
    periods: tuple[PeriodTotals, ...]
    previous: Totals
    previous_span: Period
    hidden: tuple[HiddenActivity, ...]  # Strava-hidden activities in the span, by date
    records: int  # activities in the span that were used (visible + hidden)


def totals_of(rows: Iterable[ActivityRow]) -> Totals:
    """Sum the visible rows; count the Strava stubs apart."""
    sessions = hidden = 0
    moving = distance = elevation = load = 0.0
    for row in rows:
        if row.is_strava_stub:
            hidden += row.sessions
            continue
        sessions += row.sessions
        moving += row.moving_time_s or 0.0
        distance += row.distance_m or 0.0
        elevation += row.elevation_m or 0.0
        load += row.training_load or 0.0
    return Totals(sessions, moving, distance / 1000.0, elevation, load, hidden)


def summarize_training(
    rows: Sequence[ActivityRow],
    start: date,
    end: date,
    group_by: str | None = None,
    sport: str | None = None,
) -> TrainingSummary:
    """Totals for [start, end], its periods, each sport, and the equally long span before it.

    `rows` may hold the activities of both spans (the caller can fetch previous.start..end in
    one query); rows outside both spans are ignored. The sport rule is `sports.sport_matches`;
    Strava stubs pass every filter (their sport is unknown) and are only counted.
    """
    grouping = check_group_by(group_by, start, end)
    sport_name = normalize_sport(sport)
    span = Period(start, end)
    before = previous_span(start, end)
    kept = [r for r in rows if r.is_strava_stub or sport_matches(sport_name, r.type)]
    current = [r for r in kept if r.date in span]
    by_type: dict[str, list[ActivityRow]] = {}
    for row in current:
        if not row.is_strava_stub:
            by_type.setdefault(row.type or "Unknown", []).append(row)
    by_sport = {name: totals_of(group) for name, group in by_type.items()}
    by_sport = dict(sorted(by_sport.items(), key=lambda item: (-item[1].moving_time_s, item[0])))
    cuts = split_periods(start, end, grouping)
    buckets = bucket(current, cuts, lambda r: r.date)
    periods = tuple(PeriodTotals(p.start, p.end, totals_of(b)) for p, b in zip(cuts, buckets, strict=True))
    hidden = tuple(
        HiddenActivity(r.date, r.id)
        for r in sorted(current, key=lambda r: (r.date, r.id))
        if r.is_strava_stub
    )
    return TrainingSummary(
        span=span,
        group_by=grouping,
        sport=sport_name,
        totals=totals_of(current),
        by_sport=by_sport,
        periods=periods,
        previous=totals_of(r for r in kept if r.date in before),
        previous_span=before,
        hidden=hidden,
        records=sum(r.sessions for r in current),
    )
