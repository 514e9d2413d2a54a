"""get_intensity_distribution: time in zones summed here from every activity's own zone times."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from . import expected as ex
from .support import TODAY, athlete, data, serving, text_of

pytestmark = pytest.mark.anyio
D = date.fromisoformat
FIELDS = {"power": "icu_zone_times", "hr": "icu_hr_zone_times", "pace": "pace_zone_times"}


def zone_seconds(activity: dict[str, Any], metric: str) -> dict[str, float]:
    raw = activity.get(FIELDS[metric]) or []
    if metric == "power":
        return {z["id"]: float(z["secs"]) for z in raw if z["id"].startswith("Z")}
    return {f"Z{i}": float(s) for i, s in enumerate(raw, start=1)}


def sweet_spot(activity: dict[str, Any]) -> float:
    return sum(float(z["secs"]) for z in activity.get("icu_zone_times") or [] if z["id"] == "SS")


@pytest.mark.parametrize(
    ("seed", "start", "end", "sport", "metric"),
    [
        (17, None, None, None, "power"),  # runs, swims, strength and Strava stubs have no power zones
        (18, "2025-11-01", "2025-12-31", "Run", "hr"),
        (19, "2025-06-01", "2025-08-31", "Swim", "pace"),
        (20, "2026-01-05", "2026-03-01", "Ride", "power"),  # with VirtualRide
    ],
)
async def test_zone_times_add_up(
    tmp_path: Path, seed: int, start: str | None, end: str | None, sport: str | None, metric: str
) -> None:
    store = athlete(seed)
    args = {
        k: v for k, v in {"start_date": start, "end_date": end, "sport": sport, "metric": metric}.items() if v
    }
    async with serving(store, tmp_path) as s:
        result = await s.call("get_intensity_distribution", **args)
    got = data(result)
    first, last = (D(start), D(end)) if start and end else (TODAY - timedelta(days=55), TODAY)
    counted = ex.visible(store, first, last, sport)
    if sport is None:  # Strava stubs have no type: only "all sports" counts them, without zones
        counted += [a for a in ex.activities(store, first, last) if ex.hidden(a)]
    zoned = [a for a in counted if not ex.hidden(a) and sum(zone_seconds(a, metric).values()) > 0]
    totals: dict[str, float] = defaultdict(float)
    for a in zoned:
        for zone, secs in zone_seconds(a, metric).items():
            totals[zone] += secs
    whole = sum(totals.values())
    assert got["activities_with_zones"] == len(zoned)
    assert got["activities_without_zones"] == len(counted) - len(zoned)
    assert got["records"] == len(counted)
    assert [z["zone"] for z in got["zones"]] == sorted(totals, key=lambda z: int(z[1:]))
    for z in got["zones"]:
        assert z["seconds"] == pytest.approx(totals[z["zone"]], abs=1)
        assert z["share"] == pytest.approx(totals[z["zone"]] / whole, abs=0.0001)
    assert got["total_seconds"] == pytest.approx(whole, abs=1)
    if metric == "power":
        assert got["sweet_spot_seconds"] == pytest.approx(sum(sweet_spot(a) for a in zoned), abs=1)
    low = (totals["Z1"] + totals["Z2"]) / whole
    moderate = totals["Z3"] / whole
    high = 1 - low - moderate
    pol = got["polarization"]
    assert (pol["low"], pol["moderate"], pol["high"]) == pytest.approx((low, moderate, high), abs=0.0001)
    assert pol["index"] == pytest.approx(math.log10(low / max(moderate, 0.01) * high * 100), abs=0.006)
    weekly: dict[date, float] = defaultdict(float)
    for a in zoned:
        weekly[ex.monday(ex.day(a))] += sum(zone_seconds(a, metric).values())
    for week in got["weekly"]:
        assert week["seconds"] == pytest.approx(weekly[ex.monday(D(week["start"]))], abs=1)
    assert got["weekly"][0]["start"] == str(first) and got["weekly"][-1]["end"] == str(last)
    said = text_of(result)
    assert f"{len(zoned)} activities with zone times" in said.splitlines()[0]
    if len(counted) > len(zoned):
        assert f"{len(counted) - len(zoned)} of {len(counted)} activities have no" in said


async def test_no_zone_times_in_an_empty_span(tmp_path: Path) -> None:
    async with serving(athlete(21), tmp_path) as s:
        result = await s.call("get_intensity_distribution", start_date="2023-01-01", end_date="2023-02-01")
    got = data(result)
    assert got["zones"] == [] and got["polarization"] is None and got["total_seconds"] == 0
    assert got["activities_with_zones"] == got["activities_without_zones"] == 0
    assert "No power zone times in this range." in text_of(result)
