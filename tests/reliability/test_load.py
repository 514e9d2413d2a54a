"""Load over one stdio session: 1,000 sequential and 50 concurrent tool calls to one
`intervals-mcp serve` process, all answered from a warm cache.

Timings are printed (and by benchmarks/load.py), never asserted: CI machines vary. What is
asserted: every call succeeds, none is refused with "database is locked", the warm cache makes
no upstream request, and memory does not grow across the run: the serve process's RSS after
the second 500 calls is at most MEMORY_SLACK_MB (15 MB, reasoned in stdio_support.py) above
its RSS after the first 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intervals_mcp.fake import FakeIntervals

from .stdio_support import API_KEY, MEMORY_SLACK_MB, call_mix, clone, recent_athlete, run_load

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture
def fake() -> Iterator[FakeIntervals]:
    with FakeIntervals(clone(recent_athlete()), api_key=API_KEY, latency=0.0, rate_limit=None) as running:
        yield running


async def test_1000_sequential_and_50_concurrent_calls_over_stdio(
    fake: FakeIntervals, tmp_path: Path
) -> None:
    calls = call_mix(fake.store)
    report = await run_load(fake, tmp_path / "cache.sqlite3", calls, sequential_n=1000, concurrent_n=50)
    for line in report.lines():
        print(line)
    assert report.failures == [], report.failures[:3]
    assert report.sequential.n == 1000 and report.concurrent.n == 50
    assert report.upstream_requests == 0, "a warm cache answers without asking Intervals.icu"
    growth = report.rss_end_mb - report.rss_half_mb
    assert growth <= MEMORY_SLACK_MB, f"the serve process grew {growth:.1f} MB over the second 500 calls"
