"""search_activities over the cached history, against the fake's records filtered here."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from . import expected as ex
from .support import TODAY, athlete, data, serving, text_of

pytestmark = pytest.mark.anyio
D = date.fromisoformat
YEAR_AGO = TODAY - timedelta(days=364)


def words(value: str | None) -> list[str]:
    return re.findall(r"\w+", (value or "").casefold())


def matches(a: dict[str, Any], query: str) -> bool:
    have = words(a.get("name")) + words(a.get("description"))
    return all(any(w.startswith(q) for w in have) for q in words(query))


@pytest.mark.parametrize(
    ("seed", "args"),
    [
        (26, {"query": "tempo", "sport": "Run"}),
        (27, {"query": "SWEET spot", "sort": "load", "limit": 5}),
        (28, {"sport": "Ride", "min_distance_km": 80, "max_duration_min": 200, "sort": "distance"}),
        (29, {"min_duration_min": 30, "max_duration_min": 45, "sort": "duration", "limit": 50}),
        (30, {"query": "nothing-like-this"}),
    ],
)
async def test_filters_sorts_and_counts(tmp_path: Path, seed: int, args: dict[str, Any]) -> None:
    store = athlete(seed)
    async with serving(store, tmp_path) as s:
        result = await s.call("search_activities", start_date=str(YEAR_AGO), **args)
    got = data(result)
    found = [
        a
        for a in ex.visible(store, YEAR_AGO, TODAY, args.get("sport"))
        if matches(a, args.get("query") or "")
        and float(a.get("distance") or 0) >= args.get("min_distance_km", 0) * 1000
        and a["moving_time"] >= args.get("min_duration_min", 0) * 60
        and a["moving_time"] <= args.get("max_duration_min", 1e9) * 60
    ]
    key = {"date": None, "load": "icu_training_load", "distance": "distance", "duration": "moving_time"}[
        args.get("sort", "date")
    ]
    newest = sorted(found, key=lambda a: (ex.day(a), a["id"]), reverse=True)
    ordered = newest if key is None else sorted(newest, key=lambda a: -float(a.get(key) or 0))
    limit = args.get("limit", 10)
    assert got["total"] == len(found)
    assert got["shown"] == min(limit, len(found))
    assert [a["id"] for a in got["activities"]] == [a["id"] for a in ordered[:limit]]
    assert got["strava_hidden"] == sum(1 for a in ex.activities(store, YEAR_AGO, TODAY) if ex.hidden(a))
    said = text_of(result)
    assert f"{len(found)} found, {min(limit, len(found))} shown" in said
    for a in ordered[:limit]:
        assert a["id"] in said


async def test_the_default_range_is_everything_cached(tmp_path: Path) -> None:
    store = athlete(31, years=2)
    async with serving(store, tmp_path) as s:
        await s.call(
            "get_training_summary", start_date="2025-01-01", end_date="2025-06-30"
        )  # caches 2024-07..
        got = data(await s.call("search_activities", query="swim"))
        before = s.requests()
        again = data(await s.call("search_activities", query="swim"))
        assert s.requests() == before
    first = D("2025-01-01") - timedelta(days=181)  # the summary also read the span before it
    assert (got["start_date"], got["end_date"]) == (str(first), str(TODAY))
    assert got["total"] == sum(1 for a in ex.visible(store, first, TODAY) if matches(a, "swim"))
    got.pop("provenance"), again.pop("provenance")
    assert got == again


async def test_sessions_like_one_show_its_progression(tmp_path: Path) -> None:
    store = athlete(32)
    rides = [a for a in ex.visible(store, YEAR_AGO, TODAY, "Ride") if a["moving_time"] > 3600]
    reference = rides[len(rides) // 2]
    async with serving(store, tmp_path) as s:
        result = await s.call(
            "search_activities", start_date=str(YEAR_AGO), similar_to=reference["id"], limit=8
        )
    got = data(result)

    def distance(a: dict[str, Any]) -> float:
        duration = math.log(a["moving_time"] / reference["moving_time"]) / math.log(1.25)
        return math.hypot(duration, (a["icu_intensity"] - reference["icu_intensity"]) / 5)

    near = sorted(
        (
            a
            for a in ex.visible(store, YEAR_AGO, TODAY, "Ride")
            if a["id"] != reference["id"] and distance(a) <= 2
        ),
        key=lambda a: (distance(a), -ex.day(a).toordinal()),
    )
    assert got["total"] == len(near)
    shown = sorted(near[:8], key=lambda a: (ex.day(a), a["id"]))
    assert [a["id"] for a in got["activities"]] == [a["id"] for a in shown]
    for row, a in zip(got["activities"], shown, strict=True):
        assert row["similarity"] == pytest.approx(distance(a), abs=0.006)
    assert got["similar_to"]["id"] == reference["id"]
    assert text_of(result).startswith(f"Sessions like {reference['id']}")
