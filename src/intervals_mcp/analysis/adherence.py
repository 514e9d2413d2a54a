"""Plan adherence: which planned workouts were done, which missed, what was done unplanned.

Rules:
- Planned: calendar events of category WORKOUT dated in [start, end] and before `today`.
  A workout dated today counts only once it is done (until then it is not yet missed).
- Pairing, each event and each activity used at most once:
  1. explicit: the event's `paired_activity_id` names the activity, or the activity's
     `paired_event_id` names the event (Intervals.icu's own pairing);
  2. otherwise, same day and same sport (`sports.same_sport`, so a planned Ride pairs with a
     VirtualRide): among the day's candidates the one whose load is closest to the plan,
     then the first given. Only activities with no `paired_event_id` of their own and a known
     type are candidates (a Strava stub has no type). An event without a type takes any sport.
- Unplanned: activities in the span with no pairing and no `paired_event_id`.
- Done load of a completed workout: min(activity load, planned load). Capped so that one
  overlong session cannot make up for a missed one; compliance_pct therefore never exceeds
  100. compliance_pct = 100 * done load / planned load over the completed-or-missed workouts
  whose loads are known: a workout done as a Strava-hidden activity (its load unknown) is
  left out of both sums rather than counted as zero. None when the planned load is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from intervals_mcp.analysis.periods import bucket, check_span, split_periods
from intervals_mcp.analysis.sports import same_sport

WORKOUT = "WORKOUT"


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    id: str
    date: date
    category: str
    name: str | None
    type: str | None
    load: float | None  # icu_training_load of the plan
    paired_activity_id: str | None = None


@dataclass(frozen=True, slots=True)
class DoneActivity:
    id: str
    date: date
    type: str | None
    name: str | None
    load: float | None  # icu_training_load
    paired_event_id: str | None = None
    is_strava_stub: bool = False


@dataclass(frozen=True, slots=True)
class Pair:
    event_id: str
    activity_id: str
    how: Literal["explicit", "same_day"]


@dataclass(frozen=True, slots=True)
class Missed:
    date: date
    name: str | None


@dataclass(frozen=True, slots=True)
class Unplanned:
    id: str
    date: date
    type: str | None
    name: str | None


@dataclass(frozen=True, slots=True)
class AdherenceWeek:
    start: date
    end: date
    planned: int
    completed: int
    missed: int
    unplanned: int
    planned_load: float
    done_load: float
    compliance_pct: float | None


@dataclass(frozen=True, slots=True)
class Adherence:
    planned: int
    completed: int
    missed: tuple[Missed, ...]
    unplanned: tuple[Unplanned, ...]
    planned_load: float
    done_load: float
    compliance_pct: float | None
    pairs: tuple[Pair, ...]
    weeks: tuple[AdherenceWeek, ...]
    hidden_completed: int  # completed through Strava-hidden activities (left out of the loads)


def pair_workouts(events: Sequence[PlannedEvent], activities: Sequence[DoneActivity]) -> list[Pair]:
    """Pairs of (event, activity): explicit links first, then same day and sport."""
    by_id = {a.id: a for a in activities}
    events_by_id = {e.id: e for e in events}
    used_events: set[str] = set()
    used_activities: set[str] = set()
    pairs: list[Pair] = []

    def take(event: PlannedEvent, activity: DoneActivity, how: Literal["explicit", "same_day"]) -> None:
        pairs.append(Pair(event.id, activity.id, how))
        used_events.add(event.id)
        used_activities.add(activity.id)

    for event in events:
        linked = by_id.get(event.paired_activity_id or "")
        if linked is not None and linked.id not in used_activities:
            take(event, linked, "explicit")
    for activity in activities:
        target = events_by_id.get(activity.paired_event_id or "")
        if target is not None and target.id not in used_events and activity.id not in used_activities:
            take(target, activity, "explicit")
    for event in sorted(events, key=lambda e: e.date):
        if event.id in used_events:
            continue
        candidates = [
            a for a in activities
            if a.date == event.date and a.id not in used_activities and a.paired_event_id is None
            and a.type is not None and (event.type is None or same_sport(event.type, a.type))
        ]
        if candidates:
            planned = event.load or 0.0
            best = min(candidates, key=lambda a: abs((a.load or 0.0) - planned))
            take(event, best, "same_day")
    return pairs


def _loads(events: Sequence[PlannedEvent], done: dict[str, DoneActivity]) -> tuple[float, float]:
    """(planned load, capped done load) over the events whose loads are known."""
    planned = achieved = 0.0
    for event in events:
        activity = done.get(event.id)
        if activity is not None and activity.is_strava_stub:
            continue
        plan = event.load or 0.0
        planned += plan
        if activity is not None:
            achieved += min(activity.load or 0.0, plan)
    return planned, achieved


def _pct(done: float, planned: float) -> float | None:
    return done / planned * 100.0 if planned > 0 else None


def plan_adherence(
    events: Sequence[PlannedEvent],
    activities: Sequence[DoneActivity],
    start: date,
    end: date,
    today: date,
) -> Adherence:
    """Everything get_plan_adherence answers, from the span's events and activities."""
    span = check_span(start, end)
    workouts = [e for e in events if e.category == WORKOUT and e.date in span and e.date <= today]
    in_span = [a for a in activities if a.date in span]
    pairs = pair_workouts(workouts, in_span)
    activity_by_id = {a.id: a for a in in_span}
    done_by_event = {p.event_id: activity_by_id[p.activity_id] for p in pairs}
    planned = [e for e in workouts if e.date < today or e.id in done_by_event]
    paired_activities = {p.activity_id for p in pairs}
    missed = [e for e in planned if e.id not in done_by_event]
    unplanned = [
        a for a in in_span if a.id not in paired_activities and a.paired_event_id is None
    ]
    weeks = []
    week_spans = split_periods(start, end, "week")
    for week, week_events, week_unplanned in zip(
        week_spans,
        bucket(planned, week_spans, lambda e: e.date),
        bucket(unplanned, week_spans, lambda a: a.date),
        strict=True,
    ):
        p_load, d_load = _loads(week_events, done_by_event)
        done_count = sum(1 for e in week_events if e.id in done_by_event)
        weeks.append(AdherenceWeek(
            week.start, week.end, len(week_events), done_count, len(week_events) - done_count,
            len(week_unplanned), p_load, d_load, _pct(d_load, p_load),
        ))
    planned_load, done_load = _loads(planned, done_by_event)
    return Adherence(
        planned=len(planned),
        completed=len(planned) - len(missed),
        missed=tuple(Missed(e.date, e.name) for e in sorted(missed, key=lambda e: e.date)),
        unplanned=tuple(Unplanned(a.id, a.date, a.type, a.name)
                        for a in sorted(unplanned, key=lambda a: (a.date, a.id))),
        planned_load=planned_load,
        done_load=done_load,
        compliance_pct=_pct(done_load, planned_load),
        pairs=tuple(pairs),
        weeks=tuple(weeks),
        hidden_completed=sum(1 for e in planned if e.id in done_by_event
                             and done_by_event[e.id].is_strava_stub),
    )
