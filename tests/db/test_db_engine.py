"""The cache file: owner-only, WAL, migrated cheaply, and clear errors for bad files."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import anyio
import pytest
from db_factories import FETCHED, activity

from intervals_mcp.db import queries, writes
from intervals_mcp.db.engine import HEAD_REVISION, Database, alembic_config, upgrade_database
from intervals_mcp.db.sqlite import delete_files as reset_database
from intervals_mcp.db.sqlite import path_of
from intervals_mcp.db.sqlite import revision_of as current_revision
from intervals_mcp.errors import StorageError

pytestmark = pytest.mark.anyio


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _exists(path: Path | str) -> bool:
    return Path(path).exists()


def test_head_revision_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_upgrade_creates_an_owner_only_file_and_directories(db_path: Path) -> None:
    assert not db_path.parent.exists()
    upgrade_database(db_path)
    assert _mode(db_path) == 0o600
    assert current_revision(db_path) == HEAD_REVISION


def test_upgrade_narrows_a_world_readable_file(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    upgrade_database(path)
    assert _mode(path) == 0o600


async def test_wal_and_pragmas_on_every_connection(sqlite_db: Database) -> None:
    db = sqlite_db
    await writes.replace_window(db, "activities", "i1", date(2026, 10, 1), date(2026, 10, 1), [], FETCHED)
    async with db.read() as conn:
        assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar_one() >= 10_000
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
        assert (await conn.exec_driver_sql("PRAGMA synchronous")).scalar() == 1  # NORMAL
    # SQLite gives its -wal/-shm files the database file's (owner-only) mode.
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path_of(db.url)}{suffix}")
        assert _exists(side)
        assert _mode(side) == 0o600


async def test_open_works_from_another_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/")
    database = await Database.open(tmp_path / "elsewhere.sqlite3")
    await database.close()
    assert current_revision(tmp_path / "elsewhere.sqlite3") == HEAD_REVISION


def test_a_file_that_is_not_a_database_raises_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not a database, just some text\n" * 200)
    with pytest.raises(StorageError) as caught:
        upgrade_database(path)
    assert str(path) in str(caught.value)
    assert "intervals-mcp db reset" in str(caught.value)


def test_a_corrupted_database_raises_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    upgrade_database(path)
    data = bytearray(path.read_bytes())
    data[0:16] = b"garbage garbage!"  # the SQLite header
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="db reset") as caught:
        upgrade_database(path)
    assert str(path) in str(caught.value)


async def test_database_open_reports_corruption_too(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(StorageError, match="db reset"):
        await Database.open(path)


def test_someone_elses_database_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    with pytest.raises(StorageError, match="not intervals-mcp's") as caught:
        upgrade_database(path)
    assert str(path) in str(caught.value)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    upgrade_database(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StorageError, match="newer intervals-mcp") as caught:
        upgrade_database(path)
    assert str(path) in str(caught.value)


def test_a_directory_that_cannot_be_created_raises_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the directory should be")
    path = blocker / "cache.sqlite3"
    with pytest.raises(StorageError) as caught:
        upgrade_database(path)
    assert str(path) in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_an_unwritable_directory_raises_storage_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(StorageError) as caught:
            upgrade_database(locked / "cache.sqlite3")
        assert str(locked / "cache.sqlite3") in str(caught.value)
    finally:
        locked.chmod(0o700)


async def test_open_without_upgrade_refuses_an_unmigrated_file(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="db upgrade"):
        await Database.open(tmp_path / "fresh.sqlite3", upgrade=False)


async def test_reset_deletes_the_file_and_its_companions(sqlite_db: Database) -> None:
    db = sqlite_db
    await writes.replace_window(db, "activities", "i1", date(2026, 10, 1), date(2026, 10, 1), [], FETCHED)
    path = path_of(db.url)
    await db.close()
    reset_database(path)
    for suffix in ("", "-wal", "-shm", "-journal"):
        assert not _exists(f"{path}{suffix}")
    reset_database(path)  # nothing left to delete is fine


def test_fast_path_does_not_import_alembic(db_path: Path) -> None:
    upgrade_database(db_path)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from intervals_mcp.db.engine import upgrade_database\n"
        f"upgrade_database(Path({str(db_path)!r}))\n"
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd="/")
    assert done.stdout.strip() == "[]"


def test_slow_path_does_import_alembic(tmp_path: Path) -> None:
    # The counterpart of the test above, so that one cannot pass for the wrong reason.
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from intervals_mcp.db.engine import upgrade_database\n"
        f"upgrade_database(Path({str(tmp_path / 'new.sqlite3')!r}))\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd="/")
    assert done.stdout.strip() == "True"


async def test_two_processes_worth_of_writers_share_the_file(db_path: Path) -> None:
    # The sync CLI and a running server each hold their own engine on the same file.
    first, second = await Database.open(db_path), await Database.open(db_path)
    try:

        async def write(database: Database, athlete: str) -> None:
            for n in range(15):
                day = date(2026, 1, 1 + n)
                await writes.replace_window(
                    database, "activities", athlete, day, day, [activity(f"{athlete}-{n}", day)], FETCHED
                )

        async with anyio.create_task_group() as tg:
            tg.start_soon(write, first, "i1")
            tg.start_soon(write, second, "i2")
        reader = first.open_reader()
        for athlete in ("i1", "i2"):
            rows = await queries.records_in(
                reader, "activities", athlete, date(2026, 1, 1), date(2026, 1, 31)
            )
            assert len(rows) == 15
        await reader.aclose()
    finally:
        await first.close()
        await second.close()


async def test_a_second_open_in_one_process_keeps_the_first_ones_view_of_other_processes(
    db_path: Path,
) -> None:
    """Opening the cache again in one process (the token check and the tools each hold one)
    must not drop the SQLite locks of connections already open: else another process, seeing
    itself alone, deletes the WAL on close and the first connections keep reading a stale one."""
    first = await Database.open(db_path)
    day = date(2026, 1, 1)
    try:
        await writes.replace_window(first, "wellness", "i1", day, day, [{"id": "2026-01-01"}], FETCHED)
        reader = first.open_reader()
        assert len(await queries.records_in(reader, "wellness", "i1", day, day)) == 1
        second = await Database.open(db_path)
        await second.close()
        script = (
            "import asyncio, sys\n"
            "from datetime import date\n"
            "from intervals_mcp.db import writes\n"
            "from intervals_mcp.db.engine import Database\n"
            "async def main():\n"
            "    db = await Database.open(sys.argv[1])\n"
            "    await writes.delete_records(db, 'wellness', 'i1', ['2026-01-01'])\n"
            "    await db.close()\n"
            "asyncio.run(main())\n"
        )
        await anyio.run_process([sys.executable, "-c", script, str(db_path)], check=True, cwd="/")
        assert await queries.records_in(reader, "wellness", "i1", day, day) == []
        async with first.read() as conn:
            assert (await conn.exec_driver_sql("SELECT count(*) FROM wellness")).scalar() == 0
        await reader.aclose()
    finally:
        await first.close()
