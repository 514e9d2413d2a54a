"""A tool call's fetches as MCP progress notifications.

The sync service tells a `Progress` callback of the windows it plans and of each one done
(the events a bulk sync shows as progress bars); here they become `notifications/progress` for
the call: one per window done, counting across every resource the call reads, with a message
naming the window. The SDK sends nothing when the caller asked for no progress.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.mcpserver import Context

from intervals_mcp.sync.reports import Progress, ProgressEvent

log = logging.getLogger(__name__)


def progress_message(event: ProgressEvent) -> str:
    """`activities 2026-01-01..2026-04-30: 120 rows` (or the reason the window failed)."""
    span = f" {event.window[0]}..{event.window[1]}" if event.window else ""
    outcome = f"failed ({event.error})" if event.kind == "window_failed" else f"{event.rows} rows"
    return f"{event.resource}{span}: {outcome}"


class ProgressNotes:
    """The progress callback of one tool call: notifications sent in order, one at a time."""

    def __init__(self, ctx: Context[Any, Any]) -> None:
        self._ctx = ctx
        self._planned = 0
        self._done = 0
        self._last: asyncio.Future[None] | None = None

    def __call__(self, event: ProgressEvent) -> None:
        if event.kind == "planned":
            self._planned += event.total_windows
            return
        self._done += 1
        # The callback is synchronous; each notification waits for the one before it, so they
        # leave in order with a progress that only grows.
        self._last = asyncio.ensure_future(
            self._send(self._last, self._done, self._planned, progress_message(event))
        )

    async def _send(self, before: asyncio.Future[None] | None, done: int, total: int, message: str) -> None:
        if before is not None:
            await before
        try:
            await self._ctx.report_progress(done, total, message)
        except Exception as exc:  # a caller gone away must not fail the call
            log.debug("A progress notification was not sent: %s", exc)

    async def settled(self) -> None:
        """Wait until every notification so far has been sent."""
        if self._last is not None:
            await self._last


@asynccontextmanager
async def progress_notes(ctx: Context[Any, Any]) -> AsyncIterator[Progress]:
    """The progress callback for the fetches of one call; the notifications are sent by the time
    the block ends (so none trails the result by much)."""
    notes = ProgressNotes(ctx)
    try:
        yield notes
    finally:
        await notes.settled()
