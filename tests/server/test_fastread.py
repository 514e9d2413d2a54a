"""The synchronous reader the server answers from returns exactly what `repo` returns, and its
data generation moves with every commit, whoever makes it."""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import anyio
import pytest

from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.config import Settings
from intervals_mcp.db import repo
from intervals_mcp.db.engine import Database
from intervals_mcp.db.fastread import CacheReader
from intervals_mcp.db.generation import GenerationMemo
from intervals_mcp.fake import FakeIntervals
from intervals_mcp.sync.service import SyncService

from .conftest import TODAY, values

pytestmark = pytest.mark.anyio


async def _filled(settings: Settings) -> Database:
    """A real cache file holding a year of the fake athlete, some intervals and the profile."""
    db = await Database.open(settings.db_path)
    api_key, athlete = settings.require_credentials()
    async with IntervalsClient(settings.base_url, api_key) as client:
        svc = SyncService(db, client, settings)
        start, end = TODAY - timedelta(days=365), TODAY + timedelta(days=30)
        await svc.sync(athlete, start, end, ["activities", "wellness", "events"])
        for row in (await repo.list_activities(db, athlete, TODAY - timedelta(days=20), TODAY))[:4]:
            if not row.is_strava_stub:
                await svc.ensure_intervals(athlete, row.id)
        await svc.ensure_profile(athlete)
    return db


async def test_reader_rows_equal_repo_rows(settings: Settings, fake: FakeIntervals) -> None:
    db = await _filled(settings)
    reader = CacheReader(db.path)
    athlete = fake.athlete_id
    try:
        for start, end in [
            (TODAY - timedelta(days=30), TODAY),
            (TODAY - timedelta(days=365), TODAY + timedelta(days=30)),
            (TODAY + timedelta(days=1), TODAY + timedelta(days=30)),
            (TODAY - timedelta(days=900), TODAY - timedelta(days=800)),  # nothing cached
        ]:
            for resource in ("activities", "wellness", "events"):
                assert reader.coverage_days(athlete, resource, start, end) == await repo.coverage_days(
                    db, athlete, resource, start, end
                )
            activities = await repo.list_activities(db, athlete, start, end)
            assert reader.list_activities(athlete, start, end) == activities
            for resource, listed in [
                ("activities", activities),
                ("wellness", await repo.list_wellness(db, athlete, start, end)),
                ("events", await repo.list_events(db, athlete, start, end)),
            ]:
                digests, payloads = reader.payloads(resource, athlete, start, end)
                assert payloads == [r.payload for r in listed]
                assert digests == reader.digests(resource, athlete, start, end)
                assert len(set(digests)) == len(listed)  # distinct records, distinct digests
            wellness = await repo.list_wellness(db, athlete, start, end)
            assert reader.list_wellness(athlete, start, end) == wellness
            events = await repo.list_events(db, athlete, start, end)
            assert reader.list_events(athlete, start, end) == events
        everything = await repo.list_activities(db, athlete, TODAY - timedelta(days=400), TODAY)
        assert any(a.is_strava_stub for a in everything) and any(not a.is_strava_stub for a in everything)
        for a in everything:
            assert reader.get_activity(athlete, a.id) == a
            found = reader.record("activity", athlete, a.id)
            assert found is not None and found[1] == a.payload
            assert reader.record_digest("activity", athlete, a.id) == found[0]
            intervals = await repo.get_intervals(db, a.id, athlete)
            assert (reader.record("intervals", athlete, a.id) or (None, None))[1] == (
                intervals.payload if intervals else None
            )
            assert reader.get_intervals(athlete, a.id) == await repo.get_intervals(db, a.id, athlete)
        assert sum(reader.get_intervals(athlete, a.id) is not None for a in everything) >= 1
        for e in values(fake.store.events):
            assert reader.get_event(athlete, int(e["id"])) == await repo.get_event(db, athlete, int(e["id"]))
        assert reader.get_profile(athlete) == await repo.get_profile(db, athlete) is not None
        assert reader.get_activity(athlete, "i0") is None
        assert reader.get_activity("i999", everything[0].id) is None  # another athlete's
    finally:
        reader.close()
        await db.close()


async def test_generation_moves_with_commits_in_this_process_and_another(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    db = await Database.open(path)
    reader = CacheReader(db.path)
    try:
        seen = reader.current()
        assert reader.current() == seen  # reading changes nothing
        day = TODAY
        payload = {"id": day.isoformat(), "ctl": 50.0}
        await repo.replace_window(db, "wellness", "i1", day, day, [payload], datetime.now(UTC))
        assert reader.current() != seen
        seen = reader.current()
        # Another process commits to the same file (as `intervals-mcp sync` would).
        script = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute(\"UPDATE wellness SET payload = json_set(payload, '$.ctl', 51.0)\"); c.commit()"
        )
        await anyio.run_process([sys.executable, "-c", script, str(db.path)], check=True)
        assert reader.current() != seen
        assert reader.list_wellness("i1", day, day)[0].payload["ctl"] == 51.0
    finally:
        reader.close()
        await db.close()


async def test_memo_forgets_on_commit_and_never_stores_a_raced_value(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    db = await Database.open(path)
    reader = CacheReader(db.path)
    memo = GenerationMemo(reader.current)

    async def write(ctl: float) -> None:
        day = {"id": str(TODAY), "ctl": ctl}
        await repo.replace_window(db, "wellness", "i1", TODAY, TODAY, [day], datetime.now(UTC))

    def ctl() -> float:
        return float(reader.list_wellness("i1", TODAY, TODAY)[0].payload["ctl"])

    try:
        await write(1.0)
        assert memo.get_now("ctl", ctl) == 1.0
        assert memo.get_now("ctl", ctl) == 1.0 and memo.hits == 1
        await write(2.0)
        assert memo.get_now("ctl", ctl) == 2.0  # the commit made the old value unreachable

        def read_while_another_writes() -> float:
            value = ctl()
            # a commit by another connection lands while the value is being computed
            with sqlite3.connect(path) as other:
                other.execute(
                    "UPDATE wellness SET payload = json_set(payload, '$.ctl', payload ->> '$.ctl' + 1)"
                )
            return value

        assert memo.get_now("raced", read_while_another_writes) == 2.0
        assert memo.get_now("raced", read_while_another_writes) == 3.0  # not the stale 2.0
        assert GenerationMemo(None).get_now("x", lambda: 1) == 1  # no generation: no memo
    finally:
        reader.close()
        await db.close()
