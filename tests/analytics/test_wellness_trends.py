"""get_wellness_trends: recent week against the 60-day baseline, from the fake's wellness records
(missing values are skipped, never zeros) and the activities' load beside them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from . import expected as ex
from .support import TODAY, athlete, data, serving, text_of

pytestmark = pytest.mark.anyio
D = date.fromisoformat


def values(records: list[dict[str, Any]], key: str, scale: float = 1.0) -> list[float]:
    return [float(r[key]) / scale for r in records if r.get(key) is not None]


def check_metric(got: dict[str, Any], store: ex.FakeStore, end: date, key: str, scale: float = 1.0) -> None:
    recent = values(ex.wellness(store, end - timedelta(days=6), end), key, scale)
    base = values(ex.wellness(store, end - timedelta(days=59), end), key, scale)
    digits = 2 if scale != 1.0 else 1
    want = {"recent_mean": ex.mean(recent), "baseline_mean": ex.mean(base), "baseline_sd": ex.sample_sd(base)}
    for name, value in want.items():
        assert got[name] == (None if value is None else pytest.approx(value, abs=0.6 * 10**-digits))
    assert (got["recent_days"], got["baseline_days"]) == (len(recent), len(base))
    if recent and base:
        assert got["recent_vs_baseline"] == pytest.approx(
            ex.mean(recent) - ex.mean(base), abs=0.6 * 10**-digits
        )


def daily_load(store: ex.FakeStore, d: date) -> float:
    return ex.total(ex.visible(store, d, d), "icu_training_load")


def slope_per_week(points: list[tuple[date, float]]) -> float:
    xs = [(d - points[0][0]).days for d, _ in points]
    ys = [w for _, w in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return 7 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


@pytest.mark.parametrize(("seed", "start", "end"), [(13, None, None), (14, "2025-10-01", "2025-12-31")])
async def test_recent_against_baseline_from_the_records(
    tmp_path: Path, seed: int, start: str | None, end: str | None
) -> None:
    store = athlete(seed)
    args = {k: v for k, v in {"start_date": start, "end_date": end}.items() if v}
    async with serving(store, tmp_path) as s:
        result = await s.call("get_wellness_trends", **args)
    got = data(result)
    first, last = (D(start), D(end)) if start and end else (TODAY - timedelta(days=59), TODAY)
    check_metric(got["hrv"], store, last, "hrv")
    check_metric(got["resting_hr"], store, last, "restingHR")
    check_metric(got["sleep_hours"], store, last, "sleepSecs", 3600.0)
    weights = [
        (D(w["id"]), float(w["weight"]))
        for w in ex.wellness(store, first, last)
        if w.get("weight") is not None
    ]
    assert got["weight_days"] == len(weights)
    assert got["weight_trend_kg_per_week"] == pytest.approx(slope_per_week(weights), abs=0.001)
    recent_days = ex.days(last - timedelta(days=6), last)
    assert [d["date"] for d in got["days"]] == [str(d) for d in recent_days]
    for line, d in zip(got["days"], recent_days, strict=True):
        assert line["training_load"] == pytest.approx(daily_load(store, d), abs=0.051)
    baseline_load = [daily_load(store, d) for d in ex.days(last - timedelta(days=59), last)]
    assert got["training_load"]["baseline_mean"] == pytest.approx(ex.mean(baseline_load), abs=0.051)
    assert got["training_load"]["recent_mean"] == pytest.approx(
        ex.mean([daily_load(store, d) for d in recent_days]), abs=0.051
    )
    assert text_of(result).startswith(f"Wellness trends {first} to {last} (athlete i12345")


async def test_a_poor_week_is_flagged_and_missing_values_are_not_zeros(tmp_path: Path) -> None:
    store = athlete(15)
    with store.lock:
        for back in range(7):
            day = store.wellness[str(TODAY - timedelta(days=back))]
            if back in (1, 4):  # the watch stayed in the drawer: no reading at all
                day.update(hrv=None, restingHR=None, sleepSecs=None)
            else:
                day.update(hrv=21.0, restingHR=75, sleepSecs=5 * 3600)
    async with serving(store, tmp_path) as s:
        result = await s.call("get_wellness_trends")
    got = data(result)
    assert got["hrv"]["recent_days"] == 5 and got["hrv"]["recent_mean"] == pytest.approx(21.0)
    assert got["resting_hr"]["recent_mean"] == pytest.approx(75.0)
    assert got["sleep_hours"]["recent_mean"] == pytest.approx(5.0)
    assert got["hrv_low"] and got["resting_hr_high"]
    assert len(got["flags"]) == 2
    said = text_of(result)
    assert "HRV is below the baseline band" in said and "resting HR is above the baseline band" in said
    missing = [line for line in got["days"] if line["hrv"] is None]
    assert [line["date"] for line in missing] == [
        str(TODAY - timedelta(days=4)),
        str(TODAY - timedelta(days=1)),
    ]
    check_metric(got["hrv"], store, TODAY, "hrv")


async def test_no_wellness_at_all_gives_empty_means(tmp_path: Path) -> None:
    async with serving(athlete(16), tmp_path) as s:
        result = await s.call("get_wellness_trends", start_date="2023-01-01", end_date="2023-03-01")
    got = data(result)
    assert got["records"] == 0
    assert got["hrv"]["recent_mean"] is None and got["hrv"]["baseline_days"] == 0
    assert not got["hrv_low"] and not got["resting_hr_high"]
    assert got["weight_trend_kg_per_week"] is None
    assert "HRV: no value in the recent 7 days" in text_of(result)
