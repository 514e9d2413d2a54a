"""The write tools through the real process over stdio, as Claude Desktop runs it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from intervals_mcp.fake import FakeIntervals, Fault
from intervals_mcp.server.tools import TOOLS

from .conftest import KEY, day, events_named, text_of, writes_sent

pytestmark = pytest.mark.anyio


def params(fake: FakeIntervals, db: Path, **env: str) -> StdioServerParameters:
    base = {
        "API_KEY": KEY,
        "ATHLETE_ID": fake.athlete_id,
        "INTERVALS_API_BASE_URL": fake.base_url,
        "INTERVALS_MCP_DB": str(db),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    return StdioServerParameters(
        command=sys.executable, args=["-m", "intervals_mcp", "serve"], env={**base, **env}, cwd="/"
    )


async def test_plan_a_workout_over_stdio(fake: FakeIntervals, tmp_path: Path) -> None:
    args = {
        "workout_type": "Run",
        "name": "Stdio intervals",
        "start_date": str(day(3)),
        "description": "- 15m Z2 Pace\n\n5x\n- 3m 105% Pace\n- 2m 70% Pace\n\n- 10m Z1 Pace",
    }
    week = {"start_date": str(day(0)), "end_date": str(day(6))}
    async with stdio_client(params(fake, tmp_path / "cache.sqlite3")) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        assert [t.name for t in (await s.list_tools()).tools] == [t.name for t in TOOLS]
        dry = await s.call_tool("add_or_update_event", {**args, "dry_run": True})
        assert not dry.is_error, text_of(dry)
        assert "Dry run: nothing was sent." in text_of(dry) and writes_sent(fake) == []
        await s.call_tool("get_events", week)
        fake.inject(Fault(kind="lost_answer", methods=frozenset({"POST"})))
        lost = await s.call_tool("add_or_update_event", args)
        assert lost.is_error and "repeating the same call is safe" in text_of(lost)
        again = await s.call_tool("add_or_update_event", args)
        assert not again.is_error, text_of(again)
        fake.clear_log()
        listed = await s.call_tool("get_events", week)
    (upstream,) = events_named(fake.store, "Stdio intervals")
    assert again.structured_content is not None and again.structured_content["event_id"] == upstream["id"]
    assert f"{upstream['id']}" in text_of(listed) and fake.requests == []


async def test_writes_off_over_stdio(fake: FakeIntervals, tmp_path: Path) -> None:
    p = params(fake, tmp_path / "cache.sqlite3", INTERVALS_MCP_WRITES="off")
    async with stdio_client(p) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        names = [t.name for t in (await s.list_tools()).tools]
    assert names == [t.name for t in TOOLS if t.kind != "write"] and names
