"""Helpers for the process, concurrency and load scenarios: a recent synthetic athlete, the
`intervals-mcp serve` child behind a stdio session (its pid and resident memory), a mix of tool
calls taken from the fake's data, and latency figures.

Also imported by benchmarks/load.py and benchmarks/fault_scenarios/ (they put tests/ on sys.path).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters

from backends import Where, storage_env
from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete
from server.conftest import text_of
from server.test_stdio import params
from sync.helpers import API_KEY, ATHLETE, clone

__all__ = ["API_KEY", "ATHLETE", "clone", "params"]

Call = tuple[str, dict[str, Any]]

# How much the serve process's RSS may grow between 500 and 1,000 sequential warm calls. A leak
# of even 15 kB per call adds ~7 MB over 500 calls while the allocator's noise is ~1-2 MB, so this
# catches anything per-call-sized (a kept result, a kept session, an unbounded memo) without
# flaking on arena growth. Asserted by test_load.py, printed by benchmarks/load.py.
MEMORY_SLACK_MB = 15.0


@cache
def recent_athlete(years: int = 1, seed: int = 23) -> FakeStore:
    """A synthetic athlete ending on the real today (the child processes use the real clock).

    Shared: callers that let the fake edit it must `clone` it first.
    """
    return generate_athlete(seed=seed, years=years, today=date.today(), athlete_id=ATHLETE)


def serve_params(fake: FakeIntervals, db: Where, **env: str) -> StdioServerParameters:
    """`python -m intervals_mcp serve` as tests/server/test_stdio.py runs it, quieter, plus `env`."""
    p = params(fake, db)
    assert p.env is not None
    p.env.update({"LOG_LEVEL": "WARNING", **env})
    return p


def server_pid(db: Where, timeout: float = 5.0) -> int:
    """The pid of this process's `serve` child that uses the cache `db`.

    stdio_client does not expose its child, so find it in /proc: our child, with
    INTERVALS_MCP_DB=db (or INTERVALS_MCP_DATABASE_URL=db) in its environment.
    """
    [(name, value)] = storage_env(db).items()
    wanted = f"{name}={value}".encode()
    me = str(os.getpid())
    deadline = time.monotonic() + timeout
    while True:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
                ppid = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:"))
                if ppid == me and wanted in (entry / "environ").read_bytes().split(b"\0"):
                    return int(entry.name)
            except (OSError, StopIteration):
                continue  # gone meanwhile, or not ours to read
        if time.monotonic() > deadline:
            raise AssertionError(f"no serve child of pid {me} uses {db}")
        time.sleep(0.05)


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` in MB (VmRSS from /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"/proc/{pid}/status has no VmRSS line")


def _values(collection: Any) -> list[dict[str, Any]]:
    return list(collection.values() if isinstance(collection, dict) else collection)


def call_mix(store: FakeStore, today: date | None = None) -> list[Call]:
    """Six calls over the six tools (the last 30 days, a recent activity, an upcoming event)."""
    today = today or date.today()
    month_ago = today - timedelta(days=30)
    recent = sorted(
        (
            a
            for a in _values(store.activities)
            if a.get("source") != "STRAVA" and str(a["start_date_local"])[:10] >= str(month_ago)
        ),
        key=lambda a: str(a["start_date_local"]),
        reverse=True,
    )
    events = sorted(
        (e for e in _values(store.events) if str(e["start_date_local"])[:10] >= str(today)),
        key=lambda e: str(e["start_date_local"]),
    )
    assert recent and events, "the synthetic athlete has no recent activity or upcoming event"
    month = {"start_date": str(month_ago), "end_date": str(today)}
    return [
        ("get_activities", month),
        ("get_activity_details", {"activity_id": str(recent[0]["id"])}),
        ("get_activity_intervals", {"activity_id": str(recent[0]["id"])}),
        ("get_wellness_data", month),
        ("get_events", {}),
        ("get_event_by_id", {"event_id": int(events[0]["id"])}),
    ]


@dataclass
class CallFailure:
    tool: str
    args: dict[str, Any]
    text: str


async def timed_call(session: ClientSession, call: Call, failures: list[CallFailure]) -> float:
    """One tool call; its wall time in seconds. A failed call is recorded, not raised."""
    tool, args = call
    started = time.perf_counter()
    result = await session.call_tool(tool, args)
    elapsed = time.perf_counter() - started
    if result.is_error or "locked" in text_of(result).lower():
        failures.append(CallFailure(tool, args, text_of(result)))
    return elapsed


async def sequential(
    session: ClientSession, calls: Sequence[Call], n: int, failures: list[CallFailure]
) -> list[float]:
    return [await timed_call(session, calls[i % len(calls)], failures) for i in range(n)]


async def concurrent(
    session: ClientSession, calls: Sequence[Call], n: int, failures: list[CallFailure]
) -> list[float]:
    """`n` calls in flight at once over one session."""
    times: list[float] = []

    async def one(i: int) -> None:
        times.append(await timed_call(session, calls[i % len(calls)], failures))

    async with anyio.create_task_group() as tg:
        for i in range(n):
            tg.start_soon(one, i)
    return times


@dataclass(frozen=True)
class Latency:
    label: str
    n: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    total_s: float

    def line(self) -> str:
        return (
            f"{self.label:<24} n={self.n:<5} p50 {self.p50_ms:7.1f} ms  p95 {self.p95_ms:7.1f} ms  "
            f"max {self.max_ms:7.1f} ms  total {self.total_s:6.2f} s"
        )


def latency(label: str, seconds: Sequence[float], total_s: float) -> Latency:
    """p50 / p95 / max of call times (p95 by the inclusive quantile method)."""
    ms = sorted(s * 1000 for s in seconds)
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[18] if len(ms) > 1 else ms[0]
    return Latency(label, len(ms), statistics.median(ms), p95, ms[-1], total_s)


@dataclass(frozen=True)
class LoadReport:
    """Figures of one load run over one stdio session (RSS of the `serve` child, in MB)."""

    sequential: Latency
    concurrent: Latency
    rss_warm_mb: float  # after one pass over the call mix (the cache and the code paths are warm)
    rss_half_mb: float  # after the first half of the sequential calls
    rss_end_mb: float  # after the second half
    rss_after_concurrent_mb: float
    upstream_requests: int  # requests the fake saw during the measured calls (0: all from cache)
    failures: list[CallFailure]

    def lines(self) -> list[str]:
        return [
            self.sequential.line(),
            self.concurrent.line(),
            f"RSS of the serve process: warm {self.rss_warm_mb:.1f} MB, after half "
            f"{self.rss_half_mb:.1f} MB, after all sequential {self.rss_end_mb:.1f} MB, after the "
            f"concurrent burst {self.rss_after_concurrent_mb:.1f} MB",
            f"upstream requests during the measured calls: {self.upstream_requests}; "
            f"failed calls: {len(self.failures)}",
        ]


async def run_load(
    fake: FakeIntervals,
    db: Where,
    calls: Sequence[Call],
    *,
    sequential_n: int = 1000,
    concurrent_n: int = 50,
) -> LoadReport:
    """Warm the cache with one pass over `calls`, then `sequential_n` calls one after another and
    `concurrent_n` at once, all over one stdio session to one `serve` process."""
    from mcp.client.stdio import stdio_client

    failures: list[CallFailure] = []
    async with stdio_client(serve_params(fake, db)) as (r, w), ClientSession(r, w) as session:
        await session.initialize()
        pid = server_pid(db)
        await sequential(session, calls, len(calls), failures)
        rss_warm = rss_mb(pid)
        before = len(fake.requests)
        started = time.perf_counter()
        half = sequential_n // 2
        times = await sequential(session, calls, half, failures)
        rss_half = rss_mb(pid)
        times += await sequential(session, calls, sequential_n - half, failures)
        rss_end = rss_mb(pid)
        seq = latency("sequential", times, time.perf_counter() - started)
        started = time.perf_counter()
        burst = await concurrent(session, calls, concurrent_n, failures)
        conc = latency(f"{concurrent_n} concurrent", burst, time.perf_counter() - started)
        rss_after = rss_mb(pid)
        upstream = len(fake.requests) - before
    return LoadReport(seq, conc, rss_warm, rss_half, rss_end, rss_after, upstream, failures)
