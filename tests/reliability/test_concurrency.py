"""Several processes on one cache file: `intervals-mcp sync` writing while a stdio server answers
200 tool calls, and two stdio servers answering interleaved calls whose refreshes both write.

No call may fail or mention "database is locked", the sync must succeed, and afterwards every
day the cache marks covered must hold exactly the fake's records (nothing lost, nothing doubled).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from mcp import ClientSession
from mcp.client.stdio import stdio_client

from intervals_mcp.fake import FakeIntervals
from sync.helpers import store_range
from sync.processes import check_consistent, child_env

from .stdio_support import (
    API_KEY,
    Call,
    CallFailure,
    call_mix,
    clone,
    recent_athlete,
    serve_params,
    timed_call,
)

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

CALLS_EACH = 50


@pytest.fixture
def fake() -> Iterator[FakeIntervals]:
    """Two years at 40 ms a request: the paced sync takes ~2 s, long enough to overlap."""
    with FakeIntervals(clone(recent_athlete(2)), api_key=API_KEY, latency=0.04, rate_limit=None) as running:
        yield running


def with_refresh(calls: list[Call], every: int) -> list[Call]:
    """The mix repeated, with refresh=true (a write) on every `every`-th call."""
    out: list[Call] = []
    for i in range(len(calls) * every):
        tool, args = calls[i % len(calls)]
        out.append((tool, {**args, "refresh": True} if i % every == 0 else args))
    return out


def start_cli_sync(fake: FakeIntervals, db: Path, cwd: Path) -> subprocess.Popen[str]:
    """`intervals-mcp sync` of the fake's whole history, as a person runs it."""
    start, end = store_range(fake.store)
    return subprocess.Popen(
        [sys.executable, "-m", "intervals_mcp", "sync", "--since", str(start), "--until", str(end)],
        env=child_env(fake, db),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_fetching(fake: FakeIntervals, sync: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while not fake.requests:
        assert sync.poll() is None, sync.communicate()
        assert time.monotonic() < deadline, "the sync never reached the fake"
        time.sleep(0.01)


def covered_days(fake: FakeIntervals) -> int:
    start, end = store_range(fake.store)
    return 3 * ((end - start).days + 1)


async def test_server_answers_200_calls_while_a_sync_process_writes(
    fake: FakeIntervals, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    calls = with_refresh(call_mix(fake.store), every=8)
    failures: list[CallFailure] = []
    during_sync = 0
    async with stdio_client(serve_params(fake, db)) as (r, w), ClientSession(r, w) as session:
        await session.initialize()
        sync = start_cli_sync(fake, db, tmp_path)
        try:
            await anyio.to_thread.run_sync(wait_until_fetching, fake, sync)
            for i in range(200):
                await timed_call(session, calls[i % len(calls)], failures)
                during_sync += sync.poll() is None
            _, sync_err = await anyio.to_thread.run_sync(lambda: sync.communicate(timeout=60))
        finally:
            if sync.poll() is None:
                sync.kill()
    print(f"200 calls, {during_sync} of them answered while the sync process ran")
    assert failures == [], failures[:3]
    assert sync.returncode == 0, sync_err
    assert "locked" not in sync_err.lower()
    assert during_sync >= 20, "the calls and the sync did not overlap: the test proved nothing"
    assert check_consistent(db, fake.store) >= covered_days(fake)


async def test_two_servers_on_one_cache_answer_interleaved_calls_and_writes(
    fake: FakeIntervals, tmp_path: Path
) -> None:
    db = tmp_path / "cache.sqlite3"
    fake.latency = 0.01
    calls = with_refresh(call_mix(fake.store), every=3)  # a third of the calls refresh (and write)
    failures: list[CallFailure] = []
    answered = [0, 0]

    async def serve_calls(index: int, session: ClientSession) -> None:
        for i in range(CALLS_EACH):
            await timed_call(session, calls[(i + index) % len(calls)], failures)
            answered[index] += 1

    async with (
        stdio_client(serve_params(fake, db)) as (r1, w1),
        ClientSession(r1, w1) as one,
        stdio_client(serve_params(fake, db)) as (r2, w2),
        ClientSession(r2, w2) as two,
    ):
        await one.initialize()
        await two.initialize()
        started = time.monotonic()
        async with anyio.create_task_group() as tg:
            tg.start_soon(serve_calls, 0, one)
            tg.start_soon(serve_calls, 1, two)
    print(f"two servers answered {sum(answered)} calls in {time.monotonic() - started:.1f} s")
    assert failures == [], failures[:3]
    assert answered == [CALLS_EACH, CALLS_EACH]
    assert check_consistent(db, fake.store) > 0
