"""The command line in a real terminal: `intervals-mcp` children on pseudo-terminals (pexpect),
as a person runs them.

- Ctrl-C during a long `sync` (the terminal's own SIGINT to the foreground process, not a
  signal sent by hand) ends the process within seconds, every time, and leaves the cache
  consistent.
- On terminals 60 and 80 columns wide, the `sync` summary and `status` are readable (nothing is
  cut short with "…"), and each demo call's heading keeps its time and its source.
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pexpect
import pytest

from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete
from sync.processes import check_consistent, child_env, window_requests

pytestmark = pytest.mark.slow

TODAY = date.today()  # the children use the real clock
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
INTERRUPTS = 5
ENDS_WITHIN = 8.0  # seconds from Ctrl-C to the process gone: "a few seconds", with a slow CI's slack


def spawn(args: list[str], env: dict[str, str], cwd: Path, columns: int = 100) -> pexpect.spawn:
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}  # the terminal decides
    return pexpect.spawn(
        sys.executable,
        ["-m", "intervals_mcp", *args],
        env=env,
        cwd=str(cwd),
        dimensions=(40, columns),
        encoding="utf-8",
        codec_errors="replace",
        timeout=120,
    )


def screen_text(raw: str) -> str:
    """What the terminal showed, as lines: escapes dropped, progress redraws reduced to the last."""
    lines = []
    for line in ANSI.sub("", raw).replace("\r\n", "\n").split("\n"):
        lines.append(line.split("\r")[-1])
    return "\n".join(lines)


def run_to_end(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return screen_text(child.before)


# --- Ctrl-C ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def five_years() -> FakeStore:
    return generate_athlete(seed=7, years=5, today=TODAY, athlete_id="i12345")


@pytest.fixture
def slow_fake(five_years: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(five_years, api_key="test-key", latency=0.4, rate_limit=None) as fake:
        yield fake


def test_ctrl_c_during_a_sync_ends_it_within_seconds_every_time(
    slow_fake: FakeIntervals, tmp_path: Path
) -> None:
    """Four years against an upstream answering in 0.4 s; Ctrl-C 1.2 to 1.8 s after the sync's
    first window went out (the interpreter's start-up is not counted), five times."""
    since = str(TODAY - timedelta(days=4 * 365))
    rng = random.Random(10)
    for attempt in range(INTERRUPTS):
        db_path = tmp_path / f"cache-{attempt}.sqlite3"
        asked = len(slow_fake.requests)
        child = spawn(["sync", "--since", since], child_env(slow_fake, db_path), tmp_path)
        try:
            deadline = time.monotonic() + 60
            while not window_requests(slow_fake.requests[asked:]):
                assert child.isalive(), child.read_nonblocking(10_000, timeout=0)
                assert time.monotonic() < deadline, "the sync never started"
                time.sleep(0.01)
            time.sleep(rng.uniform(1.2, 1.8))
            assert child.isalive(), "the sync ended before Ctrl-C: give it more to do"
            child.sendintr()  # the terminal's interrupt character: SIGINT to the foreground group
            pressed = time.monotonic()
            ended = child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=ENDS_WITHIN)
            took = time.monotonic() - pressed
            said = screen_text(child.before)
        finally:
            if child.isalive():
                child.kill(9)
            child.close(force=True)
        assert ended == 0, f"attempt {attempt}: still running {took:.1f} s after Ctrl-C:\n{said[-2000:]}"
        assert child.exitstatus == 130, (attempt, child.exitstatus, child.signalstatus, said[-2000:])
        assert "Sync interrupted: every finished window is saved" in said
        for trouble in ("Traceback", "Task was destroyed", "Exception ignored", "never awaited"):
            assert trouble not in said, f"attempt {attempt}: {trouble}:\n{said[-3000:]}"
        check_consistent(db_path, slow_fake.store)


# --- narrow terminals --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_years() -> FakeStore:
    return generate_athlete(seed=3, years=2, today=TODAY, athlete_id="i12345")


def counts(store: FakeStore, start: date, end: date, events_end: date) -> dict[str, int]:
    """Records per resource in the synced range, straight from the fake's store."""

    def within(day: str, last: date = end) -> bool:
        return str(start) <= day[:10] <= str(last)

    return {
        "activities": sum(1 for a in store.activities.values() if within(a["start_date_local"])),
        "wellness": sum(1 for day in store.wellness if within(day)),
        "events": sum(1 for e in store.events.values() if within(e["start_date_local"], events_end)),
    }


@pytest.mark.parametrize("columns", [60, 80])
def test_sync_and_status_stay_whole_on_a_narrow_terminal(
    two_years: FakeStore, tmp_path: Path, columns: int
) -> None:
    start = TODAY - timedelta(days=364)
    with FakeIntervals(two_years, api_key="test-key", rate_limit=None) as fake:
        env = child_env(fake, tmp_path / "cache.sqlite3")
        synced = run_to_end(spawn(["sync"], env, tmp_path, columns))
        status = run_to_end(spawn(["status"], env, tmp_path, columns))
    expected = counts(two_years, start, TODAY, TODAY + timedelta(days=90))
    for shown in (synced, status):
        assert "…" not in shown, shown  # nothing cut short
        assert all(len(line) <= columns for line in shown.splitlines()), shown
    summary = synced[synced.index(f"Sync i12345 {start}..{TODAY}") :]
    for resource, rows in expected.items():
        assert re.search(rf"\b{resource}\b", summary), summary
        assert f"rows {rows}" in summary or re.search(rf"│ +{rows} │", summary), (resource, rows, summary)
    assert f"{start}..{TODAY}" in status  # covered ranges, whole
    for resource, rows in expected.items():
        assert f"i12345 {resource}" in status or re.search(rf"│ {resource} +│ +{rows} │", status), status


@pytest.mark.parametrize("columns", [60, 80])
def test_demo_headings_keep_time_and_source_on_a_narrow_terminal(tmp_path: Path, columns: int) -> None:
    shown = run_to_end(spawn(["demo"], dict(os.environ), tmp_path, columns))
    headings = re.findall(r"^(get_\w+)  (\d+) ms, (cache|\d+ upstream requests?)$", shown, re.M)
    calls = re.findall(r"^(get_\w+)  ", shown, re.M)
    assert len(headings) == len(calls) >= 10, shown
    sources = {source for _, _, source in headings}
    assert "cache" in sources and any("upstream request" in source for source in sources), headings
    assert "stops a month before today on purpose" in " ".join(shown.split())
    assert not re.search(r"\b1 (requests|rows|upstream requests)\b", shown), shown
