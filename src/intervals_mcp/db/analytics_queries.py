"""The analytics tools' reads: SQL aggregates over indexed columns, handed back as the pure
`analysis` package's input types. No payload is read here.

Sums are per day (and type, or zone): the tools cut days into weeks, months or years
themselves, which keeps every statement dialect-neutral and built once. The activities'
totals, the wellness values and the zone times are each read from a covering index
(see models.py), so SQLite never touches the rows and their payloads.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select

from intervals_mcp.analysis.adherence import WORKOUT, DoneActivity, PlannedEvent
from intervals_mcp.analysis.cache import CoveredRange, covered_ranges
from intervals_mcp.analysis.fitness import FitnessDay
from intervals_mcp.analysis.search import SearchItem
from intervals_mcp.analysis.summary import ActivityRow
from intervals_mcp.analysis.wellness import WellnessDay
from intervals_mcp.analysis.zones import SWEET_SPOT, ActivityZones
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.db.resources import ACTIVITIES, COVERAGE, EVENTS, INTERVALS, WELLNESS, ZONE_TIMES

_ATHLETE: BindParameter[str] = bindparam("athlete")
_START: BindParameter[date] = bindparam("start")
_END: BindParameter[date] = bindparam("end")
_TYPES: BindParameter[Any] = bindparam("types", expanding=True)
A, W, E, Z = ACTIVITIES.c, WELLNESS.c, EVENTS.c, ZONE_TIMES.c
Types = Collection[str] | None  # the activity types a sport filter matches; None: every type


def _params(athlete: str, start: date, end: date, types: Types = None, **more: Any) -> dict[str, Any]:
    params = {"athlete": athlete, "start": start, "end": end, **more}
    if types is not None:
        params["types"] = sorted(types)
    return params


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _typed(stmt: Select[Any], column: Any, filtered: bool) -> Select[Any]:
    return stmt.where(column.in_(_TYPES)) if filtered else stmt


# --- activities -------------------------------------------------------------------------------


@cache
def _daily_totals(filtered: bool) -> Select[Any]:
    stmt = (
        select(
            A.local_date,
            A.type,
            func.count(),
            func.sum(A.moving_time),
            func.sum(A.distance),
            func.sum(A.elevation_gain),
            func.sum(A.training_load),
        )
        .where(A.athlete_id == _ATHLETE, A.local_date.between(_START, _END), A.is_strava_stub.is_(False))
        .group_by(A.local_date, A.type)
        .order_by(A.local_date, A.type)
    )
    return _typed(stmt, A.type, filtered)


async def daily_totals(
    reader: CacheReader, athlete: str, start: date, end: date, types: Types
) -> list[ActivityRow]:
    """Each day's visible activities of each type, summed (`sessions` of them); no stubs."""
    rows = await reader.rows(_daily_totals(types is not None), _params(athlete, start, end, types))
    return [
        ActivityRow(day, kind, _float(t), _float(d), _float(e), _float(load), sessions=int(n))
        for day, kind, n, t, d, e, load in rows
    ]


_STUBS = (
    select(A.local_date, A.id)
    .where(A.athlete_id == _ATHLETE, A.local_date.between(_START, _END), A.is_strava_stub.is_(True))
    .order_by(A.local_date, A.id)
)


async def strava_stubs(reader: CacheReader, athlete: str, start: date, end: date) -> list[ActivityRow]:
    """The Strava-hidden activities of [start, end] by date and id (no figures: none are known)."""
    rows = await reader.rows(_STUBS, _params(athlete, start, end))
    return [ActivityRow(day, None, is_strava_stub=True, id=str(i)) for day, i in rows]


_DAILY_LOAD = (
    select(A.local_date, func.sum(A.training_load))
    .where(A.athlete_id == _ATHLETE, A.local_date.between(_START, _END))
    .group_by(A.local_date)
)


async def daily_load(reader: CacheReader, athlete: str, start: date, end: date) -> dict[date, float]:
    """Each day's total training load (days without any are absent)."""
    rows = await reader.rows(_DAILY_LOAD, _params(athlete, start, end))
    return {day: float(load) for day, load in rows if load is not None}


_DONE = (
    select(A.id, A.local_date, A.type, A.name, A.training_load, A.paired_event_id, A.is_strava_stub)
    .where(A.athlete_id == _ATHLETE, A.local_date.between(_START, _END))
    .order_by(A.local_date, A.id)
)


async def done_activities(reader: CacheReader, athlete: str, start: date, end: date) -> list[DoneActivity]:
    rows = await reader.rows(_DONE, _params(athlete, start, end))
    return [
        DoneActivity(
            str(i), day, kind, name, _float(load), None if paired is None else str(paired), bool(stub)
        )
        for i, day, kind, name, load, paired, stub in rows
    ]


