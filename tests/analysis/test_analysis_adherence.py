"""Plan adherence: explicit pairing, same-day fallback, capped compliance, weekly rows."""

from __future__ import annotations

from datetime import date

import pytest
from analysis_support import TODAY, activities, athlete, day_of, events

from intervals_mcp.analysis.adherence import (
    DoneActivity,
    Missed,
    Pair,
    PlannedEvent,
    Unplanned,
    pair_workouts,
    plan_adherence,
)

D = date.fromisoformat


def ev(id: str, day: str, sport: str | None, load: float | None, category: str = "WORKOUT",
       paired: str | None = None) -> PlannedEvent:
    return PlannedEvent(id, D(day), category, f"plan {id}", sport, load, paired)


def act(id: str, day: str, sport: str | None, load: float | None, paired: str | None = None,
        stub: bool = False) -> DoneActivity:
    return DoneActivity(id, D(day), sport, None if stub else f"done {id}", load, paired, stub)


EVENTS = [
    ev("e1", "2026-03-02", "Ride", 80, paired="a1"),
    ev("e2", "2026-03-03", "Run", 50),
    ev("e3", "2026-03-04", "Ride", 60),
    ev("e4", "2026-03-05", "Swim", 40),
    ev("e5", "2026-03-06", None, None, category="NOTE"),
    ev("e6", "2026-03-10", "Ride", 100),
    ev("e7", "2026-03-11", "Run", 50, paired="999"),
    ev("e8", "2026-03-12", "Ride", 70),  # today, not done yet
    ev("e9", "2026-03-12", "Run", 30),  # today, done
    ev("e10", "2026-03-14", "Ride", 90),  # future
    ev("e11", "2026-03-01", "Ride", 90),  # before the span
]
ACTIVITIES = [
    act("a1", "2026-03-02", "Ride", 85),
    act("a12", "2026-03-02", "Ride", 20, paired="e11"),
    act("a2", "2026-03-03", "Run", 45, paired="e2"),
    act("a3", "2026-03-04", "VirtualRide", 90),
    act("a3b", "2026-03-04", "Run", 58),
    act("a6a", "2026-03-10", "Ride", 70),
    act("a6b", "2026-03-10", "Ride", 95),
    act("999", "2026-03-11", None, None, stub=True),
    act("a9", "2026-03-12", "Run", 35),
]


def test_adherence_by_hand() -> None:
    a = plan_adherence(EVENTS, ACTIVITIES, D("2026-03-02"), D("2026-03-15"), today=D("2026-03-12"))
    assert a.planned == 7  # e1 e2 e3 e4 e6 e7, and e9 done today
    assert a.completed == 6
    assert a.missed == (Missed(D("2026-03-05"), "plan e4"),)
    assert a.unplanned == (Unplanned("a3b", D("2026-03-04"), "Run", "done a3b"),
                           Unplanned("a6a", D("2026-03-10"), "Ride", "done a6a"))
    assert set(a.pairs) == {
        Pair("e1", "a1", "explicit"), Pair("e2", "a2", "explicit"), Pair("e7", "999", "explicit"),
        Pair("e3", "a3", "same_day"), Pair("e6", "a6b", "same_day"), Pair("e9", "a9", "same_day")}
    # loads without e7 (done as a Strava-hidden activity): done is capped at the plan
    assert a.planned_load == 80 + 50 + 60 + 40 + 100 + 30
    assert a.done_load == 80 + 45 + 60 + 0 + 95 + 30
    assert a.compliance_pct == pytest.approx(310 / 360 * 100)
    assert a.hidden_completed == 1
    w1, w2 = a.weeks
    assert (w1.start, w1.end, w1.planned, w1.completed, w1.missed, w1.unplanned) == (
        D("2026-03-02"), D("2026-03-08"), 4, 3, 1, 1)
    assert (w1.planned_load, w1.done_load) == (230, 185)
    assert w1.compliance_pct == pytest.approx(185 / 230 * 100)
    assert (w2.planned, w2.completed, w2.missed, w2.unplanned) == (3, 3, 0, 1)
    assert (w2.planned_load, w2.done_load) == (130, 125)


def test_each_activity_pairs_once_and_untyped_plans_take_any_sport() -> None:
    plans = [ev("p1", "2026-03-03", "Run", 50), ev("p2", "2026-03-03", "Run", 40),
             ev("p3", "2026-03-04", None, 30)]
    done = [act("r1", "2026-03-03", "TrailRun", 41), act("y1", "2026-03-04", "Yoga", 10)]
    pairs = pair_workouts(plans, done)
    assert pairs == [Pair("p1", "r1", "same_day"), Pair("p3", "y1", "same_day")]
    a = plan_adherence(plans, done, D("2026-03-01"), D("2026-03-07"), today=D("2026-03-10"))
    assert a.missed == (Missed(D("2026-03-03"), "plan p2"),)
    assert a.compliance_pct == pytest.approx((41 + 10) / (50 + 40 + 30) * 100)


def test_nothing_planned_has_no_compliance() -> None:
    a = plan_adherence([], [act("x", "2026-03-03", "Ride", 50)], D("2026-03-01"), D("2026-03-07"),
                       today=D("2026-03-10"))
    assert (a.planned, a.completed, a.compliance_pct) == (0, 0, None)
    assert [u.id for u in a.unplanned] == ["x"]
    assert [w.compliance_pct for w in a.weeks] == [None, None]


@pytest.mark.parametrize("seed", [1, 7, 30])
def test_a_fake_athletes_plan(seed: int) -> None:
    store = athlete(seed)
    start, end = D("2026-01-01"), D("2026-03-14")
    recs = [a for a in activities(store) if start <= day_of(a) <= end]
    stub_ids = {a["id"] for a in recs if a["source"] == "STRAVA"}
    done = [DoneActivity(a["id"], day_of(a), None if a["id"] in stub_ids else a["type"], a["name"],
                         a["icu_training_load"], None if a["paired_event_id"] is None
                         else str(a["paired_event_id"]), a["id"] in stub_ids) for a in recs]
    plans = [PlannedEvent(str(e["id"]), day_of(e), e["category"], e["name"], e["type"],
                          e["icu_training_load"], e["paired_activity_id"]) for e in events(store)]
    a = plan_adherence(plans, done, start, end, today=TODAY)
    workouts = [e for e in events(store) if e["category"] == "WORKOUT" and start <= day_of(e) <= end]
    by_id = {r["id"]: r for r in recs}
    assert a.planned == len(workouts) > 0
    assert a.completed == sum(1 for e in workouts if e["paired_activity_id"] in by_id)
    planned_load = sum(e["icu_training_load"] for e in workouts)
    done_load = sum(min(by_id[e["paired_activity_id"]]["icu_training_load"], e["icu_training_load"])
                    for e in workouts if e["paired_activity_id"] in by_id)
    assert a.planned_load == planned_load
    assert a.compliance_pct == pytest.approx(done_load / planned_load * 100)
    assert [u.id for u in a.unplanned] == sorted(
        (r["id"] for r in recs if r["paired_event_id"] is None),
        key=lambda i: (day_of(by_id[i]), i))
