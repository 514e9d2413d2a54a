"""What every tool shares, whatever its shape: the registry's `ToolSpec`, the shared arguments
and their descriptions (what the model reads), the provenance an answer carries, the
machinery that turns a tool's own function into one the SDK reads like a hand-written tool
(`declare_tool`), and the start every call makes (`call_scope`: the error scope, the services,
the athlete resolved once) and its end (`ToolCall.answer`: provenance and the answer memo)."""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import BaseModel, Field, create_model

from intervals_mcp.server import formatting as fmt
from intervals_mcp.server.answers import Body, compose
from intervals_mcp.server.app import AppState
from intervals_mcp.server.auth import current_scope
from intervals_mcp.server.failures import tool_errors, write_errors
from intervals_mcp.server.inputs import resolve_athlete
from intervals_mcp.server.schemas import Provenance
from intervals_mcp.sync.reports import Freshness, skipped_sentence

if TYPE_CHECKING:
    from intervals_mcp.db.reader import CacheReader
    from intervals_mcp.sync.athletes import Athlete
    from intervals_mcp.sync.factory import Services

Ctx = Context[AppState, Any]
Domain = Literal["activities", "wellness", "calendar", "athlete", "coaching", "analysis", "writes"]

READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)

# --- the shared arguments (their Field descriptions are what the model reads) ------------------

StartDate = Annotated[str | None, Field(description="First day, YYYY-MM-DD, athlete-local (inclusive).")]
EndDate = Annotated[str | None, Field(description="Last day, YYYY-MM-DD, athlete-local (inclusive).")]
AthleteId = Annotated[
    str | None,
    Field(description="Athlete id like i12345 (e.g. a coached athlete); default: the configured one."),
]
Refresh = Annotated[
    bool,
    Field(
        description="Re-fetch from Intervals.icu now; only when the user says the data just changed."
    ),
]
ActivityId = Annotated[str, Field(description="Activity id as listed by get_activities, like i145678901.")]
EventId = Annotated[int | str, Field(description="Event id as listed by get_events, like 87654321.")]


@dataclass(frozen=True)
class ToolSpec:
    """One tool as the registry knows it: what is registered, listed and documented."""

    name: str
    domain: Domain
    kind: Literal["range", "record", "compute", "athlete", "write"]
    fn: Callable[..., Awaitable[CallToolResult]]
    description: str
    result: type[BaseModel]
    annotations: ToolAnnotations = field(default_factory=lambda: READ_ONLY)
    meta: dict[str, Any] | None = None

    @property
    def summary(self) -> str:
        """The first sentence of the description (the README's tool table)."""
        first = " ".join(self.description.split("\n\n")[0].split())
        return re.split(r"\.\s+(?=[A-Z])", first)[0].rstrip(".") + "."


@dataclass(frozen=True)
class RangeView:
    """What a range tool's answer is made of: the athlete, the range and its records."""

    athlete: Athlete
    start: date
    end: date
    note: str | None  # set when the asked range was capped
    payloads: list[dict[str, Any]]


@dataclass(frozen=True)
class RecordView:
    athlete: Athlete
    record_id: str | int
    payload: dict[str, Any]


@dataclass(frozen=True)
class ComputeView:
    """What a compute tool reads with: the athlete, the range, and the cache's reader.

    `note` says what the answer leaves out (a capped range, history not cached, with the
    `intervals-mcp sync` command that completes it: `sync_command`); `is_stale(day,
    fetched_at)` is the freshness policy at this call's moment; `own` is whether the athlete is
    the one the server is set up for (else a sync command must name them).
    """

    athlete: Athlete
    start: date
    end: date
    note: str | None
    reader: CacheReader
    freshness: list[Freshness] = field(default_factory=list)
    today: date = field(kw_only=True)
    is_stale: Callable[[date, datetime], bool] = field(kw_only=True)
    sync_command: str | None = None
    own: bool = True


def state_of(ctx: Ctx) -> AppState:
    return ctx.request_context.lifespan_context


def provenance(freshness: list[Freshness]) -> Provenance:
    """One provenance for what one answer read (several ranges for a compute tool)."""
    errors = [f.error for f in freshness if f.error is not None]
    moments = [f.as_of for f in freshness if f.as_of is not None]
    skipped = [s for f in freshness for s in f.skipped]
    return Provenance(
        source="upstream" if any(not f.from_cache_only for f in freshness) else "cache",
        as_of=min(moments).isoformat() if moments else None,
        refresh_error=str(errors[0]) if errors else None,
        complete=all(f.complete for f in freshness),
        skipped=skipped_sentence(skipped) if skipped else None,
    )


def with_provenance(result: type[BaseModel]) -> type[BaseModel]:
    """The output schema: the tool's result plus the provenance every answer carries."""
    model: type[BaseModel] = create_model(
        result.__name__,
        __base__=result,
        __doc__=result.__doc__,
        provenance=(Provenance, ...),
    )
    return model


def own_parameters(builder: Callable[..., Any]) -> list[inspect.Parameter]:
    """The builder's own arguments (all but its view), keyword style, annotations evaluated."""
    params = list(inspect.signature(builder, eval_str=True).parameters.values())[1:]
    return [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params]


def param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


