"""Spans: checking, default grouping, ISO weeks / months / years, the span before."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intervals_mcp.analysis.periods import (
    Period,
    bucket,
    check_group_by,
    check_span,
    default_group_by,
    previous_span,
    split_periods,
    week_start,
)
from intervals_mcp.errors import InputError

D = date.fromisoformat


def spans(periods: list[Period]) -> list[tuple[str, str]]:
    return [(p.start.isoformat(), p.end.isoformat()) for p in periods]


@pytest.mark.parametrize(
    ("days", "expected"),
    [(1, "none"), (14, "none"), (15, "week"), (92, "week"), (93, "month"), (731, "month"),
     (732, "year"), (1826, "year")],
)
def test_default_group_by_by_span_length(days: int, expected: str) -> None:
    start = D("2025-01-01")
    assert default_group_by(start, start + timedelta(days=days - 1)) == expected


def test_iso_weeks_start_on_monday_and_clip_to_the_span() -> None:
    # 2026-01-01 is a Thursday; 2026-01-05 and 2026-01-12 and 2026-01-19 are Mondays.
    assert spans(split_periods(D("2026-01-01"), D("2026-01-20"), "week")) == [
        ("2026-01-01", "2026-01-04"),
        ("2026-01-05", "2026-01-11"),
        ("2026-01-12", "2026-01-18"),
        ("2026-01-19", "2026-01-20"),
    ]


def test_months_know_leap_years_and_december() -> None:
    assert spans(split_periods(D("2024-01-15"), D("2024-03-10"), "month")) == [
        ("2024-01-15", "2024-01-31"), ("2024-02-01", "2024-02-29"), ("2024-03-01", "2024-03-10"),
    ]
    assert spans(split_periods(D("2025-12-20"), D("2026-01-05"), "month")) == [
        ("2025-12-20", "2025-12-31"), ("2026-01-01", "2026-01-05"),
    ]


def test_years_and_none() -> None:
    assert spans(split_periods(D("2023-06-01"), D("2025-02-01"), "year")) == [
        ("2023-06-01", "2023-12-31"), ("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-02-01"),
    ]
    assert spans(split_periods(D("2023-06-01"), D("2025-02-01"), "none")) == [
        ("2023-06-01", "2025-02-01")
    ]
    assert spans(split_periods(D("2026-02-03"), D("2026-02-03"), "week")) == [
        ("2026-02-03", "2026-02-03")
    ]


def test_previous_span_has_the_same_length_and_ends_the_day_before() -> None:
    # March 2026 has 31 days: 28 of February plus 29-31 January.
    assert previous_span(D("2026-03-01"), D("2026-03-31")) == Period(D("2026-01-29"), D("2026-02-28"))
    assert previous_span(D("2026-03-01"), D("2026-03-01")) == Period(D("2026-02-28"), D("2026-02-28"))


def test_backwards_span_and_unknown_grouping_are_one_sentence() -> None:
    with pytest.raises(InputError, match="2026-01-01 is before start_date 2026-02-01: swap them"):
        check_span(D("2026-02-01"), D("2026-01-01"))
    with pytest.raises(InputError, match="'fortnight' is unknown"):
        check_group_by("fortnight", D("2026-01-01"), D("2026-02-01"))
    assert check_group_by(" Month ", D("2026-01-01"), D("2026-01-02")) == "month"
    assert check_group_by(None, D("2026-01-01"), D("2026-01-02")) == "none"


def test_period_days_and_membership() -> None:
    p = Period(D("2026-02-27"), D("2026-03-02"))
    assert p.days == 4
    assert D("2026-02-28") in p
    assert D("2026-03-03") not in p
    assert week_start(D("2026-03-01")) == D("2026-02-23")  # a Sunday's week began on Monday


def test_bucket_puts_items_in_their_period_and_drops_the_rest() -> None:
    periods = split_periods(D("2026-01-01"), D("2026-01-20"), "week")
    items = [D("2025-12-31"), D("2026-01-01"), D("2026-01-04"), D("2026-01-05"), D("2026-01-20"),
             D("2026-01-21")]
    assert bucket(items, periods, lambda d: d) == [
        [D("2026-01-01"), D("2026-01-04")], [D("2026-01-05")], [], [D("2026-01-20")],
    ]


def unit(day: date, group_by: str) -> tuple[int, ...]:
    if group_by == "week":
        iso = day.isocalendar()
        return (iso.year, iso.week)
    if group_by == "month":
        return (day.year, day.month)
    return (day.year,)


@given(
    st.dates(min_value=D("1990-01-01"), max_value=D("2090-01-01")),
    st.integers(min_value=0, max_value=2000),
    st.sampled_from(["week", "month", "year", "none"]),
)
def test_periods_tile_the_span_exactly(start: date, extra: int, group_by: str) -> None:
    end = start + timedelta(days=extra)
    periods = split_periods(start, end, group_by)  # type: ignore[arg-type]
    assert periods[0].start == start
    assert periods[-1].end == end
    assert sum(p.days for p in periods) == extra + 1
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
    if group_by == "none":
        assert len(periods) == 1
        return
    for p in periods:
        assert p.start <= p.end
        assert unit(p.start, group_by) == unit(p.end, group_by)
    for before, after in itertools.pairwise(periods):
        assert unit(before.end, group_by) != unit(after.start, group_by)
