"""Time in zones, the three-zone model, the polarization index and weekly shares."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pytest
from analysis_support import activities, athlete, day_of, is_stub
from hypothesis import given
from hypothesis import strategies as st

from intervals_mcp.analysis.sports import sport_matches
from intervals_mcp.analysis.zones import (
    ActivityZones,
    check_metric,
    intensity_distribution,
    parse_zone_times,
    polarization_index,
    shares,
    three_zone,
)
from intervals_mcp.errors import InputError

D = date.fromisoformat


def power(*secs: int, ss: int | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"id": f"Z{i}", "secs": s} for i, s in enumerate(secs, start=1)]
    return out + ([{"id": "SS", "secs": ss}] if ss is not None else [])


HAND = [
    parse_zone_times("power", power(600, 1200, 300, 200, 100, 0, 0, ss=250), D("2026-03-02")),
    parse_zone_times("power", power(0, 1800, 0, 600, 300, 60, 40), D("2026-03-10")),
    parse_zone_times("power", None, D("2026-03-11")),
    parse_zone_times("power", [], D("2026-03-12")),
    parse_zone_times("power", power(0, 0, 0), D("2026-03-12")),
    parse_zone_times("power", power(999), D("2026-03-16")),  # after the span
]


def test_power_distribution_by_hand() -> None:
    d = intensity_distribution("power", HAND, D("2026-03-02"), D("2026-03-15"))
    assert [(z.zone, z.seconds) for z in d.zones] == [
        ("Z1", 600), ("Z2", 3000), ("Z3", 300), ("Z4", 800), ("Z5", 400), ("Z6", 60), ("Z7", 40)]
    assert d.total_seconds == 5200
    assert [z.share for z in d.zones] == pytest.approx(
        [600 / 5200, 3000 / 5200, 300 / 5200, 800 / 5200, 400 / 5200, 60 / 5200, 40 / 5200])
    assert d.sweet_spot_seconds == 250  # kept apart: it overlaps Z3 and Z4
    assert (d.with_zones, d.without_zones) == (2, 3)
    p = d.polarization
    assert p is not None
    assert (p.low, p.moderate, p.high) == pytest.approx((3600 / 5200, 300 / 5200, 1300 / 5200))
    assert p.index == pytest.approx(math.log10(3600 / 300 * (1300 / 5200) * 100))
    assert p.polarized
    first, second = d.weeks
    assert (first.start, first.end, first.seconds) == (D("2026-03-02"), D("2026-03-08"), 2400)
    assert first.polarization is not None
    assert first.polarization.index == pytest.approx(math.log10(1800 / 300 * (300 / 2400) * 100))
    assert not first.polarization.polarized  # high equals moderate: not low > high > moderate
    assert second.polarization is not None and second.polarization.moderate == 0
    # no moderate time: the 1% floor stands in for it
    assert second.polarization.index == pytest.approx(
        math.log10((1800 / 2800) / 0.01 * (1000 / 2800) * 100))
    assert second.polarization.polarized


def test_heart_rate_and_pace_zones_are_labelled_by_position() -> None:
    five = parse_zone_times("hr", [100, 200, 300, 400, 500], D("2026-03-03"))
    assert five.zones == (("Z1", 100), ("Z2", 200), ("Z3", 300), ("Z4", 400), ("Z5", 500))
    p = three_zone(dict(five.zones))
    assert p is not None and (p.low, p.moderate, p.high) == pytest.approx((0.2, 0.2, 0.6))
    assert p.index == pytest.approx(math.log10(1 * 0.6 * 100))
    three = three_zone(dict(parse_zone_times("pace", [100, 0, 50], D("2026-03-03")).zones))
    assert three is not None and (three.low, three.moderate, three.high) == pytest.approx((2 / 3, 0, 1 / 3))
    assert three.index == pytest.approx(math.log10((2 / 3) / 0.01 * (1 / 3) * 100))
    assert three_zone({"Z1": 10.0, "Z2": 5.0}) is None  # fewer than three zones
    assert three_zone({}) is None


def test_undefined_index_and_malformed_payloads() -> None:
    assert polarization_index(0.9, 0.1, 0.0) is None
    assert polarization_index(0.0, 0.5, 0.5) is None
    raw = [{"id": "Z1", "secs": None}, {"id": "X", "secs": 5}, "junk"]
    junk = parse_zone_times("power", raw, D("2026-03-03"))
    assert junk.zones == (("Z1", 0.0),)
    assert parse_zone_times("hr", {"not": "a list"}, D("2026-03-03")).zones == ()
    assert check_metric("HR") == "hr" and check_metric(None) == "power"
    with pytest.raises(InputError, match="'watts' is unknown"):
        check_metric("watts")


@pytest.mark.parametrize(("seed", "sport", "metric", "field"), [
    (4, "Ride", "power", "icu_zone_times"), (7, None, "hr", "icu_hr_zone_times"),
    (9, "Run", "pace", "pace_zone_times")])
def test_a_fake_athletes_month(seed: int, sport: str | None, metric: str, field: str) -> None:
    store = athlete(seed, years=0.5)
    start, end = D("2026-02-01"), D("2026-02-28")
    chosen = [a for a in activities(store) if start <= day_of(a) <= end
              and (is_stub(a) or sport_matches(sport, a["type"]))]
    rows = [parse_zone_times(check_metric(metric), None if is_stub(a) else a[field], day_of(a))
            for a in chosen]
    d = intensity_distribution(check_metric(metric), rows, start, end)
    expected: dict[str, float] = {}
    without = 0
    for a in chosen:
        raw = None if is_stub(a) else a[field]
        if not raw:
            without += 1
            continue
        for i, entry in enumerate(raw, start=1):
            label, secs = (entry["id"], entry["secs"]) if metric == "power" else (f"Z{i}", entry)
            if label != "SS":
                expected[label] = expected.get(label, 0) + secs
    assert {z.zone: z.seconds for z in d.zones} == expected
    assert d.without_zones == without > 0
    assert len(d.weeks) == 5  # Sunday 1 Feb alone, then four weeks from Monday, the last clipped
    assert sum(w.seconds for w in d.weeks) == pytest.approx(d.total_seconds)


@given(st.lists(st.lists(st.integers(0, 10_000), min_size=3, max_size=8), min_size=1, max_size=12))
def test_shares_sum_to_one(rows: list[list[int]]) -> None:
    acts = [parse_zone_times("hr", row, D("2026-03-02") + timedelta(days=i % 14))
            for i, row in enumerate(rows)]
    d = intensity_distribution("hr", acts, D("2026-03-02"), D("2026-03-15"))
    if d.total_seconds > 0:
        assert sum(z.share for z in d.zones) == pytest.approx(1.0)
        assert d.polarization is not None
        p = d.polarization
        assert p.low + p.moderate + p.high == pytest.approx(1.0)
    else:
        assert all(z.share == 0 for z in d.zones) and d.polarization is None
    assert sum(w.seconds for w in d.weeks) == d.total_seconds
    assert shares({}) == []
    assert d.with_zones + d.without_zones == len(acts)


def test_zone_totals_ignore_activities_outside_the_span() -> None:
    inside = ActivityZones(D("2026-03-02"), (("Z1", 10.0),))
    outside = ActivityZones(D("2026-03-20"), (("Z1", 99.0),))
    d = intensity_distribution("power", [inside, outside], D("2026-03-01"), D("2026-03-07"))
    assert d.total_seconds == 10 and d.with_zones == 1 and d.without_zones == 0


def test_days_summed_in_sql_count_their_activities() -> None:
    # a day's zone times summed over its two rides, and apart the day's two activities without any
    summed = [
        ActivityZones(D("2026-03-03"), (("Z1", 600.0), ("Z2", 1200.0), ("Z3", 300.0)), 90.0, activities=2),
        ActivityZones(D("2026-03-03"), (), 0.0, activities=2),
    ]
    d = intensity_distribution("power", summed, D("2026-03-02"), D("2026-03-08"))
    assert (d.with_zones, d.without_zones) == (2, 2)
    assert d.total_seconds == 2100 and d.sweet_spot_seconds == 90
