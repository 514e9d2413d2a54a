"""Processes killed or raced: syncs SIGKILLed at seeded random points, a server SIGKILLed
mid-call, a sync process beside a serving one, two servers on one cache file.

The scenarios themselves live in tests/reliability/process_scenarios.py (the tests assert on
what they return; these rows print it). They run real child processes against their own fake
(the stdio helpers speak the tests' API key), one year of a synthetic athlete ending today.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from fault_scenarios import Lab, Row, scenario, short, tool_text
from intervals_mcp.fake import FakeIntervals
from reliability.process_scenarios import (
    calls_during_sync,
    covered_days,
    kill_server_mid_call,
    kill_syncs,
    two_servers,
)
from reliability.stdio_support import API_KEY, clone, recent_athlete
from sync.processes import check_consistent

KILLS = 20
SEED = 20261124


@contextmanager
def own_fake(latency: float, years: int = 1) -> Iterator[FakeIntervals]:
    store = clone(recent_athlete(years))
    with FakeIntervals(store, api_key=API_KEY, latency=latency, rate_limit=None) as fake:
        yield fake


def failed(exc: AssertionError) -> str:
    return "FAILED: " + short(str(exc).splitlines()[0] if str(exc) else "assertion", 90)


@scenario("process")
async def sync_killed_at_random_points(lab: Lab) -> Row:
    clock = time.monotonic()
    with own_fake(0.03) as a, own_fake(0.03) as b, own_fake(0.03) as c, own_fake(0.03) as d:
        try:
            kills = await anyio.to_thread.run_sync(kill_syncs, [(a, b), (c, d)], lab.tmp, KILLS, SEED)
            outcome = (
                f"{len(kills)}/{KILLS} kills: integrity ok, no duplicates, covered days = upstream; "
                "each next sync fetched exactly the windows left"
            )
        except AssertionError as exc:
            outcome = failed(exc)
    return Row(
        f"sync SIGKILLed x{KILLS}",
        "kill -9 after request k of 9 + 0-80 ms (seeded)",
        outcome,
        None,
        time.monotonic() - clock,
        "process",
    )


@scenario("process")
async def server_killed_mid_call(lab: Lab) -> Row:
    clock = time.monotonic()
    with own_fake(0.0) as fake:
        seen = await kill_server_mid_call(fake, lab.db_path())
        requests = len(fake.requests)
    notes = [
        "could not refresh" in tool_text(answer) and not answer.is_error for answer in (seen.down, seen.slow)
    ]
    outcome = (
        f"call cut: {'Connection closed' in str(seen.closed)}; integrity {seen.integrity}; "
        f"restarted, upstream 503 -> cache + note: {notes[0]}; upstream hanging -> cache + note: {notes[1]}"
    )
    return Row(
        "stdio server SIGKILLed mid-call",
        "kill -9 while a refresh waits on a hanging upstream",
        outcome,
        requests,
        time.monotonic() - clock,
        "process",
    )


@scenario("process")
async def sync_beside_server(lab: Lab) -> Row:
    clock = time.monotonic()
    db = lab.db_path()
    with own_fake(0.04, years=2) as fake, tempfile.TemporaryDirectory(dir=lab.tmp) as cwd:
        seen = await calls_during_sync(fake, db, Path(cwd), calls=200, refresh_every=8)
        try:
            whole = check_consistent(db, fake.store) >= covered_days(fake)
        except AssertionError as exc:
            whole = False
            seen.sync_err += failed(exc)
        requests = len(fake.requests)
    locked = "locked" in seen.sync_err.lower() or any("locked" in f.text.lower() for f in seen.failures)
    outcome = (
        f"{seen.during_sync}/{seen.calls} calls answered during the sync; failed calls "
        f"{len(seen.failures)}; sync exit {seen.sync_code}; 'locked' seen: {locked}; "
        f"cache = upstream: {whole}"
    )
    return Row(
        "`intervals-mcp sync` beside a server",
        "200 stdio calls (1 in 8 refreshes) while the sync writes",
        outcome,
        requests,
        time.monotonic() - clock,
        "process",
    )


@scenario("process")
async def two_servers_one_file(lab: Lab) -> Row:
    clock = time.monotonic()
    db = lab.db_path()
    with own_fake(0.01, years=2) as fake:
        seen = await two_servers(fake, db, calls_each=50, refresh_every=3)
        try:
            consistent = check_consistent(db, fake.store) > 0
        except AssertionError:
            consistent = False
        requests = len(fake.requests)
    outcome = (
        f"answered {seen.answered[0]} + {seen.answered[1]}; failed calls {len(seen.failures)}; "
        f"covered days = upstream: {consistent}"
    )
    return Row(
        "two stdio servers, one cache file",
        "50 calls each at once, 1 in 3 refreshes (writes)",
        outcome,
        requests,
        time.monotonic() - clock,
        "process",
    )
