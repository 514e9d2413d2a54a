"""get_plan_adherence: planned workouts against what was done, from the fake's calendar and
activities, with a missed workout and a same-day pairing added "upstream"."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from . import expected as ex
from .support import TODAY, athlete, data, serving, text_of

pytestmark = pytest.mark.anyio
D = date.fromisoformat


def rest_day(store: ex.FakeStore, start: date, end: date) -> date:
    """A day of the span without any activity."""
    busy = {ex.day(a) for a in store.activities.values()}
    return next(d for d in ex.days(start, end) if d not in busy)


def lone_run(store: ex.FakeStore, start: date, end: date) -> dict[str, Any]:
    """A visible Run without a plan, alone of its sport that day."""
    runs = [a for a in ex.visible(store, start, end, "Run") if a.get("paired_event_id") is None]
    per_day = {ex.day(a): [r for r in runs if ex.day(r) == ex.day(a)] for a in runs}
    return next(a for a in runs if len(per_day[ex.day(a)]) == 1)


@pytest.mark.parametrize("seed", [22, 23])
async def test_done_missed_unplanned_and_compliance(tmp_path: Path, seed: int) -> None:
    store = athlete(seed)
    start, end = TODAY - timedelta(days=41), TODAY - timedelta(days=1)
    missed_day = rest_day(store, start, end)
    missed = store.add_event(
        {
            "category": "WORKOUT",
            "type": "Ride",
            "name": "Missed Threshold",
            "description": "- 1h 90%",
            "start_date_local": str(missed_day),
        }
    )
    run = lone_run(store, start, end)
    same_day = store.add_event(
        {
            "category": "WORKOUT",
            "type": "Run",
            "name": "Steady Run",
            "description": "- 50m 80% Pace",
            "start_date_local": str(ex.day(run)),
        }
    )
    async with serving(store, tmp_path) as s:
        result = await s.call("get_plan_adherence", start_date=str(start), end_date=str(end))
    got = data(result)

    workouts = ex.events(store, start, end)
    by_id = {a["id"]: a for a in ex.activities(store, start, end)}
    # Intervals.icu's own pairs, then the same-day one added above
    done = {e["id"]: by_id[e["paired_activity_id"]] for e in workouts if e.get("paired_activity_id") in by_id}
    done[same_day["id"]] = run
    planned_load = sum(float(e.get("icu_training_load") or 0) for e in workouts)
    done_load = sum(
        min(float(done[e["id"]]["icu_training_load"] or 0), float(e.get("icu_training_load") or 0))
        for e in workouts
        if e["id"] in done
    )
    assert got["planned"] == len(workouts)
    assert got["completed"] == len(done) == len(workouts) - 1
    assert got["missed"] == [{"date": str(missed_day), "name": "Missed Threshold"}]
    assert got["planned_load"] == pytest.approx(planned_load, abs=0.051)
    assert got["done_load"] == pytest.approx(done_load, abs=0.051)
    assert got["compliance_pct"] == pytest.approx(done_load / planned_load * 100, abs=0.051)
    paired = {a["id"] for a in done.values()}
    unplanned = [a for a in by_id.values() if a["id"] not in paired and a.get("paired_event_id") is None]
    assert got["unplanned_count"] == len(unplanned)
    assert {u["id"] for u in got["unplanned"]} == {a["id"] for a in unplanned}
    assert sum(w["planned"] for w in got["weekly"]) == len(workouts)
    assert sum(w["missed"] for w in got["weekly"]) == 1
    said = text_of(result)
    assert f"Done {len(done)} of {len(workouts)} planned workouts, missed 1" in said
    assert f"{missed_day} Missed Threshold" in said
    assert missed["id"] not in done


async def test_todays_plan_is_not_missed_before_it_is_done(tmp_path: Path) -> None:
    store = athlete(24)
    with store.lock:  # only the workout added below is planned today
        for event in [e for e in store.events.values() if ex.day(e) == TODAY]:
            store.events.pop(event["id"])
    store.add_event(
        {
            "category": "WORKOUT",
            "type": "Rowing",
            "name": "Erg 30",
            "description": "- 30m 70%",
            "start_date_local": str(TODAY),
        }
    )
    async with serving(store, tmp_path) as s:
        got = data(await s.call("get_plan_adherence", start_date=str(TODAY - timedelta(days=6))))
    assert all(m["name"] != "Erg 30" for m in got["missed"])
    assert got["planned"] == len(ex.events(store, TODAY - timedelta(days=6), TODAY - timedelta(days=1)))


async def test_no_plan_in_the_range(tmp_path: Path) -> None:
    async with serving(athlete(25), tmp_path) as s:
        result = await s.call("get_plan_adherence", start_date="2023-01-01", end_date="2023-01-31")
    got = data(result)
    assert (got["planned"], got["completed"], got["compliance_pct"], got["unplanned_count"]) == (
        0,
        0,
        None,
        0,
    )
    assert "No planned workouts" in text_of(result)
