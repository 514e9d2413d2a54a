"""Writing the cache: SQL only, one transaction per call, never backwards in time.

`replace_window` makes a fetched date window authoritative (upsert what upstream returned,
delete what it no longer returns, mark every day covered) in ONE transaction, so a crash
leaves the window stale, never half-marked. `upsert_records`/`delete_records` write single
records through (a detail fetch, or after a write upstream) without touching coverage.
`save_extra`/`save_profile` store an activity's extras (intervals, streams, messages) and the
athlete object; `save_document` an athlete-level document (curves, gear, ...).

Every write carries `fetched_at`, the moment its data was asked for upstream, and never
replaces anything the cache learnt later: a row is updated only by data at least as new as
it; a window's day whose coverage is newer than this fetch keeps its rows and its coverage;
and a row is deleted as "vanished" only when it was fetched before this fetch began. So two
overlapping fetches may commit in any order and the newer snapshot stands.

A payload that cannot be cached (no id, no date) raises `ValueError` before anything is
written; in a window, such records are skipped and said in `WindowChange.skipped` (the window
is refused only when none of its records can be placed), and that window deletes nothing, as a
skipped record may be a cached one. Failures of the database surface as `StorageError` (see
`Database.write`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from intervals_mcp.days import each_day
from intervals_mcp.db.columns import (
    JSONDict,
    canonical_json,
    profile_columns,
    scrub_secrets,
    text_hash,
)
from intervals_mcp.db.engine import Database, JSONText
from intervals_mcp.db.resources import (
    COVERAGE,
    DOCUMENTS,
    EXTRAS,
    PROFILES,
    SPECS,
    Document,
    Resource,
    ResourceSpec,
)

# SQLite allows 32766 bound parameters and PostgreSQL 65535; stay far below for IN lists.
_CHUNK = 500
T = TypeVar("T")


@dataclass(frozen=True)
class WindowChange:
    """What a write did: new rows, rows whose payload really changed, rows deleted, and the
    days left alone because the cache already held newer data for them."""

    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    kept_newer_days: int = 0
    skipped: tuple[str, ...] = ()  # why each record upstream sent could not be placed (no id, no date)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _check_aware(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("fetched_at must be a timezone-aware (UTC) datetime.")


def upsert(conn: AsyncConnection, table: Table, *, keep_newer: bool = True, keep: Sequence[str] = ()) -> Any:
    """INSERT … ON CONFLICT (primary key) DO UPDATE every other column (but those in `keep`),
    in the connection's dialect; with `keep_newer`, only when the incoming row is at least as
    fresh."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql as dialect
    else:
        from sqlalchemy.dialects import sqlite as dialect  # type: ignore[no-redef]
    stmt = dialect.insert(table)
    return stmt.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={
            c.name: stmt.excluded[c.name] for c in table.columns if not c.primary_key and c.name not in keep
        },
        where=(table.c.fetched_at <= stmt.excluded.fetched_at) if keep_newer else None,
    )


def _hashed(values: JSONDict, payload: JSONDict) -> JSONDict:
    """`values` plus the payload as canonical JSON text and its digest (serialised once)."""
    text = canonical_json(payload)
    return {**values, "payload_hash": text_hash(text), "payload": JSONText(text)}


@dataclass
class _Rows:
    """What one write stores: column values per id (a later duplicate wins) and, for a
    resource with children, each record's child rows; computed before any SQL runs."""

    records: dict[Any, JSONDict]
    children: dict[Any, list[JSONDict]]
    skipped: list[str] = field(default_factory=list)  # why each unplaceable record was left out


def _records(
    spec: ResourceSpec, athlete_id: str, rows: Iterable[JSONDict], fetched_at: datetime, *, skip: bool = False
) -> _Rows:
    """A record that cannot be placed (no id, no date) raises ValueError, or with `skip` is
    left out and said in `skipped`."""
    _check_aware(fetched_at)
    out = _Rows({}, {})
    for payload in rows:
        try:
            values = spec.columns(payload)
        except ValueError as exc:
            if not skip:
                raise
            out.skipped.append(str(exc).strip().rstrip("."))
            continue
        out.records[values["id"]] = _hashed(
            {**values, "athlete_id": athlete_id, "fetched_at": fetched_at}, payload
        )
        if spec.children is not None:
            kids = spec.children.rows(payload, values)
            out.children[values["id"]] = [{**kid, "athlete_id": athlete_id} for kid in kids]
    return out


