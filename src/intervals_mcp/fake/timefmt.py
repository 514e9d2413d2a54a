"""Timestamp formats exactly as the live service writes them (API_NOTES.md §2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time


def iso_utc(moment: datetime) -> str:
    """`2026-04-16T05:10:24.107+00:00`: UTC with milliseconds, for created/updated markers."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+00:00"


def iso_utc_z(moment: datetime) -> str:
    """`2026-10-12T06:31:05Z`: the activity `start_date` form."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_local(moment: datetime) -> str:
    """`2026-10-12T07:31:05`: local wall time without an offset."""
    return moment.replace(tzinfo=None).strftime("%Y-%m-%dT%H:%M:%S")


def day_start(day: date) -> str:
    """`2026-10-14T00:00:00`: how day-level events carry their date."""
    return iso_local(datetime.combine(day, time()))


def parse_utc(text: str) -> datetime:
    """Parse a timestamp this module wrote (or any ISO form with an offset or Z)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_local(text: str) -> datetime:
    """Parse a local date or date-time query value; a bare date means its midnight."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time())
    return datetime.fromisoformat(text).replace(tzinfo=None)
