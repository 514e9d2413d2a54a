"""Fixtures for the fake Intervals.icu's own tests: real servers on 127.0.0.1, real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fake_support import ATHLETE, KEY, TODAY, client_for

from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete


@pytest.fixture(scope="module")
def shared_store() -> FakeStore:
    """One year of history; tests using it must not edit it."""
    return generate_athlete(seed=7, years=1, today=TODAY, athlete_id=ATHLETE)


@pytest.fixture(scope="module")
def shared_fake(shared_store: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(shared_store, api_key=KEY, rate_limit=None) as fake:
        yield fake


@pytest.fixture
def ro(shared_fake: FakeIntervals) -> Iterator[httpx.Client]:
    """A client for read-only tests against the shared server."""
    with client_for(shared_fake) as client:
        yield client


@pytest.fixture(scope="module")
def _module_fake() -> Iterator[FakeIntervals]:
    store = generate_athlete(seed=11, years=0.25, today=TODAY, athlete_id=ATHLETE)
    with FakeIntervals(store, api_key=KEY, rate_limit=None) as server:
        yield server


@pytest.fixture
def fake(_module_fake: FakeIntervals) -> FakeIntervals:
    """A server with a fresh (smaller) athlete and quiet controls, for tests that change things.

    The server itself is shared by the module (starting and stopping one costs ~0.2 s); each
    test gets a new store and reset knobs.
    """
    _module_fake.store = generate_athlete(seed=11, years=0.25, today=TODAY, athlete_id=ATHLETE)
    _module_fake.reset()
    return _module_fake


@pytest.fixture
def client(fake: FakeIntervals) -> Iterator[httpx.Client]:
    with client_for(fake) as c:
        yield c
