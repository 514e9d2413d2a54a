"""Fixtures for the sync tests: the fake Intervals.icu over real HTTP, and a real database on
each backend (`database_url`: a SQLite file, a PostgreSQL database; see tests/backends.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from backends import opened, storage_settings
from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.config import Settings
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete

from .helpers import API_KEY, ATHLETE, Harness, clone, harness

__all__ = ["API_KEY", "ATHLETE", "NOON", "TODAY", "Clock", "Harness", "harness"]

TODAY = date(2026, 11, 24)
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Clock:
    """A clock the test moves by hand; `today` follows it (the athlete lives on UTC here)."""

    now: datetime = NOON

    def __call__(self) -> datetime:
        return self.now

    def today(self) -> date:
        return self.now.date()

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def five_years() -> FakeStore:
    """Five synthetic years ending TODAY (generated once; tests get a copy)."""
    return generate_athlete(seed=7, years=5, today=TODAY, athlete_id=ATHLETE)


@pytest.fixture
def store(five_years: FakeStore) -> FakeStore:
    return clone(five_years)


@pytest.fixture
def fake(store: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(store, api_key=API_KEY, latency=0.0, rate_limit=None) as running:
        yield running


@pytest.fixture
def settings(fake: FakeIntervals, database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        api_key=SecretStr(API_KEY),
        athlete_id=ATHLETE,
        base_url=fake.base_url,
        **storage_settings(database_url, tmp_path / "never.sqlite3"),
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with opened(database_url) as database:
        yield database


@pytest.fixture
async def client(fake: FakeIntervals) -> AsyncIterator[IntervalsClient]:
    async with IntervalsClient(
        fake.base_url,
        SecretStr(API_KEY),
        policy=RetryPolicy(total_seconds=5.0, base_delay=0.01, max_delay=0.05),
        requests_per_second=1000.0,
        burst=100,
    ) as c:
        yield c


@pytest.fixture
async def reader(db: Database) -> AsyncIterator[CacheReader]:
    opened = db.open_reader()
    try:
        yield opened
    finally:
        await opened.aclose()


@pytest.fixture
def service(
    db: Database, reader: CacheReader, client: IntervalsClient, settings: Settings, clock: Clock
) -> Harness:
    return harness(db, reader, client, settings, clock)
