"""What the tools read through, opened on the first tool call: the cache (async engine for
writes, a synchronous reader for answers), the API client, the sync service, the answer memo.

This module imports SQLAlchemy and httpx (~0.4 s); `app.py` imports it only when a tool first
needs it, so `initialize` is answered without paying for them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime

from intervals_mcp import __version__
from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.config import Settings
from intervals_mcp.db.engine import Database
from intervals_mcp.db.fastread import CacheReader
from intervals_mcp.server.answers import AnswerMemo, Body
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
    # Answers less their provenance, addressed by tool, normalised arguments and the digests
    # of the records they show (see answers.py).
    answers: AnswerMemo[Body]
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
            answers: AnswerMemo[Body] = AnswerMemo()
            log.info("intervals-mcp %s serving athlete %s from %s", __version__, athlete_id, db.path)
            return cls(db, client, quick, sync, reader, answers, stack.pop_all())
        raise AssertionError("unreachable")  # pragma: no cover - the with block returns or raises

    async def close(self) -> None:
        await self._stack.aclose()
