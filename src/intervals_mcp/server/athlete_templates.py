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
from intervals_mcp.server.failures import tool_errors
from intervals_mcp.server.toolspec import (
    AthleteId,
    Ctx,
    Domain,
    Refresh,
    ToolSpec,
    answer,
    athlete_for,
    key_owner_for,
    memo_key,
    own_parameters,
    param,
    state_of,
    tool_function,
)
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
        name = builder.__name__
        params = [
            *own_parameters(builder),
            *([] if for_key else [param("athlete_id", AthleteId, None)]),
            param("refresh", Refresh, False),
        ]

        async def run(ctx: Ctx, args: dict[str, Any]) -> CallToolResult:
            st = state_of(ctx)
            asked, refresh = args.pop("athlete_id", None), args.pop("refresh")
            async with tool_errors(f"No {noun}", st.athlete_id, asked, state=st):
                began = st.now()
                services = await st.services()
                whose = key_owner_for(name, services) if for_key else athlete_for(st, services, asked)
                athlete = await whose
                found = await fetch(Call(services, athlete, dict(args), refresh, began))

                async def build() -> tuple[Hashable | None, Body]:
                    return found.digest, builder(AthleteView(athlete, found.payload), **args)

                key = memo_key(name, athlete.id, own=args)
                return await answer(st, key, found.digest, build, found.freshness)

        fn = tool_function(name, builder.__doc__, params, result, run)
        return ToolSpec(name, domain, "athlete", fn, fn.__doc__ or "", result)

    return declare
