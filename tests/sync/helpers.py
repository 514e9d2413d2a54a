"""Shared helpers for the sync tests: expected payloads from the fake, request-log queries."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.config import Settings
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.fake import FakeIntervals, FakeStore
from intervals_mcp.sync.athletes import Athlete
from intervals_mcp.sync.bulk import sync_history
from intervals_mcp.sync.records import Records
from intervals_mcp.sync.reports import Freshness, SyncReport
from intervals_mcp.sync.service import SyncService

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


class Harness:
    """The sync service, its records and bulk sync for one athlete on UTC (the tests' clock
    runs on UTC), called the way the tools and the CLI call them."""

    def __init__(self, sync: SyncService, athlete_id: str = ATHLETE) -> None:
        self.service = sync
        self.records = Records(sync)
        self.athlete = Athlete(athlete_id, timezone="UTC")
        self.policy = sync.policy

    def now(self) -> datetime:
        return self.service.now()

    async def sync(self, start: date, end: date, resources: list[str], **options: Any) -> SyncReport:
        return await sync_history(self.records, self.athlete, start, end, resources, **options)

    async def ensure_fresh(
        self, resource: Any, start: date, end: date, *, refresh: bool = False
    ) -> Freshness:
        return await self.service.ensure_fresh(resource, self.athlete, start, end, refresh=refresh)

    async def ensure_record(
        self, resource: Any, record_id: str | int, *, refresh: bool = False
    ) -> tuple[Any, Freshness]:
        return await self.records.ensure_record(resource, self.athlete, record_id, refresh=refresh)

    async def ensure_intervals(self, activity_id: str) -> tuple[Any, Freshness]:
        return await self.records.ensure_intervals(self.athlete, activity_id)


def harness(
    db: Database,
    reader: CacheReader,
    client: IntervalsClient,
    settings: Settings,
    clock: Callable[[], datetime] | None = None,
) -> Harness:
    return Harness(SyncService(db, reader, client, settings, **({"clock": clock} if clock else {})))