async def _write_children(
    conn: AsyncConnection, spec: ResourceSpec, athlete_id: str, rows: _Rows, known: dict[Any, str]
) -> None:
    """Rewrite the child rows of the records whose payload this write really stored (new or
    changed, and not kept back as older than the cached row)."""
    if spec.children is None:
        return
    table, column = spec.children.table, spec.children.column
    changed = [i for i, v in rows.records.items() if known.get(i) != v["payload_hash"]]
    for chunk in _chunks(changed):
        stored = await conn.execute(
            select(spec.table.c.id, spec.table.c.payload_hash).where(
                spec.table.c.athlete_id == athlete_id, spec.table.c.id.in_(chunk)
            )
        )
        applied = [i for i, digest in stored if digest == rows.records[i]["payload_hash"]]
        if not applied:
            continue
        parents = table.c[column].in_([str(i) for i in applied])
        await conn.execute(delete(table).where(table.c.athlete_id == athlete_id, parents))
        kids = [kid for i in applied for kid in rows.children.get(i, [])]
        if kids:
            await conn.execute(table.insert(), kids)


async def _stored(
    conn: AsyncConnection, table: Table, athlete_id: str, ids: Sequence[Any], window: tuple[date, date] | None
) -> tuple[list[Any], dict[Any, str]]:
    """(the window's stored rows as (id, day, fetched_at), stored hashes of every given id)."""
    mine = table.c.athlete_id == athlete_id
    in_window: list[Any] = []
    known: dict[Any, str] = {}
    if window is not None:
        stmt = select(table.c.id, table.c.local_date, table.c.fetched_at, table.c.payload_hash)
        for row in await conn.execute(stmt.where(mine, table.c.local_date.between(*window))):
            in_window.append(row)
            known[row.id] = row.payload_hash
    missing = [i for i in ids if i not in known]
    for chunk in _chunks(missing):
        result = await conn.execute(
            select(table.c.id, table.c.payload_hash).where(mine, table.c.id.in_(chunk))
        )
        known.update({row.id: row.payload_hash for row in result})
    return in_window, known


async def _write(
    conn: AsyncConnection,
    spec: ResourceSpec,
    athlete_id: str,
    rows: _Rows,
    fetched_at: datetime,
    window: tuple[date, date] | None,
    newer_days: frozenset[date] = frozenset(),
) -> WindowChange:
    records = {i: v for i, v in rows.records.items() if v["local_date"] not in newer_days}
    rows = _Rows(records, rows.children, rows.skipped)
    in_window, known = await _stored(conn, spec.table, athlete_id, list(records), window)
    if records:
        await conn.execute(upsert(conn, spec.table), list(records.values()))
        await _write_children(conn, spec, athlete_id, rows, known)
    # A record that could not be placed may be one of the cached rows: then nothing vanished.
    vanished = [] if rows.skipped else [
        row.id
        for row in in_window
        if row.id not in records and row.local_date not in newer_days and row.fetched_at < fetched_at
    ]
    await _delete(conn, spec, athlete_id, vanished)
    return WindowChange(
        inserted=sum(1 for i in records if i not in known),
        updated=sum(1 for i, v in records.items() if i in known and known[i] != v["payload_hash"]),
        deleted=len(vanished),
        kept_newer_days=len(newer_days),
        skipped=tuple(rows.skipped),
    )


async def _delete(conn: AsyncConnection, spec: ResourceSpec, athlete_id: str, ids: Sequence[Any]) -> int:
    deleted = 0
    table = spec.table
    for chunk in _chunks(ids):
        result = await conn.execute(
            delete(table).where(table.c.athlete_id == athlete_id, table.c.id.in_(chunk))
        )
        deleted += result.rowcount
        for cascade in spec.cascades:
            t = cascade.table
            await conn.execute(
                delete(t).where(
                    t.c.athlete_id == athlete_id, t.c[cascade.column].in_([str(i) for i in chunk])
                )
            )
    return deleted


async def _newer_days(
    conn: AsyncConnection, athlete_id: str, resource: str, start: date, end: date, fetched_at: datetime
) -> frozenset[date]:
    stmt = select(COVERAGE.c.day).where(
        COVERAGE.c.athlete_id == athlete_id,
        COVERAGE.c.resource == resource,
        COVERAGE.c.day.between(start, end),
        COVERAGE.c.fetched_at > fetched_at,
    )
    return frozenset(row.day for row in await conn.execute(stmt))


