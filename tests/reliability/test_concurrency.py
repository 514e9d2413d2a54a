"""Several processes on one cache: `intervals-mcp sync` writing while a stdio server answers
200 tool calls, and two stdio servers answering interleaved calls whose refreshes write while a
sync process writes the whole history beside them. On a SQLite file and on PostgreSQL, each
starting from an empty database (the processes race to create it).

No call may fail or mention a lock, the sync must succeed, and afterwards every day the cache
marks covered must hold exactly the fake's records (nothing lost, nothing doubled).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intervals_mcp.fake import FakeIntervals
from sync.processes import check_consistent

from .process_scenarios import calls_during_sync, covered_days, two_servers
from .stdio_support import API_KEY, clone, recent_athlete

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture
def fake() -> Iterator[FakeIntervals]:
    """Two years at 60 ms a request: the paced sync takes ~3 s, long enough to overlap."""
    with FakeIntervals(clone(recent_athlete(2)), api_key=API_KEY, latency=0.06, rate_limit=None) as running:
        yield running


async def test_server_answers_200_calls_while_a_sync_process_writes(
    fake: FakeIntervals, tmp_path: Path, fresh_database_url: str
) -> None:
    db = fresh_database_url
    seen = await calls_during_sync(fake, db, tmp_path, calls=200, refresh_every=8)
    print(f"{seen.calls} calls, {seen.during_sync} of them answered while the sync process ran")
    assert seen.failures == [], seen.failures[:3]
    assert seen.sync_code == 0, seen.sync_err
    assert "locked" not in seen.sync_err.lower()
    # On PostgreSQL the refreshes queue behind the sync for the shared politeness budget, so
    # fewer calls fit in the sync's time than on SQLite; ten (one of them a refresh) still overlap.
    assert seen.during_sync >= 10, "the calls and the sync did not overlap: the test proved nothing"
    assert check_consistent(db, fake.store) >= covered_days(fake)


async def test_two_servers_and_a_sync_on_one_cache_answer_interleaved_calls_and_leave_no_duplicate(
    fake: FakeIntervals, tmp_path: Path, fresh_database_url: str
) -> None:
    db = fresh_database_url
    seen = await two_servers(fake, db, calls_each=50, refresh_every=3, sync_from=tmp_path)
    print(f"two servers answered {sum(seen.answered)} calls in {seen.seconds:.1f} s, "
          f"{seen.during_sync} of them while the sync ran")  # fmt: skip
    assert seen.failures == [], seen.failures[:3]
    assert seen.answered == [50, 50]
    assert seen.sync_code == 0, seen.sync_err
    assert "lock" not in seen.sync_err.lower()
    assert seen.during_sync >= 10, "the calls and the sync did not overlap: the test proved nothing"
    assert check_consistent(db, fake.store) >= covered_days(fake)
