"""The athlete behind every call, shown over real processes (`intervals-mcp serve` over stdio,
`intervals-mcp sync`): "today" is the athlete's Intervals.icu time zone, not the machine's;
`ATHLETE_ID=0` and the real id share one cache; a record is stored only under its owner; and an
older answer arriving last never overwrites newer rows."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from intervals_mcp.fake import FakeIntervals, FakeWorld, Fault, generate_athlete

from .conftest import KEY, sentence, text_of

pytestmark = pytest.mark.anyio

MACHINE_TZ = "Pacific/Kiritimati"  # UTC+14: a day ahead of most of the world much of the time


def today_in(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


def env_for(fake: FakeIntervals, db: Path, athlete_id: str, key: str = KEY, **extra: str) -> dict[str, str]:
    return {
        "API_KEY": key,
        "ATHLETE_ID": athlete_id,
        "INTERVALS_API_BASE_URL": fake.base_url,
        "INTERVALS_MCP_DB": str(db),
        "TZ": MACHINE_TZ,
        "LOG_LEVEL": "WARNING",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **extra,
    }


@asynccontextmanager
async def serve(env: dict[str, str]) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "intervals_mcp", "serve"], env=env, cwd="/"
    )
    async with stdio_client(params) as (r, w), ClientSession(r, w) as session:
        await session.initialize()
        yield session


async def call(session: ClientSession, name: str, args: dict[str, Any]) -> Any:
    result = await session.call_tool(name, args)
    assert not result.is_error, text_of(result)
    return result


# --- today is the athlete's --------------------------------------------------------------------


@pytest.fixture
def two_zones() -> Iterator[FakeIntervals]:
    """One key owning an athlete in Brussels and coaching one in Pago Pago (UTC-11: always on
    another date than Kiritimati, whatever the hour)."""
    brussels = generate_athlete(seed=5, years=0.2, athlete_id="i100", timezone="Europe/Brussels")
    pago = generate_athlete(seed=6, years=0.2, athlete_id="i201", timezone="Pacific/Pago_Pago")
    with FakeIntervals(FakeWorld.coach(brussels, [pago], key=KEY), rate_limit=None) as fake:
        yield fake


async def test_default_ranges_end_on_the_athletes_today_not_the_machines(
    two_zones: FakeIntervals, tmp_path: Path
) -> None:
    async with serve(env_for(two_zones, tmp_path / "c.sqlite3", "i100")) as s:
        own = (await call(s, "get_activities", {})).structured_content
        wellness = (await call(s, "get_wellness_data", {})).structured_content
        events = (await call(s, "get_events", {})).structured_content
        coached = (await call(s, "get_activities", {"athlete_id": "i201"})).structured_content
    brussels, pago, machine = today_in("Europe/Brussels"), today_in("Pacific/Pago_Pago"), today_in(MACHINE_TZ)
    assert own["end_date"] == wellness["end_date"] == str(brussels)
    assert own["start_date"] == str(brussels - timedelta(days=30))
    assert events["start_date"] == str(brussels)
    assert coached["end_date"] == str(pago) != str(machine)  # UTC-11 vs UTC+14: always a day apart


# --- 0 is the key's owner, under their real id -------------------------------------------------


@pytest.fixture
def one_athlete() -> Iterator[FakeIntervals]:
    store = generate_athlete(seed=9, years=0.3, athlete_id="i12345", timezone="Europe/Brussels")
    with FakeIntervals(store, api_key=KEY, rate_limit=None) as fake:
        yield fake


async def test_athlete_0_and_the_real_id_share_one_cache(one_athlete: FakeIntervals, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    month = {"start_date": str(today_in("Europe/Brussels") - timedelta(days=30))}
    async with serve(env_for(one_athlete, db, "0")) as s:
        as_zero = await call(s, "get_activities", month)
    assert as_zero.structured_content["athlete_id"] == "i12345"  # shown under the real id
    assert "/athlete/0" in {r.path.removeprefix("/api/v1") for r in one_athlete.requests}
    assert all("/athlete/0/" not in r.path for r in one_athlete.requests)  # stored as i12345

    one_athlete.clear_log()
    async with serve(env_for(one_athlete, db, "i12345")) as s:
        as_id = await call(s, "get_activities", month)
    assert one_athlete.requests == [], "the real id found the cache the 0 call filled"
    assert text_of(as_id).splitlines()[1:] == text_of(as_zero).splitlines()[1:]

    # And 0 still names its athlete with Intervals.icu unreachable: the cache remembers whose key it is.
    closed = env_for(one_athlete, db, "0", INTERVALS_API_BASE_URL="http://127.0.0.1:9/api/v1")
    async with serve(closed) as s:
        offline = await call(s, "get_activities", month)
    assert offline.structured_content["athlete_id"] == "i12345"
    assert offline.structured_content["activities"] == as_id.structured_content["activities"]


# --- a record belongs to its owner --------------------------------------------------------------


@pytest.fixture
def coach_and_athlete() -> Iterator[FakeIntervals]:
    coach = generate_athlete(seed=1, years=0.2, athlete_id="i100", timezone="Europe/Brussels")
    ann = generate_athlete(seed=2, years=0.2, athlete_id="i201", timezone="Europe/Brussels")
    with FakeIntervals(FakeWorld.coach(coach, [ann], key=KEY), rate_limit=None) as fake:
        yield fake


async def test_another_athletes_activity_never_appears_in_mine(
    coach_and_athlete: FakeIntervals, tmp_path: Path
) -> None:
    ann = coach_and_athlete.world.store("i201")
    theirs = next(a for a in ann.activities.values() if a.get("source") != "STRAVA")
    day = date.fromisoformat(theirs["start_date_local"][:10])
    around = {
        "start_date": str(day - timedelta(days=3)),
        "end_date": str(day + timedelta(days=3)),
        "limit": 200,
    }
    db = tmp_path / "c.sqlite3"
    async with serve(env_for(coach_and_athlete, db, "i100")) as s:
        await call(s, "get_activities", around)  # my window, fetched first
        refused = await s.call_tool("get_activity_details", {"activity_id": theirs["id"]})
        again = await s.call_tool("get_activity_details", {"activity_id": theirs["id"]})
        asked = len(coach_and_athlete.requests)
        mine = await call(s, "get_activities", around)  # from the cache: no refetch can hide a stray row
        assert len(coach_and_athlete.requests) == asked
        asked_right = await call(
            s, "get_activity_details", {"activity_id": theirs["id"], "athlete_id": "i201"}
        )
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT athlete_id FROM activities WHERE id = ?", (theirs["id"],))
        owners = [row[0] for row in stored]
    assert owners == ["i201"], "stored once, under its owner"
    for answer in (refused, again):
        assert sentence(answer, "get_activity_details") == (
            f"Activity {theirs['id']} belongs to athlete i201, not i100: ask again with athlete_id=i201."
        )
    assert theirs["id"] not in text_of(mine)
    assert all(row["id"] != theirs["id"] for row in mine.structured_content["activities"])
    assert asked_right.structured_content["activity_id"] == theirs["id"]
    details = [r for r in coach_and_athlete.requests if r.path.endswith(f"/activity/{theirs['id']}")]
    assert len(details) == 1, "the second refusal came from the cache, without asking again"


# --- an older answer arriving last -------------------------------------------------------------


def sync(env: dict[str, str]) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "intervals_mcp", "sync", "--days", "7", "--only", "wellness", "--full"]
    return subprocess.Popen(args, env=env, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_an_older_window_answer_arriving_last_leaves_the_newer_rows(
    one_athlete: FakeIntervals, tmp_path: Path
) -> None:
    db = tmp_path / "c.sqlite3"
    env = env_for(one_athlete, db, "i12345")
    today = today_in("Europe/Brussels")
    # The first sync's window is answered as upstream was when it asked, 3 s later.
    one_athlete.inject(Fault(kind="late", seconds=3.0, path_contains="/wellness", times=1))
    first = sync(env)
    deadline = datetime.now(UTC) + timedelta(seconds=30)
    while not any(r.path.endswith("/wellness") for r in one_athlete.requests):
        assert first.poll() is None and datetime.now(UTC) < deadline
    one_athlete.store.update_wellness(today, comments="edited after the first sync asked")
    second = sync(env)  # asks later, answered at once: the newer snapshot
    assert second.wait(timeout=60) == 0, second.stderr.read() if second.stderr else ""
    assert first.wait(timeout=60) == 0, first.stderr.read() if first.stderr else ""
    assert sum(r.path.endswith("/wellness") for r in one_athlete.requests) == 2, "both asked"

    with sqlite3.connect(db) as conn:
        (payload, newer) = conn.execute(
            "SELECT payload, fetched_at FROM wellness WHERE athlete_id = 'i12345' AND id = ?", (str(today),)
        ).fetchone()
        covered = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT fetched_at FROM sync_coverage WHERE resource = 'wellness' AND day >= ?",
                (str(today - timedelta(days=6)),),
            )
        ]
    assert "edited after the first sync asked" in payload, "the older answer did not overwrite it"
    # The newer answer's rows carry its fetch time; the window's coverage is that same fetch,
    # never moved back to the older one.
    assert covered == [newer], (covered, newer)
