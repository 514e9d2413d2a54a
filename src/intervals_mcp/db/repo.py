"""Reading and writing the cache: SQL only, one transaction per write.

Write side: `replace_window` makes a fetched date window authoritative (upsert what upstream
returned, delete what it no longer returns, mark every day covered) in ONE transaction, so a
crash leaves the window stale, never half-marked. `upsert_rows`/`delete_rows` write single
records through (after a create/update/delete upstream) without touching coverage.
`save_intervals`/`save_profile` store the per-activity intervals and the athlete object.

Read side returns small frozen dataclasses (`ActivityRow`, `WellnessRow`, `EventRow`,
`IntervalsRow`, `ProfileRow`): the indexed columns plus `.payload`, the full API JSON as a dict.
Timestamps come back as aware UTC datetimes; local dates and wall-clock times are naive.

Every SQLite failure surfaces as a `StorageError`. A payload that cannot be cached (no id, no
date) raises `ValueError` before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import ColumnElement, Table, delete, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from intervals_mcp.db.columns import (
    JSONDict,
    activity_columns,
    canonical_json,
    each_day,
    event_columns,
    marker,
    profile_columns,
    scrub_secrets,
    text_hash,
    wellness_columns,
)
from intervals_mcp.db.engine import Database, JSONText
from intervals_mcp.db.models import (
    Activity,
    ActivityIntervals,
    AthleteProfile,
    Event,
    SyncCoverage,
    WellnessDay,
)

Resource = Literal["activities", "wellness", "events"]
RESOURCES: tuple[Resource, ...] = ("activities", "wellness", "events")
Row = JSONDict

# SQLite allows 32766 bound parameters; stay far below for IN lists.
_CHUNK = 500


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


ACTIVITIES = _table(Activity)
WELLNESS = _table(WellnessDay)
EVENTS = _table(Event)
INTERVALS = _table(ActivityIntervals)
PROFILES = _table(AthleteProfile)
COVERAGE = _table(SyncCoverage)

_TABLES: dict[Resource, Table] = {"activities": ACTIVITIES, "wellness": WELLNESS, "events": EVENTS}
_COLUMNS: dict[Resource, Callable[[JSONDict], JSONDict]] = {
    "activities": activity_columns,
    "wellness": wellness_columns,
    "events": event_columns,
}


# --- result types ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowChange:
    """What a write did: new rows, rows whose payload really changed, rows deleted."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


@dataclass(frozen=True)
class ActivityRow:
    athlete_id: str
    id: str
    local_date: date
    start_date_local: datetime
    type: str | None
    name: str | None
    source: str | None
    is_strava_stub: bool
    icu_sync_date: datetime | None
    analyzed: datetime | None
    moving_time: int | None
    distance: float | None
    training_load: float | None
    fetched_at: datetime
    payload: JSONDict

    @property
    def markers(self) -> tuple[str | None, str | None]:
        """(icu_sync_date, analyzed) exactly as upstream sent them: pass to `save_intervals`."""
        return marker(self.payload.get("icu_sync_date")), marker(self.payload.get("analyzed"))


@dataclass(frozen=True)
class WellnessRow:
    athlete_id: str
    id: str
    local_date: date
    updated: datetime | None
    fetched_at: datetime
    payload: JSONDict


@dataclass(frozen=True)
class EventRow:
    athlete_id: str
    id: int
    local_date: date
    start_date_local: datetime
    end_date_local: datetime | None
    category: str | None
    type: str | None
    name: str | None
    updated: datetime | None
    fetched_at: datetime
    payload: JSONDict


@dataclass(frozen=True)
class IntervalsRow:
    athlete_id: str
    activity_id: str
    markers: tuple[str | None, str | None]
    fetched_at: datetime
    payload: JSONDict


@dataclass(frozen=True)
class ProfileRow:
    athlete_id: str
    name: str | None
    timezone: str | None
    fetched_at: datetime
    payload: JSONDict


@dataclass(frozen=True)
class ResourceStatus:
    """One athlete's cache of one resource ("activities", …, "intervals", "profile")."""

    athlete_id: str
    resource: str
    rows: int
    covered: tuple[tuple[date, date], ...]
    last_fetched_at: datetime | None
    oldest_fetched_at: datetime | None


@dataclass(frozen=True)
class DbStatus:
    path: Path
    file_bytes: int
    resources: tuple[ResourceStatus, ...]


# --- pure helpers ---------------------------------------------------------------------------


