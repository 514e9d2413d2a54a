"""Wellness baselines, flags, weight trend and load beside them."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from analysis_support import activities, athlete, day_of, wellness

from intervals_mcp.analysis.wellness import WellnessDay, baseline, weekly_slope, wellness_trends

D = date.fromisoformat
END = D("2026-03-15")  # recent: 03-09..03-15; baseline: 2026-01-15..03-15 (17 + 28 + 15 days)


def sample_sd(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def hand_days() -> list[WellnessDay]:
    days = [WellnessDay(D("2026-01-14"), hrv=1000.0, resting_hr=10.0)]  # outside the baseline
    day = D("2026-02-01")
    while day <= END:
        recent = day >= D("2026-03-09")
        days.append(WellnessDay(
            day,
            hrv=None if day == D("2026-03-12") else (50.0 if recent else 70.0),
            resting_hr=55.0 if recent and day != D("2026-03-12") else 48.0,
            sleep_secs=8 * 3600.0,
            weight={D("2026-03-01"): 70.0, D("2026-03-08"): 69.3, END: 68.6}.get(day),
        ))
        day += timedelta(days=1)
    days.append(WellnessDay(D("2026-02-20"), weight=90.0))  # before the weight span
    return days


def test_baselines_flags_and_weight_by_hand() -> None:
    loads = {D("2026-03-10"): 100.0, D("2026-03-14"): 40.0, D("2026-02-01"): 60.0,
             D("2026-01-01"): 500.0}
    t = wellness_trends(hand_days(), D("2026-03-01"), END, loads)
    hrv_values = [70.0] * 36 + [50.0] * 6  # 02-01..03-08 at 70; the recent days but the 12th at 50
    assert t.hrv.recent_mean == pytest.approx(50.0)
    assert t.hrv.baseline_mean == pytest.approx(sum(hrv_values) / 42)
    assert t.hrv.baseline_sd == pytest.approx(sample_sd(hrv_values))
    assert t.hrv.recent_vs_baseline == pytest.approx(50.0 - 2820 / 42)
    assert t.hrv.recent_vs_baseline_pct == pytest.approx((50.0 - 2820 / 42) / (2820 / 42) * 100)
    assert (t.hrv.recent_days, t.hrv.baseline_days) == (6, 42)
    assert t.hrv_low
    rhr_values = [48.0] * 37 + [55.0] * 6
    assert t.resting_hr.baseline_mean == pytest.approx(sum(rhr_values) / 43)
    assert t.resting_hr.recent_mean == pytest.approx((55.0 * 6 + 48.0) / 7)
    assert t.resting_hr_high
    assert t.sleep_hours.recent_mean == pytest.approx(8.0)
    assert t.sleep_hours.baseline_sd == pytest.approx(0.0)
    assert t.weight_trend_kg_per_week == pytest.approx(-0.7)
    assert t.weight_days == 3
    assert t.recent_load_mean == pytest.approx(140.0 / 7)
    assert t.baseline_load_mean == pytest.approx(200.0 / 60)
    assert [line.date for line in t.days] == [D("2026-03-09") + timedelta(days=i) for i in range(7)]
    assert t.days[3].hrv is None and t.days[3].resting_hr == 48.0
    assert t.days[1].training_load == 100.0 and t.days[0].training_load == 0.0
    assert t.days[0].sleep_hours == pytest.approx(8.0)


def test_missing_values_are_never_zeros() -> None:
    days = [WellnessDay(END, hrv=60.0), WellnessDay(END - timedelta(days=1))]
    t = wellness_trends(days, END - timedelta(days=6), END, {})
    assert t.hrv.recent_mean == 60.0 and t.hrv.baseline_sd is None
    assert not t.hrv_low  # no band without a standard deviation
    assert t.resting_hr.recent_mean is None and t.resting_hr.recent_vs_baseline is None
    assert not t.resting_hr_high
    assert t.weight_trend_kg_per_week is None and t.weight_days == 0
    assert t.recent_load_mean == 0.0


def test_empty_and_single_values() -> None:
    assert baseline({}, END).recent_mean is None
    assert weekly_slope({END: 70.0}) is None
    b = baseline({END: 10.0, END - timedelta(days=30): 20.0}, END)
    assert (b.recent_mean, b.baseline_mean) == (10.0, 15.0)
    assert b.baseline_sd == pytest.approx(sample_sd([10.0, 20.0]))


@pytest.mark.parametrize("seed", [2, 7, 13])
def test_a_fake_athletes_wellness(seed: int) -> None:
    store = athlete(seed)
    records = wellness(store)
    days = [WellnessDay(day_of(w), w["hrv"], w["restingHR"], w["sleepSecs"], w["weight"])
            for w in records]
    loads: dict[date, float] = {}
    for a in activities(store):
        loads[day_of(a)] = loads.get(day_of(a), 0.0) + a["icu_training_load"]
    end, start = D("2026-03-14"), D("2025-12-15")
    t = wellness_trends(days, start, end, loads)
    recent = [w for w in records if end - timedelta(days=6) <= day_of(w) <= end]
    base = [w for w in records if end - timedelta(days=59) <= day_of(w) <= end]
    recent_hrv = [w["hrv"] for w in recent if w["hrv"] is not None]
    base_hrv = [w["hrv"] for w in base if w["hrv"] is not None]
    assert t.hrv.recent_mean == pytest.approx(sum(recent_hrv) / len(recent_hrv))
    assert t.hrv.baseline_mean == pytest.approx(sum(base_hrv) / len(base_hrv))
    assert t.hrv.baseline_sd == pytest.approx(sample_sd(base_hrv))
    assert t.hrv_low == (sum(recent_hrv) / len(recent_hrv)
                         < sum(base_hrv) / len(base_hrv) - sample_sd(base_hrv))
    base_sleep = [w["sleepSecs"] / 3600 for w in base if w["sleepSecs"] is not None]
    assert t.sleep_hours.baseline_mean == pytest.approx(sum(base_sleep) / len(base_sleep))
    # weight: least squares by the normal equations
    pts = [((day_of(w) - start).days, w["weight"]) for w in records
           if start <= day_of(w) <= end and w["weight"] is not None]
    n = len(pts)
    mx, my = sum(x for x, _ in pts) / n, sum(y for _, y in pts) / n
    slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    assert t.weight_trend_kg_per_week == pytest.approx(slope * 7)
    assert t.recent_load_mean == pytest.approx(
        sum(loads.get(end - timedelta(days=i), 0.0) for i in range(7)) / 7)
