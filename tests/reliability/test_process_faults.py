"""Processes killed at bad moments: a sync SIGKILLed at 20+ seeded random points, and a stdio
server SIGKILLed while a tool call waits on a slow Intervals.icu.

After every kill the cache file must pass `PRAGMA integrity_check`, hold no duplicate rows, and
every day it marks covered must hold exactly the fake's records; the next sync must complete
and fetch exactly the windows that were not saved; a restarted server must answer from the
cache when upstream is down or hanging.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import anyio
import pytest
from mcp import ClientSession, MCPError
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult
from pydantic import SecretStr

from intervals_mcp.config import load_settings
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.fake import FakeIntervals, Fault
from intervals_mcp.sync.runner import run_sync
from sync.helpers import store_range
from sync.processes import check_consistent, child_env, windows_left

from .stdio_support import API_KEY, ATHLETE, clone, recent_athlete, serve_params, server_pid, text_of

pytestmark = pytest.mark.slow

KILLS = 20
SEED = 20261124
RESOURCES = ["activities", "wellness", "events"]
FORKER = Path(__file__).with_name("sync_forker.py")


@pytest.fixture(scope="module")
def fakes() -> Iterator[list[FakeIntervals]]:
    """One fake per lane (each counts its own requests): one year of history at 30 ms a
    request, so a whole sync is 9 windows in ~1 s (the client's 8 requests/s paces it)."""
    with (
        FakeIntervals(clone(recent_athlete()), api_key=API_KEY, latency=0.03, rate_limit=None) as one,
        FakeIntervals(clone(recent_athlete()), api_key=API_KEY, latency=0.03, rate_limit=None) as two,
    ):
        yield [one, two]


class Forker:
    """tests/reliability/sync_forker.py: real sync processes, forked from one warm interpreter."""

    def __init__(self, fake: FakeIntervals, log: Path) -> None:
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, str(FORKER)],
            env=child_env(fake, log.with_suffix(".unused.sqlite3")),
            cwd=log.parent,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )

    def _line(self, word: str) -> list[str]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().split()
        assert line and line[0] == word, f"sync forker said {line!r}: see {self._log.name}"
        return line[1:]

    def start(self, db_path: Path, since: date, until: date) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{db_path} {since} {until}\n")
        self.proc.stdin.flush()
        return int(self._line("pid")[0])

    def wait(self, pid: int) -> int:
        """The child's exit code (negative: the signal that killed it)."""
        child, code = self._line("exit")
        assert int(child) == pid
        return int(code)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self._log.close()


def kill_point(rng: random.Random, windows: int) -> tuple[int, float]:
    """Kill after the k-th request reached the fake (1 <= k < windows) plus a pause of 0-80 ms:
    inside a response, inside a write, or between windows."""
    return rng.randint(1, windows - 1), rng.uniform(0.0, 0.08)


def wait_for_child_requests(fake: FakeIntervals, n: int, pid: int) -> None:
    deadline = time.monotonic() + 30
    while len(fake.requests) < n:
        assert Path(f"/proc/{pid}").exists(), "the sync ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)


def settle(fake: FakeIntervals, quiet: float = 0.1) -> None:
    """Wait until the fake's log has not grown for `quiet` seconds."""
    seen, since = len(fake.requests), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.01)
        if len(fake.requests) != seen:
            seen, since = len(fake.requests), time.monotonic()


def resume(fake: FakeIntervals, db_path: Path) -> int:
    """The next sync, in this process (`run_sync`, as `intervals-mcp sync` calls it)."""
    start, end = store_range(fake.store)
    settings = load_settings(
        api_key=SecretStr(API_KEY), athlete_id=ATHLETE, base_url=fake.base_url, db_path=db_path
    )
    return run_sync(
        settings,
        athlete_id=ATHLETE,
        since=start,
        until=end,
        resources=RESOURCES,
        full=False,
        with_intervals=False,
    )


def copy_db(template: Path, to: Path) -> None:
    """A fresh cache at the head revision (Alembic itself is not safe to run in two threads)."""
    with closing(sqlite3.connect(template)) as src, closing(sqlite3.connect(to)) as dst:
        src.backup(dst)


