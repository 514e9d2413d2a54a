"""The six tools: check arguments, ask the sync service for fresh rows, read them from the cache,
hand them to the pure formatters. No HTTP and no SQL here.

Every call runs its freshness check (`ensure_*`), renders its provenance anew and reads the
digests of the records it would show. The answer less its provenance is a pure function of
the normalised arguments and those records, so that body is memoised under both (see
`answers.py`) and every call composes it with its own provenance: a repeated question costs
no parsing and no formatting, whether its data was just fetched or cached, and a record
changed by anyone (a refresh, an `intervals-mcp sync` in another process) changes the key.

Every expected failure becomes a `ToolError` with one sentence the model can act on; any other
exception reaches the model only as "Error executing tool", so none must be expected here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import BaseModel, Field

from intervals_mcp.errors import (
    AuthenticationError,
    InputError,
    InvalidRequestError,
    NotFoundError,
    StorageError,
    UpstreamError,
)
from intervals_mcp.server import formatting as fmt
from intervals_mcp.server.answers import Body, compose
from intervals_mcp.server.app import AppState
from intervals_mcp.server.inputs import (
    DateRange,
    check_activity_id,
    parse_event_id,
    resolve_athlete,
    resolve_range,
)
from intervals_mcp.server.schemas import (
    ActivitiesResult,
    ActivityDetailsResult,
    EventDetailsResult,
    EventsResult,
    IntervalsResult,
    Provenance,
    WellnessResult,
    event_summary,
    interval_group_row,
    interval_row,
)
from intervals_mcp.sync.reports import Freshness

if TYPE_CHECKING:
    from intervals_mcp.server.backend import Backend  # imported for real on the first call
    from intervals_mcp.sync.windows import Resource

log = logging.getLogger(__name__)

READ_ONLY = ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True
)
# A 403 for the configured athlete means a wrong key or a wrong ATHLETE_ID (Intervals.icu
# answers both with "Access denied"), so the sentence names both.
KEY_REJECTED = (
    "Intervals.icu rejected the API key: check API_KEY and ATHLETE_ID in the server's environment "
    "(both are at intervals.icu, Settings, Developer Settings) and restart the server."
)
MAX_LIMIT = 200


def rejected(asked: str | None, configured: str, status: int | None) -> str:
    """What to say when Intervals.icu answers 401/403: for another athlete than the configured
    one (a coach asking about an athlete), the key may be fine but not allowed to see them."""
    athlete = (asked or "").strip()
    if athlete and athlete != configured and status in (401, 403):
        return (
            f"Intervals.icu refused access to athlete {athlete} with this API key: the key's owner "
            "must be that athlete or their coach, so check the athlete id."
        )
    return KEY_REJECTED


Ctx = Context[AppState, Any]

# --- shared parameter types (the Field descriptions are what the model reads) ----------------

StartDate = Annotated[
    str | None,
    Field(description="First day, YYYY-MM-DD, athlete-local (inclusive)."),
]
EndDate = Annotated[
    str | None,
    Field(description="Last day, YYYY-MM-DD, athlete-local (inclusive)."),
]
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


# --- helpers ---------------------------------------------------------------------------------


def _state(ctx: Ctx) -> AppState:
    return ctx.request_context.lifespan_context


@contextmanager
def _tool_errors(nothing_cached: str, st: AppState, athlete_id: str | None) -> Iterator[None]:
    """Map our error tree onto ToolError sentences (the key never appears in any of them);
    `athlete_id` is the tool's argument, told apart from the configured athlete on a 401/403."""
    try:
        yield
    except ToolError:
        raise
    except InputError as exc:
        raise ToolError(str(exc)) from None
    except AuthenticationError as exc:
        raise ToolError(rejected(athlete_id, st.athlete_id, exc.status)) from None
    except (NotFoundError, InvalidRequestError) as exc:
        raise ToolError(str(exc)) from None
    except UpstreamError as exc:
        raise ToolError(f"{nothing_cached} is in the cache to answer from: {exc}") from None
    except StorageError as exc:
        raise ToolError(str(exc)) from None


def _provenance(fr: Freshness) -> Provenance:
    return Provenance(
        source="cache" if fr.from_cache_only else "upstream",
        as_of=fr.as_of.isoformat() if fr.as_of else None,
        refresh_error=str(fr.error) if fr.error else None,
        complete=fr.complete,
    )


