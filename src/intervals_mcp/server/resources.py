"""The server's resources: what a host can attach to a conversation, or draw.

- The chart pages (MCP Apps, `ui://intervals-mcp/...`, MIME `text/html;profile=mcp-app`) that
  the analytics tools' `_meta.ui.resourceUri` points at (see `charts/`).
- The workout-text guide the write tools point to (`workouts/guide.md`, markdown).
- The athlete's profile and the cache's status: the text answers of `get_athlete_profile` and
  `get_cache_status` (the same calls, arguments at their defaults), for the configured athlete
  at a fixed address and for any athlete through a template.

The SDK hands a Context (and so the app state) only to template resources; a static address
with a Context parameter is refused. The static addresses reach theirs through
`remember_request`, a middleware that keeps the `resources/read` request being handled.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.types import TextContent

from intervals_mcp.server import uris
from intervals_mcp.server.charts import CHARTS, MIME_TYPE, RESOURCE_META
from intervals_mcp.server.toolspec import Ctx, ToolSpec

if TYPE_CHECKING:
    from mcp.server import MCPServer

    from intervals_mcp.server.app import AppState

_READING: ContextVar[ServerRequestContext[Any, Any] | None] = ContextVar("reading", default=None)


def workout_guide() -> str:
    """The workout-text guide (markdown), from the package."""
    return (files("intervals_mcp.workouts") / "guide.md").read_text(encoding="utf-8")


async def remember_request(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
    """Middleware: keep the `resources/read` request in hand while it is handled."""
    if ctx.method != "resources/read":
        return await call_next(ctx)
    token = _READING.set(ctx)
    try:
        return await call_next(ctx)
    finally:
        _READING.reset(token)


def reading_context(server: MCPServer[AppState]) -> Ctx:
    """The Context of the `resources/read` being handled (for a static resource)."""
    request = _READING.get()
    if request is None:
        raise ResourceError("This resource can only be read through an MCP request.")
    return Context(request_context=request, mcp_server=server)


async def tool_text(ctx: Ctx, spec: ToolSpec, athlete_id: str | None) -> str:
    """A tool's text answer about one athlete (None: the configured one), its other arguments at
    their defaults; its refusal sentence becomes the read's error."""
    defaults = {
        p.name: p.default
        for p in inspect.signature(spec.fn).parameters.values()
        if p.default is not inspect.Parameter.empty
    }
    try:
        result = await spec.fn(ctx, **{**defaults, "athlete_id": athlete_id})
    except ToolError as exc:
        raise ResourceError(str(exc)) from None
    return "\n".join(c.text for c in result.content if isinstance(c, TextContent))


def _constant(text: str) -> Callable[[], str]:
    def read() -> str:
        return text

    return read


def _athlete_resources(
    server: MCPServer[AppState], spec: ToolSpec, name: str, what: str, static: str, template: str
) -> None:
    """One tool's answer as two resources: the configured athlete's, and any athlete's."""
    described = f"{what}: the text of {spec.name}, kept fresh like the tool's answer."

    async def configured() -> str:
        return await tool_text(reading_context(server), spec, None)

    async def of_athlete(athlete_id: str, ctx: Ctx) -> str:
        return await tool_text(ctx, spec, athlete_id)

    reads: tuple[tuple[str, str, Callable[..., Awaitable[str]]], ...] = (
        (static, name, configured),
        (template, f"{name}-of-athlete", of_athlete),
    )
    for uri, label, read in reads:
        server.resource(uri, name=label, title=what, description=described, mime_type="text/plain")(read)


def register_resources(server: MCPServer[AppState]) -> None:
    """Every resource, and the middleware the static athlete resources read through."""
    from intervals_mcp.server.tools.athlete import get_athlete_profile
    from intervals_mcp.server.tools.history import get_cache_status

    for page in CHARTS.values():
        server.resource(
            page.uri,
            name=page.name,
            title=page.title,
            description=f"The chart drawn beside {page.tool}'s answer in hosts with MCP Apps.",
            mime_type=MIME_TYPE,
            meta=RESOURCE_META,
        )(_constant(page.html))
    server.resource(
        uris.WORKOUT_GUIDE,
        name="workout-text-guide",
        title="Workout text guide",
        description="How to write Intervals.icu workout text that add_or_update_event accepts: "
        "durations, distances, targets per sport, repeats, and the traps that drop steps or load.",
        mime_type="text/markdown",
    )(_constant(workout_guide()))
    server.middleware.append(remember_request)
    _athlete_resources(
        server, get_athlete_profile, "athlete-profile", "Athlete profile", uris.PROFILE, uris.PROFILE_OF
    )
    _athlete_resources(
        server, get_cache_status, "cache-status", "Cache status", uris.CACHE_STATUS, uris.CACHE_STATUS_OF
    )
