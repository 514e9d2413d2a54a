"""Load over one stdio session: 1,000 sequential and 50 concurrent tool calls to one
`intervals-mcp serve` process, from a warm cache (one pass over the six tools first).

Prints p50 / p95 / max latency of each phase and the resident memory (VmRSS) of the serve
process after warm-up, after each half of the sequential calls and after the concurrent burst.
The same measurement runs in CI as tests/reliability/test_load.py, which asserts only that no
call fails, the warm cache asks upstream nothing, and memory does not grow over the second half.

Run: uv run python benchmarks/load.py [--sequential 1000] [--concurrent 50] [--latency 0.0]
Figures only; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from intervals_mcp.fake import FakeIntervals
from reliability.stdio_support import (
    API_KEY,
    MEMORY_SLACK_MB,
    call_mix,
    clone,
    recent_athlete,
    run_load,
)


async def main_async(sequential: int, concurrent: int, latency: float) -> int:
    with (
        tempfile.TemporaryDirectory(prefix="intervals-mcp-load-") as tmp,
        FakeIntervals(clone(recent_athlete()), api_key=API_KEY, latency=latency, rate_limit=None) as fake,
    ):
        calls = call_mix(fake.store)
        print(f"{sequential} sequential + {concurrent} concurrent calls over one stdio session,")
        print(f"cycling {len(calls)} calls over the six tools from a warm cache\n")
        report = await run_load(
            fake, Path(tmp) / "cache.sqlite3", calls, sequential_n=sequential, concurrent_n=concurrent
        )
    for line in report.lines():
        print(line)
    growth = report.rss_end_mb - report.rss_half_mb
    print(f"RSS growth over the second half: {growth:+.1f} MB (CI bound: +{MEMORY_SLACK_MB:.0f} MB)")
    return 1 if report.failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sequential", type=int, default=1000)
    parser.add_argument("--concurrent", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.0, help="fake latency per request, seconds")
    args = parser.parse_args()
    sys.exit(anyio.run(main_async, args.sequential, args.concurrent, args.latency))


if __name__ == "__main__":
    main()
