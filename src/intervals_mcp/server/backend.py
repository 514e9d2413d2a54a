"""What the tools read through, opened on the first tool call: the cache, the API client, the
sync service, and the memos keyed on the cache's data generation.

This module imports SQLAlchemy and httpx (~0.4 s); `app.py` imports it only when a tool first
needs it, so `initialize` is answered without paying for them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import date, datetime

from intervals_mcp import __version__
from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.config import Settings
from intervals_mcp.db.engine import Database
from intervals_mcp.db.fastread import CacheReader
from intervals_mcp.db.generation import GenerationMemo
from intervals_mcp.db.repo import ActivityRow, EventRow, IntervalsRow, WellnessRow
from intervals_mcp.sync.service import SyncService

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Backend:
    """The open resources behind the tools, and the reads the tools make after `ensure_*`."""

    db: Database
    client: IntervalsClient  # the sync budget (long retries)
    quick: IntervalsClient  # the same pool with the tool budget: a person is waiting
    sync: SyncService
    reader: CacheReader  # synchronous reads, and the file's data generation
    # Whole answers, keyed by tool, normalised arguments and provenance; valid while the cache
    # file has not changed (any commit, from any connection or process, forgets them all).
    answers: GenerationMemo
    _stack: AsyncExitStack

    @classmethod
    async def open(cls, settings: Settings, clock: Callable[[], datetime]) -> Backend:
        api_key, athlete_id = settings.require_credentials()
        async with AsyncExitStack() as stack:
            db = await Database.open(settings.db_path)
            stack.push_async_callback(db.close)
            reader = CacheReader(db.path)
            stack.callback(reader.close)
            client = await stack.enter_async_context(
                IntervalsClient(
                    settings.base_url,
                    api_key,
                    timeout=settings.request_timeout,
                    policy=RetryPolicy(total_seconds=settings.sync_retry_seconds),
                )
            )
            quick = client.with_policy(RetryPolicy(total_seconds=settings.tool_retry_seconds))
            sync = SyncService(db, client, settings, clock=clock, reader=reader)
            answers = GenerationMemo(reader.current)
            log.info("intervals-mcp %s serving athlete %s from %s", __version__, athlete_id, db.path)
            return cls(db, client, quick, sync, reader, answers, stack.pop_all())
        raise AssertionError("unreachable")  # pragma: no cover - the with block returns or raises

    async def close(self) -> None:
        await self._stack.aclose()

    # --- reads after the freshness check (SQL stays in db/) -----------------------------------

    async def activities(self, athlete_id: str, start: date, end: date) -> list[ActivityRow]:
        return self.reader.list_activities(athlete_id, start, end)

    async def wellness(self, athlete_id: str, start: date, end: date) -> list[WellnessRow]:
        return self.reader.list_wellness(athlete_id, start, end)

    async def events(self, athlete_id: str, start: date, end: date) -> list[EventRow]:
        return self.reader.list_events(athlete_id, start, end)

    async def activity(self, athlete_id: str, activity_id: str) -> ActivityRow | None:
        return self.reader.get_activity(athlete_id, activity_id)

    async def intervals(self, athlete_id: str, activity_id: str) -> IntervalsRow | None:
        return self.reader.get_intervals(athlete_id, activity_id)

    async def event(self, athlete_id: str, event_id: int) -> EventRow | None:
        return self.reader.get_event(athlete_id, event_id)