Built = tuple[Hashable | None, Body]


def _answer(
    b: Backend, key: Hashable, digest: Hashable, build: Callable[[], Built], prov: Provenance, said: str
) -> CallToolResult:
    """This call's answer: the body for `key` (every input but the records and the provenance)
    over records whose digest is `digest`, with this call's provenance `prov`, said as `said`.

    On a miss `build` reads the records and their digest in one statement (rows read earlier,
    by `ensure_*`, may predate a commit) and the body is kept under that digest.
    """
    return compose(b.answers.get(key, digest, build), said, prov)


def _body(text: fmt.Framed, structured: BaseModel) -> Body:
    """The body of an answer: its provenance is left out here and said by `compose`."""
    return Body(text, structured.model_dump(mode="json", exclude={"provenance"}))


def _range(
    st: AppState, start: str | None, end: str | None, default_start: int, default_end: int
) -> DateRange:
    return resolve_range(start, end, today=st.today(), default_start=default_start, default_end=default_end)


async def _fresh_range(
    st: AppState,
    b: Backend,
    resource: Resource,
    athlete_id: str | None,
    dates: tuple[str | None, str | None],
    defaults: tuple[int, int],
    refresh: bool,
) -> tuple[str, DateRange, Provenance, str]:
    """The shared start of the range tools: (athlete, range, provenance, its sentence) once
    the range is fresh in the cache."""
    athlete = resolve_athlete(athlete_id, st.athlete_id)
    rng = _range(st, *dates, *defaults)
    fr = await b.sync.ensure_fresh(resource, athlete, rng.start, rng.end, refresh=refresh, client=b.quick)
    prov = _provenance(fr)
    return athlete, rng, prov, fmt.provenance_text(prov, st.now())


# --- the tools -------------------------------------------------------------------------------


async def get_activities(
    ctx: Ctx,
    start_date: StartDate = None,
    end_date: EndDate = None,
    limit: Annotated[
        int, Field(ge=1, le=MAX_LIMIT, description="Most activities to list (newest first).")
    ] = 10,
    include_unnamed: Annotated[
        bool, Field(description="Also list activities that have no name (skipped by default).")
    ] = False,
    athlete_id: AthleteId = None,
    refresh: Refresh = False,
) -> Annotated[CallToolResult, ActivitiesResult]:
    """List activities in a date range (default: the last 30 days), newest first, one line each:
    id, local start, sport, name, moving time h:mm, distance (km; swims in m), training load,
    average power W, average HR bpm. Columns without data are left out. Strava-imported
    activities are counted but hidden by Strava's API terms. Use an id with
    get_activity_details or get_activity_intervals."""
    st = _state(ctx)
    with _tool_errors("No activity for this range", st, athlete_id):
        b = await st.backend()
        athlete, rng, prov, said = await _fresh_range(
            st, b, "activities", athlete_id, (start_date, end_date), (-30, 0), refresh
        )

        def build() -> Built:
            digests, payloads = b.reader.payloads("activities", athlete, rng.start, rng.end)
            listed, stubs, unnamed = fmt.split_activities(payloads, include_unnamed)
            text = fmt.format_activities(
                athlete_id=athlete,
                start=rng.start,
                end=rng.end,
                listed=listed[:limit],
                total=len(listed),
                stubs=stubs,
                unnamed_skipped=unnamed,
                note=rng.note,
            )
            shown = min(limit, len(listed)) if text.shown is None else text.shown
            return digests, _body(
                text,
                ActivitiesResult(
                    athlete_id=athlete,
                    start_date=str(rng.start),
                    end_date=str(rng.end),
                    shown=shown,
                    total=len(listed),
                    strava_hidden=stubs,
                    unnamed_skipped=unnamed,
                    note=rng.note,
                    provenance=prov,
                    activities=listed[:shown],
                ),
            )

        key = ("activities", athlete, rng, limit, include_unnamed)
        digests = b.reader.digests("activities", athlete, rng.start, rng.end)
        return _answer(b, key, digests, build, prov, said)


