"""The compute shape: a tool answering from SQL aggregates over several resources.

Like the list tools it reads through the cache, but a question about years must not turn
into years of requests, nor be refused:

- Each resource it needs is made fresh over its own reach (a tool declares, per resource, the
  days it reads for the asked range: the span before it, a baseline, the planned days ahead),
  fetching at most `FETCH_CAP_DAYS` stale or missing days of each, the newest first: the list
  tools' cap. Older stale days are answered as cached; older missing days are left out, and
  the answer says so with the one `intervals-mcp sync` command that fetches them.
- The range itself may be long (up to `MAX_COMPUTE_DAYS`): the answer comes from the cache.
- A range may default to "everything cached" (from the first day the cache holds).
- One provenance covers every resource read; the answer is memoised while nothing in the cache
  changes (the database's generation) and the athlete's today stays the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from mcp.types import CallToolResult
from pydantic import BaseModel

from intervals_mcp.analysis.cache import gaps, sync_command
from intervals_mcp.analysis.periods import Period
from intervals_mcp.errors import InputError
from intervals_mcp.server.answers import Body
from intervals_mcp.server.inputs import MAX_RANGE_DAYS, DateRange, check_dates, resolve_athlete, resolve_range
from intervals_mcp.server.progress import progress_notes
from intervals_mcp.server.toolspec import (
    ATHLETE,
    DATES,
    REFRESH,
    ComputeView,
    Ctx,
    Domain,
    ToolSpec,
    call_scope,
    declare_tool,
)
from intervals_mcp.sync.windows import is_stale as stale

if TYPE_CHECKING:
    from intervals_mcp.db.resources import Resource
    from intervals_mcp.sync.athletes import Athlete
    from intervals_mcp.sync.factory import Services
    from intervals_mcp.sync.reports import Freshness

FETCH_CAP_DAYS = MAX_RANGE_DAYS
"""Most stale or missing days of one resource that one call fetches (the list tools' cap)."""
MAX_COMPUTE_DAYS = 20 * 366
EARLIEST_DAY = date(1900, 1, 1)  # analyses start here: their look-backs stay inside the calendar
"""Longest range a compute tool answers about; longer asks are cut to the newest part."""

Span = tuple[date, date]
Reach = Callable[[date, date, date, Mapping[str, Any]], Span | None]
"""(start, end, the athlete's today, the tool's own arguments) -> the days of one resource the
answer reads (None: none this time)."""
Check = Callable[[date, date, Mapping[str, Any]], None]
"""(start, end, the tool's own arguments) -> None, or an InputError before anything is fetched."""


def over_range(start: date, end: date, _today: date, _args: Mapping[str, Any]) -> Span:
    """The reach of a resource read over exactly the asked range."""
    return start, end


async def _resolve(
    services: Services,
    athlete: Athlete,
    start: str | None,
    end: str | None,
    today: date,
    default_days: tuple[int, int],
    from_cached: Resource | None,
) -> DateRange:
    if start is None and from_cached is not None:
        from intervals_mcp.db.analytics_queries import first_cached_day

        first = await first_cached_day(services.reader, athlete.id, from_cached)
        fallback = today + timedelta(days=default_days[0])
        start = str(min(first, fallback) if first else fallback)
    rng = resolve_range(
        start,
        end,
        today=today,
        default_start=default_days[0],
        default_end=default_days[1],
        max_days=MAX_COMPUTE_DAYS,
    )
    if rng.start < EARLIEST_DAY:  # the baselines and the span before reach further back still
        raise InputError(
            f"start_date {rng.start} is before {EARLIEST_DAY}: no training record is that old; "
            "give a later start_date."
        )
    return rng


async def _missing(
    services: Services, athlete: Athlete, reaches: Mapping[Resource, Span], own: bool
) -> tuple[str | None, str | None]:
    """(a sentence on the days of the reaches the cache lacks, the sync command fetching them)."""
    holes: dict[Resource, list[Period]] = {}
    for resource, (first, last) in reaches.items():
        covered = await services.sync.coverage(athlete.id, resource, first, last)
        found = gaps(Period(first, last), set(covered))
        if found:
            holes[resource] = found
    if not holes:
        return None, None
    every = [p for found in holes.values() for p in found]
    command = sync_command(list(holes), every, None if own else athlete.id)
    days = sum(p.days for p in every)
    first, last = min(p.start for p in every), max(p.end for p in every)
    sentence = (
        f"{days} days of {' and '.join(holes)} between {first} and {last} are not in the cache "
        f"(one call fetches at most {FETCH_CAP_DAYS} days), so these figures leave them out: "
        f"run `{command}` to complete them."
    )
    return sentence, command


def compute_tool(
    needs: tuple[Resource, ...] | Mapping[Resource, Reach],
    *,
    default_days: tuple[int, int] | None,
    result: type[BaseModel],
    domain: Domain,
    from_cached: Resource | None = None,
    check: Check | None = None,
    memo: bool = True,
    meta: dict[str, Any] | None = None,
) -> Callable[[Callable[..., Awaitable[Body]]], ToolSpec]:
    """A tool computing over the cache (see the module note).

    needs: the resources read, each over the range, or each with its reach.
    default_days: the default range relative to the athlete's today; None for a tool that
        takes no dates and fetches nothing (it reads the cache as it is, e.g. its status).
    from_cached: the default start_date is the first day of this resource in the cache.
    check: checks the tool's own arguments before anything is fetched.
    memo: False for an answer that depends on the clock as well as on the cache.
    meta: the tool's `_meta` as listed (e.g. a chart page's `ChartPage.tool_meta`).
    """
    reaches: Mapping[Resource, Reach] = (
        needs if isinstance(needs, Mapping) else dict.fromkeys(needs, over_range)
    )
    ranged = default_days is not None

    def declare(builder: Callable[..., Awaitable[Body]]) -> ToolSpec:
        async def run(ctx: Ctx, args: dict[str, Any]) -> CallToolResult:
            start, end = args.pop("start_date", None), args.pop("end_date", None)
            dates = partial(check_dates, start, end)
            async with call_scope(builder.__name__, ctx, args, "Nothing for this range", check=dates) as call:
                st, services, athlete, now = call.st, call.services, call.athlete, call.began
                today = athlete.today(now)
                own = call.asked is None or resolve_athlete(call.asked, st.athlete_id) == st.athlete_id
                rng = DateRange(today, today)
                if default_days is not None:
                    rng = await _resolve(services, athlete, start, end, today, default_days, from_cached)
                if check is not None:
                    check(rng.start, rng.end, args)
                spans = {
                    r: s
                    for r, reach in reaches.items()
                    if ranged and (s := reach(rng.start, rng.end, today, args))
                }
                async with progress_notes(ctx) as progress:
                    freshness: list[Freshness] = [
                        await services.sync.ensure_fresh(
                            r, athlete, first, last,
                            refresh=call.refresh, max_days=FETCH_CAP_DAYS, progress=progress,
                        )
                        for r, (first, last) in spans.items()
                    ]
                missing, command = await _missing(services, athlete, spans, own)
                note = " ".join(n for n in (rng.note, missing) if n) or None
                policy, zone_today = services.sync.policy, today

                def is_stale(day: date, fetched_at: datetime) -> bool:
                    return stale(day, fetched_at, zone_today, now, policy)

                view = ComputeView(
                    athlete, rng.start, rng.end, note, services.reader, freshness,
                    today=today, sync_command=command, is_stale=is_stale, own=own,
                )

                async def build() -> tuple[Hashable | None, Body]:
                    generation = await services.reader.generation() if memo else None
                    return generation, await builder(view, **args)

                digest = await services.reader.generation() if memo else None
                return await call.answer((rng, today, own), digest, build, freshness)

        before, after = (DATES, (ATHLETE, REFRESH)) if ranged else ((), (ATHLETE,))
        return declare_tool(builder, "compute", domain, result, run, before=before, after=after, meta=meta)

    return declare