_ITEM_COLUMNS = (
    A.id,
    A.local_date,
    A.type,
    A.name,
    A.description,
    A.distance,
    A.moving_time,
    A.training_load,
    A.average_watts,
    A.intensity,
)


@cache
def _items(filtered: bool) -> Select[Any]:
    stmt = select(*_ITEM_COLUMNS).where(
        A.athlete_id == _ATHLETE, A.local_date.between(_START, _END), A.is_strava_stub.is_(False)
    )
    return _typed(stmt, A.type, filtered)


def _item(row: Any) -> SearchItem:
    i, day, kind, name, description, distance, moving, load, watts, intensity = row
    return SearchItem(
        str(i),
        day,
        kind,
        name,
        description,
        _float(distance),
        _float(moving),
        _float(load),
        _float(watts),
        _float(intensity),
    )


async def search_items(
    reader: CacheReader, athlete: str, start: date, end: date, types: Types
) -> list[SearchItem]:
    """The visible activities of [start, end] of the given types, with what search reads."""
    rows = await reader.rows(_items(types is not None), _params(athlete, start, end, types))
    return [_item(r) for r in rows]


_ITEM = select(*_ITEM_COLUMNS).where(A.athlete_id == _ATHLETE, A.id == bindparam("id"))


async def search_item(reader: CacheReader, athlete: str, activity_id: str) -> SearchItem | None:
    rows = await reader.rows(_ITEM, {"athlete": athlete, "id": activity_id})
    return _item(rows[0]) if rows else None


# --- time in zones ----------------------------------------------------------------------------


@cache
def _zone_sums(filtered: bool) -> Select[Any]:
    stmt = (
        select(Z.local_date, Z.zone, func.sum(Z.seconds))
        .where(Z.athlete_id == _ATHLETE, Z.metric == bindparam("metric"), Z.local_date.between(_START, _END))
        .group_by(Z.local_date, Z.zone)
    )
    return _typed(stmt, Z.type, filtered)


@cache
def _zoned_counts(filtered: bool) -> Select[Any]:
    stmt = (
        select(Z.local_date, func.count(func.distinct(Z.activity_id)))
        .where(
            Z.athlete_id == _ATHLETE,
            Z.metric == bindparam("metric"),
            Z.local_date.between(_START, _END),
            Z.zone != SWEET_SPOT,
            Z.seconds > 0,
        )
        .group_by(Z.local_date)
    )
    return _typed(stmt, Z.type, filtered)


@cache
def _activity_counts(filtered: bool) -> Select[Any]:
    stmt = (
        select(A.local_date, func.count())
        .where(A.athlete_id == _ATHLETE, A.local_date.between(_START, _END))
        .group_by(A.local_date)
    )
    return _typed(stmt, A.type, filtered)


async def zone_days(
    reader: CacheReader, athlete: str, start: date, end: date, metric: str, types: Types
) -> list[ActivityZones]:
    """Per day: the zone seconds of its activities that have zone times of `metric`, summed,
    and (apart) how many of its activities have none. Without a type filter Strava stubs are
    among the activities without zone times; with one they match no type."""
    params = _params(athlete, start, end, types, metric=metric)
    filtered = types is not None
    zones: dict[date, list[tuple[str, float]]] = {}
    for day, zone, seconds in await reader.rows(_zone_sums(filtered), params):
        zones.setdefault(day, []).append((str(zone), float(seconds or 0.0)))
    zoned = {day: int(n) for day, n in await reader.rows(_zoned_counts(filtered), params)}
    out: list[ActivityZones] = []
    for day, count in await reader.rows(_activity_counts(filtered), params):
        with_zones = zoned.get(day, 0)
        found = [(z, s) for z, s in zones.get(day, []) if z != SWEET_SPOT]
        sweet = sum(s for z, s in zones.get(day, []) if z == SWEET_SPOT)
        if with_zones:
            out.append(ActivityZones(day, tuple(found), sweet, activities=with_zones))
        if int(count) > with_zones:
            out.append(ActivityZones(day, (), 0.0, activities=int(count) - with_zones))
    return sorted(out, key=lambda a: (a.date, -a.activities))


# --- wellness and the calendar -------------------------------------------------------------------

_WELLNESS = (
    select(W.local_date, W.ctl, W.atl, W.hrv, W.resting_hr, W.sleep_secs, W.weight)
    .where(W.athlete_id == _ATHLETE, W.local_date.between(_START, _END))
    .order_by(W.local_date)
)