async def get_activity_details(
    ctx: Ctx, activity_id: ActivityId, athlete_id: AthleteId = None, refresh: Refresh = False
) -> Annotated[CallToolResult, ActivityDetailsResult]:
    """One activity's key facts, only those present: sport, local start, moving/elapsed time
    h:mm, distance, elevation gain m, power (avg, normalized, intensity factor, FTP) W, HR
    (avg, max) bpm, training load, TRIMP, CTL/ATL after, RPE, feel, device, source, description."""
    st = _state(ctx)
    with _tool_errors(f"Nothing about activity {activity_id}", st, athlete_id):
        b = await st.backend()
        athlete = resolve_athlete(athlete_id, st.athlete_id)
        activity_id = check_activity_id(activity_id)
        row, fr = await b.sync.ensure_activity(athlete, activity_id, refresh=refresh, client=b.quick)
    if row is None:
        raise ToolError(
            f"There is no activity {activity_id} for athlete {athlete}: check the id "
            "(get_activities lists them)."
        )
    prov = _provenance(fr)
    said = fmt.provenance_text(prov, st.now())
    found = row

    def build() -> Built:
        digest, payload = b.reader.record("activity", athlete, activity_id) or (None, found.payload)
        text = fmt.format_activity(payload)
        facts = fmt.activity_facts(payload)
        structured = ActivityDetailsResult(activity_id=activity_id, provenance=prov, facts=facts)
        return digest, _body(text, structured)

    digest = b.reader.record_digest("activity", athlete, activity_id)
    return _answer(b, ("activity", athlete, activity_id), digest, build, prov, said)


async def get_activity_intervals(
    ctx: Ctx, activity_id: ActivityId, athlete_id: AthleteId = None, refresh: Refresh = False
) -> Annotated[CallToolResult, IntervalsResult]:
    """The intervals Intervals.icu detected in one activity, one line each: type (WORK or
    RECOVERY), label, start and duration m:ss, average and max power W, intensity % of FTP,
    average HR bpm, cadence rpm; then groups of similar intervals (e.g. 3 x 240s@280w)."""
    st = _state(ctx)
    with _tool_errors(f"Nothing about the intervals of activity {activity_id}", st, athlete_id):
        b = await st.backend()
        athlete = resolve_athlete(athlete_id, st.athlete_id)
        activity_id = check_activity_id(activity_id)
        row, fr = await b.sync.ensure_intervals(athlete, activity_id, refresh=refresh, client=b.quick)
    prov = _provenance(fr)
    said = fmt.provenance_text(prov, st.now())
    found = row

    def build() -> Built:
        digest, dto = b.reader.record("intervals", athlete, activity_id) or (None, found.payload)
        text = fmt.format_intervals(activity_id, dto)
        return digest, _body(
            text,
            IntervalsResult(
                activity_id=activity_id,
                provenance=prov,
                intervals=[interval_row(i) for i in dto.get("icu_intervals") or [] if isinstance(i, dict)],
                groups=[interval_group_row(g) for g in dto.get("icu_groups") or [] if isinstance(g, dict)],
            ),
        )

    digest = b.reader.record_digest("intervals", athlete, activity_id)
    return _answer(b, ("intervals", athlete, activity_id), digest, build, prov, said)


async def get_wellness_data(
    ctx: Ctx,
    start_date: StartDate = None,
    end_date: EndDate = None,
    include_all_fields: Annotated[
        bool,
        Field(description="Also show every other recorded field (SpO2, steps, comments, ...)."),
    ] = False,
    athlete_id: AthleteId = None,
    refresh: Refresh = False,
) -> Annotated[CallToolResult, WellnessResult]:
    """Daily wellness in a date range (default: the last 30 days), oldest first, one line per
    day with only the columns that have data: CTL (fitness), ATL (fatigue), form (CTL - ATL),
    ramp rate, HRV ms, resting HR bpm, sleep h:mm, sleep score, weight kg, and soreness,
    fatigue, stress, mood, motivation on a 1-4 scale where 1 is good."""
    st = _state(ctx)
    with _tool_errors("No wellness data for this range", st, athlete_id):
        b = await st.backend()
        athlete, rng, prov, said = await _fresh_range(
            st, b, "wellness", athlete_id, (start_date, end_date), (-30, 0), refresh
        )

        def build() -> Built:
            digests, days = b.reader.payloads("wellness", athlete, rng.start, rng.end)
            text, shown = fmt.format_wellness(
                athlete_id=athlete,
                start=rng.start,
                end=rng.end,
                days=days,
                include_all_fields=include_all_fields,
                note=rng.note,
            )
            return digests, _body(
                text,
                WellnessResult(
                    athlete_id=athlete,
                    start_date=str(rng.start),
                    end_date=str(rng.end),
                    days_shown=shown,
                    days_total=len(days),
                    note=rng.note,
                    provenance=prov,
                    days=[fmt.wellness_day(d, include_all_fields) for d in days[:shown]],
                ),
            )

        key = ("wellness", athlete, rng, include_all_fields)
        digests = b.reader.digests("wellness", athlete, rng.start, rng.end)
        return _answer(b, key, digests, build, prov, said)