async def replace_window(
    db: Database,
    resource: Resource,
    athlete_id: str,
    start: date,
    end: date,
    rows: list[JSONDict],
    fetched_at: datetime,
) -> WindowChange:
    """Make [start, end] of one resource what upstream returned when asked at `fetched_at`, in
    one transaction: upsert `rows`, delete this athlete's rows of the window that upstream no
    longer returns, and mark the window's days covered at `fetched_at` — except on days the
    cache already knows from a later fetch, which are left exactly as they are.

    Records that cannot be placed (no id, no date) are skipped and said in the change (and then
    nothing of the window is deleted); when none of the records can be placed, ValueError."""
    if end < start:
        raise ValueError(f"The window ends ({end}) before it starts ({start}).")
    spec = SPECS[resource]
    records = _records(spec, athlete_id, rows, fetched_at, skip=True)
    if records.skipped and not records.records:
        raise ValueError(records.skipped[0])
    async with db.write() as conn:
        newer = await _newer_days(conn, athlete_id, resource, start, end, fetched_at)
        change = await _write(conn, spec, athlete_id, records, fetched_at, (start, end), newer)
        days = [
            {"athlete_id": athlete_id, "resource": resource, "day": day, "fetched_at": fetched_at}
            for day in each_day(start, end)
            if day not in newer
        ]
        if days:
            await conn.execute(upsert(conn, COVERAGE), days)
    return change


async def upsert_records(
    db: Database, resource: Resource, athlete_id: str, rows: list[JSONDict], fetched_at: datetime
) -> WindowChange:
    """Insert or update single records (a detail fetch, a write-through); no coverage."""
    spec = SPECS[resource]
    records = _records(spec, athlete_id, rows, fetched_at)
    async with db.write() as conn:
        return await _write(conn, spec, athlete_id, records, fetched_at, None)


async def delete_records(db: Database, resource: Resource, athlete_id: str, ids: Sequence[str | int]) -> int:
    """Delete records by id (gone upstream) and what goes with them; returns how many were cached."""
    spec = SPECS[resource]
    async with db.write() as conn:
        return await _delete(conn, spec, athlete_id, [spec.key(i) for i in ids])


async def save_extra(
    db: Database,
    kind: str,
    athlete_id: str,
    parent_id: str,
    payload: JSONDict,
    markers: tuple[str | None, str | None],
    fetched_at: datetime,
) -> None:
    """Store a record's extra (an activity's intervals, streams or messages) with the parent
    markers it was fetched under."""
    _check_aware(fetched_at)
    extra = EXTRAS[kind]
    values = {
        "athlete_id": athlete_id,
        extra.parent_column: str(parent_id),
        "icu_sync_date": markers[0],
        "analyzed": markers[1],
        "fetched_at": fetched_at,
    }
    async with db.write() as conn:
        await conn.execute(upsert(conn, extra.table), [_hashed(values, payload)])


async def save_document(
    db: Database,
    kind: Document,
    athlete_id: str,
    key: str,
    payload: JSONDict,
    marker: str | None,
    fetched_at: datetime,
) -> None:
    """Store an athlete-level document under (athlete, kind, key) with the marker it was
    fetched under; an older fetch never replaces a newer one."""
    _check_aware(fetched_at)
    values = {"athlete_id": athlete_id, "kind": kind, "key": key, "marker": marker, "fetched_at": fetched_at}
    async with db.write() as conn:
        await conn.execute(upsert(conn, DOCUMENTS[kind].table), [_hashed(values, scrub_secrets(payload))])


async def save_profile(db: Database, payload: JSONDict, fetched_at: datetime, *, key_owner: bool) -> str:
    """Store the athlete object (any API key in it dropped first) under its own id; with
    `key_owner`, mark it as the athlete `0` names. Returns the id."""
    _check_aware(fetched_at)
    clean = scrub_secrets(payload)
    athlete_id = str(clean.get("id") or "").strip()
    if not athlete_id:
        raise ValueError("The athlete payload has no id, so it cannot be cached.")
    values = {
        "athlete_id": athlete_id,
        **profile_columns(clean),
        "key_owner": key_owner,
        "fetched_at": fetched_at,
    }
    async with db.write() as conn:
        # Fetched by its own id, an athlete keeps whatever it was; fetched as `0`, it becomes
        # the one key owner.
        await conn.execute(
            upsert(conn, PROFILES, keep_newer=False, keep=("key_owner",)), [_hashed(values, clean)]
        )
        if key_owner:
            await conn.execute(PROFILES.update().values(key_owner=PROFILES.c.athlete_id == athlete_id))
    return athlete_id
