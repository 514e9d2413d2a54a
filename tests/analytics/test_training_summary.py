"""get_training_summary through the MCP client, against totals added up from the fake's records."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from . import expected as ex
from .support import TODAY, athlete, data, serving, text_of

pytestmark = pytest.mark.anyio
D = date.fromisoformat
KEYS = ("sessions", "moving_time_s", "distance_km", "elevation_m", "training_load")


def same(got: dict[str, Any], want: dict[str, float]) -> None:
    assert got["sessions"] == want["sessions"]
    assert got["moving_time_s"] == pytest.approx(want["moving_time_s"], abs=1)
    assert got["distance_km"] == pytest.approx(want["distance_km"], abs=0.11)
    assert got["elevation_m"] == pytest.approx(want["elevation_m"], abs=1)
    assert got["training_load"] == pytest.approx(want["training_load"], abs=0.11)


def period_key(d: date, group_by: str) -> Any:
    return {"week": ex.monday(d), "month": (d.year, d.month), "year": d.year, "none": 0}[group_by]


CASES = [
    # seed, start, end, group_by (None: the default by span), sport
    (1, None, None, None, None),  # the default: the last 4 weeks, by week
    (2, "2025-03-16", "2026-03-15", "month", None),  # a year by month
    (3, "2026-01-01", "2026-02-28", "week", "Ride"),  # Ride includes VirtualRide
    (4, "2025-12-01", "2025-12-10", None, "run"),  # 10 days: one total; the name in any case
    (5, "2024-01-01", "2024-01-31", None, None),  # before the athlete's history: an empty span
]


@pytest.mark.parametrize(("seed", "start", "end", "group_by", "sport"), CASES)
async def test_the_summary_adds_up_the_records(
    tmp_path: Path, seed: int, start: str | None, end: str | None, group_by: str | None, sport: str | None
) -> None:
    store = athlete(seed)
    args = {
        k: v
        for k, v in {"start_date": start, "end_date": end, "group_by": group_by, "sport": sport}.items()
        if v
    }
    async with serving(store, tmp_path) as s:
        result = await s.call("get_training_summary", **args)
    got, said = data(result), text_of(result)
    first, last = (D(start), D(end)) if start and end else (TODAY - timedelta(days=27), TODAY)
    family = sport.capitalize() if sport else None
    shown = ex.visible(store, first, last, family)
    stubs = [a for a in ex.activities(store, first, last) if ex.hidden(a)]

    assert (got["start_date"], got["end_date"]) == (str(first), str(last))
    assert got["sport"] == family
    same(got["totals"], ex.figures(shown))
    assert got["totals"]["strava_hidden"] == len(stubs)
    assert [(h["date"], h["id"]) for h in got["strava_hidden"]] == [(str(ex.day(a)), a["id"]) for a in stubs]
    assert got["records"] == len(shown) + len(stubs)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in shown:
        by_type[a["type"]].append(a)
    assert set(got["by_sport"]) == set(by_type)
    for kind, rows in by_type.items():
        same(got["by_sport"][kind], ex.figures(rows))
    # the periods tile the span; each holds what its days hold
    grouping = got["group_by"]
    assert grouping == (group_by or ex.default_group_by((last - first).days + 1))
    assert got["periods"][0]["start"] == str(first) and got["periods"][-1]["end"] == str(last)
    buckets: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for a in shown:
        buckets[period_key(ex.day(a), grouping)].append(a)
    for period in got["periods"]:
        same(period, ex.figures(buckets[period_key(D(period["start"]), grouping)]))
    # the span just before, as long
    length = (last - first).days + 1
    before = (first - timedelta(days=length), first - timedelta(days=1))
    assert (got["previous"]["start"], got["previous"]["end"]) == tuple(map(str, before))
    same(got["previous"], ex.figures(ex.visible(store, *before, family)))
    # the text names the span, the count, and the hidden activities it did not sum
    assert said.startswith(f"Training summary {first} to {last} (athlete i12345")
    assert f"{len(shown) + len(stubs)} activit" in said.splitlines()[0]
    for a in stubs[:6]:
        assert a["id"] in said
    if not shown:
        assert got["totals"]["sessions"] == 0 and all(p["sessions"] == 0 for p in got["periods"])


async def test_a_repeat_is_answered_from_the_cache_with_no_request(tmp_path: Path) -> None:
    async with serving(athlete(6), tmp_path) as s:
        args = {"start_date": "2025-09-01", "end_date": "2026-03-15", "group_by": "month"}
        first = await s.call("get_training_summary", **args)
        before = s.requests()
        second = await s.call("get_training_summary", **args)
        assert s.requests() == before
    assert text_of(first).split(";")[0] == text_of(second).split(";")[0]
    assert "fresh from Intervals.icu" in text_of(first) and "cached at" in text_of(second)
    one, two = data(first), data(second)
    one.pop("provenance"), two.pop("provenance")
    assert one == two


async def test_a_sport_filter_still_names_the_strava_hidden_activities(tmp_path: Path) -> None:
    store = athlete(7)
    stubs = [a for a in ex.activities(store, TODAY - timedelta(days=364), TODAY) if ex.hidden(a)]
    assert stubs, "seed 7 has Strava-hidden activities in its year"
    start = str(ex.day(stubs[0]))
    async with serving(store, tmp_path) as s:
        got = await s.call("get_training_summary", start_date=start, end_date=str(TODAY), sport="Swim")
    assert "may or may not be Swim" in text_of(got)
    assert data(got)["totals"]["strava_hidden"] == len(stubs)
    assert "Strava" not in "".join(data(got)["by_sport"])
