"""Constants and helpers shared by the fake's tests (a uniquely named module, not conftest)."""

from __future__ import annotations

from datetime import date

import httpx

from intervals_mcp.fake import FakeIntervals

TODAY = date(2026, 11, 24)
KEY = "test-key"
ATHLETE = "i12345"


def client_for(fake: FakeIntervals, key: str = KEY) -> httpx.Client:
    return httpx.Client(base_url=fake.base_url, auth=("API_KEY", key), timeout=10)
