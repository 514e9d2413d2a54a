"""Processes killed at bad moments: a sync SIGKILLed at 20 seeded random points, and a stdio
server SIGKILLed while a tool call waits on a slow Intervals.icu.

After every kill the cache file must pass `PRAGMA integrity_check`, hold no duplicate rows, and
every day it marks covered must hold exactly the fake's records; the next sync must complete
and fetch exactly the windows that were not saved (all checked inside `kill_lane`); a
restarted server must answer from the cache, with a note, when upstream is down or hanging.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from intervals_mcp.fake import FakeIntervals

from .process_scenarios import Lane, kill_server_mid_call, kill_syncs
from .stdio_support import API_KEY, clone, recent_athlete, text_of

pytestmark = pytest.mark.slow

KILLS = 20
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
    lanes: list[Lane], tmp_path: Path
) -> None:
    kills = kill_syncs(lanes, tmp_path, KILLS, SEED)
    print(f"{len(kills)} SIGKILLs:", *kills, sep="\n  ")
    assert len(kills) >= KILLS


@pytest.mark.anyio
async def test_server_sigkilled_mid_call_serves_the_cache_after_restart(tmp_path: Path) -> None:
    with FakeIntervals(clone(recent_athlete()), api_key=API_KEY, latency=0.0, rate_limit=None) as fake:
        seen = await kill_server_mid_call(fake, tmp_path / "cache.sqlite3")
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
