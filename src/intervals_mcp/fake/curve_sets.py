"""The athlete's best-effort curves: `GET /athlete/{id}/power-curves`, `hr-curves`, `pace-curves`.

Curves are named as the spec says: `1y`, `2y` (past years), `42d` (past days), `s0`, `s1`
(this and last season: the fake's seasons are calendar years [inferred]), `all`, and
`r.2026-01-01.2026-03-31` (a date range); `-kj0`/`-kj1` (fatigued) are accepted and answered
with the fresh curve. Each curve is the best of the matching activities at each duration (or,
for pace, the fewest seconds for each distance), with the activity that set it; `activities`
maps those ids to their payloads. Matching: the sport's family of types (from the athlete's
sport settings, e.g. Ride → Ride, VirtualRide, GravelRide, MountainBikeRide), Strava-sourced
activities left out [inferred], and `filters` on `type` and `indoor` (others are ignored).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from intervals_mcp.fake.curves import (
    RUN_DISTANCES,
    SECS,
    SWIM_DISTANCES,
    Effort,
    distance_times,
    efforts,
)
from intervals_mcp.fake.details import STREAM_STEP
from intervals_mcp.fake.errors import Invalid
from intervals_mcp.fake.shapes import DATA_CURVE_KEYS
from intervals_mcp.fake.timefmt import day_start

_SPEC = re.compile(r"^(?:(?P<n>\d+)(?P<unit>[dy])|s(?P<season>\d+)|(?P<all>all)"
                   r"|r\.(?P<a>\d{4}-\d\d-\d\d)\.(?P<b>\d{4}-\d\d-\d\d))(?:-kj(?P<kj>\d+))?$")


class CurveError(Invalid):
    """A curve name or filter the service would refuse (answered 422)."""


@dataclass(frozen=True, slots=True)
class Window:
    id: str
    label: str
    first: date
    last: date
    after_kj: int | None


def parse_curve(spec: str, today: date, earliest: date) -> Window:
    """One curve name as a date window ending no later than `today`."""
    match = _SPEC.match(spec.strip())
    if not match:
        raise CurveError(f"Invalid curve [{spec}]: use 1y, 42d, s0, all or r.YYYY-MM-DD.YYYY-MM-DD")
    kj = int(match["kj"]) if match["kj"] else None
    if match["n"]:
        n = int(match["n"])
        span = timedelta(days=n if match["unit"] == "d" else 365 * n)
        unit = "day" if match["unit"] == "d" else "year"
        return Window(spec, f"{n} {unit}{'s' if n != 1 else ''}", today - span + timedelta(days=1),
                      today, kj)
    if match["season"]:
        year = today.year - int(match["season"])
        label = {0: "This season", 1: "Last season"}.get(int(match["season"]), f"Season {year}")
        return Window(spec, label, date(year, 1, 1), min(date(year, 12, 31), today), kj)
    if match["all"]:
        return Window(spec, "All time", min(earliest, today), today, kj)
    try:
        first, last = date.fromisoformat(match["a"]), date.fromisoformat(match["b"])
    except ValueError:
        raise CurveError(f"Invalid curve [{spec}]: not a real date") from None
    return Window(spec, f"{first} to {last}", first, last, kj)


def parse_filters(raw_values: Iterable[str]) -> list[dict[str, Any]]:
    """`filters` query values: each a JSON ActivityFilter or an array of them."""
    found: list[dict[str, Any]] = []
    for raw in raw_values:
        try:
            value = json.loads(raw)
        except ValueError:
            raise CurveError(f"JSON parse error: filters must be JSON, got {raw!r}") from None
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, dict) for item in items):
            raise CurveError("JSON parse error: filters must be objects with field_id and value")
        found.extend(items)
    return found


def _indoor(activity: dict[str, Any]) -> bool:
    return bool(activity.get("trainer")) or str(activity.get("type") or "").startswith("Virtual")


def _wants_indoor(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "indoor", "1")


def matches(activity: dict[str, Any], types: frozenset[str] | None,
            filters: Sequence[dict[str, Any]]) -> bool:
    """Whether an activity counts: sport family (None: any), not Strava, every filter."""
    if activity.get("source") == "STRAVA":
        return False
    for item in filters:
        field, value = item.get("field_id"), item.get("value")
        if field == "type":
            allowed = {value} if isinstance(value, str) else set(value or [])
            hit = activity.get("type") in allowed
        elif field == "indoor":
            hit = _indoor(activity) == _wants_indoor(value)
        else:
            continue
        if hit == bool(item.get("not")):
            return False
    has_type_filter = any(item.get("field_id") == "type" for item in filters)
    return types is None or has_type_filter or activity.get("type") in types


def sport_family(athlete: dict[str, Any], sport: str) -> frozenset[str]:
    """The activity types sharing the sport's settings (Ride → its four ride types)."""
    for settings in athlete.get("sportSettings") or []:
        if sport in (settings.get("types") or []):
            return frozenset(settings["types"])
    return frozenset({sport})


