"""Spans of days: checking them, splitting them into weeks, months or years, the span before.

All dates are athlete-local calendar days and every span is inclusive at both ends.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, TypeVar, get_args

from intervals_mcp.errors import InputError
from intervals_mcp.words import shown

T = TypeVar("T")
GroupBy = Literal["week", "month", "year", "none"]
GROUP_BYS: tuple[str, ...] = get_args(GroupBy)
_GROUP_BY_NAMES: dict[str, GroupBy] = {"week": "week", "month": "month", "year": "year", "none": "none"}

# default_group_by: the longest span (in days) that each grouping is the default for. Up to two
# weeks a single total says it all; up to a quarter, weeks (at most 14 rows); up to two years,
# months (at most 25 rows); beyond that, years. Keeps a default answer to a couple of dozen rows.
NONE_UP_TO_DAYS = 14
WEEKS_UP_TO_DAYS = 92
MONTHS_UP_TO_DAYS = 731


@dataclass(frozen=True, slots=True)
class Period:
    """The days from `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def check_span(start: date, end: date) -> Period:
    """The span [start, end], or an InputError when it runs backwards."""
    if end < start:
        raise InputError(
            f"end_date {end.isoformat()} is before start_date {start.isoformat()}: swap them."
        )
    return Period(start, end)


def default_group_by(start: date, end: date) -> GroupBy:
    """The grouping used when none is asked for: none, week, month or year by span length."""
    days = check_span(start, end).days
    if days <= NONE_UP_TO_DAYS:
        return "none"
    if days <= WEEKS_UP_TO_DAYS:
        return "week"
    if days <= MONTHS_UP_TO_DAYS:
        return "month"
    return "year"


def check_group_by(group_by: str | None, start: date, end: date) -> GroupBy:
    """`group_by` checked (case-insensitive), or the default for the span when None."""
    if group_by is None or not group_by.strip():
        return default_group_by(start, end)
    found = _GROUP_BY_NAMES.get(group_by.strip().lower())
    if found is not None:
        return found
    raise InputError(f"group_by {shown(group_by)} is unknown: use week, month, year or none.")


def _next_start(day: date, group_by: GroupBy) -> date | None:
    """The first day of the period after the one holding `day`; None past the calendar's end."""
    try:
        if group_by == "week":
            return day + timedelta(days=7 - day.weekday())  # ISO weeks start on Monday
        if group_by == "month":
            return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
        return date(day.year + 1, 1, 1)
    except (OverflowError, ValueError):  # after 9999-12-31
        return None


def split_periods(start: date, end: date, group_by: GroupBy) -> list[Period]:
    """[start, end] cut at ISO week (Monday), month or year boundaries; `none` is one period.

    The first and last periods are clipped to the span, so the periods tile it exactly: no gap,
    no overlap, in order.
    """
    span = check_span(start, end)
    if group_by == "none":
        return [span]
    periods: list[Period] = []
    first: date | None = start
    while first is not None and first <= end:
        following = _next_start(first, group_by)
        last = end if following is None else min(end, following - timedelta(days=1))
        periods.append(Period(first, last))
        first = following
    return periods


def previous_span(start: date, end: date) -> Period:
    """The span of the same number of days that ends the day before `start`."""
    days = check_span(start, end).days
    return Period(start - timedelta(days=days), start - timedelta(days=1))


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def bucket(items: Iterable[T], periods: list[Period], day_of: Callable[[T], date]) -> list[list[T]]:
    """The items of each period (periods ascending and tiling a span); items outside are dropped."""
    starts = [p.start for p in periods]
    out: list[list[T]] = [[] for _ in periods]
    for item in items:
        day = day_of(item)
        index = bisect_right(starts, day) - 1
        if index >= 0 and day <= periods[index].end:
            out[index].append(item)
    return out
