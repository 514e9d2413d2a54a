"""The athlete-level shape of a tool: answer from something the cache holds about an athlete as
a whole (the profile, curves, gear, custom items, a coach's athletes and roster), read through.

    @athlete_tool(documents(lambda athlete, args: DocumentAsk("gear")), result=GearResult,
                  domain="athlete", noun="gear")
    def get_gear_list(view: AthleteView) -> Body: ...

`fetch` makes what the tool reads fresh and returns it (`Found`: its digest, payload and
freshness); the builder is a pure function of it and the tool's own arguments. The template
does the rest as the other shapes do: the shared arguments (`athlete_id` unless `for_key`, and
`refresh`), the error scope, the athlete resolved once (for `for_key` tools: the API key's
owner), provenance, and the answer memo keyed by name, athlete and arguments plus the digest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mcp.types import CallToolResult
from pydantic import BaseModel

from intervals_mcp.server.answers import Body
from intervals_mcp.server.toolspec import ATHLETE, REFRESH, Ctx, Domain, ToolSpec, call_scope, declare_tool
from intervals_mcp.sync.reports import Freshness

if TYPE_CHECKING:
    from intervals_mcp.sync.asks import DocumentAsk
    from intervals_mcp.sync.athletes import Athlete
    from intervals_mcp.sync.factory import Services


@dataclass(frozen=True)
class Found:
    """What an athlete-level tool reads: its digest (None: never memoised), payload, freshness."""

    digest: Hashable | None
    payload: dict[str, Any]
    freshness: list[Freshness] = field(default_factory=list)


@dataclass(frozen=True)
class AthleteView:
    athlete: Athlete  # for `for_key` tools: the API key's owner
    payload: dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One call as a fetch sees it."""

    services: Services
    athlete: Athlete  # for `for_key` tools: the API key's owner
    args: dict[str, Any]  # the tool's own arguments, validated
    refresh: bool
    began: datetime  # when the call began (anything fetched since is fresh)


Fetch = Callable[[Call], Awaitable[Found]]


def documents(ask: Callable[[Call], DocumentAsk]) -> Fetch:
    """A fetch of one athlete-level document; `ask` names it from the call (the athlete and the
    tool's own arguments), and refuses bad arguments with an InputError."""

    async def fetch(call: Call) -> Found:
        row, fr = await call.services.documents.ensure(ask(call), call.athlete, refresh=call.refresh)
        return Found(row.digest, row.payload, [fr])

    return fetch


def athlete_tool(
    fetch: Fetch, *, result: type[BaseModel], domain: Domain, noun: str, for_key: bool = False
) -> Callable[[Callable[..., Body]], ToolSpec]:
    """A tool answering from what `fetch` reads about one athlete (or, `for_key`, about the
    athletes the API key follows)."""

    def declare(builder: Callable[..., Body]) -> ToolSpec:
        async def run(ctx: Ctx, args: dict[str, Any]) -> CallToolResult:
            async with call_scope(builder.__name__, ctx, args, f"No {noun}", whole_roster=for_key) as call:
                athlete = call.athlete
                found = await fetch(Call(call.services, athlete, dict(args), call.refresh, call.began))

                async def build() -> tuple[Hashable | None, Body]:
                    return found.digest, builder(AthleteView(athlete, found.payload), **args)

                return await call.answer((), found.digest, build, found.freshness)

        after = (REFRESH,) if for_key else (ATHLETE, REFRESH)
        return declare_tool(builder, "athlete", domain, result, run, after=after)

    return declare
