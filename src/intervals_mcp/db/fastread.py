"""The server's hot reads, synchronous, on one stdlib sqlite3 connection.

Through the async engine every small query costs ~1 ms (several hops to aiosqlite's thread
and SQLAlchemy's result processing); the same query here costs tens of microseconds, so
answering a repeated question is dominated by the MCP SDK, not by us. Reads in WAL mode never
wait for a writer, so running them on the event loop's thread is cheap and bounded by the rows
asked for. Writes stay on the async engine (`repo`).

The rows are the same dataclasses `repo` returns, converted by the types the models declare
(a test compares both over a real cache file). The connection is also the `DataGeneration`
watcher: it never writes, so `data_version` moves only with other connections' commits.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import Table

from intervals_mcp.db.generation import DataGeneration
from intervals_mcp.db.repo import (
    ACTIVITIES,
    COVERAGE,
    EVENTS,
    INTERVALS,
    PROFILES,
    WELLNESS,
    ActivityRow,
    EventRow,
    IntervalsRow,
    ProfileRow,
    Resource,
    WellnessRow,
)

R = TypeVar("R")
Convert = Callable[[Any], Any]


def _local(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _utc(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _json(value: Any) -> Any:
    return None if value is None else json.loads(value)


_BY_TYPE: dict[str, Convert] = {
    "Date": _day,
    "DateTime": _local,  # naive local wall-clock time, as stored
    "UTCDateTime": _utc,  # stored naive UTC, read back aware
    "Boolean": _flag,
    "JSON": _json,
}


def converters(table: Table, names: Sequence[str]) -> list[Convert | None]:
    """Per column, how to turn what sqlite3 hands back into what the model declares."""
    return [_BY_TYPE.get(type(table.c[name].type).__name__) for name in names]


class _RowReader:
    """`SELECT <the row type's columns> FROM table` plus the conversion of each value."""

    def __init__(self, table: Table, row_type: Callable[..., Any], names: Sequence[str]) -> None:
        self.names = list(names)
        self.select = f"SELECT {', '.join(self.names)} FROM {table.name}"
        self._convert = converters(table, self.names)
        self._row_type = row_type

    def rows(self, cursor: sqlite3.Cursor) -> list[Any]:
        names, convert, make = self.names, self._convert, self._row_type
        out = []
        for raw in cursor:
            values = {n: (v if c is None else c(v)) for n, c, v in zip(names, convert, raw, strict=True)}
            out.append(make(**values))
        return out


def _columns(row_type: type[Any]) -> list[str]:
    return [f.name for f in fields(row_type)]


def _intervals_row(**v: Any) -> IntervalsRow:
    return IntervalsRow(
        athlete_id=v["athlete_id"],
        activity_id=v["activity_id"],
        markers=(v["icu_sync_date"], v["analyzed"]),
        fetched_at=v["fetched_at"],
        payload=v["payload"],
    )


_ACTIVITY = _RowReader(ACTIVITIES, ActivityRow, _columns(ActivityRow))
_WELLNESS = _RowReader(WELLNESS, WellnessRow, _columns(WellnessRow))
_EVENT = _RowReader(EVENTS, EventRow, _columns(EventRow))
_PROFILE = _RowReader(PROFILES, ProfileRow, _columns(ProfileRow))
_INTERVALS = _RowReader(
    INTERVALS,
    _intervals_row,
    ["athlete_id", "activity_id", "icu_sync_date", "analyzed", "fetched_at", "payload"],
)
_COVERAGE_DAY = converters(COVERAGE, ["day", "fetched_at"])


PARSED_PAYLOADS = 4096
"""Parsed payloads kept by digest (~a few years of activities, or a few MB)."""


class CacheReader(DataGeneration):
    """Read-only, synchronous twins of `repo`'s reads, plus the file's data generation.

    Use it from the thread that opened it (the event loop's). `payloads` keeps what it parsed
    by digest: a digest names the payload's exact content, so a kept parse can never be stale,
    and a repeated range costs no JSON parsing. Treat the payloads it returns as read-only.
    """

    def __init__(self, path: Path, *, keep_parsed: int = PARSED_PAYLOADS) -> None:
        super().__init__(path)
        self._parsed: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._keep = keep_parsed

    def _parse(self, digest: str, text: str) -> dict[str, Any]:
        parsed = self._parsed.get(digest)
        if parsed is None:
            parsed = self._parsed[digest] = json.loads(text)
            if len(self._parsed) > self._keep:
                self._parsed.popitem(last=False)
        else:
            self._parsed.move_to_end(digest)
        return parsed

    def _run(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        conn = self._conn
        if conn is None:
            raise self._closed()
        try:
            return conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def coverage_days(
        self, athlete_id: str, resource: Resource, start: date, end: date
    ) -> dict[date, datetime]:
        day, at = _COVERAGE_DAY
        assert day is not None and at is not None
        cursor = self._run(
            "SELECT day, fetched_at FROM sync_coverage WHERE athlete_id = ? AND resource = ? "
            "AND day BETWEEN ? AND ?",
            (athlete_id, resource, start.isoformat(), end.isoformat()),
        )
        return {day(d): at(f) for d, f in cursor}

    def list_activities(self, athlete_id: str, start: date, end: date) -> list[ActivityRow]:
        """Newest first, as `repo.list_activities`."""
        cursor = self._run(
            f"{_ACTIVITY.select} WHERE athlete_id = ? AND local_date BETWEEN ? AND ? "
            "ORDER BY start_date_local DESC, id DESC",
            (athlete_id, start.isoformat(), end.isoformat()),
        )
        return _ACTIVITY.rows(cursor)

    def list_wellness(self, athlete_id: str, start: date, end: date) -> list[WellnessRow]:
        cursor = self._run(
            f"{_WELLNESS.select} WHERE athlete_id = ? AND local_date BETWEEN ? AND ? ORDER BY local_date",
            (athlete_id, start.isoformat(), end.isoformat()),
        )
        return _WELLNESS.rows(cursor)

    def list_events(self, athlete_id: str, start: date, end: date) -> list[EventRow]:
        cursor = self._run(
            f"{_EVENT.select} WHERE athlete_id = ? AND local_date BETWEEN ? AND ? "
            "ORDER BY start_date_local, id",
            (athlete_id, start.isoformat(), end.isoformat()),
        )
        return _EVENT.rows(cursor)

    def get_activity(self, athlete_id: str, activity_id: str) -> ActivityRow | None:
        cursor = self._run(
            f"{_ACTIVITY.select} WHERE athlete_id = ? AND id = ?", (athlete_id, str(activity_id))
        )
        return _first(_ACTIVITY.rows(cursor))

    def get_event(self, athlete_id: str, event_id: int) -> EventRow | None:
        cursor = self._run(f"{_EVENT.select} WHERE athlete_id = ? AND id = ?", (athlete_id, int(event_id)))
        return _first(_EVENT.rows(cursor))

    def get_intervals(self, athlete_id: str, activity_id: str) -> IntervalsRow | None:
        cursor = self._run(
            f"{_INTERVALS.select} WHERE athlete_id = ? AND activity_id = ?", (athlete_id, str(activity_id))
        )
        return _first(_INTERVALS.rows(cursor))

    def get_profile(self, athlete_id: str) -> ProfileRow | None:
        cursor = self._run(f"{_PROFILE.select} WHERE athlete_id = ?", (athlete_id,))
        return _first(_PROFILE.rows(cursor))


    # --- digests: what an answer is built from, named cheaply --------------------------------

    def digests(self, resource: Resource, athlete_id: str, start: date, end: date) -> tuple[str, ...]:
        """The payload digests of [start, end], in the order `list_*` returns the rows.

        Equal digests mean equal payloads (the repo hashes each payload's canonical JSON when
        it writes it), so they name the rows' content without reading or parsing it.
        """
        table, order = _LISTS[resource]
        cursor = self._run(
            f"SELECT payload_hash FROM {table} WHERE athlete_id = ? AND local_date BETWEEN ? AND ? {order}",
            (athlete_id, start.isoformat(), end.isoformat()),
        )
        return tuple(h for (h,) in cursor)

    def payloads(
        self, resource: Resource, athlete_id: str, start: date, end: date
    ) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
        """(digests, payloads) of [start, end] from ONE statement, so the two always agree."""
        table, order = _LISTS[resource]
        cursor = self._run(
            f"SELECT payload_hash, payload FROM {table} WHERE athlete_id = ? "
            f"AND local_date BETWEEN ? AND ? {order}",
            (athlete_id, start.isoformat(), end.isoformat()),
        )
        rows = cursor.fetchall()
        return tuple(h for h, _ in rows), [self._parse(digest, text) for digest, text in rows]

    def record_digest(self, kind: Record, athlete_id: str, record_id: str | int) -> str | None:
        """One record's digest (for intervals, which carry none, their JSON text itself)."""
        found = self.record(kind, athlete_id, record_id, parse=False)
        return None if found is None else found[0]

    def record(
        self, kind: Record, athlete_id: str, record_id: str | int, *, parse: bool = True
    ) -> tuple[str, dict[str, Any]] | None:
        """(digest, payload) of one activity, event or activity's intervals, or None."""
        sql, key = _RECORDS[kind]
        row = self._run(sql, (athlete_id, key(record_id))).fetchone()
        if row is None:
            return None
        digest, text = row
        return str(digest), (json.loads(text) if parse else {})


Record = Literal["activity", "event", "intervals"]
_LISTS: dict[Resource, tuple[str, str]] = {
    "activities": ("activities", "ORDER BY start_date_local DESC, id DESC"),
    "wellness": ("wellness", "ORDER BY local_date"),
    "events": ("events", "ORDER BY start_date_local, id"),
}
_RECORDS: dict[Record, tuple[str, Callable[[Any], Any]]] = {
    "activity": ("SELECT payload_hash, payload FROM activities WHERE athlete_id = ? AND id = ?", str),
    "event": ("SELECT payload_hash, payload FROM events WHERE athlete_id = ? AND id = ?", int),
    "intervals": (
        "SELECT payload, payload FROM activity_intervals WHERE athlete_id = ? AND activity_id = ?",
        str,
    ),
}


def _first(rows: list[R]) -> R | None:
    return rows[0] if rows else None
