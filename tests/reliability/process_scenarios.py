"""The process scenarios, as functions that run them and return what happened: syncs SIGKILLed
at seeded random points, a server SIGKILLed mid-call and restarted, a sync process beside a
serving one, two servers (and a sync) on one cache. tests/reliability/ asserts on what they
return; benchmarks/fault_scenarios/process.py prints it.

Each runs on a SQLite file or on a PostgreSQL database (`Where`, see tests/backends.py).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, MCPError
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult
from pydantic import SecretStr

from backends import PostgresCluster, Where, backend_of, storage_settings, sync_engine, url_of
from intervals_mcp.cli.runner import SyncRequest, run_sync
from intervals_mcp.config import load_settings
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.fake import FakeIntervals, Fault
from sync.helpers import store_range
from sync.processes import check_consistent, child_env, window_requests, windows_left

from .stdio_support import (
    API_KEY,
    ATHLETE,
    Call,
    CallFailure,
    call_mix,
    serve_params,
    server_pid,
    timed_call,
)

RESOURCES = ["activities", "wellness", "events"]
FORKER = Path(__file__).with_name("sync_forker.py")


# --- syncs killed at random points -----------------------------------------------------------


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

    def start(self, db: Where, since: date, until: date) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{db} {since} {until}\n")
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


def resume(fake: FakeIntervals, db: Where, spare: Path) -> int:
    """The next sync, in this process (`run_sync`, as `intervals-mcp sync` calls it)."""
    start, end = store_range(fake.store)
    settings = load_settings(
        api_key=SecretStr(API_KEY), athlete_id=ATHLETE, base_url=fake.base_url, **storage_settings(db, spare)
    )
    request = SyncRequest(
        athlete_id=ATHLETE, since=str(start), days=None, until=str(end), resources=RESOURCES
    )
    return run_sync(settings, request)


@dataclass
class Caches:
    """Fresh caches at the head revision, as a first `serve` or `sync` leaves them: copies of one
    migrated SQLite file (Alembic itself is not safe to run in two threads), or new PostgreSQL
    databases from the cluster's migrated template (dropped by `discard`)."""

    workdir: Path
    cluster: PostgresCluster | None = None
    _template: Path | None = field(default=None, init=False)

    def fresh(self, name: str) -> Where:
        if self.cluster is not None:
            return self.cluster.create()
        if self._template is None:
            self._template = self.workdir / "empty.sqlite3"
            upgrade_database(self._template)
        path = self.workdir / f"{name}.sqlite3"
        with closing(sqlite3.connect(self._template)) as src, closing(sqlite3.connect(path)) as dst:
            src.backup(dst)
        return path

    def discard(self, db: Where) -> None:
        if self.cluster is not None:
            self.cluster.drop(url_of(db))


Lane = tuple[FakeIntervals, FakeIntervals]


def kill_lane(lane: Lane, seed: int, kills_wanted: int, caches: Caches, workdir: Path) -> list[str]:
    """SIGKILL `kills_wanted` syncs, each at a seeded random point; check the cache after each
    kill, then resume and check again. Returns one line per kill.

    The killed syncs talk to the lane's first fake, the resumes to its second (the same athlete):
    a request the killed child sent just before it died may reach the first fake late, and must
    not be counted as the resume's."""
    fake, resume_fake = lane
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
            db_path = caches.fresh(f"{workdir.name}-kill-{attempt}")
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
                caches.discard(db_path)
                continue  # it finished inside the pause: not a kill, draw another point
            assert code == -signal.SIGKILL, f"the sync failed ({code}): see {workdir}/forker.log"

            assert integrity(db_path) == "ok"
            saved = check_consistent(db_path, fake.store)
            left = windows_left(db_path, start, end)
            resume_fake.clear_log()
            assert resume(resume_fake, db_path, workdir / "never.sqlite3") == 0
            assert check_consistent(db_path, resume_fake.store) == all_days
            assert len(window_requests(resume_fake.requests)) == left, (
                f"the next sync fetches exactly the {left} windows not yet saved, not "
                f"{[(q.path, q.query) for q in resume_fake.requests]}"
            )
            kills.append(
                f"{windows}-window sync killed at request {after} + {pause * 1000:.0f} ms: "
                f"{saved} days saved, {left} windows left"
            )
            caches.discard(db_path)
    finally:
        forker.close()
    return kills


