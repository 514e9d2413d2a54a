"""The shapes of a tool: read a range, read one record, compute over the cache (and, later,
write). A tool is declared once, as a pure function that turns what it reads into an answer;
its template does everything else, the same way for every tool:

- the shared arguments (dates, `athlete_id`, `refresh`) with the descriptions the model reads;
- the error scope: every expected failure, storage included, becomes one sentence;
- the athlete, resolved once (`0` to the real id; "today" in their time zone);
- the freshness call, the provenance line, and the answer memo, keyed by the tool's name and
  its validated arguments (never written by hand) plus the digests of the records it shows.

    @range_tool("activities", default_days=(-30, 0), result=ActivitiesResult)
    def get_activities(view: RangeView, limit: Limit = 10) -> Body:
        \"\"\"The description the model reads.\"\"\"
        ...

The decorator returns a `ToolSpec`; the registry (`tools/__init__.py`) registers them all.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import BaseModel, Field, create_model

from intervals_mcp.server import formatting as fmt
from intervals_mcp.server.answers import Body, compose
from intervals_mcp.server.app import AppState
from intervals_mcp.server.failures import tool_errors
from intervals_mcp.server.inputs import check_activity_id, parse_event_id, resolve_athlete, resolve_range
from intervals_mcp.server.schemas import Provenance
from intervals_mcp.sync.reports import Freshness

if TYPE_CHECKING:
    from intervals_mcp.db.reader import CacheReader
    from intervals_mcp.db.resources import Resource
    from intervals_mcp.sync.athletes import Athlete
    from intervals_mcp.sync.factory import Services

Ctx = Context[AppState, Any]
Domain = Literal["activities", "wellness", "calendar", "athlete", "analysis", "writes"]

READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)

# --- the shared arguments (their Field descriptions are what the model reads) ------------------

StartDate = Annotated[str | None, Field(description="First day, YYYY-MM-DD, athlete-local (inclusive).")]
EndDate = Annotated[str | None, Field(description="Last day, YYYY-MM-DD, athlete-local (inclusive).")]
AthleteId = Annotated[
    str | None,
    Field(description="Athlete id like i12345; leave out for the athlete the server is set up for."),
]
Refresh = Annotated[
    bool,
    Field(
        description="Re-fetch from Intervals.icu even if the cache is fresh; only when the user "
        "says the data just changed."
    ),
]
ActivityId = Annotated[str, Field(description="Activity id as listed by get_activities, like i145678901.")]
EventId = Annotated[int | str, Field(description="Event id as listed by get_events, like 87654321.")]


@dataclass(frozen=True)
class ToolSpec:
    """One tool as the registry knows it: what is registered, listed and documented."""

    name: str
    domain: Domain
    kind: Literal["range", "record", "compute", "write"]
    fn: Callable[..., Awaitable[CallToolResult]]
    description: str
    result: type[BaseModel]
    annotations: ToolAnnotations = field(default_factory=lambda: READ_ONLY)
    meta: dict[str, Any] | None = None

    @property
    def summary(self) -> str:
        """The first sentence of the description (the README's tool table)."""
        first = self.description.split("\n\n")[0].replace("\n", " ")
        return first.split(". ")[0].rstrip(".") + "."


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
    """What a compute tool reads with: the athlete, the range, and the cache's reader."""

    athlete: Athlete
    start: date
    end: date
    note: str | None
    reader: CacheReader
    freshness: list[Freshness] = field(default_factory=list)


def _state(ctx: Ctx) -> AppState:
    return ctx.request_context.lifespan_context


def provenance(freshness: list[Freshness]) -> Provenance:
    """One provenance for what one answer read (several ranges for a compute tool)."""
    errors = [f.error for f in freshness if f.error is not None]
    moments = [f.as_of for f in freshness if f.as_of is not None]
    return Provenance(
        source="upstream" if any(not f.from_cache_only for f in freshness) else "cache",
        as_of=min(moments).isoformat() if moments else None,
        refresh_error=str(errors[0]) if errors else None,
        complete=all(f.complete for f in freshness),
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


def _own_parameters(builder: Callable[..., Any]) -> list[inspect.Parameter]:
    """The builder's own arguments (all but its view), keyword style, annotations evaluated."""
    params = list(inspect.signature(builder, eval_str=True).parameters.values())[1:]
    return [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params]


def _param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


def _tool_function(
    name: str,
    doc: str | None,
    params: list[inspect.Parameter],
    result: type[BaseModel],
    run: Callable[[Ctx, dict[str, Any]], Awaitable[CallToolResult]],
) -> Callable[..., Awaitable[CallToolResult]]:
    """A function the SDK reads like a hand-written tool: `ctx` plus `params`, returning a
    CallToolResult whose structured part follows `result` (plus provenance)."""

    async def tool(ctx: Ctx, **arguments: Any) -> CallToolResult:
        return await run(ctx, arguments)

    returns = Annotated[CallToolResult, with_provenance(result)]
    ctx_param = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Ctx)
    tool.__signature__ = inspect.Signature([ctx_param, *params], return_annotation=returns)  # type: ignore[attr-defined]
    tool.__annotations__ = {"ctx": Ctx, **{p.name: p.annotation for p in params}, "return": returns}
    tool.__name__ = tool.__qualname__ = name
    tool.__doc__ = inspect.cleandoc(doc or "")
    return tool


def _memo_key(name: str, athlete: str, *parts: Any, own: Mapping[str, Any]) -> Hashable:
    return (name, athlete, *parts, *sorted(own.items()))


async def _answer(
    st: AppState,
    key: Hashable,
    digest: Hashable,
    build: Callable[[], Awaitable[tuple[Hashable | None, Body]]],
    freshness: list[Freshness],
) -> CallToolResult:
    prov = provenance(freshness)
    said = fmt.provenance_text(prov, st.now())
    return compose(await st.answers.get(key, digest, build), said, prov)


async def _athlete(st: AppState, services: Services, asked: str | None) -> Athlete:
    return await services.athlete(resolve_athlete(asked, st.athlete_id))


# --- read a range -------------------------------------------------------------------------------


def range_tool(
    resource: Resource, *, default_days: tuple[int, int], result: type[BaseModel], domain: Domain
) -> Callable[[Callable[..., Body]], ToolSpec]:
    """A tool answering from one resource's records in a date range (default: `default_days`
    relative to the athlete's today)."""

    def declare(builder: Callable[..., Body]) -> ToolSpec:
        name = builder.__name__
        params = [
            _param("start_date", StartDate, None),
            _param("end_date", EndDate, None),
            *_own_parameters(builder),
            _param("athlete_id", AthleteId, None),
            _param("refresh", Refresh, False),
        ]

        async def run(ctx: Ctx, args: dict[str, Any]) -> CallToolResult:
            from intervals_mcp.db import queries
            from intervals_mcp.db.resources import SPECS

            st = _state(ctx)
            asked, refresh = args.pop("athlete_id"), args.pop("refresh")
            start, end = args.pop("start_date"), args.pop("end_date")
            with tool_errors(f"No {SPECS[resource].plural} for this range", st.athlete_id, asked):
                services = await st.services()
                athlete = await _athlete(st, services, asked)
                rng = resolve_range(
                    start,
                    end,
                    today=athlete.today(st.now()),
                    default_start=default_days[0],
                    default_end=default_days[1],
                )
                fr = await services.sync.ensure_fresh(resource, athlete, rng.start, rng.end, refresh=refresh)
                reader = services.reader

                async def build() -> tuple[Hashable, Body]:
                    digests, payloads = await queries.payloads(
                        reader, resource, athlete.id, rng.start, rng.end
                    )
                    return digests, builder(
                        RangeView(athlete, rng.start, rng.end, rng.note, payloads), **args
                    )

                key = _memo_key(name, athlete.id, rng, own=args)
                digests = await queries.digests(reader, resource, athlete.id, rng.start, rng.end)
                return await _answer(st, key, digests, build, [fr])

        fn = _tool_function(name, builder.__doc__, params, result, run)
        return ToolSpec(name, domain, "range", fn, fn.__doc__ or "", result)

    return declare


# --- read one record ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """How a record tool names, checks, refreshes and reads its record."""

    noun: str
    id_param: str
    id_annotation: Any
    parse: Callable[[Any], str | int]
    listed_by: str
    ensure: Callable[[Services, Athlete, Any, bool], Awaitable[tuple[Any, Freshness]]]
    read: Callable[[Services, str, Any], Awaitable[tuple[str, dict[str, Any]] | None]]


async def _read_record(
    resource: Resource, services: Services, athlete_id: str, rid: Any
) -> tuple[str, dict[str, Any]] | None:
    from intervals_mcp.db import queries

    found = await queries.record(services.reader, resource, athlete_id, rid)
    return None if found is None else (found.digest, found.payload)


async def _read_intervals(services: Services, athlete_id: str, rid: Any) -> tuple[str, dict[str, Any]] | None:
    from intervals_mcp.db import queries

    found = await queries.extra(services.reader, "intervals", athlete_id, str(rid))
    return None if found is None else (found.digest, found.payload)


ACTIVITY = RecordKind(
    "activity",
    "activity_id",
    ActivityId,
    check_activity_id,
    "get_activities",
    lambda s, a, rid, refresh: s.records.ensure_record("activities", a, rid, refresh=refresh),
    lambda s, athlete, rid: _read_record("activities", s, athlete, rid),
)
EVENT = RecordKind(
    "event",
    "event_id",
    EventId,
    parse_event_id,
    "get_events",
    lambda s, a, rid, refresh: s.records.ensure_record("events", a, rid, refresh=refresh),
    lambda s, athlete, rid: _read_record("events", s, athlete, rid),
)
INTERVALS = RecordKind(
    "the intervals of activity",
    "activity_id",
    ActivityId,
    check_activity_id,
    "get_activities",
    lambda s, a, rid, refresh: s.records.ensure_intervals(a, rid, refresh=refresh),
    _read_intervals,
)


def record_tool(
    kind: RecordKind, *, result: type[BaseModel], domain: Domain
) -> Callable[[Callable[..., Body]], ToolSpec]:
    """A tool answering about one record by id, read through the cache."""

    def declare(builder: Callable[..., Body]) -> ToolSpec:
        name = builder.__name__
        params = [
            _param(kind.id_param, kind.id_annotation),
            *_own_parameters(builder),
            _param("athlete_id", AthleteId, None),
            _param("refresh", Refresh, False),
        ]

        async def run(ctx: Ctx, args: dict[str, Any]) -> CallToolResult:
            st = _state(ctx)
            asked, refresh, given = args.pop("athlete_id"), args.pop("refresh"), args.pop(kind.id_param)
            with tool_errors(f"Nothing about {kind.noun} {given}", st.athlete_id, asked):
                services = await st.services()
                athlete = await _athlete(st, services, asked)
                rid = kind.parse(given)
                row, fr = await kind.ensure(services, athlete, rid, refresh)
                if row is None:
                    raise ToolError(
                        f"There is no {kind.noun} {rid} for athlete {athlete.id}: check the id "
                        f"({kind.listed_by} lists them)."
                    )
                found = await kind.read(services, athlete.id, rid)

                async def build() -> tuple[Hashable | None, Body]:
                    digest, payload = found or (None, row.payload)
                    return digest, builder(RecordView(athlete, rid, payload), **args)

                key = _memo_key(name, athlete.id, rid, own=args)
                return await _answer(st, key, found[0] if found else None, build, [fr])

        fn = _tool_function(name, builder.__doc__, params, result, run)
        return ToolSpec(name, domain, "record", fn, fn.__doc__ or "", result)

    return declare


# --- compute over the cache ---------------------------------------------------------------------


def compute_tool(
    needs: tuple[Resource, ...], *, default_days: tuple[int, int], result: type[BaseModel], domain: Domain
) -> Callable[[Callable[..., Awaitable[Body]]], ToolSpec]:
    """A tool computing over a date range of several resources with SQL aggregates: each needed
    range is made fresh first; the answer is memoised while nothing in the cache changes."""

    def declare(builder: Callable[..., Awaitable[Body]]) -> ToolSpec:
        name = builder.__name__
        params = [
            _param("start_date", StartDate, None),
            _param("end_date", EndDate, None),
            *_own_parameters(builder),
            _param("athlete_id", AthleteId, None),
            _param("refresh", Refresh, False),
        ]

        async def run(ctx: Ctx, args: dict[str, Any]) -> CallToolResult:
            st = _state(ctx)
            asked, refresh = args.pop("athlete_id"), args.pop("refresh")
            start, end = args.pop("start_date"), args.pop("end_date")
            with tool_errors("Nothing for this range", st.athlete_id, asked):
                services = await st.services()
                athlete = await _athlete(st, services, asked)
                rng = resolve_range(
                    start,
                    end,
                    today=athlete.today(st.now()),
                    default_start=default_days[0],
                    default_end=default_days[1],
                )
                freshness = [
                    await services.sync.ensure_fresh(r, athlete, rng.start, rng.end, refresh=refresh)
                    for r in needs
                ]
                view = ComputeView(athlete, rng.start, rng.end, rng.note, services.reader, freshness)

                async def build() -> tuple[Hashable, Body]:
                    generation = await services.reader.generation()
                    return generation, await builder(view, **args)

                key = _memo_key(name, athlete.id, rng, own=args)
                return await _answer(st, key, await services.reader.generation(), build, freshness)

        fn = _tool_function(name, builder.__doc__, params, result, run)
        return ToolSpec(name, domain, "compute", fn, fn.__doc__ or "", result)

    return declare


def body(text: fmt.Framed, structured: BaseModel) -> Body:
    """An answer without its provenance (the template adds it)."""
    return Body(text, structured.model_dump(mode="json"))
