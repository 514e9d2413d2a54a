"""Fixtures for the write tools: a fresh fake athlete per test (writes change it), the fake over
real HTTP, a real SQLite file, and the server through a real MCP client in process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from pydantic import SecretStr

from intervals_mcp.config import Settings, load_settings
from intervals_mcp.fake import FakeIntervals, FakeStore, FakeWorld, LoggedRequest, generate_athlete
from intervals_mcp.server.app import build_server
from server.conftest import sentence, text_of  # tests/ is on sys.path: the suites share their helpers

__all__ = ["sentence", "text_of"]

KEY = "test-key"
ATHLETE = "i12345"
TODAY = datetime.now(UTC).date()  # the athlete lives on UTC, like the server's clock
READS = frozenset({"GET", "HEAD"})


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def new_athlete(athlete_id: str = ATHLETE, seed: int = 7) -> FakeStore:
    return generate_athlete(seed=seed, years=0.25, athlete_id=athlete_id, timezone="UTC", today=TODAY)


@pytest.fixture
def store() -> FakeStore:
    return new_athlete()


@pytest.fixture
def fake(store: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(store, api_key=KEY, latency=0.0, rate_limit=None) as server:
        yield server


def make_settings(fake: FakeIntervals, db: Path, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "api_key": SecretStr(KEY),
        "athlete_id": fake.athlete_id,
        "base_url": fake.base_url,
        "db_path": db,
        "tool_retry_seconds": 1.5,
        **extra,
    }
    return load_settings(**values)


@pytest.fixture
def settings(fake: FakeIntervals, tmp_path: Path) -> Settings:
    return make_settings(fake, tmp_path / "cache.sqlite3")


COACH_KEY = "coach-key"


@pytest.fixture
def coach_fake() -> Iterator[FakeIntervals]:
    """Coach i100 coaching Ann (i201) and following Bob (i202): reads both, writes Ann only."""
    coach, ann, bob = (new_athlete(a, seed) for a, seed in (("i100", 1), ("i201", 2), ("i202", 3)))
    world = FakeWorld.coach(coach, [ann], key=COACH_KEY, follows=[bob])
    with FakeIntervals(world, latency=0.0, rate_limit=None) as server:
        yield server


@pytest.fixture
def coach_settings(coach_fake: FakeIntervals, tmp_path: Path) -> Settings:
    return make_settings(coach_fake, tmp_path / "coach.sqlite3", api_key=SecretStr(COACH_KEY))


@asynccontextmanager
async def connect(settings: Settings) -> AsyncIterator[Client]:
    async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
        yield client


def ok(result: Any) -> dict[str, Any]:
    assert not result.is_error, text_of(result)
    data: dict[str, Any] = result.structured_content
    return data


def writes_sent(fake: FakeIntervals) -> list[LoggedRequest]:
    """Every request the fake received that was not a read."""
    return [r for r in fake.requests if r.method not in READS]


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def events_named(store: FakeStore, name: str) -> list[dict[str, Any]]:
    with store.lock:
        return [dict(e) for e in store.events.values() if e.get("name") == name]


def first_event(store: FakeStore, *, future: bool, category: str | None = None) -> dict[str, Any]:
    """An upstream event after today (future) or before it, of `category` if given."""
    with store.lock:
        found = sorted(
            (
                dict(e)
                for e in store.events.values()
                if (e["start_date_local"][:10] > str(TODAY)) == future
                and e["start_date_local"][:10] != str(TODAY)
                and (category is None or e["category"] == category)
            ),
            key=lambda e: str(e["start_date_local"]),
            reverse=not future,
        )
    assert found, "the generated athlete has no such event"
    return found[0]