async def fitness_days(reader: CacheReader, athlete: str, start: date, end: date) -> list[FitnessDay]:
    """Intervals.icu's own CTL and ATL per wellness day."""
    rows = await reader.rows(_WELLNESS, _params(athlete, start, end))
    return [FitnessDay(r[0], _float(r[1]), _float(r[2])) for r in rows]


async def wellness_days(reader: CacheReader, athlete: str, start: date, end: date) -> list[WellnessDay]:
    rows = await reader.rows(_WELLNESS, _params(athlete, start, end))
    return [WellnessDay(r[0], *(_float(v) for v in r[3:])) for r in rows]


_PLANNED = (
    select(E.id, E.local_date, E.category, E.name, E.type, E.training_load, E.paired_activity_id)
    .where(E.athlete_id == _ATHLETE, E.category == WORKOUT, E.local_date.between(_START, _END))
    .order_by(E.local_date, E.id)
)


async def planned_workouts(reader: CacheReader, athlete: str, start: date, end: date) -> list[PlannedEvent]:
    """The planned workouts (category WORKOUT) of [start, end]."""
    rows = await reader.rows(_PLANNED, _params(athlete, start, end))
    return [
        PlannedEvent(str(i), day, str(category), name, kind, _float(load), paired)
        for i, day, category, name, kind, load, paired in rows
    ]


async def planned_load(reader: CacheReader, athlete: str, start: date, end: date) -> dict[date, float]:
    """Each day's planned workouts' load, summed (days without a plan are absent)."""
    loads: dict[date, float] = {}
    for event in await planned_workouts(reader, athlete, start, end):
        if event.load is not None:
            loads[event.date] = loads.get(event.date, 0.0) + event.load
    return loads


# --- the cache itself -------------------------------------------------------------------------

_FIRST_COVERED = select(func.min(COVERAGE.c.day)).where(
    COVERAGE.c.athlete_id == _ATHLETE, COVERAGE.c.resource == bindparam("resource")
)


async def first_cached_day(reader: CacheReader, athlete: str, resource: str) -> date | None:
    """The first day of `resource` the cache has fetched for the athlete, if any."""
    rows = await reader.rows(_FIRST_COVERED, {"athlete": athlete, "resource": resource})
    return rows[0][0] if rows and rows[0][0] is not None else None


_RUNS = (
    select(COVERAGE.c.fetched_at, func.min(COVERAGE.c.day), func.max(COVERAGE.c.day), func.count())
    .where(COVERAGE.c.athlete_id == _ATHLETE, COVERAGE.c.resource == bindparam("resource"))
    .group_by(COVERAGE.c.fetched_at)
)
_DAYS_AT = select(COVERAGE.c.day).where(
    COVERAGE.c.athlete_id == _ATHLETE,
    COVERAGE.c.resource == bindparam("resource"),
    COVERAGE.c.fetched_at == bindparam("at"),
)


async def covered(reader: CacheReader, athlete: str, resource: str) -> list[CoveredRange]:
    """What the cache has fetched of `resource`, as ranges of days fetched at one moment: one
    row per fetch from SQL (a fetch window's days share their moment); only a moment whose days
    are not one run (two windows fetched at the same instant) is read day by day."""
    params = {"athlete": athlete, "resource": resource}
    ranges: list[CoveredRange] = []
    for at, first, last, days in await reader.rows(_RUNS, params):
        if (last - first).days + 1 == days:
            ranges.append(CoveredRange(first, last, at))
        else:
            rows = await reader.rows(_DAYS_AT, {**params, "at": at})
            ranges += covered_ranges(dict.fromkeys((r[0] for r in rows), at))
    return sorted(ranges, key=lambda r: (r.start, r.fetched_at))


_COUNTS = {
    name: select(func.count()).where(table.c.athlete_id == _ATHLETE)
    for name, table in (
        ("activities", ACTIVITIES),
        ("wellness", WELLNESS),
        ("events", EVENTS),
        ("intervals", INTERVALS),
    )
}
_HIDDEN = select(func.count()).where(A.athlete_id == _ATHLETE, A.is_strava_stub.is_(True))


async def row_counts(reader: CacheReader, athlete: str) -> dict[str, int]:
    """Rows cached per resource (and activity intervals), plus `strava_hidden` activities."""
    counts: dict[str, int] = {}
    for name, stmt in (*_COUNTS.items(), ("strava_hidden", _HIDDEN)):
        rows = await reader.rows(stmt, {"athlete": athlete})
        counts[name] = int(rows[0][0] or 0) if rows else 0
    return counts
