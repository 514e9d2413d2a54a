"""Shared helpers for the sync tests: expected payloads from the fake, request-log queries."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from intervals_mcp.fake import FakeIntervals, FakeStore

API_KEY = "test-key"
ATHLETE = "i12345"
RESOURCES = ["activities", "wellness", "events"]


def clone(store: FakeStore) -> FakeStore:
    """An independent copy of a store (tests edit "upstream"; the generated one is shared)."""
    with store.lock:
        return FakeStore(
            copy.deepcopy(store.athlete),
            copy.deepcopy(list(store.activities.values())),
            copy.deepcopy(list(store.wellness.values())),
            copy.deepcopy(list(store.events.values())),
            today=store.today,
            fitness_start=store.fitness_start,
            intervals=copy.deepcopy(store.intervals),
        )


def store_range(store: FakeStore) -> tuple[date, date]:
    """The first and last local day holding any record of the store."""
    days = [date.fromisoformat(a["start_date_local"][:10]) for a in store.activities.values()]
    days += [date.fromisoformat(k) for k in store.wellness]
    days += [date.fromisoformat(e["start_date_local"][:10]) for e in store.events.values()]
    return min(days), max(days)


def list_paths(fake: FakeIntervals) -> list[tuple[str, dict[str, Any]]]:
    """(resource, query) of every list request the fake received, in order."""
    found = []
    for request in fake.requests:
        for resource in RESOURCES:
            if request.path.rstrip("/").endswith(f"/athlete/{ATHLETE}/{resource}"):
                found.append((resource, dict(request.query)))
    return found


def count_requests(fake: FakeIntervals, contains: str) -> int:
    return sum(1 for r in fake.requests if contains in r.path)