def tool_function(
    name: str,
    doc: str | None,
    params: list[inspect.Parameter],
    result: type[BaseModel],
    run: Callable[[Ctx, dict[str, Any]], Awaitable[CallToolResult]],
    *,
    with_source: bool = True,
) -> Callable[..., Awaitable[CallToolResult]]:
    """A function the SDK reads like a hand-written tool: `ctx` plus `params`, returning a
    CallToolResult whose structured part follows `result` (plus provenance, `with_source`)."""

    async def tool(ctx: Ctx, **arguments: Any) -> CallToolResult:
        return await run(ctx, arguments)

    returns = Annotated[CallToolResult, with_provenance(result) if with_source else result]
    ctx_param = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Ctx)
    tool.__signature__ = inspect.Signature([ctx_param, *params], return_annotation=returns)  # type: ignore[attr-defined]
    tool.__annotations__ = {"ctx": Ctx, **{p.name: p.annotation for p in params}, "return": returns}
    tool.__name__ = tool.__qualname__ = name
    tool.__doc__ = inspect.cleandoc(doc or "")
    return tool


ATHLETE = param("athlete_id", AthleteId, None)
REFRESH = param("refresh", Refresh, False)
DATES = (param("start_date", StartDate, None), param("end_date", EndDate, None))

Run = Callable[[Ctx, dict[str, Any]], Awaitable[CallToolResult]]
"""One call of a tool, as its shape runs it: (ctx, the validated arguments) -> the answer."""


def declare_tool(
    builder: Callable[..., Any],
    kind: Literal["range", "record", "compute", "athlete", "write"],
    domain: Domain,
    result: type[BaseModel],
    run: Run,
    *,
    before: tuple[inspect.Parameter, ...] = (),
    after: tuple[inspect.Parameter, ...] = (ATHLETE, REFRESH),
    with_source: bool = True,
    annotations: ToolAnnotations = READ_ONLY,
    meta: dict[str, Any] | None = None,
) -> ToolSpec:
    """The registry's entry for a tool its shape declares from `builder`: the shape's arguments
    `before` and `after` the builder's own, the builder's name and docstring, and `run`."""
    params = [*before, *own_parameters(builder), *after]
    fn = tool_function(builder.__name__, builder.__doc__, params, result, run, with_source=with_source)
    return ToolSpec(builder.__name__, domain, kind, fn, fn.__doc__ or "", result, annotations, meta)


def memo_key(name: str, athlete: str, *parts: Any, own: Mapping[str, Any]) -> Hashable:
    return (name, athlete, *parts, *sorted((k, _frozen(v)) for k, v in own.items()))


def _frozen(value: Any) -> Hashable:
    """An argument as part of a memo key: lists (durations, ...) become tuples."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    hashable: Hashable = value
    return hashable


async def answer(
    st: AppState,
    key: Hashable,
    digest: Hashable,
    build: Callable[[], Awaitable[tuple[Hashable | None, Body]]],
    freshness: list[Freshness],
) -> CallToolResult:
    prov = provenance(freshness)
    said = fmt.provenance_text(prov, st.now())
    return compose(await st.answers.get(key, digest, build), said, prov)


async def athlete_for(st: AppState, services: Services, asked: str | None) -> Athlete:
    """The athlete a call is about, resolved; over HTTP, only one the caller's token may use
    (checked before anything is read or fetched)."""
    given = resolve_athlete(asked, st.athlete_id)
    scope = current_scope()
    if scope is not None:
        given = scope.athlete(given, explicit=bool(asked and asked.strip()))
    return await services.athlete(given)


async def key_owner_for(tool: str, services: Services) -> Athlete:
    """The API key's owner, for a tool about the key's whole roster; over HTTP, only for a
    token that may use every athlete (checked before anything is read or fetched)."""
    scope = current_scope()
    if scope is not None:
        scope.whole_roster(tool)
    return await services.key_owner()


@dataclass(frozen=True)
class ToolCall:
    """One call under way, as every shape starts it (`call_scope`)."""

    name: str
    st: AppState
    services: Services
    athlete: Athlete  # for a tool about the key's whole roster: the API key's owner
    asked: str | None  # the athlete_id argument as given
    refresh: bool
    began: datetime  # when the call began (anything fetched since is fresh)
    args: dict[str, Any]  # the tool's own arguments, validated (what is left once popped)
    checked: Any = None  # what the shape's `check` returned (e.g. the parsed id)

    async def answer(
        self,
        parts: tuple[Any, ...],
        digest: Hashable,
        build: Callable[[], Awaitable[tuple[Hashable | None, Body]]],
        freshness: list[Freshness],
    ) -> CallToolResult:
        """The answer with its provenance, memoised under the tool's name, the athlete, `parts`
        (what the shape adds: the range, the id) and the tool's own arguments, while `digest`
        (what it read) stays the same."""
        key = memo_key(self.name, self.athlete.id, *parts, own=self.args)
        return await answer(self.st, key, digest, build, freshness)


@asynccontextmanager
async def call_scope(
    name: str,
    ctx: Ctx,
    args: dict[str, Any],
    nothing: str | None,
    *,
    whole_roster: bool = False,
    check: Callable[[], Any] | None = None,
) -> AsyncIterator[ToolCall]:
    """The start of every call: `athlete_id` and `refresh` taken from `args`, the error scope
    (a read's, where `nothing` starts the sentence when upstream failed with nothing cached; a
    write's when it is None), `check` (the shape's own arguments, refused before anything is
    read or fetched; what it returns is `ToolCall.checked`), the services, and the athlete
    resolved once (`whole_roster`: the API key's owner, for a tool about every athlete the key
    follows), which may ask Intervals.icu for the athlete's time zone."""
    st = state_of(ctx)
    asked, refresh = args.pop("athlete_id", None), args.pop("refresh", False)
    began = st.now()
    scope = (
        write_errors(st.athlete_id, asked, st)
        if nothing is None
        else tool_errors(nothing, st.athlete_id, asked, state=st)
    )
    async with scope:
        checked = check() if check is not None else None
        services = await st.services()
        whose = key_owner_for(name, services) if whole_roster else athlete_for(st, services, asked)
        yield ToolCall(name, st, services, await whose, asked, refresh, began, args, checked)
