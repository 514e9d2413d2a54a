"""The athlete's history as a whole: the plan against what was done, finding sessions, and what
the cache holds. Answers come from SQL over the cache (see `analysis.py` for the sport rule).
The database modules are imported inside the tools, so `serve` starts without SQLAlchemy."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import Field

from intervals_mcp.analysis.adherence import plan_adherence
from intervals_mcp.analysis.cache import cache_status, sync_command
from intervals_mcp.analysis.periods import Period
from intervals_mcp.analysis.search import SearchFilter, check_sort, passes, search
from intervals_mcp.analysis.search import similar_to as nearest_to
from intervals_mcp.analysis.sports import SPORT_FAMILIES, normalize_sport, sport_family, sport_types
from intervals_mcp.errors import InputError
from intervals_mcp.server.answers import Body
from intervals_mcp.server.formatting import plans as fmt
from intervals_mcp.server.formatting.core import hmm
from intervals_mcp.server.formatting.figures import head
from intervals_mcp.server.inputs import check_activity_id
from intervals_mcp.server.schemas_analysis import CacheStatusResult, PlanAdherenceResult, SearchResult
from intervals_mcp.server.templates import body, compute_tool
from intervals_mcp.server.tools.analysis import Sport
from intervals_mcp.server.toolspec import ComputeView

MAX_LIMIT = 50
Query = Annotated[
    str | None,
    Field(
        description="Words to find in names and descriptions (each word starts a word there: "
        "'sweet' finds 'Sweet Spot'); all must match."
    ),
]
Km = Annotated[float | None, Field(ge=0, description="Distance bound in km (inclusive).")]
Minutes = Annotated[float | None, Field(ge=0, description="Moving-time bound in minutes (inclusive).")]
Sort = Annotated[
    str, Field(description="date (newest first), load, distance, duration or power (highest first).")
]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="Most activities to show.")]
SimilarTo = Annotated[
    str | None,
    Field(
        description="An activity id: find sessions of the same sport with similar duration and "
        "intensity, oldest first, to show the progression."
    ),
]


@compute_tool(("activities", "events"), default_days=(-27, 0), result=PlanAdherenceResult, domain="analysis")
async def get_plan_adherence(view: ComputeView) -> Body:
    """Planned workouts against what was done over a span (default: the last 4 weeks, up to
    today): done, missed (by date and name), unplanned activities, compliance (done load over
    planned load) and weekly rows. Pairs through Intervals.icu's own links, else the same day
    and sport. Use it for "did I follow my plan", instead of comparing get_events with
    get_activities."""
    from intervals_mcp.db import analytics_queries as aq

    events = await aq.planned_workouts(view.reader, view.athlete.id, view.start, view.end)
    done = await aq.done_activities(view.reader, view.athlete.id, view.start, view.end)
    found = plan_adherence(events, done, view.start, view.end, view.today)
    return body(
        *fmt.adherence_answer(
            found, view.start, view.end, view.athlete.id, len(done), view.note, view.sync_command
        )
    )


def _check_search(_start: date, _end: date, args: Mapping[str, Any]) -> None:
    normalize_sport(args.get("sport"))
    check_sort(args.get("sort"))
    if args.get("similar_to") is not None:
        check_activity_id(str(args["similar_to"]))
    for low, high in (("min_distance_km", "max_distance_km"), ("min_duration_min", "max_duration_min")):
        if args.get(low) is not None and args.get(high) is not None and args[low] > args[high]:
            raise InputError(f"{low} {args[low]} is above {high} {args[high]}: swap them.")


@compute_tool(
    ("activities",),
    default_days=(-29, 0),
    result=SearchResult,
    domain="analysis",
    from_cached="activities",
    check=_check_search,
)
async def search_activities(
    view: ComputeView,
    query: Query = None,
    sport: Sport = None,
    min_distance_km: Km = None,
    max_distance_km: Km = None,
    min_duration_min: Minutes = None,
    max_duration_min: Minutes = None,
    sort: Sort = "date",
    limit: Limit = 10,
    similar_to: SimilarTo = None,
) -> Body:
    """Find activities across the whole cached history (default range: everything cached) by
    words of their name or description, sport, distance and duration, sorted by date, load,
    distance, duration or power; or sessions similar to one activity, to see its progression.
    Use it for "my longest run this year" or "every sweet spot session", instead of paging
    through get_activities."""
    from intervals_mcp.db import analytics_queries as aq

    athlete = view.athlete.id
    wanted = SearchFilter(
        query,
        sport,
        view.start,
        view.end,
        min_distance_km,
        max_distance_km,
        min_duration_min,
        max_duration_min,
    )
    reference = None
    types = sport_types(sport)
    if similar_to is not None:
        reference = await aq.search_item(view.reader, athlete, check_activity_id(similar_to))
        if reference is None:
            raise InputError(
                f"Activity {similar_to} is not in the cache: check the id, or fetch it first with "
                "get_activity_details."
            )
        family = sport_family(reference.type)
        types = SPORT_FAMILIES.get(family or "", frozenset({family})) if family else frozenset()
    items = await aq.search_items(view.reader, athlete, view.start, view.end, types)
    hidden = len(await aq.strava_stubs(view.reader, athlete, view.start, view.end))
    shown_sort = check_sort(sort)
    if reference is None:
        result = search(items, wanted, shown_sort, limit)
        total, rows = result.total, [fmt.found(i) for i in result.activities]
    else:
        near = nearest_to(reference, [i for i in items if passes(i, wanted)], len(items))
        total = len(near)
        nearest = sorted(near, key=lambda s: (s.distance, -s.item.date.toordinal()))[:limit]
        rows = fmt.similar_rows(sorted(nearest, key=lambda s: (s.item.date, s.item.id)))
    what = f"Activities matching '{query}'" if query else "Activities"
    order = {
        "date": "newest first",
        "load": "most load first",
        "distance": "longest first",
        "duration": "longest first",
        "power": "highest power first",
    }[shown_sort]
    kind = normalize_sport(sport) if reference is None else sport_family(reference.type)
    details = [kind or "all sports", f"{len(items)} activities searched"]
    if reference is None:
        first = head(what, view.start, view.end, athlete, *details)
        lines = [view.note or "", f"{total} found, {len(rows)} shown, {order}."]
    else:
        ref = fmt.found(reference)
        first = head(f"Sessions like {reference.id}", view.start, view.end, athlete, *details)
        lines = [
            view.note or "",
            f"Reference: {ref.date} {ref.type} '{ref.name or ''}', {hmm(ref.moving_time_s)} h, intensity "
            f"{'' if ref.intensity is None else f'{ref.intensity:.0f}%'}. {total} similar found, "
            f"{len(rows)} nearest shown oldest first ('like': 0 is the same; 25% longer or shorter "
            "counts as much as 5 points of intensity).",
        ]
    if hidden:
        lines.append(f"{hidden} Strava-hidden activities in the range cannot be searched.")
    text = fmt.search_text(first, lines, rows)
    return body(
        text,
        SearchResult(
            athlete_id=athlete,
            start_date=str(view.start),
            end_date=str(view.end),
            records=len(items),
            note=view.note,
            sync_command=view.sync_command,
            query=query,
            sport=normalize_sport(sport),
            sort=shown_sort,
            similar_to=None if reference is None else fmt.found(reference),
            total=total,
            shown=len(rows),
            strava_hidden=hidden,
            activities=rows,
        ),
    )


@compute_tool((), default_days=None, result=CacheStatusResult, domain="analysis", memo=False)
async def get_cache_status(view: ComputeView) -> Body:
    """What the local cache holds for the athlete, per resource: the cached range, gaps, last
    fetch, stale days, row counts, Strava-hidden activities, and the exact `intervals-mcp sync`
    command that fills a gap. Use it before questions about long spans, or when an answer says
    days are not cached; it fetches nothing."""
    from intervals_mcp.db import analytics_queries as aq
    from intervals_mcp.db.resources import RESOURCES

    athlete = view.athlete.id
    today = view.today
    counts = await aq.row_counts(view.reader, athlete)
    who = None if view.own else athlete
    rows = []
    for resource in RESOURCES:
        ranges = await aq.covered(view.reader, athlete, resource)
        status = None
        command = sync_command(resource, [Period(today - timedelta(days=365), today)], who)
        if ranges:
            first, last = min(r.start for r in ranges), max(r.end for r in ranges)
            status = cache_status(resource, first, last, ranges, view.is_stale, who)
        hidden = counts["strava_hidden"] if resource == "activities" else 0
        rows.append(fmt.cache_row(status, resource, counts[resource], hidden, command))
    result = CacheStatusResult(
        athlete_id=athlete, today=str(today), resources=rows, intervals_rows=counts["intervals"]
    )
    return body(fmt.cache_answer(result), result)


TOOLS = (search_activities, get_plan_adherence, get_cache_status)
