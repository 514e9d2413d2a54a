"""Fault-table rows for bad input, secrets and HTTP exposure (the measurements behind
tests/reliability/test_bad_input.py, test_secrets.py and test_http_exposure.py).

Each scenario is a plain function returning one `Row`; `SCENARIOS` maps a short name to it, for
benchmarks/faults.py to collect. Run alone: uv run python benchmarks/fault_scenarios/input_secrets.py
[--examples 300]. Figures only; the tests hold the assertions.
"""

from __future__ import annotations

import argparse
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import anyio
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete
from reliability import test_secrets as secrets
from reliability.test_bad_input import CALLS, RANGE_TOOLS, SQL_CALLS, Session, open_session, outcome
from reliability.test_http_exposure import listening_addresses, running_http_server


@dataclass(frozen=True)
class Row:
    scenario: str
    result: str  # what happened, in figures
    ok: bool  # what the tests require held
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _store() -> FakeStore:
    return generate_athlete(seed=7, years=0.5, today=date.today(), athlete_id="i12345")


def _timed(scenario: str, run: Callable[[], tuple[str, bool]]) -> Row:
    started = time.monotonic()
    try:
        result, ok = run()
    except AssertionError as exc:
        result, ok = f"FAILED: {str(exc).splitlines()[0]}", False
    return Row(scenario, result, ok, round(time.monotonic() - started, 2))


def _with_session(run: Callable[[Session], tuple[str, bool]]) -> Callable[[], tuple[str, bool]]:
    def inner() -> tuple[str, bool]:
        with (
            tempfile.TemporaryDirectory(prefix="intervals-mcp-faults-") as tmp,
            open_session(_store(), Path(tmp) / "cache.sqlite3") as session,
        ):
            return run(session)

    return inner


def bad_input_fuzz(examples: int = 300) -> Row:
    """Random argument sets over the six tools: outcomes, upstream requests and time per call."""

    def run(session: Session) -> tuple[str, bool]:
        tally: Counter[str] = Counter()
        requests: list[int] = []
        seconds: list[float] = []

        @settings(
            max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
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
            f"{sum(tally.values())} calls: {tally['ok']} answered, {tally['refused']} refused in one line, "
            f"{tally['invalid']} SDK argument errors, {tally['crash, hang or flood']} crashes; "
            f"max {max(requests)} requests/call; p95 {p95 * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms"
        )
        return result, tally["crash, hang or flood"] == 0

    return _timed("bad input: random arguments to every tool", _with_session(run))


def hundred_years() -> Row:
    """A hundred years asked of each range tool, with refresh: capped, in a few requests."""

    def run(session: Session) -> tuple[str, bool]:
        parts, ok = [], True
        for tool in RANGE_TOOLS:
            before = len(session.fake.requests)
            args = {"start_date": "1926-01-01", "end_date": str(date.today()), "refresh": True}
            result = session.call(tool, args)
            sent = len(session.fake.requests) - before
            capped = "Range capped" in str(result.content)
            ok = ok and capped and not result.is_error
            parts.append(f"{tool} {sent} req{' capped' if capped else ''}")
        return "; ".join(parts), ok

    return _timed("bad input: a hundred years asked", _with_session(run))


def sql_fragments() -> Row:
    """SQL fragments in every string argument: refused, and the cache still whole."""

    def run(session: Session) -> tuple[str, bool]:
        month = {"start_date": str(date.today().replace(day=1)), "end_date": str(date.today())}
        before = session.call("get_activities", month).structured_content["total"]
        kinds = Counter(outcome(tool, args, session.call(tool, args)) for tool, args in SQL_CALLS)
        after = session.call("get_activities", month).structured_content["total"]
        with sqlite3.connect(session.db_path) as conn:
            rows = conn.execute("SELECT count(*) FROM activities").fetchone()[0]
        result = (
            f"{kinds['refused']}/{len(SQL_CALLS)} refused; activities listed {before} before, "
            f"{after} after; {rows} rows cached"
        )
        return result, kinds["refused"] == len(SQL_CALLS) and before == after

    return _timed("bad input: SQL fragments", _with_session(run))


def key_at_debug() -> Row:
    """A stdio `serve` at DEBUG through every tool and error path: any trace of the key?"""

    def run() -> tuple[str, bool]:
        with (
            tempfile.TemporaryDirectory(prefix="intervals-mcp-faults-") as tmp,
            FakeIntervals(_store(), api_key=secrets.KEY, rate_limit=None) as fake,
        ):
            anyio.run(secrets.test_stdio_server_at_debug_never_shows_the_key, fake, Path(tmp))
            size = (Path(tmp) / "stderr.txt").stat().st_size
            mode = oct((Path(tmp) / "cache.sqlite3").stat().st_mode & 0o777)
        return f"no key in {size:,} bytes of DEBUG stderr, tool results or the cache; cache mode {mode}", True

    return _timed("secrets: key at DEBUG (stdio serve)", run)


def http_exposure() -> Row:
    """Streamable HTTP: where it listens, and what foreign Host/Origin headers get."""

    def run() -> tuple[str, bool]:
        with (
            tempfile.TemporaryDirectory(prefix="intervals-mcp-faults-") as tmp,
            running_http_server(_store(), Path(tmp)) as server,
        ):
            listening = listening_addresses(server.port)
            codes = {
                "Host evil.example": server.post(Host="evil.example").status_code,
                "Origin evil.example": server.post(Origin="http://evil.example").status_code,
                "Origin localhost:1": server.post(Origin="http://localhost:1").status_code,
                "local": server.post().status_code,
            }
            try:
                socket.create_connection(("127.0.0.2", server.port), timeout=1).close()
                other = "127.0.0.2 connects"
            except ConnectionRefusedError:
                other = "127.0.0.2 refused"
        where = "127.0.0.1 only" if listening == ["0100007F"] else f"listening on {listening}"
        result = f"{where}; {other}; " + ", ".join(f"{k} -> {v}" for k, v in codes.items())
        ok = (
            listening == ["0100007F"]
            and other.endswith("refused")
            and codes["local"] == 200
            and all(v in (403, 421) for k, v in codes.items() if k != "local")
        )
        return result, ok

    return _timed("exposure: streamable HTTP", run)


SCENARIOS: dict[str, Callable[[], Row]] = {
    "bad_input_fuzz": bad_input_fuzz,
    "hundred_years": hundred_years,
    "sql_fragments": sql_fragments,
    "key_at_debug": key_at_debug,
    "http_exposure": http_exposure,
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=300, help="random argument sets for bad_input_fuzz")
    args = parser.parse_args()
    rows = [bad_input_fuzz(args.examples)] + [
        run() for name, run in SCENARIOS.items() if name != "bad_input_fuzz"
    ]
    for row in rows:
        print(f"{'ok  ' if row.ok else 'FAIL'} {row.scenario:<40} {row.seconds:6.1f}s  {row.result}")
    sys.exit(0 if all(r.ok for r in rows) else 1)


if __name__ == "__main__":
    main()
