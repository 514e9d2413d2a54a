"""A fixed conversation against `intervals-mcp serve` over stdio, with the fake at 150 ms latency.

Prints, for the same eight calls over the six tools:
  * pass 1 (cold cache: reads through to the fake), pass 2 (repeat: from the cache),
  * the same conversation with the cache bypassed (refresh=true on every call),
each with wall time, the median call and upstream requests; then the time from process start
to `initialize` answered, and the size of a 30-day get_activities answer.

Pass 2 follows pass 1 directly: each call runs its freshness check, reads the digests of the
records it shows and, those unchanged since pass 1 built its answers, says pass 2's own
provenance ("cached at ...") in the memoised body, so it measures a repeated conversation.

Run: uv run python benchmarks/conversation.py [--latency 0.15] [--startups 5]
Figures only; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete

KEY = "bench-key"


def server_params(fake: FakeIntervals, db: Path) -> StdioServerParameters:
    script = shutil.which("intervals-mcp", path=str(Path(sys.executable).parent))
    command, args = (script, ["serve"]) if script else (sys.executable, ["-m", "intervals_mcp", "serve"])
    env = {
        "API_KEY": KEY,
        "ATHLETE_ID": fake.athlete_id,
        "INTERVALS_API_BASE_URL": fake.base_url,
        "INTERVALS_MCP_DB": str(db),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    return StdioServerParameters(command=command, args=args, env=env, cwd="/")


def _values(collection: Any) -> list[dict[str, Any]]:
    return list(collection.values() if isinstance(collection, dict) else collection)


def conversation(store: FakeStore, today: date) -> list[tuple[str, dict[str, Any]]]:
    """Eight calls over the six tools, with ids taken from the fake's data."""
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
    activity_id = str(recent[0]["id"])
    event_id = int(events[0]["id"]) if events else 1
    return [
        ("get_activities", {"start_date": str(month_ago), "end_date": str(today)}),
        ("get_activity_details", {"activity_id": activity_id}),
        ("get_activity_intervals", {"activity_id": activity_id}),
        ("get_wellness_data", {"start_date": str(today - timedelta(days=13)), "end_date": str(today)}),
        ("get_wellness_data", {"start_date": str(month_ago), "end_date": str(today)}),
        ("get_events", {}),
        ("get_event_by_id", {"event_id": event_id}),
        (
            "get_activities",
            {"start_date": str(today - timedelta(days=60)), "end_date": str(month_ago - timedelta(days=1))},
        ),
    ]


async def run_pass(
    session: ClientSession, fake: FakeIntervals, calls: list[tuple[str, dict[str, Any]]], refresh: bool
) -> tuple[float, float, int, int]:
    """(seconds, median seconds per call, upstream requests, errors) for one pass."""
    before = len(fake.requests)
    errors = 0
    each: list[float] = []
    began = time.perf_counter()
    for name, args in calls:
        start = time.perf_counter()
        result = await session.call_tool(name, {**args, "refresh": True} if refresh else args)
        each.append(time.perf_counter() - start)
        errors += bool(result.is_error)
    return time.perf_counter() - began, statistics.median(each), len(fake.requests) - before, errors


async def time_initialize(fake: FakeIntervals, db: Path) -> float:
    began = time.perf_counter()
    async with stdio_client(server_params(fake, db)) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        elapsed = time.perf_counter() - began
    return elapsed


def time_bare_import() -> float:
    """What the floor is: a bare interpreter starting and importing `mcp.server`."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import mcp.server"], check=True)
    return time.perf_counter() - began


async def main_async(latency: float, startups: int) -> None:
    today = date.today()
    store = generate_athlete(seed=7, years=2, today=today, athlete_id="i12345")
    calls = conversation(store, today)
    with (
        tempfile.TemporaryDirectory(prefix="intervals-mcp-bench-") as tmp,
        FakeIntervals(store, api_key=KEY, latency=latency) as fake,
    ):
        db = Path(tmp) / "cache.sqlite3"
        print(f"fake Intervals.icu at {fake.base_url}, {latency * 1000:.0f} ms per request")
        print(f"conversation: {len(calls)} calls over {len({n for n, _ in calls})} tools\n")

        async with stdio_client(server_params(fake, db)) as (r, w), ClientSession(r, w) as s:
            await s.initialize()
            cold = await run_pass(s, fake, calls, refresh=False)
            warm = await run_pass(s, fake, calls, refresh=False)
            bypass = await run_pass(s, fake, calls, refresh=True)
            month = calls[0][1]
            listing = await s.call_tool("get_activities", {**month, "limit": 200})

        rows = [
            ("pass 1 (cold cache)", cold),
            ("pass 2 (repeat, cache)", warm),
            ("cache bypassed (refresh)", bypass),
        ]
        print(f"{'':<26} {'wall s':>8} {'median call ms':>15} {'upstream requests':>18} {'errors':>7}")
        for label, (secs, per_call, reqs, errs) in rows:
            print(f"{label:<26} {secs:>8.3f} {per_call * 1000:>15.1f} {reqs:>18} {errs:>7}")
        speedup = bypass[0] / warm[0] if warm[0] > 0 else float("inf")
        print(f"\nrepeat pass vs bypassed: {speedup:.0f}x faster (target >= 50x, zero requests)")

        times = [await time_initialize(fake, db) for _ in range(startups)]
        print(
            f"process start -> initialize answered: median {statistics.median(times):.3f} s, "
            f"max {max(times):.3f} s over {startups} starts (target < 1 s)"
        )
        fresh = [
            await time_initialize(fake, Path(tmp) / f"new-{i}" / "cache.sqlite3") for i in range(startups)
        ]
        bare = [time_bare_import() for _ in range(startups)]
        print(
            f"on a brand-new cache: median {statistics.median(fresh):.3f} s; a bare interpreter "
            f"importing mcp.server: median {statistics.median(bare):.3f} s "
            f"(+{statistics.median(fresh) - statistics.median(bare):.3f} s; target within 0.3 s)"
        )

        text = "\n".join(c.text for c in listing.content if getattr(c, "type", "") == "text")
        data = listing.structured_content or {}
        print(
            f"30-day get_activities: {len(text)} characters for {data.get('shown')} activities "
            f"(+{len(data.get('strava_hidden') or [])} Strava stubs named) (target < 8000)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--startups", type=int, default=5)
    args = parser.parse_args()
    anyio.run(main_async, args.latency, args.startups)


if __name__ == "__main__":
    main()
