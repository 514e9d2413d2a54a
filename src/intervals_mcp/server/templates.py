"""The shapes of a tool: read a range, read one record, compute over the cache (and, later,
write). A tool is declared once, as a pure function that turns what it reads into an answer;
its template does everything else, the same way for every tool:

- the shared arguments (dates, `athlete_id`, `refresh`) with the descriptions the model reads;
- the error scope: every expected failure, storage included, becomes one sentence;
- the athlete, resolved once (`0` to the real id; "today" in their time zone);
- the freshness call, the provenance line, and the answer memo, keyed by the tool's name and
  its validated arguments (never written by hand) plus the digests of the records it shows.

    @range_tool("activities", default_days=(-30, 0), result=ActivitiesResult, domain="activities")
    def get_activities(view: RangeView, limit: Limit = 10) -> Body:
        \"\"\"The description the model reads.\"\"\"
        ...

The decorator returns a `ToolSpec`; the registry (`tools/__init__.py`) registers them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import BaseModel

from intervals_mcp.server import formatting as fmt
from intervals_mcp.server.answers import Body
from intervals_mcp.server.compute import compute_tool
from intervals_mcp.server.inputs import check_activity_id, check_dates, parse_event_id, resolve_range
from intervals_mcp.server.progress import progress_notes
from intervals_mcp.server.toolspec import (
    DATES,
    ActivityId,
    Ctx,
    Domain,
    EventId,
    RangeView,
    RecordView,
    ToolSpec,
    call_scope,
    declare_tool,
    param,
)
from intervals_mcp.sync.reports import Freshness

__all__ = [
    "ACTIVITY", "EVENT", "INTERVALS", "RecordKind", "body", "compute_tool", "range_tool", "record_tool",
]

if TYPE_CHECKING:
    from intervals_mcp.db.resources import Extra, Resource
    from intervals_mcp.sync.athletes import Athlete
    from intervals_mcp.sync.factory import Services

# --- read a range -------------------------------------------------------------------------------


def range_tool(
    resource: Resource, *, default_days: tuple[int, int], result: type[BaseModel], domain: Domain
) -> Callable[[Callable[..., Body]], ToolSpec]:
    """A tool answering from one resource's records in a date range (default: `default_days`
    relative to the athlete's today)."""

    def declare(builder: Callable[..., Body]) -> ToolSpec:
        async def run(ctx: Ctx, args: dict[str, Any]) -> CallToolResult:
            from intervals_mcp.db import queries
            from intervals_mcp.db.resources import SPECS

            start, end = args.pop("start_date"), args.pop("end_date")
            nothing = f"No {SPECS[resource].noun} for this range"
            dates = partial(check_dates, start, end)
            async with call_scope(builder.__name__, ctx, args, nothing, check=dates) as call:
                athlete, reader = call.athlete, call.services.reader
                rng = resolve_range(
                    start,
                    end,
                    today=athlete.today(call.began),
                    default_start=default_days[0],
                    default_end=default_days[1],
                )
                async with progress_notes(ctx) as progress:
                    fr = await call.services.sync.ensure_fresh(
                        resource, athlete, rng.start, rng.end, refresh=call.refresh, progress=progress
                    )

                async def build() -> tuple[Hashable, Body]:
                    digests, payloads = await queries.payloads(
                        reader, resource, athlete.id, rng.start, rng.end
                    )
                    return digests, builder(
                        RangeView(athlete, rng.start, rng.end, rng.note, payloads), **args
                    )

                digests = await queries.digests(reader, resource, athlete.id, rng.start, rng.end)
                return await call.answer((rng,), digests, build, [fr])

        return declare_tool(builder, "range", domain, result, run, before=DATES)

    return declare


# --- read one record ----------------------------------------------------------------------------


Parse = Callable[[Any], str | int]
Ensure = Callable[["Services", "Athlete", Any, bool], Awaitable[tuple[Any, Freshness]]]
Read = Callable[["Services", str, Any], Awaitable[tuple[str, dict[str, Any]] | None]]


@dataclass(frozen=True)
class RecordKind:
    """How a record tool names, checks, refreshes and reads its record."""

    noun: str
    id_param: str
    id_annotation: Any
    parse: Parse
    listed_by: str
    ensure: Ensure
    read: Read


