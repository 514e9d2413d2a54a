"""Upstream failures that no retry can mend, through real processes: nothing listening at
INTERVALS_API_BASE_URL, or a redirect to another host. A `sync` stops at the first window with
one sentence (it does not fail every window in turn); a served tool call answers from the cache
with a note, within its retry budget.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import anyio
import pytest
from mcp import ClientSession
from mcp.client.stdio import stdio_client

from api.local_http import Answer, LocalServer, Seen, redirect
from intervals_mcp.fake import FakeIntervals, FakeStore
from server.conftest import text_of
from sync.processes import child_env

from .conftest import RELIABILITY_TODAY as TODAY
from .conftest import assert_one_sentence, closed_port_url
from .stdio_support import serve_params

pytestmark = pytest.mark.slow

TOOL_BUDGET = 4.0  # INTERVALS_MCP_TOOL_RETRY_SECONDS for the served tool calls
SECONDS = 60  # a process that takes longer than this hangs


def elsewhere(seen: Seen) -> Answer:
    """Every request redirected to another host, as a wrong base URL behind a proxy would."""
    return redirect(302, f"https://elsewhere.example{seen.target}")


@pytest.fixture
def redirector() -> Iterator[LocalServer]:
    with LocalServer(elsewhere) as server:
        yield server


def run_sync(base_url: str, db: Path, fake: FakeIntervals, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**child_env(fake, db), "INTERVALS_API_BASE_URL": base_url}
    since = str(TODAY - timedelta(days=365))
    return subprocess.run(
        [sys.executable, "-m", "intervals_mcp", "sync", "--since", since, *args],
        env=env,
        cwd=db.parent,
        capture_output=True,
        text=True,
        timeout=SECONDS,
    )


def failure_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("Sync failed: ")]
    assert len(lines) == 1, stderr
    return lines[0].removeprefix("Sync failed: ")


def test_sync_with_nothing_listening_stops_at_once(quiet_fake: FakeIntervals, tmp_path: Path) -> None:
    result = run_sync(closed_port_url(), tmp_path / "cache.sqlite3", quiet_fake)
    assert result.returncode == 1, result.stderr
    said = failure_line(result.stderr)
    assert_one_sentence(said)
    assert "INTERVALS_API_BASE_URL" in said
    # stopped: no window after the first failure is tried and reported on its own
    assert "window(s) failed" not in result.stderr and "wellness" not in result.stderr


def test_sync_redirected_elsewhere_stops_at_once(
    quiet_fake: FakeIntervals, redirector: LocalServer, tmp_path: Path
) -> None:
    result = run_sync(f"{redirector.url}/api/v1", tmp_path / "cache.sqlite3", quiet_fake)
    assert result.returncode == 1, result.stderr
    said = failure_line(result.stderr)
    assert_one_sentence(said)
    assert "elsewhere.example" in said
    asked = [s.target for s in redirector.seen]
    # the athlete, and at most the first round of concurrent windows of the first resource
    assert 1 <= len(asked) <= 5, asked
    assert not any(p.split("?")[0].endswith(("/wellness", "/events")) for p in asked), asked


@pytest.fixture
def warm_cache(quiet_fake: FakeIntervals, half_year_store: FakeStore, tmp_path: Path) -> Path:
    """A cache holding the last year, synced from the fake by a real `sync`."""
    db = tmp_path / "cache.sqlite3"
    synced = run_sync(quiet_fake.base_url, db, quiet_fake)
    assert synced.returncode == 0, synced.stderr
    return db


CALLS = [
    ("get_activities", {"refresh": True}),
    ("get_wellness_data", {"refresh": True}),
    ("get_events", {"refresh": True}),
]


async def answers_from_cache(quiet_fake: FakeIntervals, db: Path, base_url: str) -> list[str]:
    params = serve_params(
        quiet_fake,
        db,
        INTERVALS_API_BASE_URL=base_url,
        INTERVALS_MCP_TOOL_RETRY_SECONDS=str(TOOL_BUDGET),
    )
    texts = []
    async with stdio_client(params) as (r, w), ClientSession(r, w) as session:
        await session.initialize()
        for name, args in CALLS:
            began = time.monotonic()
            with anyio.fail_after(SECONDS):
                result = await session.call_tool(name, args)
            took = time.monotonic() - began
            assert not result.is_error, text_of(result)
            assert took < TOOL_BUDGET + 2, f"{name} took {took:.1f} s, over its {TOOL_BUDGET} s budget"
            texts.append(text_of(result))
    return texts


@pytest.mark.anyio
async def test_served_tools_answer_from_the_cache_when_nothing_listens(
    quiet_fake: FakeIntervals, warm_cache: Path
) -> None:
    for text in await answers_from_cache(quiet_fake, warm_cache, closed_port_url()):
        head = text.splitlines()[0]
        assert "cached at" in head and "could not refresh" in head and "INTERVALS_API_BASE_URL" in head


@pytest.mark.anyio
async def test_served_tools_answer_from_the_cache_when_redirected_elsewhere(
    quiet_fake: FakeIntervals, warm_cache: Path, redirector: LocalServer
) -> None:
    for text in await answers_from_cache(quiet_fake, warm_cache, f"{redirector.url}/api/v1"):
        head = text.splitlines()[0]
        assert "cached at" in head and "could not refresh" in head and "elsewhere.example" in head
