"""Helpers for the analytics tools' tests (and for the chart pages drawing their real answers):
seeded fake athletes over real HTTP, a real SQLite file, the real MCP client, and a server
clock pinned to the athletes' today (so "today" never moves under a test, whatever this
machine's date)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from mcp import Client
from pydantic import SecretStr

from intervals_mcp.config import load_settings
from intervals_mcp.fake import FakeIntervals, FakeStore, FakeWorld, generate_athlete
from intervals_mcp.server.app import build_server
from server.conftest import text_of  # the suites share their helpers
from sync.helpers import clone  # tests/sync: an independent copy of a store

KEY = "analytics-key"
TODAY = date(2026, 3, 15)
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)  # noon: the same day in Brussels, Sydney and Denver


@cache
def _generated(seed: int, years: float, athlete_id: str, timezone: str) -> FakeStore:
    return generate_athlete(seed=seed, years=years, today=TODAY, athlete_id=athlete_id, timezone=timezone)


def athlete(
    seed: int, years: float = 1.0, athlete_id: str = "i12345", timezone: str = "Europe/Brussels"
) -> FakeStore:
    """A seeded athlete ending TODAY, a copy a test may edit as "upstream"."""
    return clone(_generated(seed, years, athlete_id, timezone))


@dataclass
class Session:
    client: Client
    fake: FakeIntervals
    db_path: Path

    async def call(self, name: str, **args: Any) -> Any:
        """The tool's result; fails on an error result (use `call_raw` to see one)."""
        result = await self.client.call_tool(name, args)
        assert not result.is_error, text_of(result)
        return result

    async def call_raw(self, name: str, **args: Any) -> Any:
        return await self.client.call_tool(name, args)

    def requests(self) -> int:
        return len(self.fake.requests)


@asynccontextmanager
async def serving(
    target: FakeStore | FakeWorld, tmp_path: Path, athlete_id: str | None = None
) -> AsyncIterator[Session]:
    """The server over a fresh cache file, against the fake serving `target`."""
    key = None if isinstance(target, FakeWorld) else KEY  # a world brings its own keys
    with FakeIntervals(target, api_key=key, latency=0.0, rate_limit=None) as fake:
        db_path = tmp_path / "cache.sqlite3"
        settings = load_settings(
            api_key=SecretStr(KEY),
            athlete_id=athlete_id or fake.athlete_id,
            base_url=fake.base_url,
            db_path=db_path,
            tool_retry_seconds=1.5,
        )
        async with Client(build_server(settings, clock=lambda: NOW)) as client:  # type: ignore[arg-type]
            yield Session(client, fake, db_path)


def data(result: Any) -> dict[str, Any]:
    found = result.structured_content
    assert isinstance(found, dict)
    return found