def kill_syncs(
    lanes: list[Lane], workdir: Path, kills: int, seed: int, cluster: PostgresCluster | None = None
) -> list[str]:
    """`kills` SIGKILLs split over the lanes, run at once (each lane its own fakes and caches):
    the time goes in waiting on the paced requests, so lanes add up to less. On `cluster`'s
    PostgreSQL when given, else on SQLite files."""
    per_lane = -(-kills // len(lanes))
    caches = Caches(workdir, cluster)
    caches.fresh("warm-up")  # migrate the template before the lanes run
    with ThreadPoolExecutor(len(lanes)) as pool:
        running = [
            pool.submit(kill_lane, lane, seed + i, per_lane, caches, workdir / f"lane-{i}")
            for i, lane in enumerate(lanes)
        ]
        return [line for lane in running for line in lane.result()]


# --- a server killed mid-call ------------------------------------------------------------------


@dataclass
class ServerKill:
    primed: CallToolResult  # the month, answered before the kill
    closed: MCPError | None  # what the client got for the call the kill cut short
    integrity: str  # PRAGMA integrity_check (PostgreSQL: amcheck of every index) right after the kill
    down: CallToolResult  # a restarted server's answer with upstream answering 503
    slow: CallToolResult  # ... and with upstream hanging


_INDEXES = """
SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam
WHERE n.nspname = current_schema() AND am.amname = 'btree'
"""


def integrity(db: Where) -> str:
    """"ok", or what is wrong: SQLite's `PRAGMA integrity_check`; on PostgreSQL, amcheck's
    `bt_index_check` over every index of the cache (each must agree with its table's pages)."""
    url = url_of(db)
    with sync_engine(url) as engine, engine.begin() as conn:
        if backend_of(url) == "sqlite":
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = [oid for (oid,) in conn.exec_driver_sql(_INDEXES)]
        for oid in indexes:
            conn.exec_driver_sql(f"SELECT bt_index_check({oid}, true)")
        return "ok" if indexes else "no index to check"


async def restarted_answer(
    fake: FakeIntervals, db: Where, month: dict[str, str], env: dict[str, str]
) -> CallToolResult:
    """A new server process on the same cache, asked to refresh the month."""
    async with stdio_client(serve_params(fake, db, **env)) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        with anyio.fail_after(20):
            return await s.call_tool("get_activities", {**month, "refresh": True})


async def kill_server_mid_call(fake: FakeIntervals, db: Where) -> ServerKill:
    """Prime the month, SIGKILL the server while its refresh waits on a hanging upstream, then
    ask two restarted servers (upstream down, upstream hanging) for the month again."""
    today = fake.store.today
    month = {"start_date": str(today - timedelta(days=30)), "end_date": str(today)}
    retry = {"INTERVALS_MCP_TOOL_RETRY_SECONDS": "1.0"}
    async with stdio_client(serve_params(fake, db, **retry)) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        pid = server_pid(db)
        primed = await s.call_tool("get_activities", month)
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
    intact = integrity(db)
    fake.clear_faults()
    fake.inject(Fault(kind="status", status=503, times=1000))  # upstream now down
    down = await restarted_answer(fake, db, month, retry)
    fake.clear_faults()
    fake.inject(Fault(kind="hang", seconds=30.0, times=1000))  # upstream now hanging
    slow = await restarted_answer(fake, db, month, retry)
    fake.clear_faults()
    return ServerKill(primed, closed, intact, down, slow)


# --- processes side by side ------------------------------------------------------------------


def with_refresh(calls: list[Call], every: int) -> list[Call]:
    """The mix repeated, with refresh=true (a write) on every `every`-th call."""
    out: list[Call] = []
    for i in range(len(calls) * every):
        tool, args = calls[i % len(calls)]
        out.append((tool, refreshed(args) if i % every == 0 else args))
    return out


def start_cli_sync(fake: FakeIntervals, db: Where, cwd: Path) -> subprocess.Popen[str]:
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
    """Days x resources of the fake's whole history: what a finished sync of it covers."""
    start, end = store_range(fake.store)
    return 3 * ((end - start).days + 1)


@dataclass
class SyncOverlap:
    failures: list[CallFailure]
    calls: int
    during_sync: int  # calls answered while the sync process was still running
    sync_code: int | None
    sync_err: str


async def calls_during_sync(
    fake: FakeIntervals, db: Where, cwd: Path, calls: int = 200, refresh_every: int = 8
) -> SyncOverlap:
    """`calls` tool calls over one stdio session, started once `intervals-mcp sync` is fetching
    (after one pass over the calls: during the sync, only the refreshes go upstream, where they
    queue for the politeness budget, which the sync shares on PostgreSQL)."""
    mix = with_refresh(call_mix(fake.store), every=refresh_every)
    failures: list[CallFailure] = []
    during_sync = 0
    async with stdio_client(serve_params(fake, db)) as (r, w), ClientSession(r, w) as session:
        await session.initialize()
        await warm_up(session, fake, failures)
        sync = start_cli_sync(fake, db, cwd)
        try:
            await anyio.to_thread.run_sync(wait_until_fetching, fake, sync)
            for i in range(calls):
                await timed_call(session, mix[i % len(mix)], failures)
                during_sync += sync.poll() is None
            _, sync_err = await anyio.to_thread.run_sync(lambda: sync.communicate(timeout=60))
        finally:
            if sync.poll() is None:
                sync.kill()
    return SyncOverlap(failures, calls, during_sync, sync.returncode, sync_err)


@dataclass
class TwoServers:
    failures: list[CallFailure]
    answered: list[int]
    seconds: float
    sync_code: int | None = None  # the sync beside them, when one ran
    sync_err: str = ""
    during_sync: int = 0  # calls answered while the sync process was still running


async def two_servers(
    fake: FakeIntervals,
    db: Where,
    calls_each: int = 50,
    refresh_every: int = 3,
    *,
    sync_from: Path | None = None,
) -> TwoServers:
    """Two stdio servers on one cache, each answering `calls_each` calls at the same time;
    every `refresh_every`-th call refreshes (and so writes). With `sync_from` (a working
    directory), `intervals-mcp sync` of the whole history writes beside them from the start."""
    mix = with_refresh(call_mix(fake.store), every=refresh_every)
    failures: list[CallFailure] = []
    answered = [0, 0]
    during = [0]
    sync: subprocess.Popen[str] | None = None

    async def serve_calls(index: int, session: ClientSession) -> None:
        for i in range(calls_each):
            await timed_call(session, mix[(i + index) % len(mix)], failures)
            answered[index] += 1
            during[0] += sync is not None and sync.poll() is None

    async with (
        stdio_client(serve_params(fake, db)) as (r1, w1),
        ClientSession(r1, w1) as one,
        stdio_client(serve_params(fake, db)) as (r2, w2),
        ClientSession(r2, w2) as two,
    ):
        await one.initialize()
        await two.initialize()
        started = time.monotonic()
        try:
            if sync_from is not None:
                await warm_up(one, fake, failures)
                sync = start_cli_sync(fake, db, sync_from)
                await anyio.to_thread.run_sync(wait_until_fetching, fake, sync)
            async with anyio.create_task_group() as tg:
                tg.start_soon(serve_calls, 0, one)
                tg.start_soon(serve_calls, 1, two)
            if sync is not None:
                running = sync
                _, sync_err = await anyio.to_thread.run_sync(lambda: running.communicate(timeout=120))
                return TwoServers(failures, answered, time.monotonic() - started, sync.returncode,
                                  sync_err, during[0])  # fmt: skip
        finally:
            if sync is not None and sync.poll() is None:
                sync.kill()
    return TwoServers(failures, answered, time.monotonic() - started)


async def warm_up(session: ClientSession, fake: FakeIntervals, failures: list[CallFailure]) -> None:
    """One pass over the call mix (the cache then holds what the calls read), then a clear log."""
    for call in call_mix(fake.store):
        await timed_call(session, call, failures)
    fake.clear_log()


def refreshed(args: dict[str, Any]) -> dict[str, Any]:
    return {**args, "refresh": True}
