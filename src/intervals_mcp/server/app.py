"""The MCP server: an `MCPServer` whose lifespan owns the cache, the API client and the sync
service; `serve()` runs it over stdio (Claude Desktop) or streamable HTTP on loopback.

Start-up is kept short: `initialize` is answered before SQLAlchemy or httpx is even imported.
The lifespan holds an `AppState` that opens the backend (cache, client, sync service; see
`backend.py`) on the first tool call, once, behind a lock, and closes it at shutdown. The
schema upgrade still happens before the event loop, in `serve()`, through the standard
library's sqlite3 when the file is already current. No network I/O happens until a tool
call needs fresh data.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from mcp.server import MCPServer
from mcp.server.transport_security import TransportSecuritySettings

from intervals_mcp import __version__
from intervals_mcp.config import Settings
from intervals_mcp.db.engine import upgrade_database  # stdlib sqlite3 only (when already current)
from intervals_mcp.logs import setup_logging

if TYPE_CHECKING:
    from intervals_mcp.server.backend import Backend

log = logging.getLogger(__name__)

INSTRUCTIONS = (
    "Read an athlete's Intervals.icu training data: activities, their details and intervals, "
    "wellness (fitness, fatigue, form, HRV, sleep) and calendar events (planned workouts). "
    "Answers come from a local cache that refreshes itself from Intervals.icu when stale; "
    "pass refresh=true only when the user says the data just changed. Dates are the athlete's "
    "local dates, YYYY-MM-DD."
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class AppState:
    """What every tool call reaches through `ctx.request_context.lifespan_context`."""

    def __init__(
        self, settings: Settings, athlete_id: str, clock: Callable[[], datetime], *, own_process: bool = False
    ) -> None:
        self.settings = settings
        self.athlete_id = athlete_id
        self._clock = clock
        self._own_process = own_process
        self._backend: Backend | None = None
        self._opening = asyncio.Lock()

    def now(self) -> datetime:
        return self._clock()

    def today(self) -> date:
        """The athlete's calendar day: the clock's date in this machine's zone."""
        return self._clock().astimezone().date()

    async def backend(self) -> Backend:
        """The open backend; the first call imports and opens it (later calls wait for it)."""
        if self._backend is None:
            async with self._opening:
                if self._backend is None:
                    # A worker thread, so the event loop keeps serving while ~0.4 s of imports run.
                    module = await asyncio.to_thread(importlib.import_module, "intervals_mcp.server.backend")
                    self._backend = await module.Backend.open(self.settings, self._clock)
                    if self._own_process:
                        # Everything imported so far lives as long as the process: keep it out
                        # of the cyclic collector, whose full passes over it otherwise stall a
                        # tool call for ~0.1 s every so often.
                        gc.freeze()
        return self._backend

    async def aclose(self) -> None:
        async with self._opening:
            if self._backend is not None:
                backend, self._backend = self._backend, None
                await backend.close()


def build_server(
    settings: Settings, *, clock: Callable[[], datetime] | None = None, own_process: bool = False
) -> MCPServer[AppState]:
    """The server with its six tools; the backend is opened by the first tool call.

    own_process: the server is the whole process (`serve`), so it may tune the process-wide
    garbage collector for itself; leave False when embedding it (tests, the demo).
    """
    from intervals_mcp.server.tools import register_tools

    @asynccontextmanager
    async def lifespan(_server: MCPServer[AppState]) -> AsyncIterator[AppState]:
        _, athlete_id = settings.require_credentials()
        state = AppState(settings, athlete_id, clock or utcnow, own_process=own_process)
        try:
            yield state
        finally:
            await state.aclose()

    server: MCPServer[AppState] = MCPServer(
        "intervals-mcp",
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        log_level=settings.log_level,
    )
    register_tools(server)
    return server


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def http_security(host: str, port: int) -> TransportSecuritySettings:
    """DNS-rebinding protection for streamable HTTP, always on: only requests that name this
    machine's loopback (or the address we were told to bind) on our port, and only pages from
    those origins, reach the server; a web page on evil.example gets 421/403."""
    bound = f"[{host}]" if ":" in host and not host.startswith("[") else host
    names = list(dict.fromkeys([*LOOPBACK_NAMES, bound]))
    hosts = [f"{name}:{port}" for name in names] + (names if port == 80 else [])
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=hosts,
        allowed_origins=[f"http://{h}" for h in hosts],
    )


def serve(settings: Settings, *, transport: str = "stdio", host: str = "127.0.0.1", port: int = 8000) -> None:
    """Migrate the cache (before any event loop), log to stderr, and run until the client leaves."""
    setup_logging(settings.log_level)
    settings.require_credentials()
    upgrade_database(settings.db_path)
    server = build_server(settings, own_process=True)
    if transport == "stdio":
        server.run()
    elif transport == "streamable-http":
        server.run(
            transport="streamable-http", host=host, port=port, transport_security=http_security(host, port)
        )
    else:
        raise ValueError(f"transport {transport!r} is not supported: use stdio or streamable-http")
