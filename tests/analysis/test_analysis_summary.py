"""Training totals: by hand on a small set, and against a fake athlete's records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from analysis_support import activities, athlete, day_of, is_stub
from hypothesis import given
from hypothesis import strategies as st

from intervals_mcp.analysis.summary import ActivityRow, HiddenActivity, Totals, summarize_training
from intervals_mcp.errors import InputError

D = date.fromisoformat

ROWS = [
    ActivityRow(D("2026-03-02"), "Ride", 3600, 30000, 300, 50, id="a1"),
    ActivityRow(D("2026-03-04"), "VirtualRide", 2700, 25000, 0, 40, id="a2"),
    ActivityRow(D("2026-03-10"), "Run", 1800, 5000, None, 30, id="a3"),
    ActivityRow(D("2026-03-11"), None, is_strava_stub=True, id="1234"),
    ActivityRow(D("2026-03-14"), "WeightTraining", 1800, None, None, 10, id="a5"),
    # the previous span (2026-02-16 .. 2026-03-01) and a row outside both spans
    ActivityRow(D("2026-02-20"), "Ride", 7200, 60000, 800, 100, id="b1"),
    ActivityRow(D("2026-02-28"), None, is_strava_stub=True, id="5678"),
    ActivityRow(D("2026-02-15"), "Ride", 9999, 99999, 999, 999, id="b2"),
]


def test_totals_periods_sports_and_previous_by_hand() -> None:
    s = summarize_training(ROWS, D("2026-03-02"), D("2026-03-15"), group_by="week")
    assert s.totals == Totals(sessions=4, moving_time_s=9900, distance_km=60.0, elevation_m=300,
                              training_load=130, strava_hidden=1)
    assert list(s.by_sport) == ["Ride", "VirtualRide", "Run", "WeightTraining"]
    assert s.by_sport["Ride"] == Totals(1, 3600, 30.0, 300, 50, 0)
    assert s.by_sport["WeightTraining"] == Totals(1, 1800, 0.0, 0, 10, 0)
    assert [(p.start, p.end) for p in s.periods] == [
        (D("2026-03-02"), D("2026-03-08")), (D("2026-03-09"), D("2026-03-15"))]
    assert s.periods[0].totals == Totals(2, 6300, 55.0, 300, 90, 0)
    assert s.periods[1].totals == Totals(2, 3600, 5.0, 0, 40, 1)
    assert s.previous_span.start == D("2026-02-16")
    assert s.previous == Totals(1, 7200, 60.0, 800, 100, 1)
    assert s.hidden == (HiddenActivity(D("2026-03-11"), "1234"),)
    assert s.records == 5


def test_sport_filter_takes_the_family_and_keeps_hidden_ones_listed() -> None:
    s = summarize_training(ROWS, D("2026-03-02"), D("2026-03-15"), sport="ride")
    assert s.sport == "Ride"
    assert s.group_by == "none"  # 14 days
    assert s.totals == Totals(2, 6300, 55.0, 300, 90, 1)
    assert set(s.by_sport) == {"Ride", "VirtualRide"}
    assert s.periods[0].totals == s.totals
    only_zwift = summarize_training(ROWS, D("2026-03-02"), D("2026-03-15"), sport="VirtualRide")
    assert only_zwift.totals == Totals(1, 2700, 25.0, 0, 40, 1)
    with pytest.raises(InputError):
        summarize_training(ROWS, D("2026-03-02"), D("2026-03-15"), sport="Cycling")


def test_empty_span_has_zero_totals_and_every_period() -> None:
    s = summarize_training([], D("2026-01-01"), D("2026-03-31"), group_by="month")
    assert s.totals == Totals()
    assert len(s.periods) == 3
    assert s.hidden == ()
    assert s.records == 0


@pytest.mark.parametrize("seed", [3, 7, 21])
def test_a_fake_athletes_year_by_month(seed: int) -> None:
    store = athlete(seed)
    records = activities(store)
    rows = [ActivityRow(day_of(a), None if is_stub(a) else a["type"], a["moving_time"],
                        a["distance"], a["total_elevation_gain"], a["icu_training_load"],
                        is_stub(a), a["id"]) for a in records]
    start, end = D("2025-04-01"), D("2026-03-14")
    s = summarize_training(rows, start, end, sport="Run")
    assert s.group_by == "month"
    runs = [a for a in records if start <= day_of(a) <= end and not is_stub(a)
            and a["type"] in ("Run", "VirtualRun", "TrailRun")]
    stubs = [a for a in records if start <= day_of(a) <= end and is_stub(a)]
    assert s.totals.sessions == len(runs)
    assert s.totals.moving_time_s == sum(a["moving_time"] for a in runs)
    assert s.totals.distance_km == pytest.approx(sum(a["distance"] for a in runs) / 1000)
    assert s.totals.training_load == sum(a["icu_training_load"] for a in runs)
    assert s.totals.strava_hidden == len(stubs) > 0
    assert [h.id for h in s.hidden] == [a["id"] for a in stubs]
    march = [a for a in runs if day_of(a) >= D("2026-03-01")]
    assert (s.periods[-1].start, s.periods[-1].end) == (D("2026-03-01"), end)
    assert s.periods[-1].totals.sessions == len(march)
    assert s.periods[-1].totals.elevation_m == pytest.approx(
        sum(a["total_elevation_gain"] or 0 for a in march))
    previous_start = start - timedelta(days=(end - start).days + 1)
    before = [a for a in records if not is_stub(a) and a["type"] in ("Run", "VirtualRun", "TrailRun")
              and previous_start <= day_of(a) < start]
    assert s.previous.sessions == len(before)


row_strategy = st.builds(
    ActivityRow,
    date=st.dates(min_value=D("2025-12-01"), max_value=D("2026-05-31")),
    type=st.sampled_from(["Ride", "VirtualRide", "Run", "Swim", "Yoga"]),
    moving_time_s=st.one_of(st.none(), st.integers(0, 20000).map(float)),
    distance_m=st.one_of(st.none(), st.integers(0, 200000).map(float)),
    elevation_m=st.one_of(st.none(), st.integers(0, 3000).map(float)),
    training_load=st.one_of(st.none(), st.integers(0, 400).map(float)),
    is_strava_stub=st.booleans(),
)


@given(st.lists(row_strategy, max_size=40), st.sampled_from(["week", "month", "year", "none"]))
def test_periods_and_sports_add_up_to_the_totals(rows: list[ActivityRow], group_by: str) -> None:
    start, end = D("2026-01-10"), D("2026-04-20")
    s = summarize_training(rows, start, end, group_by=group_by)
    inside = [r for r in rows if start <= r.date <= end]
    visible = [r for r in inside if not r.is_strava_stub]
    assert s.totals.sessions == len(visible)
    assert s.totals.training_load == sum(r.training_load or 0 for r in visible)
    assert s.totals.strava_hidden == len(inside) - len(visible)
    assert sum(p.totals.sessions for p in s.periods) == s.totals.sessions
    assert sum(p.totals.strava_hidden for p in s.periods) == s.totals.strava_hidden
    assert sum(p.totals.moving_time_s for p in s.periods) == pytest.approx(s.totals.moving_time_s)
    assert sum(t.sessions for t in s.by_sport.values()) == s.totals.sessions


def test_rows_summed_per_day_give_the_same_totals_as_single_activities() -> None:
    # what the database hands over: each day's activities of one type already summed
    summed = [
        ActivityRow(D("2026-03-02"), "Ride", 5400, 45000, 300, 75, sessions=2),
        ActivityRow(D("2026-03-11"), None, is_strava_stub=True, id="1234"),
        ActivityRow(D("2026-03-11"), None, is_strava_stub=True, id="1235"),
    ]
    single = [
        ActivityRow(D("2026-03-02"), "Ride", 3600, 30000, 300, 50, id="a1"),
        ActivityRow(D("2026-03-02"), "Ride", 1800, 15000, None, 25, id="a2"),
        *summed[1:],
    ]
    one, other = (summarize_training(rows, D("2026-03-02"), D("2026-03-15")) for rows in (summed, single))
    assert one.totals == other.totals == Totals(2, 5400, 45.0, 300, 75, 2)
    assert one.records == other.records == 4
    assert one.by_sport == other.by_sport
