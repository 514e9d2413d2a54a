"""The roster's rule: flags, the order, and the latest fitness day."""

from __future__ import annotations

from datetime import date, timedelta

from intervals_mcp.analysis.adherence import Missed
from intervals_mcp.analysis.roster import (
    AthleteState,
    attention_order,
    flags,
    latest_fitness,
    spans,
)
from intervals_mcp.analysis.wellness import baseline

TODAY = date(2026, 11, 26)  # a Thursday


def state(athlete_id: str, **values: object) -> AthleteState:
    return AthleteState(athlete_id, None, TODAY, last_activity=TODAY, **values)  # type: ignore[arg-type]


def test_nothing_flags_a_fresh_active_athlete() -> None:
    assert flags(state("i1", form=-5.0, ramp=3.0)) == []


def test_each_flag_and_their_order() -> None:
    low_hrv = {TODAY - timedelta(days=i): (50.0 if i < 7 else 80.0 + (i % 3)) for i in range(60)}
    s = AthleteState(
        "i1",
        "Ann",
        TODAY,
        form=-35.0,
        ramp=9.5,
        hrv=baseline(low_hrv, TODAY),
        last_activity=TODAY - timedelta(days=8),
        missed=(Missed(TODAY - timedelta(days=2), "Threshold"),),
    )
    found = flags(s)
    assert [f.split(" ")[0] for f in found] == ["form", "HRV", "missed", "no", "ramp"]
    assert found[2] == "missed 1 planned session this week" and found[3] == "no activity for 8 days"
    assert flags(AthleteState("i2", None, TODAY)) == ["no activity recorded recently"]


def test_more_flags_first_then_lower_form_then_id_and_unreadable_last() -> None:
    calm = state("i1", form=-20.0)
    tired = state("i2", form=-31.0)  # one flag
    worse = state("i3", form=-31.0, ramp=10.0)  # two flags
    also_calm = state("i0", form=-20.0)
    fresher = state("i4", form=10.0)
    unknown = state("i5")
    broken = AthleteState("i6", None, TODAY, error="refused")
    ordered = attention_order([broken, fresher, calm, unknown, tired, worse, also_calm])
    assert [s.athlete_id for s in ordered] == ["i3", "i2", "i0", "i1", "i4", "i5", "i6"]


def test_latest_fitness_takes_the_newest_day_with_both_values_within_a_week() -> None:
    days = [
        (TODAY, 50.0, None, None),  # no ATL yet today
        (TODAY - timedelta(days=1), 49.0, 60.0, 4.0),
        (TODAY - timedelta(days=2), 48.0, 58.0, 3.5),
        (TODAY + timedelta(days=1), 1.0, 1.0, 1.0),  # the future does not count
    ]
    assert latest_fitness(days, TODAY) == (TODAY - timedelta(days=1), 49.0, 60.0, 4.0)
    assert latest_fitness([(TODAY - timedelta(days=7), 1.0, 2.0, None)], TODAY) is None


def test_spans_cover_the_baseline_the_last_four_weeks_and_this_week() -> None:
    found = spans(TODAY)
    assert found["wellness"] == (TODAY - timedelta(days=59), TODAY)
    assert found["activities"] == (TODAY - timedelta(days=27), TODAY)
    assert found["events"] == (date(2026, 11, 23), TODAY)  # Monday