def kill_lane(fake: FakeIntervals, seed: int, kills_wanted: int, template: Path, workdir: Path) -> list[str]:
    """SIGKILL `kills_wanted` syncs, each at a seeded random point; check the cache after each
    kill, then resume and check again. Returns one line per kill."""
    workdir.mkdir()
    rng = random.Random(seed)
    start, end = store_range(fake.store)
    all_days = 3 * ((end - start).days + 1)
    windows = windows_left(None, start, end)
    assert windows >= 6, "too few windows to kill a sync in the middle"
    kills: list[str] = []
    forker = Forker(fake, workdir / "forker.log")
    try:
        for attempt in range(kills_wanted + 10):
            if len(kills) == kills_wanted:
                break
            db_path = workdir / f"kill-{attempt}.sqlite3"
            copy_db(template, db_path)  # as a first `serve` or `sync` leaves it
            after, pause = kill_point(rng, windows)
            fake.clear_log()
            pid = forker.start(db_path, start, end)
            try:
                wait_for_child_requests(fake, after, pid)
                time.sleep(pause)
            finally:
                os.kill(pid, signal.SIGKILL)
            code = forker.wait(pid)
            if code == 0:
                continue  # it finished inside the pause: not a kill, draw another point
            assert code == -signal.SIGKILL, f"the sync failed ({code}): see {workdir}/forker.log"

            saved = check_consistent(db_path, fake.store)
            left = windows_left(db_path, start, end)
            settle(fake)  # a request the child sent just before it died may still be arriving
            fake.clear_log()
            assert resume(fake, db_path) == 0
            assert check_consistent(db_path, fake.store) == all_days
            assert len(fake.requests) == left, (
                f"the next sync fetches exactly the {left} windows not yet saved, not "
                f"{[(q.path, q.query) for q in fake.requests]}"
            )
            kills.append(
                f"{windows}-window sync killed at request {after} + {pause * 1000:.0f} ms: "
                f"{saved} days saved, {left} windows left"
            )
    finally:
        forker.close()
    return kills


def test_sync_sigkilled_at_random_points_always_leaves_a_consistent_cache(
    fakes: list[FakeIntervals], tmp_path: Path
) -> None:
    """KILLS kills in two lanes at once (each lane its own fake and cache files): the time is
    spent waiting on the paced requests, so two lanes halve it."""
    per_lane = -(-KILLS // len(fakes))
    template = upgrade_database(tmp_path / "empty.sqlite3")
    with ThreadPoolExecutor(len(fakes)) as pool:
        lanes = [
            pool.submit(kill_lane, fake, SEED + i, per_lane, template, tmp_path / f"lane-{i}")
            for i, fake in enumerate(fakes)
        ]
        kills = [line for lane in lanes for line in lane.result()]
    print(f"{len(kills)} SIGKILLs:", *kills, sep="\n  ")
    assert len(kills) >= KILLS


@pytest.mark.anyio
async def test_server_sigkilled_mid_call_serves_the_cache_after_restart(tmp_path: Path) -> None:
    store = clone(recent_athlete())
    db = tmp_path / "cache.sqlite3"
    month = {"start_date": str(store.today - timedelta(days=30)), "end_date": str(store.today)}
    with FakeIntervals(store, api_key=API_KEY, latency=0.0, rate_limit=None) as fake:
        retry = {"INTERVALS_MCP_TOOL_RETRY_SECONDS": "1.0"}
        async with stdio_client(serve_params(fake, db, **retry)) as (r, w), ClientSession(r, w) as s:
            await s.initialize()
            pid = server_pid(db)
            primed = await s.call_tool("get_activities", month)
            assert not primed.is_error, text_of(primed)
            cached_before = primed.structured_content
            assert cached_before and cached_before["activities"]

            fake.inject(Fault(kind="hang", seconds=30.0, times=1))  # the refresh waits on upstream
            asked = len(fake.requests)
            closed: MCPError | None = None

            def kill_when_waiting() -> None:
                deadline = time.monotonic() + 15
                while len(fake.requests) == asked and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(0.05)  # the server is now waiting on the hanging response
                os.kill(pid, signal.SIGKILL)

            async with anyio.create_task_group() as tg:
                tg.start_soon(anyio.to_thread.run_sync, kill_when_waiting)
                try:
                    with anyio.fail_after(20):
                        await s.call_tool("get_activities", {**month, "refresh": True})
                except MCPError as exc:
                    closed = exc
            assert closed is not None and "Connection closed" in str(closed), closed

        assert_intact(db)
        fake.clear_faults()
        fake.inject(Fault(kind="status", status=503, times=1000))  # upstream now down
        down = await restarted_answer(fake, db, month, retry)
        fake.clear_faults()
        fake.inject(Fault(kind="hang", seconds=30.0, times=1000))  # upstream now hanging
        slow = await restarted_answer(fake, db, month, retry)
        fake.clear_faults()

    for answer in (down, slow):
        assert not answer.is_error, text_of(answer)
        assert "could not refresh" in text_of(answer)
        assert answer.structured_content is not None
        assert answer.structured_content["activities"] == cached_before["activities"]
        assert answer.structured_content["provenance"]["source"] == "cache"


def assert_intact(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


async def restarted_answer(
    fake: FakeIntervals, db: Path, month: dict[str, str], env: dict[str, str]
) -> CallToolResult:
    """A new server process on the same cache, asked to refresh the month."""
    async with stdio_client(serve_params(fake, db, **env)) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        with anyio.fail_after(20):
            return await s.call_tool("get_activities", {**month, "refresh": True})
