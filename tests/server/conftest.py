"""Fixtures for the server tests: a real fake Intervals.icu on loopback, and a real database on
each backend (`database_url`: a SQLite file, a PostgreSQL database; see tests/backends.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from backends import Where, storage_settings
from intervals_mcp.config import Settings, load_settings
from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete

KEY = "test-key"
TODAY = date.today()  # the server takes "today" from this machine's local date


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def athlete_store() -> FakeStore:
    return generate_athlete(seed=7, years=1, today=TODAY, athlete_id="i12345")


@pytest.fixture
def fake(athlete_store: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(athlete_store, api_key=KEY, latency=0.0, rate_limit=None) as server:
        yield server


def make_settings(fake: FakeIntervals, where: Where, key: str = KEY, **extra: Any) -> Settings:
    """Settings for a server on `where` (a SQLite file, or a database URL)."""
    spare = (where if isinstance(where, Path) else Path("/nonexistent")).with_name("never.sqlite3")
    return load_settings(
        api_key=SecretStr(key),
        athlete_id=fake.athlete_id,
        base_url=fake.base_url,
        tool_retry_seconds=1.5,
        **storage_settings(where, spare),
        **extra,
    )


@pytest.fixture
def settings(fake: FakeIntervals, database_url: str) -> Settings:
    return make_settings(fake, database_url)


def values(collection: Any) -> Iterable[dict[str, Any]]:
    return collection.values() if isinstance(collection, dict) else collection


def recent_activity(store: FakeStore, *, strava: bool = False) -> dict[str, Any]:
    """The newest activity in the last 30 days that is (or is not) a Strava stub."""
    since = str(TODAY - timedelta(days=30))
    found = sorted(
        (
            a
            for a in values(store.activities)
            if str(a.get("start_date_local", "")) >= since and (a.get("source") == "STRAVA") == strava
        ),
        key=lambda a: str(a["start_date_local"]),
        reverse=True,
    )
    if not found:
        pytest.skip("the generated athlete has no such activity in the last 30 days")
    return found[0]


def text_of(result: Any) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")


def sentence(result: Any, tool: str) -> str:
    """The one sentence of a ToolError; fails on a crash (the SDK withholds its message)."""
    assert result.is_error, text_of(result)
    text = text_of(result)
    prefix = f"Error executing tool {tool}: "
    assert text.startswith(prefix), f"not an anticipated ToolError: {text!r}"
    return text[len(prefix) :]
