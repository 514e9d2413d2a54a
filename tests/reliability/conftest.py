"""Fixtures shared by the reliability suite (faults, load, bad input, secrets).

Every scenario runs against the fake Intervals.icu on loopback and a real SQLite file; the
process tests start real `intervals-mcp` children and kill or race them.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
