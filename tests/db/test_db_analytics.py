"""What the analytics tools read: the columns and zone-time rows every write fills, and the
aggregates over them, on a real SQLite file (figures by hand from the payloads below)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from db_factories import FETCHED, activity, event, strava_stub, wellness
from sqlalchemy import select

from intervals_mcp.db import analytics_queries as aq
from intervals_mcp.db import columns, writes
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.db.resources import ZONE_TIMES

D = date(2026, 10, 12)
LATER = FETCHED + timedelta(hours=1)
POWER = [
    {"id": "Z1", "secs": 600},
    {"id": "Z2", "secs": 1200},
    {"id": "SS", "secs": 300},
    {"id": "Z3", "secs": 900},
    {"id": "X9", "secs": 77},
]


def ride(activity_id: str, day: date = D, **fields: Any) -> dict[str, Any]:
    defaults: dict[str, Any] = {
        "icu_zone_times": POWER,
        "icu_hr_zone_times": [100, 200.5, 0],
        "total_elevation_gain": 420.5,
        "icu_average_watts": 210,
        "icu_intensity": 78.5,
        "paired_event_id": 87654321,
        "description": "3x12 sweet spot",
    }
    return activity(activity_id, day, **{**defaults, **fields})


# --- the pure transforms ------------------------------------------------------------------------


def test_analytics_columns_of_an_activity() -> None:
    values = columns.activity_columns(ride("i1"))
    assert (values["elevation_gain"], values["average_watts"], values["intensity"]) == (420.5, 210.0, 78.5)
    assert values["paired_event_id"] == 87654321
    assert values["description"] == "3x12 sweet spot"
    fallback = columns.activity_columns(activity("i2", D, average_watts=190, paired_event_id="123"))
    assert (fallback["average_watts"], fallback["paired_event_id"]) == (190.0, 123)
    odd = columns.activity_columns(activity("i3", D, paired_event_id="abc", icu_intensity=True))
    assert (odd["paired_event_id"], odd["intensity"], odd["elevation_gain"]) == (None, None, None)
    stub = columns.activity_columns(strava_stub("16358453283", D))
    assert all(stub[k] is None for k in ("elevation_gain", "average_watts", "intensity", "paired_event_id"))


def test_analytics_columns_of_wellness_and_events() -> None:
    w = columns.wellness_columns(wellness(D, sleepSecs=27000, weight=71.2, hrv=None))
    assert (w["ctl"], w["atl"], w["resting_hr"], w["sleep_secs"], w["weight"], w["hrv"]) == (
        67.5,
        69.9,
        47.0,
        27000.0,
        71.2,
        None,
    )
    e = columns.event_columns(event(1, D, icu_training_load=88, paired_activity_id="i145678901"))
    assert (e["training_load"], e["paired_activity_id"]) == (88.0, "i145678901")
    assert (
        columns.event_columns(event(2, D, paired_activity_id=145678901))["paired_activity_id"] == "145678901"
    )


def test_zone_time_rows_by_metric() -> None:
    rows = {(r["metric"], r["zone"]): r["seconds"] for r in columns.zone_time_rows(ride("i1"))}
    assert rows == {
        ("power", "Z1"): 600.0,
        ("power", "Z2"): 1200.0,
        ("power", "SS"): 300.0,
        ("power", "Z3"): 900.0,
        ("hr", "Z1"): 100.0,
        ("hr", "Z2"): 200.5,
        ("hr", "Z3"): 0.0,
    }
    one = columns.zone_time_rows(ride("i1"))[0]
    assert (one["activity_id"], one["local_date"], one["type"]) == ("i1", D, "Ride")
    odd = activity("i2", D, pace_zone_times=[60, "x", None], icu_zone_times=[{"id": "Z1"}, "junk"])
    assert {(r["metric"], r["zone"]): r["seconds"] for r in columns.zone_time_rows(odd)} == {
        ("pace", "Z1"): 60.0,
        ("pace", "Z2"): 0.0,
        ("pace", "Z3"): 0.0,
        ("power", "Z1"): 0.0,
    }
    assert columns.zone_time_rows(strava_stub("16358453283", D)) == []
    assert columns.zone_time_rows(activity("i3", D)) == []


# --- every write keeps the zone rows with their activity ----------------------------------------


async def zones_of(reader: CacheReader, athlete: str = "i12345") -> dict[tuple[str, str, str], float]:
    z = ZONE_TIMES.c
    rows = await reader.rows(
        select(z.activity_id, z.metric, z.zone, z.seconds).where(z.athlete_id == athlete), {}
    )
    return {(a, m, zone): s for a, m, zone, s in rows}


@pytest.mark.anyio
async def test_zone_rows_follow_inserts_changes_and_deletions(db: Database, reader: CacheReader) -> None:
    window = (D - timedelta(days=2), D + timedelta(days=2))
    await writes.replace_window(db, "activities", "i12345", *window, [ride("i1"), ride("i2")], FETCHED)
    assert len(await zones_of(reader)) == 14
    changed = ride("i1", icu_zone_times=[{"id": "Z5", "secs": 42}], icu_hr_zone_times=None)
    # an older answer arriving late changes nothing
    await writes.upsert_records(db, "activities", "i12345", [changed], FETCHED - timedelta(hours=1))
    assert len(await zones_of(reader)) == 14
    # a newer one replaces the activity's rows, and only its rows
    await writes.replace_window(db, "activities", "i12345", *window, [changed, ride("i2")], LATER)
    found = await zones_of(reader)
    assert {k for k in found if k[0] == "i1"} == {("i1", "power", "Z5")}
    assert len([k for k in found if k[0] == "i2"]) == 7
    # vanished from its window, then deleted by id: the rows go with the activity
    await writes.replace_window(
        db, "activities", "i12345", *window, [ride("i2")], LATER + timedelta(minutes=1)
    )
    assert {k[0] for k in await zones_of(reader)} == {"i2"}
    await writes.delete_records(db, "activities", "i12345", ["i2"])
    assert await zones_of(reader) == {}


@pytest.mark.anyio
async def test_another_athletes_rows_are_left_alone(db: Database, reader: CacheReader) -> None:
    await writes.upsert_records(db, "activities", "i1", [ride("i10")], FETCHED)
    await writes.upsert_records(db, "activities", "i2", [ride("i10")], FETCHED)
    await writes.delete_records(db, "activities", "i1", ["i10"])
    assert await zones_of(reader, "i1") == {}
    assert len(await zones_of(reader, "i2")) == 7


# --- the aggregates -----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_daily_totals_and_zone_days_are_sums_per_day(db: Database, reader: CacheReader) -> None:
    rows = [
        ride("i1", moving_time=3600, distance=30000.0, icu_training_load=50, total_elevation_gain=100),
        ride(
            "i2",
            type="VirtualRide",
            moving_time=1800,
            distance=15000.0,
            icu_training_load=30,
            total_elevation_gain=None,
        ),
        activity("i3", D, type="Run", moving_time=1200, distance=4000.0, icu_training_load=20),
        strava_stub("555", D),
        ride("i4", D + timedelta(days=1)),
    ]
    await writes.replace_window(db, "activities", "i12345", D, D + timedelta(days=1), rows, FETCHED)
    rides = await aq.daily_totals(reader, "i12345", D, D, {"Ride", "VirtualRide"})
    assert [
        (r.type, r.sessions, r.moving_time_s, r.distance_m, r.elevation_m, r.training_load) for r in rides
    ] == [("Ride", 1, 3600.0, 30000.0, 100.0, 50.0), ("VirtualRide", 1, 1800.0, 15000.0, None, 30.0)]
    every = await aq.daily_totals(reader, "i12345", D, D, None)
    assert sum(r.sessions for r in every) == 3  # the stub is not among them
    assert [(r.date, r.id) for r in await aq.strava_stubs(reader, "i12345", D, D)] == [(D, "555")]
    assert await aq.daily_load(reader, "i12345", D, D + timedelta(days=1)) == {
        D: 100.0,
        D + timedelta(days=1): 143.0,
    }
    days = await aq.zone_days(reader, "i12345", D, D, "power", None)
    zoned, bare = days
    assert (zoned.activities, bare.activities) == (2, 2)  # two rides; the run and the stub have none
    assert dict(zoned.zones) == {"Z1": 1200.0, "Z2": 2400.0, "Z3": 1800.0}
    assert zoned.sweet_spot_seconds == 600.0
    only_runs = await aq.zone_days(reader, "i12345", D, D, "power", {"Run"})
    assert [(d.zones, d.activities) for d in only_runs] == [((), 1)]
    counts = await aq.row_counts(reader, "i12345")
    assert (counts["activities"], counts["strava_hidden"], counts["wellness"]) == (5, 1, 0)
    assert await aq.first_cached_day(reader, "i12345", "activities") == D
    assert await aq.first_cached_day(reader, "i12345", "wellness") is None
