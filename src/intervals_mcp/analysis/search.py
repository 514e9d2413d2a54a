"""Finding activities: query words, filters, sort orders, and "sessions like this one".

Query rule: the query and the text (name and description together) are cut into words, a
word being a run of letters, digits or underscores (`re` `\\w+`, Unicode-aware), compared
case-insensitively (casefold). Every query word must be the beginning of some word of the text:
`sweet` finds "Sweet Spot 3x12", `interval` finds "Track Intervals", `3x12` finds "3x12" but
`3x` does too. An empty query matches everything.

Sort orders: `date` newest first; `load`, `distance`, `duration`, `power` highest first, with
activities lacking the figure last and ties broken by date, newest first.

Similarity (`similar_to`): candidates are activities of the same sport (`sports.same_sport`)
other than the reference. Their distance to the reference is
    sqrt((ln(duration / ref_duration) / ln(1.25))^2 + ((intensity - ref_intensity) / 5)^2)
so 25% longer or shorter weighs as much as 5 points of intensity (`icu_intensity`, percent of
threshold). When the reference has no intensity, duration alone counts; a candidate without
duration (or without intensity while the reference has one) is not comparable. The `limit`
nearest within `max_distance` are returned oldest first, to show the progression.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from intervals_mcp.analysis.sports import normalize_sport, same_sport, sport_matches
from intervals_mcp.errors import InputError
from intervals_mcp.words import shown

SortKey = Literal["date", "load", "distance", "duration", "power"]
SORTS: tuple[str, ...] = ("date", "load", "distance", "duration", "power")
DURATION_SCALE = math.log(1.25)
INTENSITY_SCALE = 5.0
MAX_DISTANCE = 2.0
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class SearchItem:
    id: str
    date: date
    type: str | None
    name: str | None = None
    description: str | None = None
    distance_m: float | None = None
    moving_time_s: float | None = None
    training_load: float | None = None
    power_w: float | None = None  # icu_average_watts
    intensity: float | None = None  # icu_intensity, percent of threshold


@dataclass(frozen=True, slots=True)
class SearchFilter:
    query: str | None = None
    sport: str | None = None
    start: date | None = None
    end: date | None = None
    min_distance_km: float | None = None
    max_distance_km: float | None = None
    min_duration_min: float | None = None
    max_duration_min: float | None = None


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int  # all matches
    activities: tuple[SearchItem, ...]  # the shown ones, in sort order


@dataclass(frozen=True, slots=True)
class Similar:
    item: SearchItem
    distance: float


def words(text: str | None) -> list[str]:
    """The casefolded words of a text (see the module rule)."""
    return _WORD.findall(text.casefold()) if text else []


def matches_query(query: str | None, name: str | None, description: str | None) -> bool:
    """Whether every query word begins some word of the name or the description."""
    wanted = words(query)
    if not wanted:
        return True
    have = words(name) + words(description)
    return all(any(word.startswith(q) for word in have) for q in wanted)


def check_sort(sort: str | None) -> SortKey:
    value = (sort or "date").strip().lower()
    names: dict[str, SortKey] = {"date": "date", "load": "load", "distance": "distance",
                                 "duration": "duration", "power": "power"}
    if value not in names:
        raise InputError(f"sort {shown(sort)} is unknown: use date, load, distance, duration or power.")
    return names[value]


def _figure(item: SearchItem, sort: SortKey) -> float | None:
    return {"load": item.training_load, "distance": item.distance_m,
            "duration": item.moving_time_s, "power": item.power_w}.get(sort)


def sort_items(items: Sequence[SearchItem], sort: SortKey) -> list[SearchItem]:
    """Items in the sort order of the module note."""
    newest = sorted(items, key=lambda i: (i.date, i.id), reverse=True)
    if sort == "date":
        return newest
    # sorted() is stable: within equal figures the newest-first order stays.
    return sorted(newest, key=lambda i: (_figure(i, sort) is None, -(_figure(i, sort) or 0.0)))


def _within(value: float | None, low: float | None, high: float | None, scale: float) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low * scale) and (high is None or value <= high * scale)


def passes(item: SearchItem, f: SearchFilter) -> bool:
    """Whether an item passes every part of the filter (bounds inclusive)."""
    return (
        sport_matches(f.sport, item.type)
        and (f.start is None or item.date >= f.start)
        and (f.end is None or item.date <= f.end)
        and _within(item.distance_m, f.min_distance_km, f.max_distance_km, 1000.0)
        and _within(item.moving_time_s, f.min_duration_min, f.max_duration_min, 60.0)
        and matches_query(f.query, item.name, item.description)
    )


def search(items: Sequence[SearchItem], f: SearchFilter, sort: str | None = None,
           limit: int = 20) -> SearchResult:
    """The items passing the filter: how many, and the first `limit` in sort order."""
    normalize_sport(f.sport)  # a bad sport name is an InputError, not an empty answer
    order = check_sort(sort)
    found = [item for item in items if passes(item, f)]
    return SearchResult(len(found), tuple(sort_items(found, order)[: max(0, limit)]))


def similarity(reference: SearchItem, candidate: SearchItem) -> float | None:
    """The module's distance between two sessions, None when they cannot be compared."""
    if not reference.moving_time_s or not candidate.moving_time_s:
        return None
    duration = math.log(candidate.moving_time_s / reference.moving_time_s) / DURATION_SCALE
    if reference.intensity is None:
        return abs(duration)
    if candidate.intensity is None:
        return None
    intensity = (candidate.intensity - reference.intensity) / INTENSITY_SCALE
    return math.hypot(duration, intensity)


def similar_to(reference: SearchItem, items: Sequence[SearchItem], limit: int = 10,
               max_distance: float = MAX_DISTANCE) -> list[Similar]:
    """The `limit` sessions nearest to `reference`, oldest first (see the module note)."""
    scored: list[Similar] = []
    for item in items:
        if item.id == reference.id or not same_sport(reference.type, item.type):
            continue
        distance = similarity(reference, item)
        if distance is not None and distance <= max_distance:
            scored.append(Similar(item, distance))
    scored.sort(key=lambda s: (s.distance, -s.item.date.toordinal(), s.item.id))
    return sorted(scored[: max(0, limit)], key=lambda s: (s.item.date, s.item.id))
