"""A seeded fake athlete and plain readings of its payloads, for the analysis tests.

The readers only pick fields out of the fake's records (what the database layer will do with
columns); every expected figure in the tests is computed from the records themselves.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from intervals_mcp.fake import FakeStore, generate_athlete

TODAY = date(2026, 3, 15)


def athlete(seed: int, years: float = 1.0) -> FakeStore:
    return generate_athlete(seed=seed, years=years, today=TODAY, athlete_id="i12345")


def day_of(record: dict[str, Any]) -> date:
    return date.fromisoformat(str(record.get("start_date_local") or record["id"])[:10])


def is_stub(activity: dict[str, Any]) -> bool:
    """The fake keeps Strava activities whole but serves them as stubs: read them as stubs."""
    return bool(activity.get("source") == "STRAVA")


def activities(store: FakeStore) -> list[dict[str, Any]]:
    return sorted(store.activities.values(), key=lambda a: (a["start_date_local"], a["id"]))


def wellness(store: FakeStore) -> list[dict[str, Any]]:
    return [store.wellness[k] for k in sorted(store.wellness)]


def events(store: FakeStore) -> list[dict[str, Any]]:
    return sorted(store.events.values(), key=lambda e: (e["start_date_local"], e["id"]))
