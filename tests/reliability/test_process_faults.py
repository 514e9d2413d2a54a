"""Processes killed at bad moments: a sync SIGKILLed at 20 seeded random points (10 on
PostgreSQL), and a stdio server SIGKILLed while a tool call waits on a slow Intervals.icu; on a
SQLite file and on PostgreSQL.

After every kill the cache must pass its integrity check (`PRAGMA integrity_check`; amcheck of
every index on PostgreSQL), hold no duplicate rows, and
every day it marks covered must hold exactly the fake's records; the next sync must complete
and fetch exactly the windows that were not saved (all checked inside `kill_lane`); a
restarted server must answer from the cache, with a note, when upstream is down or hanging.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from backends import SKIP_REASON, PostgresCluster
from intervals_mcp.fake import FakeIntervals
from server.conftest import text_of

from .process_scenarios import Lane, kill_server_mid_call, kill_syncs
from .stdio_support import API_KEY, clone, recent_athlete

pytestmark = pytest.mark.slow

KILLS = {"sqlite": 20, "postgresql": 10}
SEED = 20261124


@pytest.fixture(scope="module")
def lanes() -> Iterator[list[Lane]]:
    """Two lanes of two fakes (for the killed syncs, for the resumes), each counting its own
    requests: one year of history at 30 ms a request, so a whole sync is 9 windows in ~1 s
    (the client's 8 requests/s paces it)."""
    with ExitStack() as stack:
        fakes = [
            stack.enter_context(
                FakeIntervals(clone(recent_athlete()), api_key=API_KEY, latency=0.03, rate_limit=None)
            )
            for _ in range(4)
        ]
        yield [(fakes[0], fakes[1]), (fakes[2], fakes[3])]


def test_sync_sigkilled_at_random_points_always_leaves_a_consistent_cache(
    lanes: list[Lane], tmp_path: Path, backend: str, postgres: PostgresCluster | None
) -> None:
    if backend == "postgresql" and postgres is None:
        pytest.skip(SKIP_REASON)
    cluster = postgres if backend == "postgresql" else None
    kills = kill_syncs(lanes, tmp_path, KILLS[backend], SEED, cluster)
    print(f"{len(kills)} SIGKILLs:", *kills, sep="\n  ")
    assert len(kills) >= KILLS[backend]


@pytest.mark.anyio
async def test_server_sigkilled_mid_call_serves_the_cache_after_restart(fresh_database_url: str) -> None:
    with FakeIntervals(clone(recent_athlete()), api_key=API_KEY, latency=0.0, rate_limit=None) as fake:
        seen = await kill_server_mid_call(fake, fresh_database_url)
    assert not seen.primed.is_error, text_of(seen.primed)
    before = seen.primed.structured_content
    assert before and before["activities"]
    assert seen.closed is not None and "Connection closed" in str(seen.closed), "the kill missed the call"
    assert seen.integrity == "ok"
    for answer in (seen.down, seen.slow):
        assert not answer.is_error, text_of(answer)
        assert "could not refresh" in text_of(answer)
        assert answer.structured_content is not None
        assert answer.structured_content["activities"] == before["activities"]
        assert answer.structured_content["provenance"]["source"] == "cache"
