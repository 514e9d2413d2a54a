"""Fault-table rows for bad input, secrets and HTTP exposure (the measurements behind
tests/reliability/test_bad_input.py, test_secrets.py and test_http_exposure.py).

These scenarios bring their own fakes (the secrets rows need a distinctive key) and run their
blocking parts (a portal thread, child processes) in a worker thread.
Run: uv run python benchmarks/faults.py --only input,secrets
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import anyio
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from fault_scenarios import Lab, Row, scenario, short
from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete
from reliability import test_secrets as secrets
from reliability.test_bad_input import CALLS, RANGE_TOOLS, SQL_CALLS, Session, open_session, outcome
from reliability.test_http_exposure import listening_addresses, running_http_server

FUZZ_EXAMPLES = 300
Measured = tuple[str, str, int | None]  # (injected, outcome, requests)


def _store() -> FakeStore:
    return generate_athlete(seed=7, years=0.5, today=date.today(), athlete_id="i12345")


def _row(name: str, measure: Callable[[], Measured]) -> Row:
    started = time.monotonic()
    try:
        injected, result, requests = measure()
    except AssertionError as exc:
        injected, result, requests = "-", f"FAILED: {short(str(exc), 90)}", None
    return Row(name, injected, result, requests, time.monotonic() - started)


def _with_session(run: Callable[[Session], Measured]) -> Callable[[], Measured]:
    def inner() -> Measured:
        with (
            tempfile.TemporaryDirectory(prefix="intervals-mcp-faults-") as tmp,
            open_session(_store(), Path(tmp) / "cache.sqlite3") as session,
        ):
            return run(session)

    return inner


def _fuzz(session: Session) -> Measured:
    tally: Counter[str] = Counter()
    requests: list[int] = []
    seconds: list[float] = []

    @settings(
        max_examples=FUZZ_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(call=CALLS)
    def one(call: tuple[str, dict[str, Any]]) -> None:
        tool, args = call
        before, started = len(session.fake.requests), time.monotonic()
        try:
            tally[outcome(tool, args, session.call(tool, args))] += 1
        except AssertionError:
            tally["crash, hang or flood"] += 1
        seconds.append(time.monotonic() - started)
        requests.append(len(session.fake.requests) - before)

    one()
    p95 = statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else max(seconds)
    result = (
        f"{tally['ok']} answered, {tally['refused']} refused in one line (wrong types included), "
        f"{tally['crash, hang or flood']} crashes/hangs/floods; max {max(requests)} "
        f"requests in one call; p95 {p95 * 1000:.0f} ms"
    )
    return f"{sum(tally.values())} random argument sets, six tools", result, sum(requests)


def _hundred_years(session: Session) -> Measured:
    before, parts = len(session.fake.requests), []
    for tool in RANGE_TOOLS:
        start = len(session.fake.requests)
        args = {"start_date": "1926-01-01", "end_date": str(date.today()), "refresh": True}
        result = session.call(tool, args)
        capped = not result.is_error and "Range capped" in str(result.content)
        parts.append(
            f"{tool} {len(session.fake.requests) - start} req{', capped' if capped else ', NOT capped'}"
        )
    return "1926 to today, refresh, 3 range tools", "; ".join(parts), len(session.fake.requests) - before


def _sql(session: Session) -> Measured:
    month = {"start_date": str(date.today().replace(day=1)), "end_date": str(date.today())}
    before = session.call("get_activities", month).structured_content["total"]
    counted = len(session.fake.requests)
    kinds = Counter(outcome(tool, args, session.call(tool, args)) for tool, args in SQL_CALLS)
    sent = len(session.fake.requests) - counted
    after = session.call("get_activities", month).structured_content["total"]
    with sqlite3.connect(session.db_path) as conn:
        rows = conn.execute("SELECT count(*) FROM activities").fetchone()[0]
    result = (
        f"{kinds['refused']}/{len(SQL_CALLS)} refused; month lists {before} before, {after} after; "
        f"{rows} rows cached"
    )
    return "'; DROP TABLE activities; -- in every argument", result, sent


def _key_at_debug() -> Measured:
    with (
        tempfile.TemporaryDirectory(prefix="intervals-mcp-faults-") as tmp,
        FakeIntervals(_store(), api_key=secrets.KEY, rate_limit=None) as fake,
    ):
        anyio.run(secrets.test_stdio_server_at_debug_never_shows_the_key, fake, Path(tmp))
        size = (Path(tmp) / "stderr.txt").stat().st_size
        mode = oct((Path(tmp) / "cache.sqlite3").stat().st_mode & 0o777)
    result = f"key in none of {size:,} bytes of stderr, tool results, cache files; cache {mode}"
    return "LOG_LEVEL=DEBUG stdio serve: 6 tools, bad key, 503s, bad input", result, None


def _http_exposure() -> Measured:
    with (
        tempfile.TemporaryDirectory(prefix="intervals-mcp-faults-") as tmp,
        running_http_server(_store(), Path(tmp)) as server,
    ):
        listening = listening_addresses(server.port)
        codes = {
            "Host evil": server.post(Host="evil.example").status_code,
            "Origin evil": server.post(Origin="http://evil.example").status_code,
            "Origin localhost:1": server.post(Origin="http://localhost:1").status_code,
            "local": server.post().status_code,
        }
        try:
            socket.create_connection(("127.0.0.2", server.port), timeout=1).close()
            other = "127.0.0.2 connects"
        except ConnectionRefusedError:
            other = "127.0.0.2 refused"
    where = "listens on 127.0.0.1 only" if listening == ["0100007F"] else f"listens on {listening}"
    result = f"{where}; {other}; " + ", ".join(f"{k} {v}" for k, v in codes.items())
    return "streamable HTTP, foreign Host/Origin headers", result, None


@scenario("input")
async def bad_input_fuzz(lab: Lab) -> Row:
    return await asyncio.to_thread(_row, "bad input fuzz", _with_session(_fuzz))


@scenario("input")
async def hundred_years(lab: Lab) -> Row:
    return await asyncio.to_thread(_row, "a hundred years asked", _with_session(_hundred_years))


@scenario("input")
async def sql_fragments(lab: Lab) -> Row:
    return await asyncio.to_thread(_row, "SQL fragments", _with_session(_sql))


@scenario("secrets")
async def key_at_debug(lab: Lab) -> Row:
    return await asyncio.to_thread(_row, "API key at DEBUG", _key_at_debug)


@scenario("secrets")
async def http_exposure(lab: Lab) -> Row:
    return await asyncio.to_thread(_row, "HTTP exposure", _http_exposure)
