"""The two readers run the same query layer and agree row for row; the generation moves with
every commit, whoever makes it; the memo built on it never keeps a raced value."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from sqlalchemy import literal, select

from intervals_mcp.db import queries, writes
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader, EngineReader
from intervals_mcp.db.sqlite import path_of, storage_error
from intervals_mcp.fake import FakeIntervals
from intervals_mcp.sync.bulk import sync_history
from intervals_mcp.sync.factory import Services
from intervals_mcp.sync.memo import GenerationMemo

from .conftest import TODAY, make_settings, values

# Another process committing through intervals-mcp's own write path (as `intervals-mcp sync`).
OTHER_WRITER = """
import asyncio, sys
from datetime import UTC, date, datetime
from intervals_mcp.db import writes
from intervals_mcp.db.engine import Database

async def main(url, day, ctl):
    db = await Database.open(url)
    try:
        payload = {"id": day, "ctl": float(ctl)}
        await writes.replace_window(db, "wellness", "i1", date.fromisoformat(day),
                                    date.fromisoformat(day), [payload], datetime.now(UTC))
    finally:
        await db.close()

asyncio.run(main(*sys.argv[1:]))
"""

pytestmark = pytest.mark.anyio


@pytest.fixture
async def filled(fake: FakeIntervals, tmp_path: Path) -> AsyncIterator[Services]:
    """A real cache file holding a year of the fake athlete, some intervals and the profile
    (SQLite: the one database with two kinds of reader)."""
    services = await Services.open(make_settings(fake, tmp_path / "cache.sqlite3"))
    try:
        athlete = await services.athlete(interactive=False)
        start, end = TODAY - timedelta(days=365), TODAY + timedelta(days=30)
        await sync_history(services.records, athlete, start, end, ["activities", "wellness", "events"])
        recent = await queries.records_in(
            services.reader, "activities", athlete.id, TODAY - timedelta(days=20), TODAY
        )
        for row in [r for r in recent if not r.is_strava_stub][:4]:
            await services.records.ensure_intervals(athlete, str(row.id))
        yield services
    finally:
        await services.close()


def _engine_reader(db: Database) -> CacheReader:
    path = path_of(db.url)
    return EngineReader(db.engine, select(literal(0)), lambda exc: storage_error(path, exc))



async def test_both_readers_return_the_same_rows(filled: Services, fake: FakeIntervals) -> None:
    fast, other = filled.reader, _engine_reader(filled.db)
    athlete = fake.athlete_id

    async def both(read: Any, *args: Any) -> Any:
        first, second = await read(fast, *args), await read(other, *args)
        assert first == second
        return first

    for start, end in [
        (TODAY - timedelta(days=30), TODAY),
        (TODAY - timedelta(days=365), TODAY + timedelta(days=30)),
        (TODAY + timedelta(days=1), TODAY + timedelta(days=30)),
        (TODAY - timedelta(days=900), TODAY - timedelta(days=800)),  # nothing cached
    ]:
        for resource in ("activities", "wellness", "events"):
            await both(queries.coverage, athlete, resource, start, end)
            listed = await both(queries.records_in, resource, athlete, start, end)
            digests, payloads = await both(queries.payloads, resource, athlete, start, end)
            assert payloads == [r.payload for r in listed]
            assert digests == await both(queries.digests, resource, athlete, start, end)
            assert len(set(digests)) == len(listed)  # distinct records, distinct digests
    everything = await queries.records_in(fast, "activities", athlete, TODAY - timedelta(days=400), TODAY)
    assert any(a.is_strava_stub for a in everything) and any(not a.is_strava_stub for a in everything)
    for a in everything:
        found = await both(queries.record, "activities", athlete, a.id)
        assert found == a
        await both(queries.extra, "intervals", athlete, str(a.id))
        assert await both(queries.owners, "activities", a.id) == [athlete]
    assert (
        sum([await queries.extra(fast, "intervals", athlete, str(a.id)) is not None for a in everything]) >= 1
    )
    for e in values(fake.store.events):
        await both(queries.record, "events", athlete, int(e["id"]))
    assert await both(queries.profile, athlete) is not None
    assert await both(queries.key_owner) is None  # resolved by its own id, not as 0
    assert await queries.record(fast, "activities", athlete, "i0") is None
    assert await queries.record(fast, "activities", "i999", everything[0].id) is None  # another athlete's


async def test_generation_moves_with_commits_in_this_process_and_another(database_url: str) -> None:
    db = await Database.open(database_url)
    reader = db.open_reader()
    try:
        seen = await reader.generation()
        assert await reader.generation() == seen  # reading changes nothing
        day = TODAY
        payload = {"id": day.isoformat(), "ctl": 50.0}
        await writes.replace_window(db, "wellness", "i1", day, day, [payload], datetime.now(UTC))
        assert await reader.generation() != seen
        seen = await reader.generation()
        await queries.coverage(reader, "i1", "wellness", day, day)
        assert await reader.generation() == seen
        # Another process commits to the same database (as `intervals-mcp sync` would).
        other_process = [sys.executable, "-c", OTHER_WRITER, database_url, str(day), "51"]
        await anyio.run_process(other_process, check=True)
        assert await reader.generation() != seen
        assert (await queries.records_in(reader, "wellness", "i1", day, day))[0].payload["ctl"] == 51.0
        if db.dialect.name == "sqlite":  # any connection's commit, even outside intervals-mcp
            seen = await reader.generation()
            with sqlite3.connect(path_of(database_url)) as other:
                other.execute("UPDATE wellness SET payload_hash = 'x'")
            assert await reader.generation() != seen
    finally:
        await reader.aclose()
        await db.close()


async def test_memo_forgets_on_commit_and_never_stores_a_raced_value(database_url: str) -> None:
    db = await Database.open(database_url)
    other = await Database.open(database_url)  # another connection pool, as another process has
    reader = db.open_reader()
    memo = GenerationMemo(reader.generation)

    async def write(ctl: float, on: Database = db) -> None:
        day = {"id": str(TODAY), "ctl": ctl}
        await writes.replace_window(on, "wellness", "i1", TODAY, TODAY, [day], datetime.now(UTC))

    async def ctl() -> float:
        return float((await queries.records_in(reader, "wellness", "i1", TODAY, TODAY))[0].payload["ctl"])

    try:
        await write(1.0)
        assert await memo.get("ctl", ctl) == 1.0
        assert await memo.get("ctl", ctl) == 1.0 and memo.hits == 1
        await write(2.0)
        assert await memo.get("ctl", ctl) == 2.0  # the commit made the old value unreachable

        async def read_while_another_writes() -> float:
            value = await ctl()
            # a commit by another connection lands while the value is being computed
            await write(value + 1, other)
            return value

        assert await memo.get("raced", read_while_another_writes) == 2.0
        assert await memo.get("raced", read_while_another_writes) == 3.0  # not the stale 2.0

        async def one() -> int:
            return 1

        assert await GenerationMemo(None).get("x", one) == 1  # no generation: no memo
    finally:
        await reader.aclose()
        await db.close()
        await other.close()
