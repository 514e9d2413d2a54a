"""Pure checks of tool arguments: dates, ranges, ids. Each failure is one actionable sentence.

Raised as `InputError`; the tool layer turns it into a `ToolError` the model can read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from intervals_mcp.config import ATHLETE_ID_RE, normalize_athlete_id
from intervals_mcp.errors import InputError
from intervals_mcp.words import shown

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_RANGE_DAYS = 3 * 365 + 1
"""Longest range one call fetches; longer asks are cut to the part nearest today, with a note."""
MAX_EVENT_ID = 2**63 - 1  # SQLite's INTEGER: anything larger cannot name a stored event
MAX_ID_CHARS = 64  # activity and athlete ids are short; longer text is not an id


def _shift(day: date, days: timedelta) -> date:
    """`day + days`, held at the calendar's ends (year 1 and 9999) instead of overflowing."""
    try:
        return day + days
    except OverflowError:
        return date.max if days > timedelta(0) else date.min


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    note: str | None = None  # set when the asked range was capped

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def parse_day(value: str | None, name: str) -> date | None:
    """'2026-11-24' -> date; None stays None; anything else is an InputError naming `name`."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if _DATE_RE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise InputError(f"{name} {shown(value)} is not a date: give it as YYYY-MM-DD, like 2026-11-24.")


def check_dates(start_value: str | None, end_value: str | None) -> None:
    """Refuse a start_date or end_date that is not a date, before the athlete (and so "today")
    is resolved: a refused argument never reaches Intervals.icu."""
    parse_day(start_value, "start_date")
    parse_day(end_value, "end_date")


def resolve_range(
    start_value: str | None,
    end_value: str | None,
    *,
    today: date,
    default_start: int,
    default_end: int = 0,
    max_days: int = MAX_RANGE_DAYS,
) -> DateRange:
    """The inclusive range asked for, with defaults in days relative to `today`.

    Nothing given: today+default_start .. today+default_end. Only one end given: the other end
    is the default range's (a lone end_date of the calendar runs from today), or the default
    span away when that would reverse the range.
    """
    start = parse_day(start_value, "start_date")
    end = parse_day(end_value, "end_date")
    span = timedelta(days=default_end - default_start)
    if start is None and end is None:
        start, end = today + timedelta(days=default_start), today + timedelta(days=default_end)
    elif end is None:
        assert start is not None
        end = today + timedelta(days=default_end)
        if start > end:
            end = _shift(start, span)
    elif start is None:
        start = today + timedelta(days=default_start)
        if start > end:
            start = _shift(end, -span)
    if start > end:
        raise InputError(f"start_date {start} is after end_date {end}: give the earlier date as start_date.")
    if (end - start).days + 1 > max_days:
        return capped(start, end, today, max_days, ahead=default_start >= 0 and default_end > 0)
    return DateRange(start, end)


def _clamp(day: date, low: date, high: date) -> date:
    return max(low, min(day, high))


def capped(start: date, end: date, today: date, max_days: int, *, ahead: bool) -> DateRange:
    """The `max_days` of [start, end] nearest today, with the note saying so: for a range tool
    looking back (activities, wellness) the part ending nearest today, for one looking ahead
    (the calendar) the part starting nearest today."""
    span = timedelta(days=max_days - 1)
    if ahead:
        first = _clamp(today, start, _shift(end, -span))
        last = _shift(first, span)
    else:
        last = _clamp(today, _shift(start, span), end)
        first = _shift(last, -span)
    left = [f"{start} to {first - timedelta(days=1)}" if first > start else "",
            f"{last + timedelta(days=1)} to {end}" if last < end else ""]
    rest = " and ".join(part for part in left if part)
    return DateRange(
        first,
        last,
        f"Range capped to {max_days} days, the part nearest today ({first} to {last}); ask for "
        f"{rest} in {'separate calls' if ' and ' in rest else 'a separate call'}.",
    )


def parse_event_id(value: str | int) -> int:
    """Event ids are integers; '87654321' is accepted too."""
    if isinstance(value, bool):
        raise InputError(f"event_id {shown(value)} is not a number: event ids look like 87654321.")
    if isinstance(value, int):
        number = value
    else:
        text = value.strip()
        if not (text.isascii() and text.isdigit()):  # int() refuses some Unicode digits, like '²'
            raise InputError(
                f"event_id {shown(value)} is not a number: event ids look like 87654321 "
                "(get_events lists them)."
            )
        number = int(text)
    if number <= 0 or number > MAX_EVENT_ID:
        raise InputError(
            f"event_id {shown(value)} is not a valid event id: event ids are positive numbers like 87654321."
        )
    return number


def check_activity_id(value: str) -> str:
    text = value.strip()
    if (
        not text
        or len(text) > MAX_ID_CHARS
        or not text.isprintable()
        or any(ch.isspace() or ch in "/?#%" for ch in text)
    ):
        raise InputError(
            f"activity_id {shown(value)} is not an activity id: ids look like i145678901 "
            "(get_activities lists them)."
        )
    return text


def resolve_athlete(value: str | None, default: str) -> str:
    """The athlete a call asks about: `value`, else `default`; a bare number like 12345 is the
    id the API spells i12345 (only `0`, the key's owner, stays a bare number)."""
    athlete = normalize_athlete_id(value or "") or default
    if len(athlete) > MAX_ID_CHARS or not athlete.isascii() or not ATHLETE_ID_RE.match(athlete):
        raise InputError(
            f"athlete_id {shown(athlete)} is not an athlete id: give one like i12345, or leave it "
            "out for your own."
        )
    return athlete
