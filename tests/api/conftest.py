"""Shared fixtures for the API client tests: the fake Intervals.icu and its athlete."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete

KEY = "s3cr3t-KEY-do-not-leak"
TODAY = date(2026, 11, 24)
ATHLETE = "i12345"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def store() -> FakeStore:
    return generate_athlete(seed=7, years=1, today=TODAY, athlete_id=ATHLETE)


@pytest.fixture
def fake(store: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(store, api_key=KEY, latency=0.0, rate_limit=None) as server:
        yield server
