"""The query layer: SQLAlchemy Core statements over the cache, dialect-neutral, and the reads
everything above the database layer makes with them.

Each statement is built once, with named parameters, and run by a `CacheReader` (see
reader.py): on the synchronous SQLite connection beside a server, or on the async engine of
another database. Reads return small frozen dataclasses or plain values; payloads come back
parsed (through the reader's digest-keyed cache, so treat them as read-only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Select, Text, bindparam, select, type_coerce

from intervals_mcp.db.columns import JSONDict, is_strava_stub, marker
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.db.resources import (
    ACTIVITIES,
    COVERAGE,
    DOCUMENTS_TABLE,
    EXTRAS,
    PROFILES,
    SPECS,
    Document,
    Extra,
    Resource,
)

__all__ = ["Extra"]  # re-exported: the extras' names, as everyone above imports them


@dataclass(frozen=True)
class Record:
    """One cached record of a windowed resource."""

    athlete_id: str
    id: str | int
    local_date: date
    fetched_at: datetime
    digest: str
    payload: JSONDict

    @property
    def is_strava_stub(self) -> bool:
        return is_strava_stub(self.payload)

    @property
    def markers(self) -> tuple[str | None, str | None]:
        """(icu_sync_date, analyzed) exactly as upstream sent them: an activity's extras are
        stale once these move."""
        return marker(self.payload.get("icu_sync_date")), marker(self.payload.get("analyzed"))


@dataclass(frozen=True)
class ExtraRow:
    """A per-record extra (an activity's intervals) and the parent markers it was fetched under."""

    athlete_id: str
    parent_id: str
    markers: tuple[str | None, str | None]
    fetched_at: datetime
    digest: str
    payload: JSONDict


@dataclass(frozen=True)
class DocumentRow:
    """An athlete-level document (see resources.DOCUMENTS) and the marker it was fetched under."""

    athlete_id: str
    kind: str
    key: str
    marker: str | None
    fetched_at: datetime
    digest: str
    payload: JSONDict


@dataclass(frozen=True)
class ProfileRow:
    athlete_id: str
    name: str | None
    timezone: str | None
    key_owner: bool
    fetched_at: datetime
    digest: str
    payload: JSONDict


_ATHLETE: BindParameter[str] = bindparam("athlete")
_START: BindParameter[date] = bindparam("start")
_END: BindParameter[date] = bindparam("end")
_ID: BindParameter[Any] = bindparam("id")


def _text(column: Any) -> Any:
    """A JSON column read as its stored text: parsed once per digest by the reader's cache."""
    return type_coerce(column, Text).label(column.name)


# --- statements (built once) ------------------------------------------------------------------


@cache
def _range(resource: Resource, payload: bool) -> Select[Any]:
    spec = SPECS[resource]
    t = spec.table
    columns = [t.c.payload_hash, _text(t.c.payload)] if payload else [t.c.payload_hash]
    return (
        select(*columns)
        .where(t.c.athlete_id == _ATHLETE, t.c.local_date.between(_START, _END))
        .order_by(*spec.order)
    )


@cache
def _record(resource: Resource) -> Select[Any]:
    t = SPECS[resource].table
    return select(*_records_in(resource).selected_columns).where(t.c.athlete_id == _ATHLETE, t.c.id == _ID)


@cache
def _records_in(resource: Resource) -> Select[Any]:
    spec = SPECS[resource]
    t = spec.table
    return (
        select(t.c.athlete_id, t.c.id, t.c.local_date, t.c.fetched_at, t.c.payload_hash, _text(t.c.payload))
        .where(t.c.athlete_id == _ATHLETE, t.c.local_date.between(_START, _END))
        .order_by(*spec.order)
    )


@cache
def _owners(resource: Resource) -> Select[Any]:
    t = SPECS[resource].table
    return select(t.c.athlete_id).where(t.c.id == _ID).order_by(t.c.fetched_at.desc())


@cache
def _extra(kind: Extra) -> Select[Any]:
    t = EXTRAS[kind].table
    return select(
        t.c.athlete_id,
        t.c[EXTRAS[kind].parent_column],
        t.c.icu_sync_date,
        t.c.analyzed,
        t.c.fetched_at,
        t.c.payload_hash,
        _text(t.c.payload),
    ).where(t.c.athlete_id == _ATHLETE, t.c[EXTRAS[kind].parent_column] == _ID)


_DOCUMENT = select(
    DOCUMENTS_TABLE.c.athlete_id,
    DOCUMENTS_TABLE.c.kind,
    DOCUMENTS_TABLE.c.key,
    DOCUMENTS_TABLE.c.marker,
    DOCUMENTS_TABLE.c.fetched_at,
    DOCUMENTS_TABLE.c.payload_hash,
    _text(DOCUMENTS_TABLE.c.payload),
).where(
    DOCUMENTS_TABLE.c.athlete_id == _ATHLETE,
    DOCUMENTS_TABLE.c.kind == bindparam("kind"),
    DOCUMENTS_TABLE.c.key == bindparam("key"),
)


@cache
def _newest_activity(typed: bool) -> Select[Any]:
    """The newest readable activity (of the given types when `typed`): what a document that sums
    activities was last fetched under."""
    a = ACTIVITIES
    stmt = (
        select(a.c.id, a.c.icu_sync_date, a.c.analyzed)
        .where(a.c.athlete_id == _ATHLETE, a.c.is_strava_stub.is_(False))
        .order_by(a.c.start_date_local.desc(), a.c.id.desc())
        .limit(1)
    )
    return stmt.where(a.c.type.in_(bindparam("types", expanding=True))) if typed else stmt


_COVERAGE = select(COVERAGE.c.day, COVERAGE.c.fetched_at).where(
    COVERAGE.c.athlete_id == _ATHLETE,
    COVERAGE.c.resource == bindparam("resource"),
    COVERAGE.c.day.between(_START, _END),
)
_PROFILE_COLUMNS = (
    PROFILES.c.athlete_id,
    PROFILES.c.name,
    PROFILES.c.timezone,
    PROFILES.c.key_owner,
    PROFILES.c.fetched_at,
    PROFILES.c.payload_hash,
    _text(PROFILES.c.payload),
)
_PROFILE = select(*_PROFILE_COLUMNS).where(PROFILES.c.athlete_id == _ATHLETE)
_KEY_OWNER = (
    select(*_PROFILE_COLUMNS)
    .where(PROFILES.c.key_owner.is_(True))
    .order_by(PROFILES.c.fetched_at.desc())
    .limit(1)
)


def _window(athlete: str, start: date, end: date) -> dict[str, Any]:
    return {"athlete": athlete, "start": start, "end": end}


# --- reads ------------------------------------------------------------------------------------


async def digests(
    reader: CacheReader, resource: Resource, athlete: str, start: date, end: date
) -> tuple[str, ...]:
    """The payload digests of [start, end], in answer order. Equal digests mean equal payloads,
    so they name the rows' content without reading or parsing it."""
    rows = await reader.rows(_range(resource, False), _window(athlete, start, end))
    return tuple(r[0] for r in rows)


async def payloads(
    reader: CacheReader, resource: Resource, athlete: str, start: date, end: date
) -> tuple[tuple[str, ...], list[JSONDict]]:
    """(digests, payloads) of [start, end] from ONE statement, so the two always agree."""
    rows = await reader.rows(_range(resource, True), _window(athlete, start, end))
    parse = reader.payloads.parse
    return tuple(r[0] for r in rows), [parse(r[0], r[1]) for r in rows]


async def record(
    reader: CacheReader, resource: Resource, athlete: str, record_id: str | int
) -> Record | None:
    rows = await reader.rows(_record(resource), {"athlete": athlete, "id": SPECS[resource].key(record_id)})
    if not rows:
        return None
    athlete_id, rid, day, fetched_at, digest, text = rows[0]
    return Record(athlete_id, rid, day, fetched_at, digest, reader.payloads.parse(digest, text))


async def owners(reader: CacheReader, resource: Resource, record_id: str | int) -> list[str]:
    """The athletes under whom a record id is cached, most recently fetched first."""
    rows = await reader.rows(_owners(resource), {"id": SPECS[resource].key(record_id)})
    return [r[0] for r in rows]


async def extra(reader: CacheReader, kind: Extra, athlete: str, parent_id: str) -> ExtraRow | None:
    rows = await reader.rows(_extra(kind), {"athlete": athlete, "id": str(parent_id)})
    if not rows:
        return None
    athlete_id, pid, sync_date, analyzed, fetched_at, digest, text = rows[0]
    return ExtraRow(
        athlete_id, pid, (sync_date, analyzed), fetched_at, digest, reader.payloads.parse(digest, text)
    )


async def coverage(
    reader: CacheReader, athlete: str, resource: str, start: date, end: date
) -> dict[date, datetime]:
    """When each covered day of [start, end] was last fetched; uncovered days are absent."""
    rows = await reader.rows(_COVERAGE, {**_window(athlete, start, end), "resource": resource})
    return {day: at for day, at in rows}


def _profile_row(reader: CacheReader, rows: Sequence[Any]) -> ProfileRow | None:
    if not rows:
        return None
    athlete_id, name, tz, owner, fetched_at, digest, text = rows[0]
    return ProfileRow(
        athlete_id, name, tz, bool(owner), fetched_at, digest, reader.payloads.parse(digest, text)
    )


async def profile(reader: CacheReader, athlete: str) -> ProfileRow | None:
    return _profile_row(reader, await reader.rows(_PROFILE, {"athlete": athlete}))


async def key_owner(reader: CacheReader) -> ProfileRow | None:
    """The athlete `0` last resolved to (the API key's owner), if ever."""
    return _profile_row(reader, await reader.rows(_KEY_OWNER, {}))


async def records_in(
    reader: CacheReader, resource: Resource, athlete: str, start: date, end: date
) -> list[Record]:
    """Every record of [start, end] in answer order (for bulk work such as prefetching extras)."""
    rows = await reader.rows(_records_in(resource), _window(athlete, start, end))
    parse = reader.payloads.parse
    return [Record(a, i, d, f, h, parse(h, p)) for a, i, d, f, h, p in rows]


async def document(reader: CacheReader, kind: Document, athlete: str, key: str) -> DocumentRow | None:
    rows = await reader.rows(_DOCUMENT, {"athlete": athlete, "kind": kind, "key": key})
    if not rows:
        return None
    athlete_id, kind_, key_, marker_, fetched_at, digest, text = rows[0]
    return DocumentRow(
        athlete_id, kind_, key_, marker_, fetched_at, digest, reader.payloads.parse(digest, text)
    )


async def newest_activity_marker(
    reader: CacheReader, athlete: str, types: frozenset[str] | None = None
) -> str | None:
    """A string naming the newest cached readable activity (of `types`; None: any) and its
    change markers: it moves when a newer activity lands or that one is re-analysed."""
    params: dict[str, Any] = {"athlete": athlete}
    if types is not None:
        params["types"] = sorted(types)
    rows = await reader.rows(_newest_activity(types is not None), params)
    if not rows:
        return None
    activity_id, synced, analyzed = rows[0]
    stamps = [t.isoformat() if isinstance(t, datetime) else str(t or "") for t in (synced, analyzed)]
    return "|".join([str(activity_id), *stamps])