async def get_events(
    ctx: Ctx,
    start_date: StartDate = None,
    end_date: EndDate = None,
    athlete_id: AthleteId = None,
    refresh: Refresh = False,
) -> Annotated[CallToolResult, EventsResult]:
    """Calendar events (planned workouts, races, notes) in a date range (default: today and the
    next 30 days), oldest first, one line each: id, date, category, sport, name, planned time
    h:mm, distance, planned load. Use an id with get_event_by_id for the workout steps."""
    st = _state(ctx)
    with _tool_errors("No calendar event for this range", st, athlete_id):
        b = await st.backend()
        athlete, rng, prov, said = await _fresh_range(
            st, b, "events", athlete_id, (start_date, end_date), (0, 30), refresh
        )

        def build() -> Built:
            digests, events = b.reader.payloads("events", athlete, rng.start, rng.end)
            text, shown = fmt.format_events(
                athlete_id=athlete, start=rng.start, end=rng.end, events=events, note=rng.note
            )
            return digests, _body(
                text,
                EventsResult(
                    athlete_id=athlete,
                    start_date=str(rng.start),
                    end_date=str(rng.end),
                    shown=shown,
                    total=len(events),
                    note=rng.note,
                    provenance=prov,
                    events=[event_summary(e) for e in events[:shown]],
                ),
            )

        key = ("events", athlete, rng)
        digests = b.reader.digests("events", athlete, rng.start, rng.end)
        return _answer(b, key, digests, build, prov, said)


async def get_event_by_id(
    ctx: Ctx,
    event_id: Annotated[int | str, Field(description="Event id as listed by get_events, like 87654321.")],
    athlete_id: AthleteId = None,
    refresh: Refresh = False,
) -> Annotated[CallToolResult, EventDetailsResult]:
    """One calendar event: date, category, sport, name, planned time h:mm, distance and load,
    intensity %, and the structured workout one step per line (e.g. '- 3x', '  - 12:00 90% FTP')
    or its description."""
    st = _state(ctx)
    with _tool_errors(f"Nothing about event {event_id}", st, athlete_id):
        b = await st.backend()
        athlete = resolve_athlete(athlete_id, st.athlete_id)
        number = parse_event_id(event_id)
        row, fr = await b.sync.ensure_event(athlete, number, refresh=refresh, client=b.quick)
    if row is None:
        raise ToolError(
            f"There is no event {number} for athlete {athlete}: check the id (get_events lists them)."
        )
    prov = _provenance(fr)
    said = fmt.provenance_text(prov, st.now())
    found = row

    def build() -> Built:
        digest, payload = b.reader.record("event", athlete, number) or (None, found.payload)
        text, steps = fmt.format_event(payload)
        description = payload.get("description")
        return digest, _body(
            text,
            EventDetailsResult(
                event_id=number,
                provenance=prov,
                event=event_summary(payload),
                description=description if isinstance(description, str) else None,
                workout_steps=steps,
            ),
        )

    digest = b.reader.record_digest("event", athlete, number)
    return _answer(b, ("event", athlete, number), digest, build, prov, said)


TOOLS = (
    get_activities,
    get_activity_details,
    get_activity_intervals,
    get_wellness_data,
    get_events,
    get_event_by_id,
)


def register_tools(server: MCPServer[AppState]) -> None:
    for tool in TOOLS:
        server.add_tool(tool, annotations=READ_ONLY)
