"""Fixtures shared by the reliability suite (faults, load, bad input, secrets).

Every scenario runs against the fake Intervals.icu on loopback and a real SQLite file; the
process tests start real `intervals-mcp` children and kill or race them.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import date

import pytest

from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete
from sync.helpers import clone  # tests/ is on sys.path: the suites share their helpers

RELIABILITY_KEY = "test-key"
RELIABILITY_ATHLETE = "i12345"
RELIABILITY_TODAY = date.today()  # the server takes "today" from this machine's clock


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def half_year_store() -> FakeStore:
    """Half a year of synthetic history ending today (generated once; never edit it)."""
    return generate_athlete(seed=7, years=0.5, today=RELIABILITY_TODAY, athlete_id=RELIABILITY_ATHLETE)


@pytest.fixture(scope="module")
def _module_fake(half_year_store: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(clone(half_year_store), api_key=RELIABILITY_KEY, rate_limit=None) as server:
        yield server


@pytest.fixture
def quiet_fake(_module_fake: FakeIntervals, half_year_store: FakeStore) -> FakeIntervals:
    """The module's fake with a fresh copy of the half-year athlete, no faults, no latency."""
    _module_fake.store = clone(half_year_store)
    _module_fake.reset()
    return _module_fake


def closed_port_url() -> str:
    """A loopback base URL nothing listens on: connections to it are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v1"


def assert_one_sentence(text: str) -> None:
    """A message a person can act on: one line, one sentence, no traceback, no key."""
    assert text and "\n" not in text.strip(), text
    assert "Traceback" not in text and RELIABILITY_KEY not in text, text
    assert text.rstrip().endswith((".", ")")), text
    # sentence breaks: a full stop then a capital (Intervals.icu has no space after its dot)
    assert len(re.split(r"[.!?] +(?=[A-Z])", text.strip())) == 1, f"more than one sentence: {text!r}"