def merge_day_ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days merged into inclusive (first, last) ranges, in order."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if ranges and day - ranges[-1][1] == timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _check_window(start: date, end: date) -> None:
    if end < start:
        raise ValueError(f"The window ends ({end}) before it starts ({start}).")


def _check_aware(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("fetched_at must be a timezone-aware (UTC) datetime.")


# --- writes ---------------------------------------------------------------------------------


def _upsert(table: Table) -> Any:
    """INSERT … ON CONFLICT (primary key) DO UPDATE every other column."""
    stmt = sqlite_insert(table)
    keys = [c for c in table.primary_key.columns]
    return stmt.on_conflict_do_update(
        index_elements=keys,
        set_={c.name: stmt.excluded[c.name] for c in table.columns if not c.primary_key},
    )


def _records(
    resource: Resource, athlete_id: str, rows: Iterable[Row], fetched_at: datetime
) -> dict[Any, JSONDict]:
    """Column values per id (a later duplicate wins), computed before any SQL runs."""
    _check_aware(fetched_at)
    to_columns = _COLUMNS[resource]
    records: dict[Any, JSONDict] = {}
    for payload in rows:
        values = to_columns(payload)
        text = canonical_json(payload)  # serialised once: hashed, then stored as is
        values.update(
            athlete_id=athlete_id,
            fetched_at=fetched_at,
            payload_hash=text_hash(text),
            payload=JSONText(text),
        )
        records[values["id"]] = values
    return records


async def _hashes(conn: AsyncConnection, table: Table, *where: ColumnElement[bool]) -> dict[Any, str]:
    result = await conn.execute(select(table.c.id, table.c.payload_hash).where(*where))
    return {row.id: row.payload_hash for row in result}


async def _existing(
    conn: AsyncConnection, table: Table, athlete_id: str, ids: Sequence[Any], window: tuple[date, date] | None
) -> tuple[dict[Any, str], dict[Any, str]]:
    """(stored hashes of the window's rows, stored hashes of every given id)."""
    mine = table.c.athlete_id == athlete_id
    in_window: dict[Any, str] = {}
    if window is not None:
        in_window = await _hashes(conn, table, mine, table.c.local_date.between(*window))
    known = {i: in_window[i] for i in ids if i in in_window}
    missing = [i for i in ids if i not in in_window]
    for chunk in _chunks(missing):
        known.update(await _hashes(conn, table, mine, table.c.id.in_(chunk)))
    return in_window, known


async def _write(
    conn: AsyncConnection,
    resource: Resource,
    athlete_id: str,
    records: dict[Any, JSONDict],
    window: tuple[date, date] | None,
) -> WindowChange:
    table = _TABLES[resource]
    in_window, known = await _existing(conn, table, athlete_id, list(records), window)
    if records:
        await conn.execute(_upsert(table), list(records.values()))
    vanished = [i for i in in_window if i not in records]
    await _delete(conn, resource, athlete_id, vanished)
    return WindowChange(
        inserted=sum(1 for i in records if i not in known),
        updated=sum(1 for i, v in records.items() if i in known and known[i] != v["payload_hash"]),
        deleted=len(vanished),
    )


async def _delete(conn: AsyncConnection, resource: Resource, athlete_id: str, ids: Sequence[Any]) -> int:
    table = _TABLES[resource]
    deleted = 0
    for chunk in _chunks(ids):
        result = await conn.execute(
            delete(table).where(table.c.athlete_id == athlete_id, table.c.id.in_(chunk))
        )
        deleted += result.rowcount
        if resource == "activities":  # an activity's intervals go with it
            await conn.execute(
                delete(INTERVALS).where(
                    INTERVALS.c.athlete_id == athlete_id, INTERVALS.c.activity_id.in_(chunk)
                )
            )
    return deleted


async def replace_window(
    db: Database,
    resource: Resource,
    athlete_id: str,
    start: date,
    end: date,
    rows: list[Row],
    fetched_at: datetime,
) -> WindowChange:
    """Make [start, end] of one resource exactly what upstream just returned, in one transaction.

    Upserts `rows` (the API payloads), deletes this athlete's cached rows whose local date is
    in the window and whose id is not among `rows`, and marks every day of the window covered
    at `fetched_at`. Rows dated outside the window are upserted but delete nothing there.
    """
    _check_window(start, end)
    records = _records(resource, athlete_id, rows, fetched_at)
    async with db.write() as conn:
        change = await _write(conn, resource, athlete_id, records, (start, end))
        await _mark_covered(conn, athlete_id, resource, start, end, fetched_at)
    return change


async def upsert_rows(
    db: Database, resource: Resource, athlete_id: str, rows: list[Row], fetched_at: datetime
) -> WindowChange:
    """Insert or update single records (write-through after an upstream write); no coverage."""
    records = _records(resource, athlete_id, rows, fetched_at)
    async with db.write() as conn:
        return await _write(conn, resource, athlete_id, records, None)


async def delete_rows(db: Database, resource: Resource, athlete_id: str, ids: Sequence[str | int]) -> int:
    """Delete records by id (after an upstream delete); returns how many were cached."""
    key: Callable[[str | int], Any] = int if resource == "events" else str
    async with db.write() as conn:
        return await _delete(conn, resource, athlete_id, [key(i) for i in ids])


async def _mark_covered(
    conn: AsyncConnection, athlete_id: str, resource: str, start: date, end: date, fetched_at: datetime
) -> None:
    stmt = sqlite_insert(COVERAGE)
    stmt = stmt.on_conflict_do_update(
        index_elements=[COVERAGE.c.athlete_id, COVERAGE.c.resource, COVERAGE.c.day],
        set_={"fetched_at": stmt.excluded.fetched_at},
    )
    days = [
        {"athlete_id": athlete_id, "resource": resource, "day": day, "fetched_at": fetched_at}
        for day in each_day(start, end)
    ]
    await conn.execute(stmt, days)


async def save_intervals(
    db: Database,
    athlete_id: str,
    activity_id: str,
    payload: JSONDict,
    markers: tuple[str | None, str | None],
    fetched_at: datetime,
) -> None:
    """Store an activity's intervals with the activity markers they were fetched under."""
    _check_aware(fetched_at)
    values = {
        "athlete_id": athlete_id,
        "activity_id": str(activity_id),
        "icu_sync_date": markers[0],
        "analyzed": markers[1],
        "fetched_at": fetched_at,
        "payload": payload,
    }
    async with db.write() as conn:
        await conn.execute(_upsert(INTERVALS), [values])


async def save_profile(db: Database, athlete_id: str, payload: JSONDict, fetched_at: datetime) -> None:
    """Store the athlete object (with sportSettings); any API key in it is dropped first."""
    _check_aware(fetched_at)
    clean = scrub_secrets(payload)
    values = {
        "athlete_id": athlete_id,
        **profile_columns(clean),
        "fetched_at": fetched_at,
        "payload": clean,
    }
    async with db.write() as conn:
        await conn.execute(_upsert(PROFILES), [values])


# --- reads ----------------------------------------------------------------------------------

R = TypeVar("R")


def _select_for(table: Table, row_type: type[Any]) -> Any:
    return select(*(table.c[f.name] for f in fields(row_type)))


async def _all(db: Database, stmt: Any, row_type: Callable[..., R]) -> list[R]:
    async with db.read() as conn:
        result = await conn.execute(stmt)
        return [row_type(**row._mapping) for row in result]


async def coverage_days(
    db: Database, athlete_id: str, resource: Resource, start: date, end: date
) -> dict[date, datetime]:
    """When each covered day of [start, end] was last fetched; uncovered days are absent."""
    stmt = select(COVERAGE.c.day, COVERAGE.c.fetched_at).where(
        COVERAGE.c.athlete_id == athlete_id,
        COVERAGE.c.resource == resource,
        COVERAGE.c.day.between(start, end),
    )
    async with db.read() as conn:
        return {row.day: row.fetched_at for row in await conn.execute(stmt)}


async def list_activities(
    db: Database, athlete_id: str, start: date, end: date, limit: int | None = None
) -> list[ActivityRow]:
    """Activities with a local date in [start, end], newest first (at most `limit`)."""
    t = ACTIVITIES
    stmt = (
        _select_for(t, ActivityRow)
        .where(t.c.athlete_id == athlete_id, t.c.local_date.between(start, end))
        .order_by(t.c.start_date_local.desc(), t.c.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return await _all(db, stmt, ActivityRow)


async def count_activities(db: Database, athlete_id: str, start: date, end: date) -> int:
    t = ACTIVITIES
    stmt = select(func.count()).where(t.c.athlete_id == athlete_id, t.c.local_date.between(start, end))
    async with db.read() as conn:
        return int((await conn.execute(stmt)).scalar_one())


async def get_activity(db: Database, activity_id: str, athlete_id: str | None = None) -> ActivityRow | None:
    """One cached activity by id (the most recently fetched copy if no athlete is given)."""
    t = ACTIVITIES
    stmt = _select_for(t, ActivityRow).where(t.c.id == str(activity_id))
    if athlete_id is not None:
        stmt = stmt.where(t.c.athlete_id == athlete_id)
    rows = await _all(db, stmt.order_by(t.c.fetched_at.desc()).limit(1), ActivityRow)
    return rows[0] if rows else None


async def get_intervals(db: Database, activity_id: str, athlete_id: str | None = None) -> IntervalsRow | None:
    """An activity's cached intervals with the markers they were fetched under."""
    t = INTERVALS
    stmt = select(t).where(t.c.activity_id == str(activity_id))
    if athlete_id is not None:
        stmt = stmt.where(t.c.athlete_id == athlete_id)
    async with db.read() as conn:
        row = (await conn.execute(stmt.order_by(t.c.fetched_at.desc()).limit(1))).first()
    if row is None:
        return None
    return IntervalsRow(
        athlete_id=row.athlete_id,
        activity_id=row.activity_id,
        markers=(row.icu_sync_date, row.analyzed),
        fetched_at=row.fetched_at,
        payload=row.payload,
    )


async def list_wellness(db: Database, athlete_id: str, start: date, end: date) -> list[WellnessRow]:
    """Wellness days in [start, end], ascending."""
    t = WELLNESS
    stmt = (
        _select_for(t, WellnessRow)
        .where(t.c.athlete_id == athlete_id, t.c.local_date.between(start, end))
        .order_by(t.c.local_date)
    )
    return await _all(db, stmt, WellnessRow)


async def list_events(db: Database, athlete_id: str, start: date, end: date) -> list[EventRow]:
    """Events starting on a local date in [start, end], ascending by start."""
    t = EVENTS
    stmt = (
        _select_for(t, EventRow)
        .where(t.c.athlete_id == athlete_id, t.c.local_date.between(start, end))
        .order_by(t.c.start_date_local, t.c.id)
    )
    return await _all(db, stmt, EventRow)


async def get_event(db: Database, athlete_id: str, event_id: int) -> EventRow | None:
    t = EVENTS
    stmt = _select_for(t, EventRow).where(t.c.athlete_id == athlete_id, t.c.id == int(event_id))
    rows = await _all(db, stmt, EventRow)
    return rows[0] if rows else None


async def get_profile(db: Database, athlete_id: str) -> ProfileRow | None:
    stmt = _select_for(PROFILES, ProfileRow).where(PROFILES.c.athlete_id == athlete_id)
    rows = await _all(db, stmt, ProfileRow)
    return rows[0] if rows else None


async def status(db: Database) -> DbStatus:
    """Per athlete and resource: rows cached, covered day ranges, newest and oldest fetch."""
    counts: dict[tuple[str, str], tuple[int, datetime | None, datetime | None]] = {}
    days: dict[tuple[str, str], list[date]] = {}
    fetched: dict[tuple[str, str], list[datetime]] = {}
    named: list[tuple[str, Table]] = [
        *((r, _TABLES[r]) for r in RESOURCES),
        ("intervals", INTERVALS),
        ("profile", PROFILES),
    ]
    async with db.read() as conn:
        for resource, table in named:
            stmt = select(
                table.c.athlete_id,
                func.count(),
                func.max(table.c.fetched_at),
                func.min(table.c.fetched_at),
            ).group_by(table.c.athlete_id)
            for athlete, n, newest, oldest in await conn.execute(stmt):
                counts[(athlete, resource)] = (int(n), newest, oldest)
        coverage = select(COVERAGE.c.athlete_id, COVERAGE.c.resource, COVERAGE.c.day, COVERAGE.c.fetched_at)
        for athlete, resource, day, at in await conn.execute(coverage):
            days.setdefault((athlete, resource), []).append(day)
            fetched.setdefault((athlete, resource), []).append(at)
    entries = []
    for key in sorted(set(counts) | set(days)):
        n, newest, oldest = counts.get(key, (0, None, None))
        if key in fetched:  # for windowed resources, freshness is the coverage's
            newest, oldest = max(fetched[key]), min(fetched[key])
        entries.append(
            ResourceStatus(
                athlete_id=key[0],
                resource=key[1],
                rows=n,
                covered=tuple(merge_day_ranges(days.get(key, []))),
                last_fetched_at=newest,
                oldest_fetched_at=oldest,
            )
        )
    return DbStatus(path=db.path, file_bytes=db.file_size(), resources=tuple(entries))
