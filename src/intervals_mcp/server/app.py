"""The MCP server: an `MCPServer` whose lifespan holds the app state; `serve()` runs it over
stdio (Claude Desktop) or streamable HTTP on loopback.

Start-up does nothing but answer: no database, no migration, no network and no import of
SQLAlchemy or httpx happens before `initialize` is answered, also on a brand-new cache. The
first tool call opens the services (see `sync/factory.py`), creating or migrating the cache in
a worker thread; if that fails, that call gets the sentence and the next one tries again.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import CallToolResult, InputRequiredResult
from pydantic import ValidationError

from intervals_mcp import __version__
from intervals_mcp.config import Settings
from intervals_mcp.logs import setup_logging
from intervals_mcp.server.answers import AnswerMemo, Body

if TYPE_CHECKING:
    from intervals_mcp.server.auth import HttpAuth
    from intervals_mcp.sync.factory import Services

log = logging.getLogger(__name__)

INSTRUCTIONS = (
    "Read an athlete's Intervals.icu training data: activities (details, intervals, streams, "
    "comments), wellness (fitness, fatigue, form, HRV, sleep), calendar events (planned "
    "workouts), the athlete's profile (thresholds, zones), best-effort curves, gear and custom "
    "items; a coach's key also lists and compares its athletes (pass athlete_id for one). "
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
        self.athlete_id = athlete_id  # as configured (may be "0")
        self._clock = clock
        self._own_process = own_process
        self._services: Services | None = None
        self._opening = asyncio.Lock()
        # Answers less their provenance, addressed by tool, normalised arguments and the digests
        # of the records they show (see answers.py).
        self.answers: AnswerMemo[Body] = AnswerMemo()

    def now(self) -> datetime:
        return self._clock()

    async def services(self) -> Services:
        """The open services; the first call imports and opens them (later calls wait)."""
        if self._services is None:
            async with self._opening:
                if self._services is None:
                    # A worker thread, so the event loop keeps serving while ~0.4 s of imports run.
                    module = await asyncio.to_thread(importlib.import_module, "intervals_mcp.sync.factory")
                    self._services = await module.Services.open(self.settings, clock=self._clock)
                    if self._own_process:
                        # Everything imported so far lives as long as the process: keep it out
                        # of the cyclic collector, whose full passes over it otherwise stall a
                        # tool call for ~0.1 s every so often.
                        gc.freeze()
        return self._services

    @property
    def opened(self) -> Services | None:
        """The services if a call has opened them, else None (never opens them)."""
        return self._services

    async def aclose(self) -> None:
        async with self._opening:
            if self._services is not None:
                services, self._services = self._services, None
                await services.close()


class IntervalsServer(MCPServer[AppState]):
    """The SDK's server, with arguments it refuses said in one sentence (see arguments.py)
    instead of pydantic's multi-line dump."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[AppState, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(exc, UnexpectedToolError) or not isinstance(cause, ValidationError):
                raise
            from intervals_mcp.server.arguments import refusal

            schema = next((t.input_schema for t in await self.list_tools() if t.name == name), {})
            raise ToolError(f"Error executing tool {name}: {refusal(cause.errors(), schema)}") from cause


def build_server(
    settings: Settings,
    *,
    clock: Callable[[], datetime] | None = None,
    own_process: bool = False,
    auth: HttpAuth | None = None,
) -> MCPServer[AppState]:
    """The server with every tool of the registry; the services open on the first tool call.

    own_process: the server is the whole process (`serve`), so it may tune the process-wide
    garbage collector for itself; leave False when embedding it (tests, the demo).
    auth: bearer tokens on streamable HTTP (see auth.py); stdio never has any.
    """
    from intervals_mcp.server.prompts import register_prompts
    from intervals_mcp.server.resources import register_resources
    from intervals_mcp.server.tools import offered, sdk_tools

    @asynccontextmanager
    async def lifespan(_server: MCPServer[AppState]) -> AsyncIterator[AppState]:
        _, athlete_id = settings.require_credentials()
        state = AppState(settings, athlete_id, clock or utcnow, own_process=own_process)
        try:
            yield state
        finally:
            await state.aclose()
            if auth is not None:
                await auth.verifier.aclose()

    server = IntervalsServer(
        "intervals-mcp",
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        log_level=settings.log_level,
        tools=sdk_tools(offered(settings.writes)),
        token_verifier=auth.verifier if auth else None,
        auth=auth.settings if auth else None,
    )
    register_prompts(server)
    register_resources(server)
    return server


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
HTTP_PATH = "/mcp"  # the streamable HTTP endpoint


def url_host(host: str) -> str:
    """A host as a URL names it: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def http_security(host: str, port: int, public: Sequence[str] = ()) -> TransportSecuritySettings:
    """DNS-rebinding protection for streamable HTTP, always on: only requests that name this
    machine's loopback (or the address we were told to bind) on our port, or a `public` name a
    reverse proxy forwards (INTERVALS_MCP_ALLOWED_HOSTS, as `name` or `name:port`), and only
    pages from those origins, reach the server; a web page on evil.example gets 421/403."""
    bound = url_host(host)
    names = list(dict.fromkeys([*LOOPBACK_NAMES, bound]))
    hosts = [f"{name}:{port}" for name in names] + (names if port == 80 else [])
    origins = [f"http://{h}" for h in hosts]
    for name in public:
        hosts.append(name)
        origins += [f"https://{name}", f"http://{name}"]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )


def serve(
    settings: Settings,
    *,
    transport: str = "stdio",
    host: str = "127.0.0.1",
    port: int = 8000,
    stateless: bool = False,
) -> None:
    """Log to stderr and run until the client leaves; the cache opens on the first tool call.

    stateless: streamable HTTP without sessions, so several processes behind one address can
    each answer any request (the tools need no session)."""
    setup_logging(settings.log_level)
    settings.require_credentials()
    if transport == "stdio":
        build_server(settings, own_process=True).run()
    elif transport == "streamable-http":
        from intervals_mcp.server.auth import http_auth

        server = build_server(settings, own_process=True, auth=http_auth(settings, host))
        security = http_security(host, port, settings.allowed_hosts)
        print(
            f"intervals-mcp: serving MCP over streamable HTTP at http://{url_host(host)}:{port}{HTTP_PATH} "
            "(Ctrl-C stops it).",
            file=sys.stderr,
            flush=True,
        )
        run_http(server, host, port, security, stateless=stateless, log_level=settings.log_level)
    else:
        raise ValueError(f"transport {transport!r} is not supported: use stdio or streamable-http.")


def run_http(
    server: MCPServer[AppState],
    host: str,
    port: int,
    security: TransportSecuritySettings,
    *,
    stateless: bool,
    log_level: str,
) -> None:
    """Streamable HTTP under uvicorn, as `MCPServer.run` does, but logging through our own
    stderr handler (uvicorn's default configuration would send access lines to stdout)."""
    import anyio
    import uvicorn

    app = server.streamable_http_app(
        streamable_http_path=HTTP_PATH, stateless_http=stateless, transport_security=security, host=host
    )
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level.lower(), log_config=None)
    anyio.run(uvicorn.Server(config).serve)
