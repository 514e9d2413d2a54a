"""The athlete's gear: bikes and shoes, with distance, time and activity counts.

The catalog is the athlete profile's `bikes` and `shoes` (Strava-style `{id, name, distance,
primary}`); an activity names its gear in `gear` (the same shape). `GET /gear` totals the
activities that carry each gear id, so distance and time always agree with the activities
(Strava-sourced ones included: the service counts them although it hides them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from intervals_mcp.fake.shapes import GEAR_KEYS

BIKE: dict[str, Any] = {"id": "b1234567", "name": "Canyon Ultimate", "primary": True}
SHOES: dict[str, Any] = {"id": "g7654321", "name": "Pegasus 41", "primary": True}
_KINDS = {"bikes": "Bike", "shoes": "Shoes"}
_BIKE_SPORTS = frozenset({"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"})
_SHOE_SPORTS = frozenset({"Run", "TrailRun", "VirtualRun"})
_PURCHASED = {"Bike": "2021-03-01T00:00:00", "Shoes": "2025-09-15T00:00:00"}


def default_gear(sport: str) -> dict[str, Any] | None:
    """The generator's gear for a sport: the bike for rides, the shoes for runs."""
    gear = BIKE if sport in _BIKE_SPORTS else SHOES if sport in _SHOE_SPORTS else None
    return dict(gear) if gear else None


def catalog(athlete: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """Every gear of the profile with its type (`Bike`, `Shoes`)."""
    return [(gear, kind) for key, kind in _KINDS.items() for gear in athlete.get(key) or []]


def totals(activities: Iterable[dict[str, Any]]) -> dict[str, tuple[float, float, int]]:
    """Per gear id: (metres, moving seconds, activities)."""
    out: dict[str, tuple[float, float, int]] = {}
    for activity in activities:
        gear = activity.get("gear")
        if not isinstance(gear, dict) or not gear.get("id"):
            continue
        metres, secs, count = out.get(gear["id"], (0.0, 0.0, 0))
        out[gear["id"]] = (metres + float(activity.get("distance") or 0.0),
                           secs + float(activity.get("moving_time") or 0), count + 1)
    return out


def stamp_distances(athlete: dict[str, Any], activities: list[dict[str, Any]]) -> None:
    """Set each gear's `distance` (profile and activity copies) to its activities' total."""
    summed = totals(activities)
    for gear, _ in catalog(athlete):
        gear["distance"] = round(summed.get(gear["id"], (0.0, 0.0, 0))[0], 1)
    for activity in activities:
        used = activity.get("gear")
        if isinstance(used, dict) and used.get("id") in summed:
            used["distance"] = round(summed[used["id"]][0], 1)


def gear_list(athlete: dict[str, Any], activities: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """`GET /athlete/{id}/gear`: one full `Gear` per catalog entry."""
    summed = totals(activities)
    out = []
    for gear, kind in catalog(athlete):
        metres, secs, count = summed.get(gear["id"], (0.0, 0.0, 0))
        out.append(dict.fromkeys(GEAR_KEYS) | {
            "id": gear["id"], "athlete_id": athlete["id"], "type": kind, "name": gear.get("name"),
            "purchased": _PURCHASED[kind], "distance": round(metres, 1), "time": secs,
            "activities": count, "use_elapsed_time": False, "component_ids": [],
            "reminders": [], "activity_filters": [], "component": False,
        })
    return out


def gear_ref(athlete: dict[str, Any], gear_id: object,
             activities: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The `gear` value an activity gets when set to `gear_id` (None if unknown)."""
    for gear, _ in catalog(athlete):
        if str(gear["id"]) == str(gear_id):
            metres = totals(activities).get(gear["id"], (0.0, 0.0, 0))[0]
            return {"id": gear["id"], "name": gear.get("name"), "distance": round(metres, 1),
                    "primary": bool(gear.get("primary"))}
    return None
