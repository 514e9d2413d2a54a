"""The cache's writes, read back through the query layer, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from db_factories import FETCHED, activity, event, strava_stub, wellness

from backends import dump
from intervals_mcp.days import each_day
from intervals_mcp.db import queries, writes
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.db.status import cache_status, merge_day_ranges
from intervals_mcp.db.writes import WindowChange
from intervals_mcp.errors import StorageError

pytestmark = pytest.mark.anyio

OCT1, OCT10, OCT11, OCT20 = date(2026, 10, 1), date(2026, 10, 10), date(2026, 10, 11), date(2026, 10, 20)
LATER = FETCHED + timedelta(hours=1)


def d(day: int) -> date:
    return date(2026, 10, day)


async def _ids(reader: CacheReader, athlete: str, start: date = OCT1, end: date = OCT20) -> list[str]:
    return sorted(str(r.id) for r in await queries.records_in(reader, "activities", athlete, start, end))


# --- pure helpers -----------------------------------------------------------------------------


def test_each_day_is_inclusive() -> None:
    assert list(each_day(d(1), d(3))) == [d(1), d(2), d(3)]
    assert list(each_day(d(5), d(5))) == [d(5)]


def test_merge_day_ranges() -> None:
    days = [d(5), d(1), d(2), d(3), d(7), d(8), d(2)]
    assert merge_day_ranges(days) == [(d(1), d(3)), (d(5), d(5)), (d(7), d(8))]
    assert merge_day_ranges([]) == []
    # across a month end
    assert merge_day_ranges([date(2026, 9, 30), d(1)]) == [(date(2026, 9, 30), d(1))]


# --- replace_window ---------------------------------------------------------------------------


async def test_upserting_the_same_window_twice_never_duplicates(db: Database, reader: CacheReader) -> None:
    rows = [activity("i1", d(2)), activity("i2", d(3)), strava_stub("16358453283", d(4))]
    first = await writes.replace_window(db, "activities", "i12345", OCT1, OCT10, rows, FETCHED)
    second = await writes.replace_window(db, "activities", "i12345", OCT1, OCT10, rows, LATER)
    assert first == WindowChange(inserted=3, updated=0, deleted=0)
    assert second == WindowChange(0, 0, 0) and not second.changed
    listed = await queries.records_in(reader, "activities", "i12345", OCT1, OCT10)
    assert len(listed) == 3
    # the rows were seen again: their fetched_at moves even though nothing changed
    assert {r.fetched_at for r in listed} == {LATER}


async def test_updated_counts_only_payloads_that_changed(db: Database, reader: CacheReader) -> None:
    rows = [activity("i1", d(2)), activity("i2", d(3))]
    await writes.replace_window(db, "activities", "a", OCT1, OCT10, rows, FETCHED)
    edited = [activity("i1", d(2), name="Renamed"), activity("i2", d(3))]
    change = await writes.replace_window(db, "activities", "a", OCT1, OCT10, edited, LATER)
    assert change == WindowChange(inserted=0, updated=1, deleted=0)
    row = await queries.record(reader, "activities", "a", "i1")
    assert row is not None and row.payload["name"] == "Renamed"


async def test_replace_window_deletes_vanished_rows_of_that_window_only(
    db: Database, reader: CacheReader
) -> None:
    await writes.replace_window(
        db, "activities", "a", OCT1, OCT10, [activity("x1", d(2)), activity("x2", d(5))], FETCHED
    )
    await writes.replace_window(db, "activities", "a", OCT11, OCT20, [activity("y1", d(15))], FETCHED)
    await writes.replace_window(db, "activities", "b", OCT1, OCT10, [activity("x2", d(5))], FETCHED)
    await writes.save_extra(db, "intervals", "a", "x1", {"id": "x1"}, (None, None), FETCHED)
    await writes.save_extra(db, "intervals", "a", "x2", {"id": "x2"}, (None, None), FETCHED)

    change = await writes.replace_window(db, "activities", "a", OCT1, OCT10, [activity("x1", d(2))], LATER)

    assert change == WindowChange(inserted=0, updated=0, deleted=1)
    assert await _ids(reader, "a") == ["x1", "y1"]  # the other window is untouched
    assert await _ids(reader, "b") == ["x2"]  # so is the other athlete
    assert await queries.extra(reader, "intervals", "a", "x2") is None  # went with their activity
    assert await queries.extra(reader, "intervals", "a", "x1") is not None


async def test_an_empty_answer_empties_the_window_and_still_covers_it(
    db: Database, reader: CacheReader
) -> None:
    await writes.replace_window(db, "wellness", "a", OCT1, OCT10, [wellness(d(2)), wellness(d(3))], FETCHED)
    change = await writes.replace_window(db, "wellness", "a", OCT1, OCT10, [], LATER)
    assert change == WindowChange(inserted=0, updated=0, deleted=2)
    assert await queries.records_in(reader, "wellness", "a", OCT1, OCT10) == []
    covered = await queries.coverage(reader, "a", "wellness", OCT1, OCT10)
    assert covered == {day: LATER for day in each_day(OCT1, OCT10)}


async def test_a_row_moved_into_the_window_is_an_update_not_an_insert(
    db: Database, reader: CacheReader
) -> None:
    await writes.replace_window(db, "activities", "a", OCT11, OCT20, [activity("m", d(15))], FETCHED)
    change = await writes.replace_window(db, "activities", "a", OCT1, OCT10, [activity("m", d(3))], LATER)
    assert change == WindowChange(inserted=0, updated=1, deleted=0)
    assert await _ids(reader, "a") == ["m"]


async def test_coverage_is_per_day_and_per_athlete_and_resource(db: Database, reader: CacheReader) -> None:
    await writes.replace_window(db, "events", "a", d(1), d(3), [event(1, d(2))], FETCHED)
    await writes.replace_window(db, "events", "a", d(3), d(4), [], LATER)
    covered = await queries.coverage(reader, "a", "events", OCT1, OCT10)
    assert covered == {d(1): FETCHED, d(2): FETCHED, d(3): LATER, d(4): LATER}
    assert await queries.coverage(reader, "a", "wellness", OCT1, OCT10) == {}
    assert await queries.coverage(reader, "b", "events", OCT1, OCT10) == {}
    # the events of d(2) survive: the later window d(3)-d(4) did not include it
    assert [e.id for e in await queries.records_in(reader, "events", "a", OCT1, OCT10)] == [1]


async def test_five_years_of_coverage_is_one_row_per_day(db: Database, reader: CacheReader) -> None:
    start, end = date(2021, 11, 25), date(2026, 11, 24)
    await writes.replace_window(db, "wellness", "a", start, end, [], FETCHED)
    covered = await queries.coverage(reader, "a", "wellness", start, end)
    assert len(covered) == (end - start).days + 1


async def _install_failing_trigger(db: Database, table: str, when: str = "") -> None:
    """A trigger that makes every insert into `table` (matching `when`, on NEW) fail."""
    if db.dialect.name == "sqlite":
        condition = f"WHEN {when} " if when else ""
        statements = [
            f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} {condition}"
            "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
        ]
    else:
        condition = f"WHEN ({when}) " if when else ""
        statements = [
            f"CREATE FUNCTION fail_{table}() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'simulated failure'; END $$",
            f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} FOR EACH ROW {condition}"
            f"EXECUTE FUNCTION fail_{table}()",
        ]
    async with db.write() as conn:
        for sql in statements:
            await conn.exec_driver_sql(sql)


async def test_a_failure_while_marking_coverage_writes_nothing_of_the_window(
    db: Database, reader: CacheReader
) -> None:
    old = [activity("keep", d(2)), activity("vanish", d(3))]
    await writes.replace_window(db, "activities", "a", OCT1, OCT10, old, FETCHED)
    await _install_failing_trigger(db, "sync_coverage")
    new = [activity("keep", d(2), name="Changed"), activity("new", d(4))]
    with pytest.raises(StorageError):
        await writes.replace_window(db, "activities", "a", OCT1, OCT10, new, LATER)

    # the rows were upserted and deleted before coverage failed: all of it rolled back
    assert await _ids(reader, "a") == ["keep", "vanish"]
    kept = await queries.record(reader, "activities", "a", "keep")
    assert kept is not None and kept.payload["name"] == "Morning Endurance" and kept.fetched_at == FETCHED
    assert set((await queries.coverage(reader, "a", "activities", OCT1, OCT10)).values()) == {FETCHED}


async def test_a_row_failing_mid_batch_writes_nothing_of_the_window(
    db: Database, reader: CacheReader
) -> None:
    await _install_failing_trigger(db, "activities", when="NEW.id = 'bad'")
    rows = [activity(f"ok{n}", d(2)) for n in range(5)] + [activity("bad", d(3))]
    with pytest.raises(StorageError):
        await writes.replace_window(db, "activities", "a", OCT1, OCT10, rows, FETCHED)
    assert await _ids(reader, "a") == []
    assert await queries.coverage(reader, "a", "activities", OCT1, OCT10) == {}


async def test_a_window_of_nothing_but_uncacheable_payloads_writes_nothing(
    db: Database, reader: CacheReader
) -> None:
    rows = [{"id": "no-date"}, {"name": "no id"}]
    with pytest.raises(ValueError, match="start_date_local"):
        await writes.replace_window(db, "activities", "a", OCT1, OCT10, rows, FETCHED)
    assert await _ids(reader, "a") == []
    assert await queries.coverage(reader, "a", "activities", OCT1, OCT10) == {}
    with pytest.raises(ValueError, match="no id"):  # a single record is all or nothing
        await writes.upsert_records(db, "activities", "a", [{"name": "no id"}], FETCHED)


async def test_an_uncacheable_payload_is_skipped_and_the_rest_stored(
    db: Database, reader: CacheReader
) -> None:
    await writes.replace_window(
        db, "activities", "a", OCT1, OCT10, [activity("kept", d(2)), activity("gone", d(4))], FETCHED
    )
    rows = [activity("ok", d(2)), activity("kept", d(2)), {"id": "no-date"}]
    change = await writes.replace_window(db, "activities", "a", OCT1, OCT10, rows, LATER)
    assert change.inserted == 1 and change.skipped == (
        "Activity no-date has no readable start_date_local, so it cannot be cached",
    )
    # stored, covered, and nothing deleted: the skipped record might have been "gone"
    assert await _ids(reader, "a") == ["gone", "kept", "ok"] and change.deleted == 0
    assert set(await queries.coverage(reader, "a", "activities", OCT1, OCT10)) == set(each_day(OCT1, OCT10))


async def test_bad_arguments_are_refused(db: Database, reader: CacheReader) -> None:
    with pytest.raises(ValueError, match="before it starts"):
        await writes.replace_window(db, "activities", "a", OCT10, OCT1, [], FETCHED)
    with pytest.raises(ValueError, match="timezone-aware"):
        await writes.replace_window(db, "activities", "a", OCT1, OCT10, [], datetime(2026, 10, 1))


# --- athletes, reads, timestamps --------------------------------------------------------------


async def test_athletes_never_mix(db: Database, reader: CacheReader) -> None:
    await writes.replace_window(
        db, "activities", "a", OCT1, OCT10, [activity("same", d(2), name="A's")], FETCHED
    )
    await writes.replace_window(
        db, "activities", "b", OCT1, OCT10, [activity("same", d(2), name="B's")], FETCHED
    )
    await writes.replace_window(db, "events", "a", OCT1, OCT10, [event(7, d(2), name="A's")], FETCHED)
    await writes.replace_window(db, "events", "b", OCT1, OCT10, [event(7, d(2), name="B's")], FETCHED)
    a = await queries.record(reader, "activities", "a", "same")
    b = await queries.record(reader, "activities", "b", "same")
    assert a is not None and b is not None and (a.payload["name"], b.payload["name"]) == ("A's", "B's")
    ea, eb = await queries.record(reader, "events", "a", 7), await queries.record(reader, "events", "b", 7)
    assert ea is not None and eb is not None and (ea.payload["name"], eb.payload["name"]) == ("A's", "B's")
    assert await _ids(reader, "a", OCT1, OCT10) == ["same"]
    assert await queries.record(reader, "activities", "c", "same") is None
    assert sorted(await queries.owners(reader, "activities", "same")) == ["a", "b"]


async def test_list_activities_newest_first_with_limit(db: Database, reader: CacheReader) -> None:
    rows = [
        activity("early", d(2), start_date_local="2026-10-02T06:00:00"),
        activity("late", d(2), start_date_local="2026-10-02T18:00:00"),
        activity("next", d(3)),
        strava_stub("16358453283", d(1)),
    ]
    await writes.replace_window(db, "activities", "a", OCT1, OCT10, rows, FETCHED)
    listed = await queries.records_in(reader, "activities", "a", OCT1, OCT10)
    assert [r.id for r in listed] == ["next", "late", "early", "16358453283"]
    digests, payloads = await queries.payloads(reader, "activities", "a", d(2), d(2))
    assert [p["id"] for p in payloads] == ["late", "early"]
    assert digests == await queries.digests(reader, "activities", "a", d(2), d(2))
    stub = listed[-1]
    assert stub.is_strava_stub and not listed[0].is_strava_stub
    assert listed[0].markers == ("2026-10-12T08:45:14.522+00:00", "2026-10-12T08:45:14.522+00:00")


async def test_wellness_and_events_come_back_ascending(db: Database, reader: CacheReader) -> None:
    await writes.replace_window(db, "wellness", "a", OCT1, OCT10, [wellness(d(5)), wellness(d(2))], FETCHED)
    assert [w.local_date for w in await queries.records_in(reader, "wellness", "a", OCT1, OCT10)] == [
        d(2),
        d(5),
    ]
    events = [
        event(3, d(4)),
        event(1, d(2), start_date_local="2026-10-02T17:00:00"),
        event(2, d(2), category="NOTE"),
    ]
    await writes.replace_window(db, "events", "a", OCT1, OCT10, events, FETCHED)
    listed = await queries.records_in(reader, "events", "a", OCT1, OCT10)
    assert [e.id for e in listed] == [2, 1, 3]
    assert listed[0].payload["category"] == "NOTE"
    assert await queries.record(reader, "events", "a", 99) is None


async def test_timestamps_come_back_aware_utc(db: Database, reader: CacheReader) -> None:
    plus_two = datetime(2026, 10, 12, 11, 0, tzinfo=timezone(timedelta(hours=2)))
    await writes.replace_window(db, "wellness", "a", OCT1, OCT10, [wellness(d(2))], plus_two)
    row = (await queries.records_in(reader, "wellness", "a", OCT1, OCT10))[0]
    assert row.fetched_at == plus_two and row.fetched_at.tzinfo == UTC
    assert row.fetched_at.hour == 9
    covered = await queries.coverage(reader, "a", "wellness", d(2), d(2))
    assert covered[d(2)].tzinfo == UTC


# --- single-record writes, intervals, profile -------------------------------------------------


async def test_upsert_rows_and_delete_rows_write_through(db: Database, reader: CacheReader) -> None:
    first = await writes.upsert_records(db, "events", "a", [event(5, d(2))], FETCHED)
    again = await writes.upsert_records(
        db, "events", "a", [event(5, d(2), name="Moved", start_date_local="2026-10-03T00:00:00")], LATER
    )
    assert (first.inserted, again.updated) == (1, 1)
    moved = await queries.record(reader, "events", "a", 5)
    assert moved is not None and moved.local_date == d(3) and moved.payload["name"] == "Moved"
    assert await queries.coverage(reader, "a", "events", OCT1, OCT10) == {}
    assert await writes.delete_records(db, "events", "a", [5, 6]) == 1
    assert await queries.record(reader, "events", "a", 5) is None


async def test_intervals_keep_the_markers_they_were_fetched_under(db: Database, reader: CacheReader) -> None:
    payload = {"id": "i1", "icu_intervals": [{"id": 1, "type": "WORK"}], "icu_groups": []}
    await writes.save_extra(db, "intervals", "a", "i1", payload, ("s1", "a1"), FETCHED)
    await writes.save_extra(db, "intervals", "a", "i1", payload, ("s2", None), LATER)
    row = await queries.extra(reader, "intervals", "a", "i1")
    assert row is not None
    assert (row.markers, row.fetched_at, row.payload) == (("s2", None), LATER, payload)
    assert await queries.extra(reader, "intervals", "b", "i1") is None
    # an older answer arriving late does not replace what a newer one stored
    await writes.save_extra(db, "intervals", "a", "i1", {"id": "old"}, ("s0", None), FETCHED)
    again = await queries.extra(reader, "intervals", "a", "i1")
    assert again is not None and again.markers == ("s2", None)


async def test_profile_is_stored_without_the_api_key(db: Database, reader: CacheReader) -> None:
    payload = {
        "id": "i12345",
        "name": "Alex Rider",
        "timezone": "Europe/London",
        "icu_api_key": "must-not-be-stored",
        "sportSettings": [{"id": 110001, "types": ["Ride"], "ftp": 265}],
    }
    assert await writes.save_profile(db, payload, FETCHED, key_owner=False) == "i12345"
    row = await queries.profile(reader, "i12345")
    assert row is not None
    assert (row.name, row.timezone, row.key_owner) == ("Alex Rider", "Europe/London", False)
    assert row.payload["sportSettings"][0]["ftp"] == 265
    assert "icu_api_key" not in row.payload
    everything = dump(db.url)
    assert b"Alex Rider" in everything  # the dump does hold what was stored
    assert b"must-not-be-stored" not in everything
    assert await queries.profile(reader, "nobody") is None
    assert await queries.key_owner(reader) is None


async def test_the_key_owner_is_the_athlete_0_last_resolved_to(db: Database, reader: CacheReader) -> None:
    await writes.save_profile(db, {"id": "i1", "name": "One"}, FETCHED, key_owner=True)
    await writes.save_profile(db, {"id": "i2", "name": "Two"}, FETCHED, key_owner=False)
    owner = await queries.key_owner(reader)
    assert owner is not None and owner.athlete_id == "i1"
    # refreshed by its own id, the owner stays the owner
    await writes.save_profile(db, {"id": "i1", "name": "One again"}, LATER, key_owner=False)
    owner = await queries.key_owner(reader)
    assert owner is not None and (owner.athlete_id, owner.name) == ("i1", "One again")
    # another key's owner takes over
    await writes.save_profile(db, {"id": "i2", "name": "Two"}, LATER, key_owner=True)
    owner = await queries.key_owner(reader)
    assert owner is not None and owner.athlete_id == "i2"
    with pytest.raises(ValueError, match="no id"):
        await writes.save_profile(db, {"name": "nobody"}, LATER, key_owner=False)


async def test_status_reports_rows_ranges_and_fetch_times(db: Database, reader: CacheReader) -> None:
    await writes.replace_window(db, "activities", "a", d(1), d(3), [activity("x", d(2))], FETCHED)
    await writes.replace_window(db, "activities", "a", d(6), d(7), [], LATER)
    await writes.replace_window(db, "wellness", "b", d(1), d(1), [wellness(d(1))], FETCHED)
    await writes.save_profile(db, {"id": "a"}, LATER, key_owner=False)
    by_key = {(s.athlete_id, s.resource): s for s in await cache_status(reader)}
    acts = by_key[("a", "activities")]
    assert acts.rows == 1
    assert acts.covered == ((d(1), d(3)), (d(6), d(7)))
    assert (acts.last_fetched_at, acts.oldest_fetched_at) == (LATER, FETCHED)
    assert by_key[("b", "wellness")].rows == 1
    assert by_key[("a", "profile")].rows == 1 and by_key[("a", "profile")].covered == ()
    assert ("a", "wellness") not in by_key


async def test_payloads_round_trip_exactly(db: Database, reader: CacheReader) -> None:
    payload = activity(
        "i9",
        d(2),
        name="Café – Zwift 🚴",
        icu_zone_times=[{"id": "Z1", "secs": 1320}],
        gear={"id": "b1", "primary": True},
        description=None,
        VO2MaxGarmin=56.0,
    )
    await writes.replace_window(db, "activities", "a", d(2), d(2), [payload], FETCHED)
    row = await queries.record(reader, "activities", "a", "i9")
    assert row is not None and row.payload == payload


# --- never backwards in time --------------------------------------------------------------------

EARLIER = FETCHED - timedelta(minutes=5)


async def test_an_older_window_answer_arriving_last_changes_nothing_newer(
    db: Database, reader: CacheReader
) -> None:
    # The newer fetch (asked at FETCHED) commits first: x renamed, y created.
    newer = [activity("x", d(2), name="Renamed"), activity("y", d(3))]
    await writes.replace_window(db, "activities", "a", OCT1, OCT10, newer, FETCHED)
    # The older one (asked at EARLIER, before y existed) arrives last.
    older = [activity("x", d(2), name="Old name")]
    change = await writes.replace_window(db, "activities", "a", OCT1, OCT10, older, EARLIER)
    assert change == WindowChange(inserted=0, updated=0, deleted=0, kept_newer_days=10)
    assert await _ids(reader, "a") == ["x", "y"]
    x = await queries.record(reader, "activities", "a", "x")
    assert x is not None and x.payload["name"] == "Renamed" and x.fetched_at == FETCHED
    assert set((await queries.coverage(reader, "a", "activities", OCT1, OCT10)).values()) == {FETCHED}


async def test_an_older_window_overlapping_a_newer_one_only_fills_its_own_days(
    db: Database, reader: CacheReader
) -> None:
    await writes.replace_window(db, "activities", "a", d(5), d(10), [activity("new", d(6))], FETCHED)
    older = [activity("early", d(2)), activity("gone-since", d(7))]
    await writes.replace_window(db, "activities", "a", OCT1, OCT10, older, EARLIER)
    assert await _ids(reader, "a") == ["early", "new"]
    covered = await queries.coverage(reader, "a", "activities", OCT1, OCT10)
    assert {day: covered[day] for day in (d(1), d(4), d(5), d(10))} == {
        d(1): EARLIER,
        d(4): EARLIER,
        d(5): FETCHED,
        d(10): FETCHED,
    }


async def test_a_record_stored_after_a_window_was_asked_for_is_not_deleted_by_it(
    db: Database, reader: CacheReader
) -> None:
    await writes.replace_window(db, "events", "a", OCT1, OCT10, [event(1, d(2))], EARLIER)
    # Written through after the window below was asked for (a new planned workout).
    await writes.upsert_records(db, "events", "a", [event(2, d(3))], LATER)
    change = await writes.replace_window(db, "events", "a", OCT1, OCT10, [event(1, d(2))], FETCHED)
    assert change.deleted == 0
    assert [e.id for e in await queries.records_in(reader, "events", "a", OCT1, OCT10)] == [1, 2]


async def test_an_older_single_record_never_replaces_a_newer_one(db: Database, reader: CacheReader) -> None:
    await writes.upsert_records(db, "events", "a", [event(5, d(2), name="New")], LATER)
    await writes.upsert_records(db, "events", "a", [event(5, d(2), name="Old")], FETCHED)
    row = await queries.record(reader, "events", "a", 5)
    assert row is not None and row.payload["name"] == "New" and row.fetched_at == LATER
