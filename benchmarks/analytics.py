"""Benchmark: the analytics tools over five synced years, against the same questions asked
through the list tools.

Run: uv run python benchmarks/analytics.py [--years 5] [--runs 7] [--markdown]

Syncs five synthetic years into a temporary cache (as `intervals-mcp sync` does), then drives
the real server through a real MCP client session (in process) and prints, per tool:
  * median ms: the median of `--runs` calls, each made after a commit by another connection
    (so nothing is answered from the answer memo: the freshness check, the SQL and the
    formatting all run), and the repeat: the same call again, answered from the memo;
  * the answer's characters (the text the model reads) and the upstream requests the calls made;
  * beside it, what the same question costs through the list tools (get_activities,
    get_wellness_data, get_events): how many calls a model must make and the characters it must
    read and add up itself, measured by making those calls against the same cache.
Figures only; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from mcp import Client
from pydantic import SecretStr
from sync_five_years import KEY, sync_once

from intervals_mcp.config import Settings
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.fake import FakeIntervals, generate_athlete
from intervals_mcp.server.app import build_server

Calls = list[tuple[str, dict[str, Any]]]


@dataclass
class Question:
    tool: str
    args: dict[str, Any]
    asks: str
    by_list: Callable[[date], Calls]  # the list-tool calls answering the same question


def months(first: date, last: date) -> list[tuple[date, date]]:
    """Calendar months from first to last (the list tools answer a month of activities in one
    call; longer ranges hit their row limit)."""
    spans, start = [], first
    while start <= last:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        spans.append((start, min(last, following - timedelta(days=1))))
        start = following
    return spans


def activities_by_month(first: date, last: date) -> Calls:
    return [
        ("get_activities", {"start_date": str(a), "end_date": str(b), "limit": 200})
        for a, b in months(first, last)
    ]


def wellness_by_month(first: date, last: date) -> Calls:
    return [("get_wellness_data", {"start_date": str(a), "end_date": str(b)}) for a, b in months(first, last)]


def questions(today: date) -> list[Question]:
    year_ago = today - timedelta(days=364)
    weeks4 = today - timedelta(days=27)
    return [
        Question(
            "get_training_summary",
            {"start_date": str(year_ago), "group_by": "month"},
            "this year by month, against the year before",
            lambda t: activities_by_month(year_ago - timedelta(days=365), t),
        ),
        Question(
            "get_fitness_trend",
            {"forecast_days": 28},
            "fitness over the year and on race day in 4 weeks",
            lambda t: [
                *wellness_by_month(year_ago, t),
                ("get_events", {"start_date": str(t), "end_date": str(t + timedelta(days=28))}),
            ],
        ),
        Question(
            "get_wellness_trends",
            {},
            "HRV, resting HR, sleep: last week against 60 days",
            lambda t: [
                *wellness_by_month(t - timedelta(days=59), t),
                *activities_by_month(t - timedelta(days=59), t),
            ],
        ),
        Question(
            "get_intensity_distribution",
            {"sport": "Ride"},
            "time in power zones, 8 weeks of rides",
            lambda t: [],  # no list tool shows zone times: not answerable that way
        ),
        Question(
            "get_plan_adherence",
            {},
            "did I follow my plan (4 weeks)",
            lambda t: [
                ("get_events", {"start_date": str(weeks4), "end_date": str(t)}),
                *activities_by_month(weeks4, t),
            ],
        ),
        Question(
            "search_activities",
            {"query": "tempo", "sport": "Run", "sort": "distance", "limit": 5},
            "longest tempo runs in five years",
            lambda t: activities_by_month(t - timedelta(days=5 * 365 - 1), t),
        ),
        Question("get_cache_status", {}, "what does the cache hold", lambda t: []),
    ]


def touch(db_path: Path) -> None:
    """A commit by another connection that changes a page (a commit that changes nothing does
    not move SQLite's data_version): the answer memo cannot serve the next call."""
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS bench_touch (n INTEGER)")
            conn.execute("INSERT INTO bench_touch VALUES (1)")
    finally:
        conn.close()


def chars(result: Any) -> int:
    return sum(len(c.text) for c in result.content if getattr(c, "type", "") == "text")


async def measure(settings: Settings, fake: FakeIntervals, today: date, runs: int) -> list[dict[str, Any]]:
    rows = []
    async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
        for q in questions(today):
            before = len(fake.requests)
            times, size = [], 0
            for _ in range(runs):
                touch(settings.db_path)
                began = time.perf_counter()
                result = await client.call_tool(q.tool, q.args)
                times.append((time.perf_counter() - began) * 1000)
                assert not result.is_error, result.content
                size = chars(result)
            began = time.perf_counter()
            await client.call_tool(q.tool, q.args)
            repeat = (time.perf_counter() - began) * 1000
            requests = len(fake.requests) - before
            listed = q.by_list(today)
            list_chars = 0
            for name, args in listed:
                list_chars += chars(await client.call_tool(name, args))
            rows.append(
                {
                    "tool": q.tool,
                    "asks": q.asks,
                    "median_ms": statistics.median(times),
                    "repeat_ms": repeat,
                    "chars": size,
                    "requests": requests,
                    "list_calls": len(listed),
                    "list_chars": list_chars,
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--markdown", action="store_true", help="print the README's table")
    args = parser.parse_args()

    today = date.today()
    store = generate_athlete(seed=7, years=args.years, today=today, athlete_id="i12345")
    with tempfile.TemporaryDirectory() as tmp, FakeIntervals(store, api_key=KEY, latency=0.0) as fake:
        db_path = Path(tmp) / "bench.sqlite3"
        upgrade_database(db_path)
        settings = Settings(
            api_key=SecretStr(KEY), athlete_id="i12345", base_url=fake.base_url, db_path=db_path
        )
        began = time.perf_counter()
        report = asyncio.run(
            sync_once(settings, today - timedelta(days=365 * args.years), today + timedelta(days=90))
        )
        print(f"synced {store} in {time.perf_counter() - began:.1f} s with {report.requests} requests")
        rows = asyncio.run(measure(settings, fake, today, args.runs))

    if args.markdown:
        print(
            "| tool | question | median ms | repeat ms | answer chars | upstream requests "
            "| list tools: calls | list tools: chars |"
        )
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            calls, listed = (
                (r["list_calls"], f"{r['list_chars']:,}") if r["list_calls"] else ("-", "not answerable")
            )
            figures = f"{r['median_ms']:.1f} | {r['repeat_ms']:.1f} | {r['chars']:,} | {r['requests']}"
            print(f"| `{r['tool']}` | {r['asks']} | {figures} | {calls} | {listed} |")
        return
    heads = (
        ("median ms", 10),
        ("repeat ms", 10),
        ("chars", 7),
        ("requests", 9),
        ("list calls", 11),
        ("list chars", 11),
    )
    print(f"{'tool':<28}" + "".join(f"{title:>{width}}" for title, width in heads))
    for r in rows:
        print(
            f"{r['tool']:<28}{r['median_ms']:>10.1f}{r['repeat_ms']:>10.1f}{r['chars']:>7}{r['requests']:>9}"
            f"{r['list_calls']:>11}{r['list_chars']:>11}"
        )


if __name__ == "__main__":
    main()
