"""Migration 0004 fills the analytics columns and zone rows of what was cached before it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic import command

from intervals_mcp.db.columns import payload_hash
from intervals_mcp.db.engine import HEAD_REVISION, alembic_config, upgrade_database
from intervals_mcp.db.sqlite import revision_of, url_of

STAMP = "2026-10-12 09:00:00.000000"
RIDE = {
    "id": "i100",
    "type": "Ride",
    "start_date_local": "2026-10-10T07:00:00",
    "moving_time": 3600,
    "total_elevation_gain": 512.5,
    "icu_average_watts": 201,
    "icu_intensity": 81.2,
    "paired_event_id": 42,
    "description": "Over-unders",
    "icu_zone_times": [{"id": "Z1", "secs": 1000}, {"id": "SS", "secs": 60}],
    "icu_hr_zone_times": [300, 400],
}
STUB = {"id": "16358453283", "source": "STRAVA", "start_date_local": "2026-10-11T09:00:00"}
WELLNESS = {"id": "2026-10-11", "ctl": 61.5, "atl": 70.25, "hrv": 55, "restingHR": 47, "sleepSecs": 25200}
EVENT = {
    "id": 42,
    "category": "WORKOUT",
    "start_date_local": "2026-10-10T00:00:00",
    "icu_training_load": 77,
    "paired_activity_id": "i100",
}


def _populate_at_0003(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        for payload, day, kind, stub in ((RIDE, "2026-10-10", "Ride", 0), (STUB, "2026-10-11", None, 1)):
            conn.execute(
                "INSERT INTO activities (athlete_id, id, local_date, start_date_local, type, name, source,"
                " is_strava_stub, payload_hash, fetched_at, payload)"
                " VALUES ('i1', ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)",
                (
                    payload["id"],
                    day,
                    f"{day} 07:00:00.000000",
                    kind,
                    stub,
                    payload_hash(payload),
                    STAMP,
                    json.dumps(payload),
                ),
            )
        conn.execute(
            "INSERT INTO wellness (athlete_id, id, local_date, updated, payload_hash, fetched_at, payload)"
            " VALUES ('i1', '2026-10-11', '2026-10-11', NULL, ?, ?, ?)",
            (payload_hash(WELLNESS), STAMP, json.dumps(WELLNESS)),
        )
        conn.execute(
            "INSERT INTO events (athlete_id, id, local_date, start_date_local, category, payload_hash,"
            " fetched_at, payload)"
            " VALUES ('i1', 42, '2026-10-10', '2026-10-10 00:00:00.000000', 'WORKOUT', ?, ?, ?)",
            (payload_hash(EVENT), STAMP, json.dumps(EVENT)),
        )


def test_0004_backfills_the_columns_and_zone_rows_from_the_payloads(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    command.upgrade(alembic_config(url_of(path)), "0003")
    _populate_at_0003(path)
    upgrade_database(path)
    assert revision_of(path) == HEAD_REVISION
    with sqlite3.connect(path) as conn:
        acts = {
            r[0]: r[1:]
            for r in conn.execute(
                "SELECT id, elevation_gain, average_watts, intensity, paired_event_id, description"
                " FROM activities"
            )
        }
        zones = sorted(
            conn.execute(
                "SELECT activity_id, metric, zone, seconds, local_date, type FROM activity_zone_times"
            )
        )
        well = conn.execute("SELECT ctl, atl, hrv, resting_hr, sleep_secs, weight FROM wellness").fetchone()
        ev = conn.execute("SELECT training_load, paired_activity_id FROM events").fetchone()
    assert acts == {"i100": (512.5, 201.0, 81.2, 42, "Over-unders"), "16358453283": (None,) * 5}
    assert zones == [
        ("i100", "hr", "Z1", 300.0, "2026-10-10", "Ride"),
        ("i100", "hr", "Z2", 400.0, "2026-10-10", "Ride"),
        ("i100", "power", "SS", 60.0, "2026-10-10", "Ride"),
        ("i100", "power", "Z1", 1000.0, "2026-10-10", "Ride"),
    ]
    assert well == (61.5, 70.25, 55.0, 47.0, 25200.0, None)
    assert ev == (77.0, "i100")


def test_0004_downgrades_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    command.upgrade(alembic_config(url_of(path)), "0003")
    _populate_at_0003(path)
    upgrade_database(path)
    command.downgrade(alembic_config(url_of(path)), "0003")
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert conn.execute("SELECT count(*) FROM activities").fetchone()[0] == 2
    assert "activity_zone_times" not in tables
