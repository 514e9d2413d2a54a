"""Intervals.icu misbehaving during a sync and during tool calls."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from fault_scenarios import TODAY, Lab, Row, Stopwatch, closed_port_url, scenario, short, tool_text
from intervals_mcp.db import queries
from intervals_mcp.errors import STOPS_A_SYNC
from intervals_mcp.fake import Fault

ATHLETE = "i12345"
START, END = TODAY - timedelta(days=30), TODAY
MONTH = {"start_date": str(START), "end_date": str(END), "limit": 200}


def _retries(lab: Lab, path: str) -> int:
    return sum(1 for r in lab.fake.requests if path in r.path)


async def _sync_through(
    lab: Lab, name: str, fault: Fault | None, injected: str, *, budget: float = 3.0
) -> Row:
    """Sync a month of activities while `fault` hits them; describe how it ended."""
    lab.fresh()
    if fault is not None:
        lab.fake.inject(replace(fault, path_contains="/activities"))
    url = None if fault is not None else closed_port_url()
    clock = Stopwatch()
    async with lab.service(lab.db_path(), base_url=url, budget=budget) as (service, db, client):
        try:
            report = await service.sync(START, END, ["activities"])
        except STOPS_A_SYNC as exc:  # every window would fail the same way: stopped at the first
            covered = await queries.coverage(db, ATHLETE, "activities", START, END)
            outcome = f"stopped at once, {len(covered)} days marked covered: {short(str(exc), 90)}"
            requests = client.request_count if url else len(lab.fake.requests)
            return Row(name, injected, outcome, requests, clock.seconds, "sync")
        activities = report.resources["activities"]
        if report.ok:
            sent = _retries(lab, "/activities")
            outcome = f"retried {sent - activities.fetched}x then ok in {clock.seconds:.1f} s"
        else:
            covered = await queries.coverage(db, ATHLETE, "activities", START, END)
            outcome = f"gave up, {len(covered)} days marked covered: {short(str(report.errors[0]), 90)}"
        requests = client.request_count if url else len(lab.fake.requests)
    return Row(name, injected, outcome, requests, clock.seconds, "sync")


@scenario("sync")
async def sync_429_retry_after(lab: Lab) -> Row:
    return await _sync_through(
        lab,
        "sync: 429 burst",
        Fault(kind="rate_limit", retry_after=0.3, times=3),
        "3x 429, Retry-After 0.3 s",
    )


@scenario("sync")
async def sync_429_no_retry_after(lab: Lab) -> Row:
    return await _sync_through(
        lab, "sync: 429 burst", Fault(kind="rate_limit", retry_after=None, times=3), "3x 429, no Retry-After"
    )


@scenario("sync")
async def sync_429_storm(lab: Lab) -> Row:
    return await _sync_through(
        lab,
        "sync: 429 storm",
        Fault(kind="rate_limit", retry_after=None, times=10_000),
        "429 on every request",
        budget=2.0,
    )


@scenario("sync")
async def sync_5xx_burst(lab: Lab) -> Row:
    return await _sync_through(lab, "sync: 5xx burst", Fault(kind="status", status=503, times=4), "4x 503")


@scenario("sync")
async def sync_hang(lab: Lab) -> Row:
    return await _sync_through(
        lab, "sync: hang", Fault(kind="hang", seconds=5.0, times=1), "1 request hangs 5 s (timeout 0.5 s)"
    )


@scenario("sync")
async def sync_refused(lab: Lab) -> Row:
    return await _sync_through(lab, "sync: connection refused", None, "closed port", budget=1.5)


@scenario("sync")
async def sync_truncated(lab: Lab) -> Row:
    return await _sync_through(
        lab, "sync: truncated JSON", Fault(kind="truncated_json", times=2), "2 bodies cut in half"
    )


@scenario("sync")
async def sync_invalid(lab: Lab) -> Row:
    return await _sync_through(
        lab, "sync: invalid JSON", Fault(kind="invalid_json", times=2), "2 unparseable bodies"
    )


@scenario("sync")
async def sync_html(lab: Lab) -> Row:
    return await _sync_through(
        lab, "sync: HTML error page", Fault(kind="html", times=2), "2x 200 text/html page"
    )


async def _damaged_refresh(lab: Lab, name: str, fault: Fault, injected: str) -> Row:
    """Sync, damage the refresh, and check the cached payloads did not move."""
    lab.fresh()
    async with lab.service(lab.db_path(), budget=1.0) as (service, db, _):
        await service.sync(START, END, ["activities"])
        before = [r.payload for r in await queries.records_in(db, "activities", ATHLETE, START, END)]
        lab.fake.clear_log()
        lab.fake.inject(fault)
        clock = Stopwatch()
        fresh = await service.ensure_fresh("activities", START, END, refresh=True)
        after = [r.payload for r in await queries.records_in(db, "activities", ATHLETE, START, END)]
    kept = "cache unchanged" if after == before else "CACHE OVERWRITTEN"
    why = f"refused: {short(str(fresh.error), 70)}" if fresh.error else "stored as sent"
    return Row(name, injected, f"{kept}, {why}", len(lab.fake.requests), clock.seconds, "sync")


@scenario("sync")
async def refresh_null_fields(lab: Lab) -> Row:
    return await _damaged_refresh(
        lab, "refresh: null fields", Fault(kind="null_fields", times=100), "200, every field but id null"
    )


@scenario("sync")
async def refresh_missing_fields(lab: Lab) -> Row:
    return await _damaged_refresh(
        lab, "refresh: missing fields", Fault(kind="missing_fields", times=100), "200, only ids left"
    )


@scenario("sync")
async def refresh_missing_ids(lab: Lab) -> Row:
    return await _damaged_refresh(
        lab,
        "refresh: missing ids",
        Fault(kind="missing_fields", fields=frozenset({"id"}), times=100),
        "200, records without id",
    )


@scenario("sync")
async def refresh_null_names(lab: Lab) -> Row:
    row = await _damaged_refresh(
        lab,
        "refresh: null names",
        Fault(kind="null_fields", fields=frozenset({"name"}), times=100),
        "200, name null (legit)",
    )
    return replace(row, outcome=row.outcome.replace("CACHE OVERWRITTEN", "updated to upstream's nulls"))


async def _tool_through(lab: Lab, name: str, fault: Fault | None, injected: str, *, cached: bool) -> Row:
    """get_activities for a month while `fault` persists, with or without a cache to fall back on."""
    lab.fresh()
    path = lab.db_path()
    if cached:
        async with lab.tools(path) as client:
            await client.call_tool("get_activities", MONTH)
    update = {"tool_retry_seconds": 2.0}
    if fault is None:
        update["base_url"] = closed_port_url()  # type: ignore[assignment]
    else:
        lab.fake.inject(fault)
    lab.fake.clear_log()
    clock = Stopwatch()
    async with lab.tools(path, **update) as client:
        result = await client.call_tool("get_activities", {**MONTH, "refresh": cached})
    text = tool_text(result)
    if result.is_error:
        outcome = "ToolError: " + short(text.split(": ", 1)[-1], 100)
    elif "could not refresh" in text:
        outcome = "served cache, note shown"
    else:
        outcome = "answered fresh"
    requests = None if fault is None else len(lab.fake.requests)
    return Row(name, injected, outcome, requests, clock.seconds, "tools")


@scenario("tools")
async def tool_429_storm_cold(lab: Lab) -> Row:
    return await _tool_through(
        lab,
        "tool, no cache: 429 storm",
        Fault(kind="rate_limit", retry_after=None, times=10_000),
        "429 on every request",
        cached=False,
    )


@scenario("tools")
async def tool_503_cold(lab: Lab) -> Row:
    return await _tool_through(
        lab,
        "tool, no cache: 5xx",
        Fault(kind="status", status=503, times=10_000),
        "503 on every request",
        cached=False,
    )


@scenario("tools")
async def tool_refused_cold(lab: Lab) -> Row:
    return await _tool_through(lab, "tool, no cache: refused", None, "closed port", cached=False)


@scenario("tools")
async def tool_hang_cold(lab: Lab) -> Row:
    return await _tool_through(
        lab,
        "tool, no cache: hang",
        Fault(kind="hang", seconds=5.0, times=10_000),
        "every request hangs 5 s",
        cached=False,
    )


@scenario("tools")
async def tool_burst_warm(lab: Lab) -> Row:
    return await _tool_through(
        lab, "tool, refresh: 503 burst", Fault(kind="status", status=503, times=1), "1x 503", cached=True
    )


@scenario("tools")
async def tool_html_warm(lab: Lab) -> Row:
    return await _tool_through(
        lab, "tool, refresh: HTML page", Fault(kind="html", times=10_000), "200 text/html always", cached=True
    )


@scenario("tools")
async def tool_truncated_warm(lab: Lab) -> Row:
    return await _tool_through(
        lab,
        "tool, refresh: truncated",
        Fault(kind="truncated_json", times=10_000),
        "bodies cut in half",
        cached=True,
    )


@scenario("tools")
async def tool_null_fields_warm(lab: Lab) -> Row:
    return await _tool_through(
        lab,
        "tool, refresh: null fields",
        Fault(kind="null_fields", times=10_000),
        "every field but id null",
        cached=True,
    )


@scenario("tools")
async def tool_missing_fields_warm(lab: Lab) -> Row:
    return await _tool_through(
        lab,
        "tool, refresh: missing fields",
        Fault(kind="missing_fields", times=10_000),
        "only ids left",
        cached=True,
    )
