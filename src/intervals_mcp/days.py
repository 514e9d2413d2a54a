"""Walking the calendar: every day of a range, safe at its ends (year 1 and 9999)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta


def each_day(start: date, end: date) -> Iterator[date]:
    """Every date from start to end, both inclusive (nothing if end < start); `date.max` ends a
    range without stepping past it."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)
