"""What every analytics tool shares: the cache's status, the cap on what one call fetches with
the exact sync command that completes the rest (run here for real), a coach's athletes, bad
arguments refused before any request, and answers that stay short."""

from __future__ import annotations

import os
import shlex
import sys
from datetime import date, timedelta
from pathlib import Path

import anyio
import pytest

from intervals_mcp.fake import FakeWorld
from intervals_mcp.server.tools import TOOLS
from server.conftest import sentence

from . import expected as ex
from .support import KEY, TODAY, athlete, data, serving, text_of

pytestmark = pytest.mark.anyio
D = date.fromisoformat
FETCH_CAP = 3 * 365 + 1  # the list tools' cap, in days


async def test_the_cache_status_counts_rows_gaps_and_hidden_activities(tmp_path: Path) -> None:
    store = athlete(33)
    async with serving(store, tmp_path) as s:
        await s.call("get_training_summary", start_date="2026-02-01", end_date="2026-02-28")  # Jan + Feb
        await s.call("get_training_summary", start_date="2025-06-01", end_date="2025-06-30")  # May + Jun
        before = s.requests()
        result = await s.call("get_cache_status")
        assert s.requests() == before, "the status fetches nothing"
    got = {r["resource"]: r for r in data(result)["resources"]}
    acts = got["activities"]
    first, last = D("2025-05-02"), D("2026-02-28")
    assert (acts["cached_from"], acts["cached_to"]) == (str(first), str(last))
    assert acts["gaps"] == [{"start": "2025-07-01", "end": "2026-01-03"}]
    assert acts["gap_days"] == (D("2026-01-03") - D("2025-07-01")).days + 1
    cached = ex.activities(store, first, D("2025-06-30")) + ex.activities(store, D("2026-01-04"), last)
    assert acts["rows"] == len(cached)
    assert acts["strava_hidden"] == sum(1 for a in cached if ex.hidden(a))
    assert (
        acts["sync_command"] == "intervals-mcp sync --since 2025-07-01 --until 2026-01-03 --only activities"
    )
    assert acts["stale_days"] == 0
    assert got["wellness"]["cached_from"] is None and got["wellness"]["rows"] == 0
    assert got["wellness"]["sync_command"] == (
        f"intervals-mcp sync --since {TODAY - timedelta(days=365)} --until {TODAY} --only wellness"
    )
    said = text_of(result)
    assert acts["sync_command"] in said and "nothing was fetched" in said


async def test_history_beyond_the_cap_is_left_out_with_the_command_that_completes_it(tmp_path: Path) -> None:
    store = athlete(34, years=4)
    start = TODAY - timedelta(days=4 * 365 - 1)
    async with serving(store, tmp_path) as s:
        first = await s.call("get_fitness_trend", start_date=str(start))
        got = data(first)
        oldest_fetched = TODAY - timedelta(days=FETCH_CAP - 1)
        command = (
            f"intervals-mcp sync --since {start} --until {oldest_fetched - timedelta(days=1)} --only wellness"
        )
        assert got["sync_command"] == command
        assert f"run `{command}` to complete them" in text_of(first)
        assert got["records"] == len(ex.wellness(store, oldest_fetched, TODAY))
        assert data(first)["provenance"]["complete"] is False
        # the exact command, run as a person would (the sync CLI against the same fake and file)
        env = {
            **os.environ,
            "API_KEY": KEY,
            "ATHLETE_ID": "i12345",
            "INTERVALS_API_BASE_URL": s.fake.base_url,
            "INTERVALS_MCP_DB": str(s.db_path),
        }
        args = shlex.split(command)[1:]
        with anyio.fail_after(120):
            done = await anyio.run_process(
                [sys.executable, "-m", "intervals_mcp", *args], env=env, check=False
            )
        assert done.returncode == 0, done.stderr
        before = s.requests()
        second = await s.call("get_fitness_trend", start_date=str(start))
        assert s.requests() == before
    completed = data(second)
    assert completed["sync_command"] is None and completed["note"] is None
    assert completed["records"] == len(ex.wellness(store, start, TODAY))
    assert completed["provenance"]["complete"] is True


async def test_a_coach_asks_about_an_athlete_and_gets_their_own_command(tmp_path: Path) -> None:
    coach, ann = athlete(35, athlete_id="i100"), athlete(36, athlete_id="i201", timezone="Australia/Sydney")
    world = FakeWorld.coach(coach, [ann], key=KEY)
    async with serving(world, tmp_path, athlete_id="i100") as s:
        mine = data(await s.call("get_training_summary"))
        hers = data(await s.call("get_training_summary", athlete_id="i201"))
        status = data(await s.call("get_cache_status", athlete_id="i201"))
    assert (mine["athlete_id"], hers["athlete_id"]) == ("i100", "i201")
    start = TODAY - timedelta(days=27)
    assert hers["totals"]["sessions"] == len(ex.visible(ann, start, TODAY))
    assert mine["totals"]["sessions"] == len(ex.visible(coach, start, TODAY))
    wellness = next(r for r in status["resources"] if r["resource"] == "wellness")
    assert wellness["sync_command"].endswith("--only wellness --athlete-id i201")


@pytest.mark.parametrize(
    ("tool", "args", "says"),
    [
        (
            "get_training_summary",
            {"sport": "Cycling"},
            "sport 'Cycling' is not an Intervals.icu activity type",
        ),
        ("get_training_summary", {"group_by": "fortnight"}, "group_by 'fortnight' is unknown"),
        ("get_intensity_distribution", {"metric": "watts"}, "metric 'watts' is unknown"),
        ("search_activities", {"sort": "speed"}, "sort 'speed' is unknown"),
        ("search_activities", {"min_distance_km": 50, "max_distance_km": 10}, "min_distance_km 50"),
        ("get_plan_adherence", {"start_date": "2026-03-10", "end_date": "2026-03-01"}, "is after end_date"),
        ("get_fitness_trend", {"start_date": "last week"}, "is not a date"),
    ],
)
async def test_bad_arguments_get_one_sentence_and_no_request(
    tmp_path: Path, tool: str, args: dict, says: str
) -> None:
    async with serving(athlete(37), tmp_path) as s:
        await s.call("get_cache_status")  # the athlete is known: only the tool's own work is counted
        before = s.requests()
        result = await s.call_raw(tool, **args)
        assert s.requests() == before
    said = sentence(result, tool)
    assert says in said and said.count("\n") == 0


async def test_similar_to_an_activity_not_cached_says_how_to_get_it(tmp_path: Path) -> None:
    async with serving(athlete(38), tmp_path) as s:
        result = await s.call_raw("search_activities", similar_to="i999999999")
    assert "Activity i999999999 is not in the cache" in sentence(result, "search_activities")


async def test_default_answers_and_a_year_by_month_stay_under_2500_characters(tmp_path: Path) -> None:
    analytics = [t.name for t in TOOLS if t.domain == "analysis"]
    async with serving(athlete(39), tmp_path) as s:
        sizes = {name: len(text_of(await s.call(name))) for name in analytics}
        year = await s.call(
            "get_training_summary", start_date=str(TODAY - timedelta(days=364)), group_by="month"
        )
        sizes["year by month"] = len(text_of(year))
        fitness = await s.call("get_fitness_trend", forecast_days=60)
        sizes["fitness with forecast"] = len(text_of(fitness))
    assert "get_cache_status" in analytics and "get_training_summary" in analytics
    assert all(size < 2500 for size in sizes.values()), sizes