def _best(per_activity: list[tuple[dict[str, Any], list[Effort | None]]], index: int,
          lowest: bool, scale: dict[str, float] | None = None) -> tuple[float, dict[str, Any],
                                                                        Effort] | None:
    found: tuple[float, dict[str, Any], Effort] | None = None
    for activity, row in per_activity:
        effort = row[index]
        if effort is None:
            continue
        value = effort.value / (scale or {}).get(activity["id"], 1.0)
        if found is None or (value < found[0] if lowest else value > found[0]):
            found = (value, activity, effort)
    return found


def build_curve(kind: str, window: Window, activities: list[dict[str, Any]],
                filters: list[dict[str, Any]], weight: float | None,
                sport: str | None) -> tuple[dict[str, Any], set[str]]:
    """One DataCurve ("power", "hr" or "pace") and the ids of the activities it cites."""
    first, last = day_start(window.first), day_start(window.last + timedelta(days=1))
    chosen = [a for a in activities if first <= a["start_date_local"] < last]
    pace = kind == "pace"
    points: Sequence[float] = (SWIM_DISTANCES if sport and "Swim" in sport else RUN_DISTANCES) \
        if pace else SECS
    rows = [(a, distance_times(a, points) if pace else efforts(a, kind)) for a in chosen]
    xs: list[float] = []
    values: list[int] = []
    ids: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cited: set[str] = set()
    for index, x in enumerate(points):
        best = _best(rows, index, lowest=pace)
        if best is None:
            continue
        value, activity, effort = best
        secs = value if pace else x
        xs.append(x)
        values.append(round(value))
        ids.append(activity["id"])
        starts.append(effort.start // STREAM_STEP)
        ends.append(int(effort.start + secs) // STREAM_STEP)
        cited.add(activity["id"])
    curve = dict.fromkeys(DATA_CURVE_KEYS) | {
        "id": window.id, "label": window.label, "filters": filters or None,
        "after_kj": window.after_kj, "start_date_local": first,
        "end_date_local": day_start(window.last), "days": (window.last - window.first).days + 1,
        "moving_time": sum(int(a.get("moving_time") or 0) for a in chosen),
        "training_load": sum(int(a.get("icu_training_load") or 0) for a in chosen),
        "weight": weight, "values": values, "activity_id": ids, "start_index": starts,
        "end_index": ends,
    }
    if pace:
        curve |= {"distance": list(xs), "type": "PACE"}
    else:
        curve["secs"] = [int(x) for x in xs]
    if kind == "power":
        curve |= _per_kg(rows, xs, cited)
    return curve, cited


def _per_kg(rows: list[tuple[dict[str, Any], list[Effort | None]]], xs: list[float],
            cited: set[str]) -> dict[str, Any]:
    """Best watts per kilogram (each activity at its own weight) and who set them."""
    weights = {a["id"]: float(a.get("icu_weight") or 0) or 1e9 for a, _ in rows}
    per_kg: list[float] = []
    who: list[str] = []
    for x in xs:
        best = _best(rows, SECS.index(int(x)), lowest=False, scale=weights)
        if best is not None:
            per_kg.append(round(best[0], 2))
            who.append(best[1]["id"])
            cited.add(best[1]["id"])
    return {"watts_per_kg": per_kg, "wkg_activity_id": who}
