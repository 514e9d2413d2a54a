"""Direct tests of the pure argument checks."""

from __future__ import annotations

from datetime import date

import pytest

from intervals_mcp.errors import InputError
from intervals_mcp.server.inputs import (
    MAX_RANGE_DAYS,
    check_activity_id,
    parse_day,
    parse_event_id,
    resolve_athlete,
    resolve_range,
)

TODAY = date(2026, 11, 24)


def test_parse_day() -> None:
    assert parse_day("2026-11-24", "start_date") == TODAY
    assert parse_day(None, "start_date") is None
    assert parse_day("  ", "start_date") is None
    for bad in ("2026-13-01", "24/11/2026", "20261124", "yesterday", "2026-02-30"):
        with pytest.raises(InputError, match=r"^start_date .* is not a date: give it as YYYY-MM-DD"):
            parse_day(bad, "start_date")


def test_default_ranges() -> None:
    past = resolve_range(None, None, today=TODAY, default_start=-30, default_end=0)
    assert (past.start, past.end, past.note) == (date(2026, 10, 25), TODAY, None)
    future = resolve_range(None, None, today=TODAY, default_start=0, default_end=30)
    assert (future.start, future.end) == (TODAY, date(2026, 12, 24))


def test_one_sided_ranges() -> None:
    only_start = resolve_range("2026-11-01", None, today=TODAY, default_start=-30, default_end=0)
    assert (only_start.start, only_start.end) == (date(2026, 11, 1), TODAY)
    only_end = resolve_range(None, "2026-06-30", today=TODAY, default_start=-30, default_end=0)
    assert (only_end.start, only_end.end) == (date(2026, 5, 31), date(2026, 6, 30))
    later_start = resolve_range("2027-02-01", None, today=TODAY, default_start=0, default_end=30)
    assert (later_start.start, later_start.end) == (date(2027, 2, 1), date(2027, 3, 3))
    # a lone end_date keeps the default's start: the calendar runs from today, as documented
    events_until = resolve_range(None, "2027-02-01", today=TODAY, default_start=0, default_end=30)
    assert (events_until.start, events_until.end) == (TODAY, date(2027, 2, 1))
    recent_until = resolve_range(None, "2026-11-20", today=TODAY, default_start=-30, default_end=0)
    assert (recent_until.start, recent_until.end) == (date(2026, 10, 25), date(2026, 11, 20))
    past_events = resolve_range(None, "2026-06-30", today=TODAY, default_start=0, default_end=30)
    assert (past_events.start, past_events.end) == (date(2026, 5, 31), date(2026, 6, 30))


def test_reversed_range_is_refused() -> None:
    with pytest.raises(InputError, match="start_date 2026-11-24 is after end_date 2026-11-01"):
        resolve_range("2026-11-24", "2026-11-01", today=TODAY, default_start=-30)


def test_huge_range_is_capped_with_a_note() -> None:
    rng = resolve_range("2010-01-01", "2026-11-24", today=TODAY, default_start=-30)
    assert rng.end == TODAY and rng.days == MAX_RANGE_DAYS
    assert rng.note == (
        f"Range capped to {MAX_RANGE_DAYS} days, the part nearest today ({rng.start} to {TODAY}); "
        f"ask for 2010-01-01 to {date.fromordinal(rng.start.toordinal() - 1)} in a separate call."
    )


LOOKING_BACK = {"default_start": -30, "default_end": 0}  # activities, wellness
LOOKING_AHEAD = {"default_start": 0, "default_end": 30}  # the calendar


@pytest.mark.parametrize(
    ("asked", "defaults", "kept"),
    [
        # the end nearest today: a range over today ends today, not at its far future end
        (("1900-01-01", "2100-12-31"), LOOKING_BACK, (date(2023, 11, 25), TODAY)),
        # the calendar starts at today
        (("1900-01-01", "2100-12-31"), LOOKING_AHEAD, (TODAY, date(2029, 11, 23))),
        # wholly in the past: the newest part, for both
        (("1990-01-01", "2000-12-31"), LOOKING_BACK, (date(1998, 1, 1), date(2000, 12, 31))),
        (("1990-01-01", "2000-12-31"), LOOKING_AHEAD, (date(1998, 1, 1), date(2000, 12, 31))),
        # wholly in the future: the soonest part, for both
        (("2030-01-01", "2040-12-31"), LOOKING_BACK, (date(2030, 1, 1), date(2032, 12, 31))),
        (("2030-01-01", "2040-12-31"), LOOKING_AHEAD, (date(2030, 1, 1), date(2032, 12, 31))),
        # today too near the start to end there: the first three years, today inside
        (("2026-01-01", "2040-12-31"), LOOKING_BACK, (date(2026, 1, 1), date(2028, 12, 31))),
    ],
)
def test_the_cap_keeps_the_part_nearest_today(
    asked: tuple[str, str], defaults: dict[str, int], kept: tuple[date, date]
) -> None:
    rng = resolve_range(*asked, today=TODAY, **defaults)
    assert (rng.start, rng.end) == kept and rng.days == MAX_RANGE_DAYS
    assert rng.note is not None and f"the part nearest today ({kept[0]} to {kept[1]})" in rng.note
    # what was left out is named, on each side
    start, end = (date.fromisoformat(a) for a in asked)
    assert (f"ask for {start} to " in rng.note) == (kept[0] > start)
    assert (f" to {end} in " in rng.note) == (kept[1] < end)


def test_event_ids() -> None:
    assert parse_event_id("87654321") == 87654321
    assert parse_event_id(87654321) == 87654321
    for bad in ("abc", "12a", "", "-5"):
        with pytest.raises(InputError, match="is not a number"):
            parse_event_id(bad)
    with pytest.raises(InputError):
        parse_event_id(0)


def test_activity_and_athlete_ids() -> None:
    assert check_activity_id(" i145678901 ") == "i145678901"
    assert check_activity_id("16358453283") == "16358453283"
    with pytest.raises(InputError, match="not an activity id"):
        check_activity_id("../athlete/i1")
    assert resolve_athlete(None, "i12345") == "i12345"
    assert resolve_athlete("i99", "i12345") == "i99"
    with pytest.raises(InputError, match="not an athlete id"):
        resolve_athlete("bob", "i12345")
