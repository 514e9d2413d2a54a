"""Expected figures computed straight from the fake's records, the way a person would add them
up; nothing here calls the code under test (no intervals_mcp.analysis, no db, no server).

The fake keeps Strava-sourced activities whole but serves them as stubs, so here they are
stubs: counted, never summed. The sport families are written out as the tools document them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from intervals_mcp.fake import FakeStore

FAMILIES = {
    "Ride": {"Ride", "VirtualRide", "GravelRide", "MountainBikeRide", "TrackRide", "Cyclocross"},
    "Run": {"Run", "VirtualRun", "TrailRun"},
    "Swim": {"Swim", "OpenWaterSwim"},
}
Record = dict[str, Any]


def day(record: Record) -> date:
    return date.fromisoformat(str(record.get("start_date_local") or record["id"])[:10])


def hidden(a: Record) -> bool:
    return a.get("source") == "STRAVA"


def activities(store: FakeStore, start: date, end: date) -> list[Record]:
    return sorted(
        (a for a in store.activities.values() if start <= day(a) <= end), key=lambda a: (day(a), a["id"])
    )


def visible(store: FakeStore, start: date, end: date, sport: str | None = None) -> list[Record]:
    types = FAMILIES.get(sport or "", {sport}) if sport else None
    return [
        a for a in activities(store, start, end) if not hidden(a) and (types is None or a["type"] in types)
    ]


def wellness(store: FakeStore, start: date, end: date) -> list[Record]:
    return [w for k, w in sorted(store.wellness.items()) if start <= date.fromisoformat(k) <= end]


def events(store: FakeStore, start: date, end: date, category: str = "WORKOUT") -> list[Record]:
    return sorted(
        (e for e in store.events.values() if e["category"] == category and start <= day(e) <= end),
        key=lambda e: (day(e), e["id"]),
    )


def total(records: Iterable[Record], key: str) -> float:
    return sum(float(r.get(key) or 0) for r in records)


def figures(records: list[Record]) -> dict[str, float]:
    """sessions, moving_time_s, distance_km, elevation_m, training_load as the tools round them."""
    return {
        "sessions": len(records),
        "moving_time_s": round(total(records, "moving_time")),
        "distance_km": round(total(records, "distance") / 1000, 1),
        "elevation_m": round(total(records, "total_elevation_gain")),
        "training_load": round(total(records, "icu_training_load"), 1),
    }


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def sample_sd(values: list[float]) -> float | None:
    if len(values) < 2:
        return None
    m = sum(values) / len(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def default_group_by(span_days: int) -> str:
    """The documented default: up to 14 days none, up to 92 week, up to 2 years month, else year."""
    return (
        "none" if span_days <= 14 else "week" if span_days <= 92 else "month" if span_days <= 731 else "year"
    )
