"""get_fitness_trend: Intervals.icu's own CTL/ATL from the fake's wellness records, and the
forecast recomputed here by hand from the planned workouts with the 42/7-day model."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pytest

from . import expected as ex
from .support import TODAY, athlete, data, serving, text_of

pytestmark = pytest.mark.anyio
D = date.fromisoformat


def known(store: ex.FakeStore, start: date, end: date) -> list[dict[str, float | str]]:
    return [
        {"date": w["id"], "ctl": w["ctl"], "atl": w["atl"]}
        for w in ex.wellness(store, start, end)
        if w.get("ctl") is not None and w.get("atl") is not None
    ]


def forecast(
    ctl: float, atl: float, first: date, last: date, loads: dict[date, float]
) -> tuple[float, float]:
    k_ctl, k_atl = 1 - math.exp(-1 / 42), 1 - math.exp(-1 / 7)
    for d in ex.days(first, last):
        load = loads.get(d, 0.0)
        ctl += (load - ctl) * k_ctl
        atl += (load - atl) * k_atl
    return ctl, atl


@pytest.mark.parametrize(
    ("seed", "start", "end", "forecast_days"),
    [(8, None, None, 30), (9, "2025-10-01", "2026-01-31", 45), (11, "2026-02-01", "2026-03-15", 0)],
)
async def test_the_trend_is_intervals_own_values_and_the_forecast_the_plan(
    tmp_path: Path, seed: int, start: str | None, end: str | None, forecast_days: int
) -> None:
    store = athlete(seed)
    args = {"start_date": start, "end_date": end, "forecast_days": forecast_days}
    async with serving(store, tmp_path) as s:
        got = data(await s.call("get_fitness_trend", **{k: v for k, v in args.items() if v is not None}))
    first, last = (D(start), D(end)) if start and end else (TODAY - timedelta(days=364), TODAY)
    points = known(store, first, last)
    assert got["records"] == len(points)
    final = points[-1]
    assert got["latest"] == {
        "date": final["date"],
        "ctl": round(float(final["ctl"]), 1),
        "atl": round(float(final["atl"]), 1),
        "form": pytest.approx(round(float(final["ctl"]) - float(final["atl"]), 1), abs=0.11),
    }
    peak = max(points, key=lambda p: (p["ctl"], p["date"]))
    assert got["peak"] == {"date": peak["date"], "ctl": round(float(peak["ctl"]), 1)}
    span = (D(str(final["date"])) - D(str(points[0]["date"]))).days
    ramp = (float(final["ctl"]) - float(points[0]["ctl"])) * 7 / span
    assert got["ramp_per_week"] == pytest.approx(ramp, abs=0.051)
    shown = got["points"]
    assert len(shown) <= 60 and shown[-1]["date"] == final["date"]
    assert peak["date"] in [p["date"] for p in shown]
    by_date = {p["date"]: p for p in points}
    for p in shown:
        assert p["ctl"] == round(float(by_date[p["date"]]["ctl"]), 1)
    if forecast_days:
        planned: dict[date, float] = {}
        for e in ex.events(
            store, D(str(final["date"])) + timedelta(days=1), last + timedelta(days=forecast_days)
        ):
            planned[ex.day(e)] = planned.get(ex.day(e), 0.0) + float(e.get("icu_training_load") or 0)
        race_day = last + timedelta(days=forecast_days)
        ctl, atl = forecast(
            float(final["ctl"]),
            float(final["atl"]),
            D(str(final["date"])) + timedelta(days=1),
            race_day,
            planned,
        )
        assert got["forecast"][-1]["date"] == str(race_day)
        assert got["forecast"][-1]["ctl"] == pytest.approx(ctl, abs=0.051)
        assert got["forecast"][-1]["atl"] == pytest.approx(atl, abs=0.051)
        assert "Estimate" in (got["forecast_note"] or "")
        assert len(got["forecast"]) <= 60
    else:
        assert got["forecast"] == [] and got["forecast_note"] is None


async def test_days_without_values_are_skipped_not_zeros(tmp_path: Path) -> None:
    store = athlete(10)
    with store.lock:
        for back in range(3):  # the last three days have no fitness values upstream
            store.wellness[str(TODAY - timedelta(days=back))].update(ctl=None, atl=None)
    async with serving(store, tmp_path) as s:
        result = await s.call(
            "get_fitness_trend", start_date=str(TODAY - timedelta(days=29)), forecast_days=7
        )
    got = data(result)
    last_known = TODAY - timedelta(days=3)
    assert got["latest"]["date"] == str(last_known)
    assert got["records"] == 27
    assert f"the last day with values before {TODAY}" in text_of(result)
    # the forecast starts after the last known day and still runs to end_date + 7
    assert got["forecast"][-1]["date"] == str(TODAY + timedelta(days=7))


async def test_an_empty_span_says_so(tmp_path: Path) -> None:
    async with serving(athlete(12), tmp_path) as s:
        result = await s.call(
            "get_fitness_trend", start_date="2023-01-01", end_date="2023-06-30", forecast_days=10
        )
    got = data(result)
    assert got["latest"] is None and got["peak"] is None and got["points"] == [] and got["forecast"] == []
    assert got["records"] == 0
    assert "no fitness (CTL) or fatigue (ATL) values in this range" in text_of(result)
    assert "No forecast" in text_of(result)
