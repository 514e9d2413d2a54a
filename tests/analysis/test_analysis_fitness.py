"""Fitness trend: latest, peak, ramp, downsampling and the 42/7-day forecast."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from analysis_support import activities, athlete, day_of, wellness
from hypothesis import given
from hypothesis import strategies as st

from intervals_mcp.analysis.fitness import (
    FORECAST_NOTE,
    FitnessDay,
    FitnessPoint,
    downsample,
    fitness_trend,
    forecast_fitness,
    known_points,
    latest_fitness,
    peak_fitness,
    ramp_per_week,
)

D = date.fromisoformat
DAYS = [
    FitnessDay(D("2026-01-01"), 50.0, 60.0),
    FitnessDay(D("2026-01-02"), 51.0, 55.0),
    FitnessDay(D("2026-01-03"), None, None),
    FitnessDay(D("2026-01-04"), 53.0, 50.0),
]


def test_latest_peak_and_ramp_by_hand() -> None:
    points = known_points(DAYS)
    assert [p.date for p in points] == [D("2026-01-01"), D("2026-01-02"), D("2026-01-04")]
    assert latest_fitness(points, D("2026-01-04")) == FitnessPoint(D("2026-01-04"), 53.0, 50.0, 3.0)
    # no value on the 3rd: the latest before it, dated as it is
    assert latest_fitness(points, D("2026-01-03")) == FitnessPoint(D("2026-01-02"), 51.0, 55.0, -4.0)
    assert latest_fitness(points, D("2025-12-31")) is None
    assert peak_fitness(points) == FitnessPoint(D("2026-01-04"), 53.0, 50.0, 3.0)
    assert ramp_per_week(points) == pytest.approx((53.0 - 50.0) * 7 / 3)
    assert ramp_per_week(points[:1]) is None


def test_peak_tie_goes_to_the_most_recent_day() -> None:
    points = known_points([FitnessDay(D("2026-01-01"), 60.0, 1.0),
                           FitnessDay(D("2026-01-05"), 60.0, 2.0),
                           FitnessDay(D("2026-01-09"), 59.0, 3.0)])
    assert peak_fitness(points) == FitnessPoint(D("2026-01-05"), 60.0, 2.0, 58.0)


def test_forecast_uses_intervals_icu_decay_factors() -> None:
    # Forum-published factors: Fitness takes 0.023528 of the load, Fatigue 0.133122.
    last = FitnessPoint(D("2026-01-04"), 50.0, 40.0, 10.0)
    out = forecast_fitness(last, {D("2026-01-05"): 100.0}, 2)
    ctl1, atl1 = 50 + (100 - 50) * 0.023528, 40 + (100 - 40) * 0.133122
    ctl2, atl2 = ctl1 * (1 - 0.023528), atl1 * (1 - 0.133122)
    assert [p.date for p in out] == [D("2026-01-05"), D("2026-01-06")]
    assert [p.planned_load for p in out] == [100.0, 0.0]
    assert out[0].ctl == pytest.approx(ctl1, rel=1e-5)
    assert out[0].atl == pytest.approx(atl1, rel=1e-5)
    assert out[0].form == pytest.approx(ctl1 - atl1, rel=1e-4)
    assert out[1].ctl == pytest.approx(ctl2, rel=1e-5)
    assert out[1].atl == pytest.approx(atl2, rel=1e-5)


@pytest.mark.parametrize("seed", [5, 7])
def test_forecast_over_the_real_loads_reproduces_the_fakes_fitness(seed: int) -> None:
    store = athlete(seed, years=0.5)
    by_day = {w["id"]: w for w in wellness(store)}
    loads: dict[date, float] = {}
    for a in activities(store):  # Strava activities count toward fitness too
        loads[day_of(a)] = loads.get(day_of(a), 0.0) + a["icu_training_load"]
    start = D("2026-01-10")
    w = by_day[start.isoformat()]
    out = forecast_fitness(FitnessPoint(start, w["ctl"], w["atl"], w["ctl"] - w["atl"]), loads, 60)
    for point in out:
        truth = by_day[point.date.isoformat()]
        assert point.ctl == pytest.approx(truth["ctl"], abs=1e-3)
        assert point.atl == pytest.approx(truth["atl"], abs=1e-3)


def series(n: int, peak_at: int) -> list[FitnessPoint]:
    first = D("2025-01-01")
    return [FitnessPoint(first + timedelta(days=i), 100.0 if i == peak_at else float(i % 50), 0.0,
                         0.0) for i in range(n)]


def test_a_year_becomes_weekly_points_ending_on_the_last_day_with_the_peak_added() -> None:
    points = series(365, peak_at=100)
    out = downsample(points, 60)
    # step ceil(365/60) = 7 counting back from index 364 = 52*7: every multiple of 7 (53 points),
    # plus the peak at index 100, which falls between 98 and 105 and there is room for it.
    expected = sorted([*range(0, 365, 7), 100])
    assert [(p.date - points[0].date).days for p in out] == expected


def test_a_full_selection_trades_the_nearest_point_for_the_peak() -> None:
    points = series(120, peak_at=50)
    out = downsample(points, 60)
    # step 2 back from 119: the 60 odd indexes; 49 and 51 are equally near 50: the earlier goes.
    expected = sorted([i for i in range(1, 120, 2) if i != 49] + [50])
    assert [(p.date - points[0].date).days for p in out] == expected
    assert downsample(points[:10], 60) == points[:10]


@given(
    st.lists(st.floats(min_value=0, max_value=200, allow_nan=False), min_size=1, max_size=800),
    st.integers(min_value=2, max_value=80),
)
def test_downsample_keeps_last_and_peak_within_the_budget(ctls: list[float], budget: int) -> None:
    first = D("2020-01-01")
    points = [FitnessPoint(first + timedelta(days=i), c, 0.0, 0.0) for i, c in enumerate(ctls)]
    out = downsample(points, budget)
    assert len(out) <= budget
    assert out[-1] == points[-1]
    top = max(ctls)
    peak_day = max(p.date for p in points if p.ctl == top)
    assert any(p.date == peak_day for p in out)
    assert all(a.date < b.date for a, b in itertools.pairwise(out))
    assert set(out) <= set(points)


def test_trend_forecasts_from_the_latest_known_day_to_end_plus_forecast_days() -> None:
    trend = fitness_trend(DAYS, D("2026-01-01"), D("2026-01-05"), forecast_days=2,
                          planned={D("2026-01-06"): 80.0})
    assert trend.latest is not None and trend.latest.date == D("2026-01-04")
    assert [p.date for p in trend.forecast] == [D("2026-01-05"), D("2026-01-06"), D("2026-01-07")]
    assert [p.planned_load for p in trend.forecast] == [0.0, 80.0, 0.0]
    assert trend.forecast_note == FORECAST_NOTE
    assert "Estimate" in FORECAST_NOTE
    assert trend.records == 3
    plain = fitness_trend(DAYS, D("2026-01-02"), D("2026-01-04"))
    assert plain.forecast == () and plain.forecast_note is None
    assert plain.ramp_per_week == pytest.approx((53.0 - 51.0) * 7 / 2)


def test_trend_of_an_empty_range() -> None:
    trend = fitness_trend([], D("2026-01-01"), D("2026-01-31"), forecast_days=10)
    assert (trend.latest, trend.peak, trend.points, trend.ramp_per_week, trend.forecast) == (
        None, None, (), None, ())


def test_a_long_forecast_is_thinned_to_its_budget_ending_on_race_day() -> None:
    last = FitnessPoint(D("2026-03-15"), 60.0, 70.0, -10.0)
    ahead = forecast_fitness(last, {D("2026-04-01"): 300.0}, 200)
    kept = downsample(ahead, 60)
    assert len(kept) <= 60 and kept[-1] == ahead[-1]
    assert max(ahead, key=lambda p: (p.ctl, p.date)) in kept
