"""What only PostgreSQL has: its schema (JSONB, 64-bit ids, aware timestamps) equal to the
models, migrations from several processes at once, write transactions that take turns, the
generation every commit moves, batches far past the parameter limit, and one sentence for
every way the server can fail. The database-neutral behaviour runs on both backends in the
other files of this folder."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from db_factories import FETCHED, activity
from sqlmodel import SQLModel

from backends import PostgresCluster, database, opened, rows, sync_engine
from intervals_mcp.db import models, queries, writes
from intervals_mcp.db.dialects import dialect_for
from intervals_mcp.db.engine import HEAD_REVISION, Database, alembic_config, upgrade_database
from intervals_mcp.db.postgres import describe
from intervals_mcp.errors import ConfigError, StorageError

pytestmark = pytest.mark.anyio

assert models.TABLES
LATER = FETCHED + timedelta(hours=1)


@pytest.fixture
def pg_url(tmp_path: Path, postgres: PostgresCluster | None) -> Iterator[str]:
    with database("postgresql", tmp_path, postgres) as url:
        yield url


@pytest.fixture
def empty_pg_url(tmp_path: Path, postgres: PostgresCluster | None) -> Iterator[str]:
    with database("postgresql", tmp_path, postgres, migrated=False) as url:
        yield url


@pytest.fixture
async def pg(pg_url: str) -> AsyncIterator[Database]:
    async with opened(pg_url) as db:
        yield db


# --- the URL and failures (no server needed) --------------------------------------------------


def test_the_url_is_described_without_its_password() -> None:
    assert describe("postgresql://coach:s3cret@db.example:5433/intervals") == (
        "postgresql://coach@db.example:5433/intervals"
    )
    assert describe("postgres://db.example/intervals") == "postgresql://db.example/intervals"
    assert dialect_for("postgres://db.example/x").name == "postgresql"
    with pytest.raises(ConfigError, match="INTERVALS_MCP_DATABASE_URL"):
        upgrade_database("postgresql://db.example:5432")  # names no database


def test_the_driver_url_is_asyncpgs_and_sslmode_is_kept() -> None:
    dialect = dialect_for("postgresql://u@db.example/x")
    assert dialect.async_url("postgres://u:pw@db.example:5433/x?sslmode=require&application_name=a") == (
        "postgresql+asyncpg://u:pw@db.example:5433/x?ssl=require&application_name=a"
    )


def test_an_unreachable_server_is_one_sentence_without_the_password() -> None:
    with pytest.raises(StorageError) as caught:
        upgrade_database("postgresql://coach:s3cret@127.0.0.1:1/intervals")
    message = str(caught.value)
    assert message == (
        "The cache database postgresql://coach@127.0.0.1:1/intervals cannot be reached; check that "
        "PostgreSQL is running and INTERVALS_MCP_DATABASE_URL."
    )


async def test_opening_an_unreachable_server_without_upgrade_is_one_sentence() -> None:
    with pytest.raises(StorageError, match="cannot be reached"):
        await Database.open("postgresql://coach@127.0.0.1:1/intervals", upgrade=False)


# --- the schema -------------------------------------------------------------------------------


def _differences(url: str) -> list[Any]:
    with sync_engine(url) as engine, engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))


def test_models_and_migrations_agree_on_postgresql(pg_url: str) -> None:
    assert _differences(pg_url) == []


def test_payloads_are_jsonb_ids_64_bit_and_timestamps_aware(pg_url: str) -> None:
    found = {
        (table, column): kind
        for table, column, kind in rows(
            pg_url,
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema()",
        )
    }
    payload_tables = [t.name for t in SQLModel.metadata.sorted_tables if "payload" in t.c]
    assert len(payload_tables) >= 8
    for table in payload_tables:
        assert found[(table, "payload")] == "jsonb"
        assert found[(table, "fetched_at")] == "timestamp with time zone"
    assert found[("events", "id")] == "bigint"
    assert found[("activities", "start_date_local")] == "timestamp without time zone"  # local wall clock


def test_a_0001_database_upgrades_to_jsonb_and_back_keeping_its_rows(empty_pg_url: str) -> None:
    command.upgrade(alembic_config(empty_pg_url), "0001")
    payload = {"id": "i100", "type": "Ride", "moving_time": 3600, "name": "Sortie à vélo"}
    with sync_engine(empty_pg_url) as engine, engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO activities (athlete_id, id, local_date, start_date_local, is_strava_stub, "
            "payload_hash, fetched_at, payload) VALUES ('i1', 'i100', '2026-10-10', "
            "'2026-10-10 07:00:00', false, 'h', '2026-10-12 09:00:00+00', %(payload)s)",
            {"payload": json.dumps(payload)},
        )
    upgrade_database(empty_pg_url)
    assert rows(empty_pg_url, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    stored = rows(empty_pg_url, "SELECT payload, moving_time, payload->>'name' FROM activities")
    assert stored == [(payload, 3600, "Sortie à vélo")]
    command.downgrade(alembic_config(empty_pg_url), "0001")
    assert rows(empty_pg_url, "SELECT payload::text FROM activities") != []


def test_someone_elses_database_is_not_touched(empty_pg_url: str) -> None:
    with sync_engine(empty_pg_url) as engine, engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE notes (x text)")
    with pytest.raises(StorageError, match="not intervals-mcp's"):
        upgrade_database(empty_pg_url)


def test_processes_starting_together_on_a_fresh_database_migrate_it_once(empty_pg_url: str) -> None:
    script = "import sys; from intervals_mcp.db.engine import upgrade_database; upgrade_database(sys.argv[1])"
    children = [
        subprocess.Popen([sys.executable, "-c", script, empty_pg_url], stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    errors = [child.communicate(timeout=60)[1] for child in children]
    assert [child.returncode for child in children] == [0, 0, 0], errors
    assert rows(empty_pg_url, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]


# --- writes -----------------------------------------------------------------------------------


async def test_a_batch_past_the_parameter_limit_is_written_whole(pg: Database) -> None:
    # 5,000 activities x 15 columns = 75,000 values: more than one PostgreSQL statement may bind.
    start = date(2020, 1, 1)
    batch = [activity(f"i{n}", date.fromordinal(start.toordinal() + n % 1500)) for n in range(5000)]
    end = date.fromordinal(start.toordinal() + 1499)
    change = await writes.replace_window(pg, "activities", "a", start, end, batch, FETCHED)
    assert change.inserted == 5000
    assert rows(pg.url, "SELECT count(*), count(DISTINCT id) FROM activities") == [(5000, 5000)]
    again = await writes.replace_window(pg, "activities", "a", start, end, batch, LATER)
    assert (again.inserted, again.updated, again.deleted) == (0, 0, 0)


async def test_every_commit_moves_the_generation_and_reads_do_not(pg: Database) -> None:
    other = await Database.open(pg.url)  # another process's engine
    reader = pg.open_reader()
    try:
        first = await reader.generation()
        await queries.coverage(reader, "a", "activities", date(2026, 1, 1), date(2026, 1, 2))
        assert await reader.generation() == first
        await writes.replace_window(other, "wellness", "a", date(2026, 1, 1), date(2026, 1, 1), [], FETCHED)
        second = await reader.generation()
        assert second != first
        with pytest.raises(ValueError):  # refused before anything is written: no commit
            backwards = (date(2026, 1, 2), date(2026, 1, 1))
            await writes.replace_window(other, "wellness", "a", *backwards, [], FETCHED)
        assert await reader.generation() == second
    finally:
        await reader.aclose()
        await other.close()


async def test_write_transactions_from_many_engines_take_turns_and_the_newest_fetch_stands(
    pg: Database,
) -> None:
    """Eight engines (as eight processes would) rewrite overlapping windows at once, some
    answers leaving records out (vanished upstream): afterwards every day holds exactly what
    the newest fetch of that day said, nothing doubled, nothing lost."""
    engines = [await Database.open(pg.url) for _ in range(8)]
    days = [date(2026, 3, d) for d in range(1, 13)]
    said: dict[date, list[tuple[Any, str | None]]] = {day: [] for day in days}
    try:

        async def rewrite(index: int, db: Database) -> None:
            for round_ in range(6):
                window = days[(index + round_) % 6 : (index + round_) % 6 + 7]
                fetched = FETCHED.replace(minute=(round_ * 8 + index) % 60, second=round_)
                batch = []
                for day in window:
                    shown = (index + round_ + day.day) % 3 != 0
                    said[day].append((fetched, f"by {index}/{round_}" if shown else None))
                    if shown:
                        batch.append(activity(f"d{day.day}", day, name=f"by {index}/{round_}"))
                await writes.replace_window(db, "activities", "a", window[0], window[-1], batch, fetched)

        async with anyio.create_task_group() as tg:
            for index, db in enumerate(engines):
                tg.start_soon(rewrite, index, db)
    finally:
        for db in engines:
            await db.close()
    expected = {f"d{day.day}": max(views)[1] for day, views in said.items() if views}
    stored = dict(rows(pg.url, "SELECT id, payload->>'name' FROM activities"))
    assert stored == {k: v for k, v in expected.items() if v is not None}
    assert rows(pg.url, "SELECT count(*) - count(DISTINCT id) FROM activities") == [(0,)]


async def test_status_and_size_work_on_postgresql(pg: Database) -> None:
    from intervals_mcp.db.status import cache_status

    await writes.replace_window(pg, "activities", "a", date(2026, 1, 1), date(2026, 1, 3),
                                [activity("x", date(2026, 1, 2))], FETCHED)  # fmt: skip
    reader = pg.open_reader()
    try:
        [status] = await cache_status(reader)
    finally:
        await reader.aclose()
    assert (status.athlete_id, status.resource, status.rows) == ("a", "activities", 1)
    assert status.covered == ((date(2026, 1, 1), date(2026, 1, 3)),)
    size = pg.size()
    assert size is not None and size > 1_000_000
    assert pg.dialect.integrity(pg.url) is None


async def test_reset_drops_every_table_and_upgrade_rebuilds(pg: Database) -> None:
    await writes.replace_window(pg, "activities", "a", date(2026, 1, 1), date(2026, 1, 1),
                                [activity("x", date(2026, 1, 1))], FETCHED)  # fmt: skip
    await pg.close()
    pg.dialect.reset(pg.url)
    assert rows(pg.url, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()") == [(0,)]
    assert not pg.dialect.exists(pg.url)
    upgrade_database(pg.url)
    assert rows(pg.url, "SELECT count(*) FROM activities") == [(0,)]


# --- the request budget shared by processes ---------------------------------------------------


async def test_engines_sharing_a_budget_key_queue_for_one_token_bucket(pg: Database) -> None:
    """Two engines (two processes) reserve alternately from one key at 10/s with a burst of 2:
    the first two go at once and the twelfth one second after them (less the time the
    reservations themselves took), whichever engine asked; another key has its own bucket."""
    other = await Database.open(pg.url)
    try:
        budgets = [db.request_budget("key-a", 10.0, 2) for db in (pg, other)]
        assert all(b is not None for b in budgets)
        started = time.monotonic()
        waits = [await budgets[n % 2].reserve() for n in range(12)]
        took = time.monotonic() - started
        assert waits[:2] == [0.0, 0.0]
        # The last slot is 10 requests past the burst, 1.0 s after the first, on the database's
        # clock; the reservations' own time has passed since.
        assert 1.0 - took - 0.001 <= waits[-1] <= 1.0 + 1e-9
        fresh = pg.request_budget("key-b", 10.0, 2)
        assert await fresh.reserve() == 0.0
        stored = rows(pg.url, "SELECT key FROM request_budgets ORDER BY key")
        assert stored == [("key-a",), ("key-b",)]
    finally:
        await other.close()
