"""The cache's reads and writes on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from db_factories import FETCHED, activity, event, strava_stub, wellness

from intervals_mcp.db import repo
from intervals_mcp.db.engine import Database
from intervals_mcp.errors import StorageError

pytestmark = pytest.mark.anyio

OCT1, OCT10, OCT11, OCT20 = date(2026, 10, 1), date(2026, 10, 10), date(2026, 10, 11), date(2026, 10, 20)
LATER = FETCHED + timedelta(hours=1)


def d(day: int) -> date:
    return date(2026, 10, day)


async def _ids(db: Database, athlete: str, start: date = OCT1, end: date = OCT20) -> list[str]:
    return sorted(r.id for r in await repo.list_activities(db, athlete, start, end))


# --- pure helpers -----------------------------------------------------------------------------


def test_each_day_is_inclusive() -> None:
    assert list(repo.each_day(d(1), d(3))) == [d(1), d(2), d(3)]
    assert list(repo.each_day(d(5), d(5))) == [d(5)]


def test_merge_day_ranges() -> None:
    days = [d(5), d(1), d(2), d(3), d(7), d(8), d(2)]
    assert repo.merge_day_ranges(days) == [(d(1), d(3)), (d(5), d(5)), (d(7), d(8))]
    assert repo.merge_day_ranges([]) == []
    # across a month end
    assert repo.merge_day_ranges([date(2026, 9, 30), d(1)]) == [(date(2026, 9, 30), d(1))]


# --- replace_window ---------------------------------------------------------------------------


async def test_upserting_the_same_window_twice_never_duplicates(db: Database) -> None:
    rows = [activity("i1", d(2)), activity("i2", d(3)), strava_stub("16358453283", d(4))]
    first = await repo.replace_window(db, "activities", "i12345", OCT1, OCT10, rows, FETCHED)
    second = await repo.replace_window(db, "activities", "i12345", OCT1, OCT10, rows, LATER)
    assert first == repo.WindowChange(inserted=3, updated=0, deleted=0)
    assert second == repo.WindowChange(0, 0, 0) and not second.changed
    assert await repo.count_activities(db, "i12345", OCT1, OCT10) == 3
    # the rows were seen again: their fetched_at moves even though nothing changed
    assert {r.fetched_at for r in await repo.list_activities(db, "i12345", OCT1, OCT10)} == {LATER}


async def test_updated_counts_only_payloads_that_changed(db: Database) -> None:
    rows = [activity("i1", d(2)), activity("i2", d(3))]
    await repo.replace_window(db, "activities", "a", OCT1, OCT10, rows, FETCHED)
    edited = [activity("i1", d(2), name="Renamed"), activity("i2", d(3))]
    change = await repo.replace_window(db, "activities", "a", OCT1, OCT10, edited, LATER)
    assert change == repo.WindowChange(inserted=0, updated=1, deleted=0)
    row = await repo.get_activity(db, "i1", "a")
    assert row is not None and row.name == "Renamed" and row.payload["name"] == "Renamed"


async def test_replace_window_deletes_vanished_rows_of_that_window_only(db: Database) -> None:
    await repo.replace_window(
        db, "activities", "a", OCT1, OCT10, [activity("x1", d(2)), activity("x2", d(5))], FETCHED
    )
    await repo.replace_window(db, "activities", "a", OCT11, OCT20, [activity("y1", d(15))], FETCHED)
    await repo.replace_window(db, "activities", "b", OCT1, OCT10, [activity("x2", d(5))], FETCHED)
    await repo.save_intervals(db, "a", "x1", {"id": "x1"}, (None, None), FETCHED)
    await repo.save_intervals(db, "a", "x2", {"id": "x2"}, (None, None), FETCHED)

    change = await repo.replace_window(db, "activities", "a", OCT1, OCT10, [activity("x1", d(2))], LATER)

    assert change == repo.WindowChange(inserted=0, updated=0, deleted=1)
    assert await _ids(db, "a") == ["x1", "y1"]  # the other window is untouched
    assert await _ids(db, "b") == ["x2"]  # so is the other athlete
    assert await repo.get_intervals(db, "x2", "a") is None  # intervals went with their activity
    assert await repo.get_intervals(db, "x1", "a") is not None


async def test_an_empty_answer_empties_the_window_and_still_covers_it(db: Database) -> None:
    await repo.replace_window(db, "wellness", "a", OCT1, OCT10, [wellness(d(2)), wellness(d(3))], FETCHED)
    change = await repo.replace_window(db, "wellness", "a", OCT1, OCT10, [], LATER)
    assert change == repo.WindowChange(inserted=0, updated=0, deleted=2)
    assert await repo.list_wellness(db, "a", OCT1, OCT10) == []
    covered = await repo.coverage_days(db, "a", "wellness", OCT1, OCT10)
    assert covered == {day: LATER for day in repo.each_day(OCT1, OCT10)}


async def test_a_row_moved_into_the_window_is_an_update_not_an_insert(db: Database) -> None:
    await repo.replace_window(db, "activities", "a", OCT11, OCT20, [activity("m", d(15))], FETCHED)
    change = await repo.replace_window(db, "activities", "a", OCT1, OCT10, [activity("m", d(3))], LATER)
    assert change == repo.WindowChange(inserted=0, updated=1, deleted=0)
    assert await _ids(db, "a") == ["m"]


async def test_coverage_is_per_day_and_per_athlete_and_resource(db: Database) -> None:
    await repo.replace_window(db, "events", "a", d(1), d(3), [event(1, d(2))], FETCHED)
    await repo.replace_window(db, "events", "a", d(3), d(4), [], LATER)
    covered = await repo.coverage_days(db, "a", "events", OCT1, OCT10)
    assert covered == {d(1): FETCHED, d(2): FETCHED, d(3): LATER, d(4): LATER}
    assert await repo.coverage_days(db, "a", "wellness", OCT1, OCT10) == {}
    assert await repo.coverage_days(db, "b", "events", OCT1, OCT10) == {}
    # the events of d(2) survive: the later window d(3)-d(4) did not include it
    assert [e.id for e in await repo.list_events(db, "a", OCT1, OCT10)] == [1]


async def test_five_years_of_coverage_is_one_row_per_day(db: Database) -> None:
    start, end = date(2021, 11, 25), date(2026, 11, 24)
    await repo.replace_window(db, "wellness", "a", start, end, [], FETCHED)
    covered = await repo.coverage_days(db, "a", "wellness", start, end)
    assert len(covered) == (end - start).days + 1


async def _install_failing_trigger(db: Database, sql: str) -> None:
    async with db.write() as conn:
        await conn.exec_driver_sql(sql)


async def test_a_failure_while_marking_coverage_writes_nothing_of_the_window(db: Database) -> None:
    old = [activity("keep", d(2)), activity("vanish", d(3))]
    await repo.replace_window(db, "activities", "a", OCT1, OCT10, old, FETCHED)
    await _install_failing_trigger(
        db,
        "CREATE TRIGGER fail_coverage BEFORE INSERT ON sync_coverage "
        "BEGIN SELECT RAISE(ABORT, 'simulated crash'); END",
    )
    new = [activity("keep", d(2), name="Changed"), activity("new", d(4))]
    with pytest.raises(StorageError):
        await repo.replace_window(db, "activities", "a", OCT1, OCT10, new, LATER)

    # the rows were upserted and deleted before coverage failed: all of it rolled back
    assert await _ids(db, "a") == ["keep", "vanish"]
    kept = await repo.get_activity(db, "keep", "a")
    assert kept is not None and kept.name == "Morning Endurance" and kept.fetched_at == FETCHED
    assert set((await repo.coverage_days(db, "a", "activities", OCT1, OCT10)).values()) == {FETCHED}


async def test_a_row_failing_mid_batch_writes_nothing_of_the_window(db: Database) -> None:
    await _install_failing_trigger(
        db,
        "CREATE TRIGGER fail_row BEFORE INSERT ON activities WHEN NEW.id = 'bad' "
        "BEGIN SELECT RAISE(ABORT, 'simulated constraint'); END",
    )
    rows = [activity(f"ok{n}", d(2)) for n in range(5)] + [activity("bad", d(3))]
    with pytest.raises(StorageError):
        await repo.replace_window(db, "activities", "a", OCT1, OCT10, rows, FETCHED)
    assert await _ids(db, "a") == []
    assert await repo.coverage_days(db, "a", "activities", OCT1, OCT10) == {}


async def test_an_uncacheable_payload_writes_nothing(db: Database) -> None:
    rows = [activity("ok", d(2)), {"id": "no-date"}]
    with pytest.raises(ValueError, match="start_date_local"):
        await repo.replace_window(db, "activities", "a", OCT1, OCT10, rows, FETCHED)
    assert await _ids(db, "a") == []
    assert await repo.coverage_days(db, "a", "activities", OCT1, OCT10) == {}


async def test_bad_arguments_are_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="before it starts"):
        await repo.replace_window(db, "activities", "a", OCT10, OCT1, [], FETCHED)
    with pytest.raises(ValueError, match="timezone-aware"):
        await repo.replace_window(db, "activities", "a", OCT1, OCT10, [], datetime(2026, 10, 1))


# --- athletes, reads, timestamps --------------------------------------------------------------


async def test_athletes_never_mix(db: Database) -> None:
    await repo.replace_window(
        db, "activities", "a", OCT1, OCT10, [activity("same", d(2), name="A's")], FETCHED
    )
    await repo.replace_window(
        db, "activities", "b", OCT1, OCT10, [activity("same", d(2), name="B's")], FETCHED
    )
    await repo.replace_window(db, "events", "a", OCT1, OCT10, [event(7, d(2), name="A's")], FETCHED)
    await repo.replace_window(db, "events", "b", OCT1, OCT10, [event(7, d(2), name="B's")], FETCHED)
    a = await repo.get_activity(db, "same", "a")
    b = await repo.get_activity(db, "same", "b")
    assert a is not None and b is not None and (a.name, b.name) == ("A's", "B's")
    ea, eb = await repo.get_event(db, "a", 7), await repo.get_event(db, "b", 7)
    assert ea is not None and eb is not None and (ea.name, eb.name) == ("A's", "B's")
    assert await repo.count_activities(db, "a", OCT1, OCT10) == 1
    assert await repo.get_activity(db, "same", "c") is None


async def test_list_activities_newest_first_with_limit(db: Database) -> None:
    rows = [
        activity("early", d(2), start_date_local="2026-10-02T06:00:00"),
        activity("late", d(2), start_date_local="2026-10-02T18:00:00"),
        activity("next", d(3)),
        strava_stub("16358453283", d(1)),
    ]
    await repo.replace_window(db, "activities", "a", OCT1, OCT10, rows, FETCHED)
    listed = await repo.list_activities(db, "a", OCT1, OCT10)
    assert [r.id for r in listed] == ["next", "late", "early", "16358453283"]
    assert [r.id for r in await repo.list_activities(db, "a", OCT1, OCT10, limit=2)] == ["next", "late"]
    assert [r.id for r in await repo.list_activities(db, "a", d(2), d(2))] == ["late", "early"]
    stub = listed[-1]
    assert stub.is_strava_stub and stub.source == "STRAVA" and stub.type is None
    assert listed[0].markers == ("2026-10-12T08:45:14.522+00:00", "2026-10-12T08:45:14.522+00:00")
    assert listed[0].icu_sync_date == datetime(2026, 10, 12, 8, 45, 14, 522000, tzinfo=UTC)


async def test_wellness_and_events_come_back_ascending(db: Database) -> None:
    await repo.replace_window(db, "wellness", "a", OCT1, OCT10, [wellness(d(5)), wellness(d(2))], FETCHED)
    assert [w.local_date for w in await repo.list_wellness(db, "a", OCT1, OCT10)] == [d(2), d(5)]
    events = [
        event(3, d(4)),
        event(1, d(2), start_date_local="2026-10-02T17:00:00"),
        event(2, d(2), category="NOTE"),
    ]
    await repo.replace_window(db, "events", "a", OCT1, OCT10, events, FETCHED)
    listed = await repo.list_events(db, "a", OCT1, OCT10)
    assert [e.id for e in listed] == [2, 1, 3]
    assert listed[0].category == "NOTE"
    assert await repo.get_event(db, "a", 99) is None


async def test_timestamps_come_back_aware_utc(db: Database) -> None:
    plus_two = datetime(2026, 10, 12, 11, 0, tzinfo=timezone(timedelta(hours=2)))
    await repo.replace_window(db, "wellness", "a", OCT1, OCT10, [wellness(d(2))], plus_two)
    row = (await repo.list_wellness(db, "a", OCT1, OCT10))[0]
    assert row.fetched_at == plus_two and row.fetched_at.tzinfo == UTC
    assert row.fetched_at.hour == 9
    assert row.updated == datetime(2026, 10, 2, 19, 20, 6, 102000, tzinfo=UTC)
    covered = await repo.coverage_days(db, "a", "wellness", d(2), d(2))
    assert covered[d(2)].tzinfo == UTC


# --- single-record writes, intervals, profile -------------------------------------------------


async def test_upsert_rows_and_delete_rows_write_through(db: Database) -> None:
    first = await repo.upsert_rows(db, "events", "a", [event(5, d(2))], FETCHED)
    again = await repo.upsert_rows(
        db, "events", "a", [event(5, d(2), name="Moved", start_date_local="2026-10-03T00:00:00")], LATER
    )
    assert (first.inserted, again.updated) == (1, 1)
    moved = await repo.get_event(db, "a", 5)
    assert moved is not None and moved.local_date == d(3) and moved.name == "Moved"
    assert await repo.coverage_days(db, "a", "events", OCT1, OCT10) == {}
    assert await repo.delete_rows(db, "events", "a", [5, 6]) == 1
    assert await repo.get_event(db, "a", 5) is None


async def test_intervals_keep_the_markers_they_were_fetched_under(db: Database) -> None:
    payload = {"id": "i1", "icu_intervals": [{"id": 1, "type": "WORK"}], "icu_groups": []}
    await repo.save_intervals(db, "a", "i1", payload, ("s1", "a1"), FETCHED)
    await repo.save_intervals(db, "a", "i1", payload, ("s2", None), LATER)
    row = await repo.get_intervals(db, "i1")
    assert row is not None
    assert (row.markers, row.fetched_at, row.payload) == (("s2", None), LATER, payload)
    assert await repo.get_intervals(db, "i1", "b") is None


async def test_profile_is_stored_without_the_api_key(db: Database) -> None:
    payload = {
        "id": "i12345",
        "name": "Alex Rider",
        "timezone": "Europe/London",
        "icu_api_key": "must-not-be-stored",
        "sportSettings": [{"id": 110001, "types": ["Ride"], "ftp": 265}],
    }
    await repo.save_profile(db, "i12345", payload, FETCHED)
    row = await repo.get_profile(db, "i12345")
    assert row is not None
    assert (row.name, row.timezone) == ("Alex Rider", "Europe/London")
    assert row.payload["sportSettings"][0]["ftp"] == 265
    assert "icu_api_key" not in row.payload
    for file in (db.path, db.path.with_name(db.path.name + "-wal")):
        assert b"must-not-be-stored" not in file.read_bytes()
    assert await repo.get_profile(db, "nobody") is None


async def test_status_reports_rows_ranges_and_fetch_times(db: Database) -> None:
    await repo.replace_window(db, "activities", "a", d(1), d(3), [activity("x", d(2))], FETCHED)
    await repo.replace_window(db, "activities", "a", d(6), d(7), [], LATER)
    await repo.replace_window(db, "wellness", "b", d(1), d(1), [wellness(d(1))], FETCHED)
    await repo.save_profile(db, "a", {"id": "a"}, LATER)
    status = await repo.status(db)
    assert status.path == db.path and status.file_bytes > 0
    by_key = {(s.athlete_id, s.resource): s for s in status.resources}
    acts = by_key[("a", "activities")]
    assert acts.rows == 1
    assert acts.covered == ((d(1), d(3)), (d(6), d(7)))
    assert (acts.last_fetched_at, acts.oldest_fetched_at) == (LATER, FETCHED)
    assert by_key[("b", "wellness")].rows == 1
    assert by_key[("a", "profile")].rows == 1 and by_key[("a", "profile")].covered == ()
    assert ("a", "wellness") not in by_key


async def test_payloads_round_trip_exactly(db: Database) -> None:
    payload = activity(
        "i9",
        d(2),
        name="Café – Zwift 🚴",
        icu_zone_times=[{"id": "Z1", "secs": 1320}],
        gear={"id": "b1", "primary": True},
        description=None,
        VO2MaxGarmin=56.0,
    )
    await repo.replace_window(db, "activities", "a", d(2), d(2), [payload], FETCHED)
    row = await repo.get_activity(db, "i9")
    assert row is not None and row.payload == payload
