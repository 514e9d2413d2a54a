"""The MCP server: an `MCPServer` whose lifespan holds the cache, the API client and the sync
service; `serve()` runs it over stdio (Claude Desktop) or streamable HTTP on loopback.

Only the lifespan creates resources, and it does no network I/O: the first request to
Intervals.icu is made by the first tool call that needs fresh data.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime

from mcp.server import MCPServer
from mcp.server.transport_security import TransportSecuritySettings

from intervals_mcp import __version__
from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.config import Settings
from intervals_mcp.db.engine import Database, upgrade_database
from intervals_mcp.logs import setup_logging
from intervals_mcp.sync.service import SyncService, utcnow

log = logging.getLogger(__name__)

INSTRUCTIONS = (
    "Read an athlete's Intervals.icu training data: activities, their details and intervals, "
    "wellness (fitness, fatigue, form, HRV, sleep) and calendar events (planned workouts). "
    "Answers come from a local cache that refreshes itself from Intervals.icu when stale; "
    "pass refresh=true only when the user says the data just changed. Dates are the athlete's "
    "local dates, YYYY-MM-DD."
)


@dataclass(frozen=True)
class AppState:
    """What every tool call reaches through `ctx.request_context.lifespan_context`."""

    settings: Settings
    db: Database
    client: IntervalsClient  # the sync budget (long retries)
    quick: IntervalsClient  # the same pool with the tool budget: a person is waiting
    sync: SyncService
    athlete_id: str

    def now(self) -> datetime:
        return self.sync.now()

    def today(self) -> date:
        return self.sync.today()


def build_server(settings: Settings, *, clock: Callable[[], datetime] | None = None) -> MCPServer[AppState]:
    """The server with its six tools; resources are opened when it starts (the lifespan)."""
    from intervals_mcp.server.tools import register_tools

    @asynccontextmanager
    async def lifespan(_server: MCPServer[AppState]) -> AsyncIterator[AppState]:
        api_key, athlete_id = settings.require_credentials()
        db = await Database.open(settings.db_path)
        try:
            async with IntervalsClient(
                settings.base_url,
                api_key,
                timeout=settings.request_timeout,
                policy=RetryPolicy(total_seconds=settings.sync_retry_seconds),
            ) as client:
                quick = client.with_policy(RetryPolicy(total_seconds=settings.tool_retry_seconds))
                sync = SyncService(db, client, settings, clock=clock or utcnow)
                log.info("intervals-mcp %s serving athlete %s from %s", __version__, athlete_id, db.path)
                yield AppState(settings, db, client, quick, sync, athlete_id)
        finally:
            await db.close()

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
    server = build_server(settings)
    if transport == "stdio":
        server.run()
    elif transport == "streamable-http":
        server.run(
            transport="streamable-http", host=host, port=port, transport_security=http_security(host, port)
        )
    else:
        raise ValueError(f"transport {transport!r} is not supported: use stdio or streamable-http")
