"""Models and migrations agree, and upgrading a populated database loses nothing."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from intervals_mcp.db import models, queries
from intervals_mcp.db.columns import payload_hash
from intervals_mcp.db.engine import (
    HEAD_REVISION,
    Database,
    open_engine,
    upgrade_connection,
    upgrade_database,
)
from intervals_mcp.db.engine import alembic_config as _alembic_config
from intervals_mcp.db.sqlite import SQLITE, url_of
from intervals_mcp.db.sqlite import revision_of as current_revision

pytestmark = pytest.mark.anyio

assert models.TABLES  # the tables are registered on SQLModel.metadata


def alembic_config(path: Path | None = None) -> Any:
    return _alembic_config(url_of(path) if path is not None else None)


def _differences(path: Path) -> list[Any]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def test_autogenerate_finds_no_difference_between_models_and_migrations(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    upgrade_database(path)
    assert _differences(path) == []


def test_the_comparison_does_see_a_difference(tmp_path: Path) -> None:
    # Guard for the test above: a database one migration behind is reported as different.
    path = tmp_path / "cache.sqlite3"
    command.upgrade(alembic_config(path), "0001")
    assert _differences(path) != []


# Rows written at revision 0001, by hand, in the shapes 0001 stored them.
_STAMP = "2026-10-12 09:00:00.000000"
_ACTIVITIES = [
    (
        "i1",
        "i100",
        "2026-10-10",
        "2026-10-10 07:00:00.000000",
        "Ride",
        "Endurance",
        "GARMIN_CONNECT",
        0,
        {"id": "i100", "type": "Ride", "moving_time": 3600, "distance": 30000.5, "icu_training_load": 55},
    ),
    (
        "i1",
        "i101",
        "2026-10-11",
        "2026-10-11 18:00:00.000000",
        "Run",
        "Tempo",
        "UPLOAD",
        0,
        {"id": "i101", "type": "Run", "moving_time": 2400.6, "distance": None, "icu_training_load": True},
    ),
    (
        "i1",
        "16358453283",
        "2026-10-12",
        "2026-10-12 09:14:15.000000",
        None,
        None,
        "STRAVA",
        1,
        {"id": "16358453283", "source": "STRAVA", "_note": "STRAVA activities are not available via the API"},
    ),
    (
        "i2",
        "i100",
        "2026-10-10",
        "2026-10-10 06:00:00.000000",
        "Swim",
        "Pool",
        "MANUAL",
        0,
        {"id": "i100", "type": "Swim", "moving_time": 1800, "distance": 2000, "icu_training_load": 30},
    ),
]


_WELLNESS = {"id": "2026-10-11", "restingHR": 47}
_EVENT = {"id": 42, "category": "WORKOUT"}


def _populate_at_0001(path: Path) -> None:
    """Rows as 0001 stored them; digests are the app's (a row's digest names its payload)."""
    with sqlite3.connect(path) as conn:
        for athlete, act_id, day, start, typ, name, source, stub, payload in _ACTIVITIES:
            conn.execute(
                "INSERT INTO activities (athlete_id, id, local_date, start_date_local, type, name, source,"
                " is_strava_stub, icu_sync_date, analyzed, payload_hash, fetched_at, payload)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)",
                (
                    athlete,
                    act_id,
                    day,
                    start,
                    typ,
                    name,
                    source,
                    stub,
                    payload_hash(payload),
                    _STAMP,
                    json.dumps(payload),
                ),
            )
        conn.execute(
            "INSERT INTO wellness VALUES ('i1', '2026-10-11', '2026-10-11', NULL, ?, ?, ?)",
            (payload_hash(_WELLNESS), _STAMP, json.dumps(_WELLNESS)),
        )
        conn.execute(
            "INSERT INTO events (athlete_id, id, local_date, start_date_local, end_date_local, category,"
            " type, name, updated, payload_hash, fetched_at, payload)"
            " VALUES ('i1', 42, '2026-10-14', '2026-10-14 00:00:00.000000', NULL, 'WORKOUT', 'Ride',"
            " 'Sweet Spot', NULL, ?, ?, ?)",
            (payload_hash(_EVENT), _STAMP, json.dumps(_EVENT)),
        )
        conn.execute(
            "INSERT INTO activity_intervals VALUES ('i1', 'i100', 'a', 'b', ?, ?)",
            (_STAMP, json.dumps({"id": "i100", "icu_intervals": []})),
        )
        conn.execute(
            "INSERT INTO athlete_profiles VALUES ('i1', 'Alex', 'Europe/London', ?, ?)",
            (_STAMP, json.dumps({"id": "i1", "sportSettings": [{"ftp": 265}]})),
        )
        conn.executemany(
            "INSERT INTO sync_coverage VALUES ('i1', 'activities', ?, ?)",
            [(f"2026-10-{d:02d}", _STAMP) for d in range(10, 13)],
        )


def _counts(path: Path) -> dict[str, int]:
    tables = ["activities", "wellness", "events", "activity_intervals", "athlete_profiles", "sync_coverage"]
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


async def test_upgrading_a_populated_0001_database_loses_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    command.upgrade(alembic_config(path), "0001")
    _populate_at_0001(path)
    before = _counts(path)
    assert before["activities"] == 4

    upgrade_database(path)

    assert current_revision(path) == HEAD_REVISION
    assert _counts(path) == before
    db = await Database.open(path)
    reader = db.open_reader()
    try:
        rows = {
            r.id: r
            for r in await queries.records_in(
                reader, "activities", "i1", date(2026, 10, 1), date(2026, 10, 31)
            )
        }
        assert set(rows) == {"i100", "i101", "16358453283"}
        for athlete, act_id, *_, payload in _ACTIVITIES:
            row = await queries.record(reader, "activities", athlete, act_id)
            assert row is not None and row.payload == payload
        # 0002 backfilled the totals from the stored payloads, numbers only (in Python, so the
        # migration runs on any database).
        with sqlite3.connect(path) as conn:
            totals = {
                r[0]: r[1:]
                for r in conn.execute(
                    "SELECT id, moving_time, distance, training_load FROM activities WHERE athlete_id = 'i1'"
                )
            }
        assert totals == {
            "i100": (3600, 30000.5, 55.0),
            "i101": (2401, None, None),
            "16358453283": (None, None, None),
        }
        stub = rows["16358453283"]
        assert stub.is_strava_stub
        assert stub.fetched_at.tzinfo is not None
        wellness = await queries.records_in(reader, "wellness", "i1", date(2026, 10, 1), date(2026, 10, 31))
        assert [w.id for w in wellness] == ["2026-10-11"]
        assert (await queries.record(reader, "events", "i1", 42)) is not None
        intervals = await queries.extra(reader, "intervals", "i1", "i100")
        assert intervals is not None and intervals.markers == ("a", "b")
        # 0003 gave intervals and profiles the same change marker as every other table.
        assert intervals.digest == payload_hash({"id": "i100", "icu_intervals": []})
        profile = await queries.profile(reader, "i1")
        assert profile is not None and profile.payload["sportSettings"] == [{"ftp": 265}]
        assert profile.digest == payload_hash(profile.payload) and not profile.key_owner
        covered = await queries.coverage(reader, "i1", "activities", date(2026, 10, 1), date(2026, 10, 31))
        assert sorted(covered) == [date(2026, 10, d) for d in range(10, 13)]
    finally:
        await reader.aclose()
        await db.close()


def test_downgrade_to_0001_keeps_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    command.upgrade(alembic_config(path), "0001")
    _populate_at_0001(path)
    before = _counts(path)
    upgrade_database(path)
    command.downgrade(alembic_config(path), "0001")
    assert current_revision(path) == "0001"
    assert _counts(path) == before


async def test_upgrade_on_a_connection_passed_in(tmp_path: Path) -> None:
    # How async code migrates an open database without asyncio.run inside env.py.
    path = tmp_path / "cache.sqlite3"
    engine = open_engine(url_of(path), SQLITE)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(upgrade_connection)
    finally:
        await engine.dispose()
    assert current_revision(path) == HEAD_REVISION
    assert _differences(path) == []
