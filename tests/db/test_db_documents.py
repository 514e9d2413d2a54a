"""Athlete-level documents and the newest-activity marker, on a real SQLite file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from db_factories import FETCHED, activity, strava_stub

from intervals_mcp.db import queries, writes
from intervals_mcp.db.columns import as_payload
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader

pytestmark = pytest.mark.anyio

DAY = date(2026, 11, 20)


async def test_a_document_is_stored_per_athlete_kind_and_key_and_never_goes_back_in_time(
    db: Database, reader: CacheReader
) -> None:
    newer = FETCHED + timedelta(minutes=5)
    await writes.save_document(db, "gear", "i1", "", {"gear": [{"id": "b1"}]}, "m1", newer)
    await writes.save_document(db, "gear", "i1", "", {"gear": [{"id": "old"}]}, "m0", FETCHED)
    await writes.save_document(db, "gear", "i2", "", {"gear": [{"id": "b2"}]}, None, FETCHED)
    await writes.save_document(
        db, "curves", "i1", "power|Ride", {"list": [], "icu_api_key": "s3cret"}, None, FETCHED
    )
    mine = await queries.document(reader, "gear", "i1", "")
    assert mine is not None and mine.payload == {"gear": [{"id": "b1"}]} and mine.marker == "m1"
    assert mine.fetched_at == newer
    theirs = await queries.document(reader, "gear", "i2", "")
    assert theirs is not None and theirs.payload == {"gear": [{"id": "b2"}]}
    curves = await queries.document(reader, "curves", "i1", "power|Ride")
    assert curves is not None and curves.payload == {"list": []}, "a secret is never stored"
    assert await queries.document(reader, "curves", "i1", "hr|Ride") is None


async def test_the_newest_activity_marker_moves_with_a_newer_activity_of_the_sport(
    db: Database, reader: CacheReader
) -> None:
    rides = frozenset({"Ride", "VirtualRide"})
    assert await queries.newest_activity_marker(reader, "i12345", rides) is None
    rows = [
        activity("i1", DAY, type="Ride"),
        activity("i2", DAY + timedelta(days=1), type="Run"),
        strava_stub("i3", DAY + timedelta(days=2)),
    ]
    await writes.upsert_records(db, "activities", "i12345", rows, FETCHED)
    ride = await queries.newest_activity_marker(reader, "i12345", rides)
    assert ride is not None and ride.startswith("i1|")
    anything = await queries.newest_activity_marker(reader, "i12345")
    assert anything is not None and anything.startswith("i2|"), "a Strava stub is no readable activity"
    await writes.upsert_records(
        db, "activities", "i12345", [activity("i4", DAY + timedelta(days=3), type="VirtualRide")], FETCHED
    )
    assert (await queries.newest_activity_marker(reader, "i12345", rides) or "").startswith("i4|")
    assert await queries.newest_activity_marker(reader, "i99", rides) is None


def test_a_list_answer_is_wrapped_and_anything_else_refused() -> None:
    assert as_payload([1, 2], "items", "gear") == {"items": [1, 2]}
    assert as_payload({"list": []}, None, "curves") == {"list": []}
    with pytest.raises(ValueError, match="not the list expected"):
        as_payload({"a": 1}, "items", "gear")
    with pytest.raises(ValueError, match="not the object expected"):
        as_payload([1], None, "curves")
