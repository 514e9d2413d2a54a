"""The real process over stdio, as Claude Desktop runs it: `python -m intervals_mcp serve` with
a minimal environment and the working directory `/`."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from backends import Where, sqlite_path, storage_env
from intervals_mcp.db.dialects import dialect_for
from intervals_mcp.fake import FakeIntervals
from intervals_mcp.server.tools import TOOLS

from .conftest import KEY, TODAY, text_of

pytestmark = pytest.mark.anyio


def params(fake: FakeIntervals, db: Where) -> StdioServerParameters:
    env = {
        "API_KEY": KEY,
        "ATHLETE_ID": fake.athlete_id,
        "INTERVALS_API_BASE_URL": fake.base_url,
        **storage_env(db),
        "LOG_LEVEL": "INFO",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    return StdioServerParameters(
        command=sys.executable, args=["-m", "intervals_mcp", "serve"], env=env, cwd="/"
    )


async def test_stdio_serves_from_the_cache_across_restarts(
    fake: FakeIntervals, fresh_database_url: str
) -> None:
    db = fresh_database_url
    dialect = dialect_for(db)
    month = {"start_date": str(TODAY - timedelta(days=30)), "end_date": str(TODAY)}
    async with stdio_client(params(fake, db)) as (r, w), ClientSession(r, w) as s:
        init = await s.initialize()
        assert init.server_info.name == "intervals-mcp"
        assert len(fake.requests) == 0, "no network I/O at startup"
        assert not dialect.exists(db), "no database work before the first tool call"
        tools = await s.list_tools()
        assert [t.name for t in tools.tools] == [spec.name for spec in TOOLS]
        first = await s.call_tool("get_activities", month)
        assert not first.is_error, text_of(first)
        assert "fresh from Intervals.icu" in text_of(first)
        upstream = len(fake.requests)
        assert upstream >= 1
        again = await s.call_tool("get_activities", month)
        assert "cached at" in text_of(again)
        assert len(fake.requests) == upstream
    assert dialect.exists(db)
    path = sqlite_path(db)
    assert path is None or (path.stat().st_mode & 0o777) == 0o600

    async with stdio_client(params(fake, db)) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        res = await s.call_tool("get_activities", month)
        assert text_of(res) == text_of(again)
    assert len(fake.requests) == upstream, "a restarted server answers from the same cache"


async def test_a_cache_that_cannot_be_created_is_said_on_each_call(
    fake: FakeIntervals, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("where the cache's directory should be")
    async with stdio_client(params(fake, blocker / "cache.sqlite3")) as (r, w), ClientSession(r, w) as s:
        await s.initialize()  # the handshake is answered whatever the cache's state
        for _ in range(2):
            res = await s.call_tool("get_events", {})
            assert res.is_error
            assert "cannot be created" in text_of(res) and "INTERVALS_MCP_DB" in text_of(res)


async def test_stdio_rejected_key_is_one_sentence(fake: FakeIntervals, tmp_path: Path) -> None:
    p = params(fake, tmp_path / "cache.sqlite3")
    assert p.env is not None
    p.env["API_KEY"] = "not-the-key-0000"
    async with stdio_client(p) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        res = await s.call_tool("get_wellness_data", {})
    assert res.is_error
    assert "Intervals.icu rejected the API key: check API_KEY and ATHLETE_ID" in text_of(res)
    assert "not-the-key-0000" not in text_of(res)