def _read_record(resource: Resource) -> Read:
    """A RecordKind's read of one record of `resource`: (its digest, its payload)."""

    async def read(services: Services, athlete_id: str, rid: Any) -> tuple[str, dict[str, Any]] | None:
        from intervals_mcp.db import queries

        found = await queries.record(services.reader, resource, athlete_id, rid)
        return None if found is None else (found.digest, found.payload)

    return read


def _read_extra(kind: Extra, *, with_activity: bool = False) -> Read:
    """A RecordKind's read of an activity's extra; `with_activity` adds the activity's payload
    (as "activity") and the athlete's profile to what it is keyed by, for answers that use
    the sport, FTP or zones."""

    async def read(services: Services, athlete_id: str, rid: Any) -> tuple[str, dict[str, Any]] | None:
        from intervals_mcp.db import queries

        reader = services.reader
        found = await queries.extra(reader, kind, athlete_id, str(rid))
        if found is None or not with_activity:
            return None if found is None else (found.digest, found.payload)
        activity = await queries.record(reader, "activities", athlete_id, rid)
        profile = await queries.profile(reader, athlete_id)
        parts = [found.digest, activity.digest if activity else "", profile.digest if profile else ""]
        digest = ":".join(parts)
        return digest, {**found.payload, "activity": activity.payload if activity else {}}

    return read


def _record_kind(
    resource: Resource, noun: str, id_param: str, id_annotation: Any, parse: Parse, listed_by: str
) -> RecordKind:
    """The kind of one record of `resource` (an activity, an event), read through the cache."""

    async def ensure(services: Services, athlete: Athlete, rid: Any, refresh: bool) -> tuple[Any, Freshness]:
        return await services.records.ensure_record(resource, athlete, rid, refresh=refresh)

    return RecordKind(noun, id_param, id_annotation, parse, listed_by, ensure, _read_record(resource))


def _extra_kind(extra: Extra, *, with_activity: bool = False) -> RecordKind:
    """The kind of an activity's extra: named, checked and listed like its activity."""

    async def ensure(services: Services, athlete: Athlete, rid: Any, refresh: bool) -> tuple[Any, Freshness]:
        return await services.records.ensure_extra(extra, athlete, rid, refresh=refresh)

    noun = f"the {extra} of activity"
    return replace(ACTIVITY, noun=noun, ensure=ensure, read=_read_extra(extra, with_activity=with_activity))


ACTIVITY = _record_kind(
    "activities", "activity", "activity_id", ActivityId, check_activity_id, "get_activities"
)
EVENT = _record_kind("events", "event", "event_id", EventId, parse_event_id, "get_events")
INTERVALS = _extra_kind("intervals")
STREAMS = _extra_kind("streams", with_activity=True)
MESSAGES = _extra_kind("messages")


def record_tool(
    kind: RecordKind, *, result: type[BaseModel], domain: Domain
) -> Callable[[Callable[..., Body]], ToolSpec]:
    """A tool answering about one record by id, read through the cache."""

    def declare(builder: Callable[..., Body]) -> ToolSpec:
        async def run(ctx: Ctx, args: dict[str, Any]) -> CallToolResult:
            given = args.pop(kind.id_param)
            nothing, parse = f"Nothing about {kind.noun} {given}", partial(kind.parse, given)
            async with call_scope(builder.__name__, ctx, args, nothing, check=parse) as call:
                athlete, rid = call.athlete, call.checked
                row, fr = await kind.ensure(call.services, athlete, rid, call.refresh)
                if row is None:
                    raise ToolError(
                        f"There is no {kind.noun} {rid} for athlete {athlete.id}: check the id "
                        f"({kind.listed_by} lists them)."
                    )
                found = await kind.read(call.services, athlete.id, rid)

                async def build() -> tuple[Hashable | None, Body]:
                    digest, payload = found or (None, row.payload)
                    return digest, builder(RecordView(athlete, rid, payload), **args)

                return await call.answer((rid,), found[0] if found else None, build, [fr])

        the_id = param(kind.id_param, kind.id_annotation)
        return declare_tool(builder, "record", domain, result, run, before=(the_id,))

    return declare


# --- compute over the cache: see compute.py (re-exported here with the other shapes) ------------


def body(text: fmt.Framed, structured: BaseModel) -> Body:
    """An answer without its provenance (the template adds it)."""
    return Body(text, structured.model_dump(mode="json"))
