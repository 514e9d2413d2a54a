"""`intervals-mcp demo`: the whole path on one machine, no API key, no network.

A fake Intervals.icu (loopback, with a little latency) serves the synthetic demo athlete; a
temporary cache file is synced for older history with a progress bar; then the real MCP server
is driven through a real MCP client session. Each call prints its answer, its time and how
many requests reached the (fake) upstream: the first call of a recent range goes upstream, the
repeat and the synced history come from the cache.

The demo is not a stdio server, so it prints to stdout.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from intervals_mcp.words import plural

if TYPE_CHECKING:
    from rich.console import Console

    from intervals_mcp.config import Settings
    from intervals_mcp.fake import FakeIntervals

DEMO_KEY = "demo-key"
DEMO_LATENCY = 0.08  # seconds per fake request: enough to feel the difference a cache makes
HISTORY_DAYS = 365
PREVIEW_LINES = 14


def run_demo() -> int:
    """Run the demo; returns the exit code."""
    from rich.console import Console

    from intervals_mcp.config import load_settings
    from intervals_mcp.fake import FakeIntervals, load_demo_athlete

    console = Console()
    today = date.today()
    store = load_demo_athlete(today=today)
    with (
        tempfile.TemporaryDirectory(prefix="intervals-mcp-demo-") as tmp,
        FakeIntervals(store, api_key=DEMO_KEY, latency=DEMO_LATENCY) as fake,
    ):
        settings = load_settings(
            api_key=SecretStr(DEMO_KEY),
            athlete_id=fake.athlete_id,
            base_url=fake.base_url,
            db_path=Path(tmp) / "demo-cache.sqlite3",
        )
        console.rule("[bold]intervals-mcp demo")
        console.print(
            f"Fake Intervals.icu at {fake.base_url} (athlete {fake.athlete_id}, "
            f"{DEMO_LATENCY * 1000:.0f} ms per request); cache {settings.db_path}"
        )
        return asyncio.run(_demo(settings, fake, console, today))


async def _demo(settings: Settings, fake: FakeIntervals, console: Console, today: date) -> int:
    await _sync_history(settings, fake, console, today)
    from mcp import Client

    from intervals_mcp.server.app import build_server

    month_ago = today - timedelta(days=30)
    # Settled history from the synced part of the demo athlete's ~75 days.
    older = (today - timedelta(days=60), today - timedelta(days=46))
    calls: list[tuple[str, dict[str, Any]]] = [
        ("get_activities", {"start_date": str(month_ago), "end_date": str(today)}),
        ("get_activities", {"start_date": str(month_ago), "end_date": str(today)}),
        ("get_activities", {"start_date": str(older[0]), "end_date": str(older[1]), "limit": 5}),
        ("get_wellness_data", {"start_date": str(today - timedelta(days=6)), "end_date": str(today)}),
        ("get_wellness_data", {"start_date": str(today - timedelta(days=6)), "end_date": str(today)}),
        ("get_events", {}),
        ("get_events", {}),
    ]
    async with Client(build_server(settings)) as client:
        for name, args in calls:
            await _call(client, fake, console, name, args)
        listed = await client.call_tool(
            "get_activities", {"start_date": str(month_ago), "end_date": str(today), "limit": 50}
        )
        rows = (listed.structured_content or {}).get("activities") or []
        if rows:
            first = str(rows[0]["id"])
            for name in ("get_activity_details", "get_activity_intervals", "get_activity_intervals"):
                await _call(client, fake, console, name, {"activity_id": first})
        events = await client.call_tool("get_events", {})
        planned = (events.structured_content or {}).get("events") or []
        if planned:
            await _call(client, fake, console, "get_event_by_id", {"event_id": planned[0]["id"]})
        await _analytics(client, fake, console, today)
    console.rule("[bold]done")
    console.print(
        f"{plural(len(fake.requests), 'request')} reached the fake Intervals.icu in total. Repeat calls "
        "were answered from the SQLite cache with none."
    )
    return 0


async def _analytics(client: Any, fake: FakeIntervals, console: Console, today: date) -> None:
    """Questions only a cache of the whole history answers in one call: totals by week against
    the weeks before, fitness with a forecast from the planned workouts, what the cache holds."""
    console.rule("[bold]analytics over the cache")
    eight_weeks = str(today - timedelta(days=55))
    calls: list[tuple[str, dict[str, Any]]] = [
        ("get_training_summary", {"start_date": eight_weeks, "group_by": "week"}),
        ("get_fitness_trend", {"start_date": eight_weeks, "forecast_days": 21}),
        ("get_intensity_distribution", {"start_date": eight_weeks, "sport": "Ride"}),
        ("get_cache_status", {}),
    ]
    for name, args in calls:
        await _call(client, fake, console, name, args)


async def _sync_history(settings: Settings, fake: FakeIntervals, console: Console, today: date) -> None:
    """Sync last year's history (up to a month ago), with a progress bar per resource."""
    from intervals_mcp.cli.render import ProgressBar
    from intervals_mcp.sync.bulk import sync_history
    from intervals_mcp.sync.factory import Services

    start, end = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=31)
    console.rule(f"sync {start} .. {end}")
    console.print(
        "  The sync stops a month before today on purpose: the calls below then ask for the last "
        "month, which goes upstream once and is answered from the cache after that.",
        soft_wrap=True,
    )
    before = len(fake.requests)
    began = time.perf_counter()
    services = await Services.open(settings)
    try:
        athlete = await services.athlete(interactive=False)
        with ProgressBar(console) as bar:
            report = await sync_history(
                services.records,
                athlete,
                start,
                end,
                ["activities", "wellness", "events"],
                progress=bar.update,
            )
    finally:
        await services.close()
    for name, res in report.resources.items():
        rows, requests = plural(res.rows, "row"), plural(res.requests, "request")
        console.print(f"  {name:<11} {rows:>10}, {res.inserted} inserted, {requests}")
    sent = plural(len(fake.requests) - before, "request")
    console.print(f"  synced in {time.perf_counter() - began:.2f} s with {sent}")


async def _call(client: Any, fake: FakeIntervals, console: Console, name: str, args: dict[str, Any]) -> None:
    before = len(fake.requests)
    began = time.perf_counter()
    result = await client.call_tool(name, args)
    ms = (time.perf_counter() - began) * 1000
    upstream = len(fake.requests) - before
    where = "[green]cache[/]" if upstream == 0 else f"[yellow]{plural(upstream, 'upstream request')}[/]"
    shown = ", ".join(f"{k}={v}" for k, v in args.items())
    # The call's name, time and source first, on a line of their own that wraps on a narrow
    # terminal (a rule's title would be cut short); its arguments under it.
    console.rule(style="dim")
    console.print(f"[bold]{name}[/]  {ms:.0f} ms, {where}")
    if shown:
        console.print(f"  {shown}", markup=False, highlight=False)
    text = "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")
    lines = text.splitlines()
    body = "\n".join(lines[:PREVIEW_LINES])
    if len(lines) > PREVIEW_LINES:
        body += f"\n… ({len(lines) - PREVIEW_LINES} more lines)"
    console.print(
        body, markup=False, highlight=False, soft_wrap=True, style="red" if result.is_error else None
    )
