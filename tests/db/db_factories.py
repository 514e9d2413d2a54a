"""Payload builders in the API's own shapes (see API_NOTES.md §4-§7), abridged."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

Payload = dict[str, Any]
FETCHED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def activity(activity_id: str, day: date, **fields: Any) -> Payload:
    """An activity in the list endpoint's shape (abridged)."""
    payload: Payload = {
        "id": activity_id,
        "icu_athlete_id": "i12345",
        "start_date_local": f"{day.isoformat()}T07:31:05",
        "start_date": f"{day.isoformat()}T06:31:05Z",
        "type": "Ride",
        "name": "Morning Endurance",
        "source": "GARMIN_CONNECT",
        "moving_time": 7412,
        "distance": 62345.7,
        "icu_training_load": 143,
        "icu_sync_date": "2026-10-12T08:45:14.522+00:00",
        "analyzed": "2026-10-12T08:45:14.522+00:00",
    }
    payload.update(fields)
    return payload


def strava_stub(activity_id: str, day: date) -> Payload:
    return {
        "id": activity_id,
        "icu_athlete_id": "i12345",
        "start_date_local": f"{day.isoformat()}T09:14:15",
        "source": "STRAVA",
        "_note": "STRAVA activities are not available via the API",
    }


def wellness(day: date, **fields: Any) -> Payload:
    payload: Payload = {
        "id": day.isoformat(),
        "ctl": 67.5,
        "atl": 69.9,
        "restingHR": 47,
        "hrv": 71.0,
        "sportInfo": None,
        "updated": f"{day.isoformat()}T19:20:06.102+00:00",
    }
    payload.update(fields)
    return payload


def event(event_id: int, day: date, **fields: Any) -> Payload:
    payload: Payload = {
        "id": event_id,
        "athlete_id": "i12345",
        "start_date_local": f"{day.isoformat()}T00:00:00",
        "end_date_local": None,
        "category": "WORKOUT",
        "type": "Ride",
        "name": "Sweet Spot 3x12",
        "updated": "2026-10-10T10:00:00.000+00:00",
    }
    payload.update(fields)
    return payload
