"""One politeness budget per Intervals.icu key across processes (PostgreSQL): two
`intervals-mcp sync` processes with one coach's key, each syncing its own athlete at full
speed, stay within 10 requests per second in total, measured at the fake. Each process alone
paces itself at that rate, so two without the shared budget would reach about twice it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from backends import PostgresCluster, database
from intervals_mcp.fake import FakeIntervals, FakeWorld, generate_athlete

pytestmark = pytest.mark.slow

COACH, ANN, BOB = "i100", "i201", "i202"
KEY = "coach-budget-key"
LIMIT = 10  # requests in any one second, all processes together


@pytest.fixture
def pg_url(tmp_path: Path, postgres: PostgresCluster | None) -> Iterator[str]:
    with database("postgresql", tmp_path, postgres, migrated=False) as url:
        yield url


def busiest_second(moments: list[float]) -> int:
    """The most requests that arrived within any one second (windows [t, t + 1) from each)."""
    moments = sorted(moments)
    best, first = 0, 0
    for last, moment in enumerate(moments):
        while moment - moments[first] >= 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best


def test_busiest_second_counts_a_sliding_window() -> None:
    assert busiest_second([]) == 0
    assert busiest_second([0.0, 0.5, 0.99, 1.0, 1.2]) == 4  # [0.5, 1.5) holds the last four
    assert busiest_second([i / 4 for i in range(12)]) == 4  # quarters are exact in binary


def test_two_processes_syncing_at_once_stay_within_ten_requests_a_second(
    pg_url: str, tmp_path: Path
) -> None:
    today = date.today()
    stores = [generate_athlete(seed=s, years=0.2, today=today, athlete_id=i)
              for s, i in ((1, COACH), (2, ANN), (3, BOB))]  # fmt: skip
    world = FakeWorld.coach(stores[0], stores[1:], key=KEY)
    with FakeIntervals(world, rate_limit=None) as fake:
        ours = ("INTERVALS_", "API_KEY", "ATHLETE_ID")
        env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
        env.update(API_KEY=KEY, ATHLETE_ID=COACH, INTERVALS_API_BASE_URL=fake.base_url,
                   INTERVALS_MCP_DATABASE_URL=pg_url, LOG_LEVEL="WARNING")  # fmt: skip
        subprocess.run([sys.executable, "-m", "intervals_mcp", "db", "upgrade"], env=env, check=True,
                       capture_output=True)  # fmt: skip
        fake.clear_log()
        started = time.monotonic()
        command = [sys.executable, "-m", "intervals_mcp", "sync", "--days", "21", "--intervals"]
        syncs = [
            subprocess.Popen([*command, "--athlete-id", athlete], env=env, cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for athlete in (ANN, BOB)
        ]
        errors = [sync.communicate(timeout=120)[1] for sync in syncs]
        assert [sync.returncode for sync in syncs] == [0, 0], errors
        seen = list(fake.requests)
    # Whose each request was: the athlete in its path, or the owner of the activity it names
    # (an activity's intervals are asked for by the activity's id alone).
    owner = {activity: store.athlete_id for store in stores for activity in store.activities}
    by_athlete = {
        athlete: [
            r.at
            for r in seen
            if athlete in r.path
            or r.query.get("athlete") == athlete
            or any(owner.get(part) == athlete for part in r.path.split("/"))
        ]
        for athlete in (ANN, BOB)
    }
    moments = [r.at for r in seen]
    span = max(moments) - min(moments)
    rate = (len(moments) - 1) / span
    peak = busiest_second(moments)
    print(f"{len(moments)} requests in {span:.1f} s ({rate:.1f}/s, busiest second {peak}); "
          f"wall {time.monotonic() - started:.1f} s")  # fmt: skip
    assert all(by_athlete.values()), "both processes fetched"
    assert min(by_athlete[ANN]) < max(by_athlete[BOB]) and min(by_athlete[BOB]) < max(by_athlete[ANN]), (
        "the two syncs did not run at the same time: the test proved nothing"
    )
    assert len(moments) >= 40
    assert rate >= 7.0, "the processes did not press on the budget: the test proved nothing"
    assert peak <= LIMIT
    assert all(r.status != 429 for r in seen)
