"""Benchmark: sync five synthetic years into an empty cache over a slow fake Intervals.icu.

Run: uv run python benchmarks/sync_five_years.py [--latency 0.15] [--years 5]

Starts the fake (real HTTP on 127.0.0.1, with its default rate limit of 10 requests/s) at the
given per-request latency, syncs activities, wellness and events into a temporary SQLite file
with the same client settings the `sync` command uses, and prints requests, wall time and rows
per second per resource. Target: at most 60 requests and 15 s for five years.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from pydantic import SecretStr

from intervals_mcp.config import Settings
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.fake import FakeIntervals, generate_athlete
from intervals_mcp.sync.bulk import sync_history
from intervals_mcp.sync.factory import Services
from intervals_mcp.sync.reports import SyncReport

KEY = "bench-key"
ATHLETE = "i12345"
RESOURCES = ["activities", "wellness", "events"]


async def sync_once(settings: Settings, start: date, end: date) -> SyncReport:
    """`intervals-mcp sync` as the CLI runs it (the athlete's own record is one request more)."""
    services = await Services.open(settings, sync_attempts=10, upgrade=False)
    try:
        athlete = await services.athlete(interactive=False)
        return await sync_history(services.records, athlete, start, end, RESOURCES)
    finally:
        await services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()

    today = date.today()
    began = time.perf_counter()
    store = generate_athlete(seed=7, years=args.years, today=today, athlete_id=ATHLETE)
    print(f"generated {store} in {time.perf_counter() - began:.1f} s")
    start = today - timedelta(days=365 * args.years)
    end = today + timedelta(days=90)

    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeIntervals(store, api_key=KEY, latency=args.latency) as fake,
    ):
        db_path = Path(tmp) / "bench.sqlite3"
        upgrade_database(db_path)
        settings = Settings(
            api_key=SecretStr(KEY), athlete_id=ATHLETE, base_url=fake.base_url, db_path=db_path
        )
        began = time.perf_counter()
        report = asyncio.run(sync_once(settings, start, end))
        wall = time.perf_counter() - began
        size = db_path.stat().st_size  # closed cleanly: the WAL is checkpointed away

    print(f"synced {start}..{end} at {args.latency * 1000:.0f} ms latency (fake rate limit on)")
    print(f"{'resource':<11}{'windows':>8}{'rows':>8}{'requests':>10}{'seconds':>9}{'rows/s':>9}")
    for r in report.resources.values():
        rate = r.rows / r.seconds if r.seconds else 0.0
        print(f"{r.resource:<11}{r.fetched:>8}{r.rows:>8}{r.requests:>10}{r.seconds:>9.2f}{rate:>9.0f}")
    rows = sum(r.rows for r in report.resources.values())
    print(f"{'total':<11}{'':>8}{rows:>8}{report.requests:>10}{wall:>9.2f}{rows / wall:>9.0f}")
    print(f"requests on the wire (fake log): {len(fake.requests)}; cache file {size / 1e6:.1f} MB")
    verdict = "met" if report.requests <= 60 and wall <= 15 else "MISSED"
    print(f"target (<= 60 requests, <= 15 s): {verdict}; errors: {len(report.errors)}")


if __name__ == "__main__":
    main()
