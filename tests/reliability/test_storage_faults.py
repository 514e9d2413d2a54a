"""The cache file going wrong: damaged, not writable, or its disk full.

Each case ends in one line naming the file and the way out (for `sync` and `status` as real
child processes, and as a ToolError for every tool call of a `serve` that answered its
handshake), and a full disk never leaves a day marked covered without its rows: the next sync
after space is freed completes.

The full disk is shown twice: honestly simulated everywhere with SQLite's own limit
(`PRAGMA max_page_count` on every connection the sync takes, which fails writes with the same
SQLITE_FULL a full disk gives), and for real on a small tmpfs where this machine may mount one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, ClientSession
from mcp.client.stdio import stdio_client
from pydantic import SecretStr
from sqlalchemy import event
from sqlalchemy.engine import Engine

from intervals_mcp.cli.runner import SyncRequest, run_sync
from intervals_mcp.config import Settings
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.fake import FakeIntervals
from intervals_mcp.server.app import build_server
from server.conftest import make_settings, sentence
from sync.processes import check_consistent, child_env

from .conftest import RELIABILITY_ATHLETE as ATHLETE
from .conftest import RELIABILITY_KEY as KEY
from .conftest import RELIABILITY_TODAY as TODAY
from .conftest import assert_one_sentence
from .stdio_support import serve_params

RESET = "intervals-mcp db reset"
SINCE = TODAY - timedelta(days=150)


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "intervals_mcp", *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


def one_error_line(err: str, prefix: str = "intervals-mcp: ") -> str:
    """The single stderr line of a failed command, without its prefix: `intervals-mcp: ` for
    every start-up error, `Sync failed: ` for a sync that failed on its way."""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith(prefix), lines[0]
    line = lines[0].removeprefix(prefix)
    assert_one_sentence(line)
    return line


def last_line(err: str) -> str:
    """The closing line of a sync's stderr (progress lines come first); never a traceback."""
    assert "Traceback" not in err, err
    return err.strip().splitlines()[-1]


def run_all(env: dict[str, str], cwd: Path, *commands: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """Run the commands side by side (each is a fresh interpreter: ~1 s apiece)."""
    procs = [cli(*c, env=env, cwd=cwd) for c in commands]
    return [finish(p) for p in procs]


FAILING = (("sync", "--since", str(SINCE)), ("status",))
"""Commands that stop with one line on a damaged file; `serve` instead answers the handshake and
says it on every tool call (Claude Desktop would show only "Connection closed")."""
CREATING = (("sync", "--since", str(SINCE)), ("db", "upgrade"))
"""Commands that create a missing cache (`status` and `db reset` never do)."""


# --- a damaged file -----------------------------------------------------------------------


def test_a_damaged_cache_names_its_path_and_reset_then_reset_rebuilds(
    quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    db_path = tmp_path / "cache.sqlite3"
    db_path.write_bytes(b"this is not a database, just somebody's notes\n" * 100)
    env = child_env(quiet_fake, db_path)

    for code, out, err in run_all(env, tmp_path, *FAILING):
        assert code == 1, err
        line = one_error_line(err)
        assert str(db_path) in line and RESET in line and "damaged" in line
        assert out == ""
    assert quiet_fake.requests == []  # nothing was fetched for a cache that cannot hold it

    code, _, err = finish(cli("db", "reset", "--yes", env=env, cwd=tmp_path))
    assert code == 0, err
    assert "Reset" in err and str(db_path) in err
    # The rebuilt file takes a sync (in process: one interpreter start less for CI).
    assert run_sync(sync_settings(quiet_fake, db_path), **sync_args()) == 0
    assert check_consistent(db_path, quiet_fake.store) > 100


@pytest.mark.anyio
async def test_serve_on_a_damaged_cache_answers_the_handshake_and_says_it_on_each_call(
    quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    db_path = tmp_path / "cache.sqlite3"
    db_path.write_bytes(b"this is not a database, just somebody's notes\n" * 100)
    async with stdio_client(serve_params(quiet_fake, db_path)) as (r, w), ClientSession(r, w) as session:
        await session.initialize()
        for tool in ("get_activities", "get_events"):
            message = sentence(await session.call_tool(tool, {}), tool)
            assert str(db_path) in message and RESET in message and "damaged" in message
            assert_one_sentence(message)
    assert quiet_fake.requests == []


@pytest.mark.anyio
async def test_a_tool_call_on_a_damaged_cache_is_a_tool_error_with_the_way_out(
    quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    db_path = tmp_path / "cache.sqlite3"
    settings = make_settings(quiet_fake, db_path, key=KEY)
    async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
        assert not (await client.call_tool("get_wellness_data", {})).is_error
        # Damaged under the running server: the header, the log and the shared memory.
        for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            if path.exists():
                path.write_bytes(os.urandom(max(path.stat().st_size, 4096)))
        result = await client.call_tool("get_activities", {"start_date": str(SINCE)})
    message = sentence(result, "get_activities")
    assert str(db_path) in message and RESET in message
    assert_one_sentence(message)


# --- a place that cannot be written -------------------------------------------------------


def test_a_cache_path_under_a_regular_file_is_one_line(quiet_fake: FakeIntervals, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where a directory should be\n")
    db_path = blocker / "cache.sqlite3"
    env = child_env(quiet_fake, db_path)
    for code, out, err in run_all(env, tmp_path, *CREATING):
        assert code == 1, err  # one exit code, whichever command meets it
        line = one_error_line(err)
        assert "cannot be created" in line
        assert str(db_path) in line and ("INTERVALS_MCP_DB" in line or "--db" in line), line
        assert out == ""
    assert blocker.read_text() == "a file where a directory should be\n"
    code, _, err = finish(cli("status", env=env, cwd=tmp_path))
    assert code == 0 and "There is no cache here yet" in err, err


@contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A small tmpfs at `where`, or a skip saying why this machine cannot mount one."""
    where.mkdir(parents=True, exist_ok=True)
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot run mount here ({exc}); the simulated full disk covers this")
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here ({mounted.stderr.strip()})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=10)


def test_a_read_only_filesystem_is_one_line(quiet_fake: FakeIntervals, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "size=2m,ro") as mount:
        db_path = mount / "cache.sqlite3"
        for code, out, err in run_all(child_env(quiet_fake, db_path), tmp_path, *CREATING):
            assert code == 1, err
            line = one_error_line(err)
            assert str(db_path) in line and ("INTERVALS_MCP_DB" in line or "--db" in line), line
            assert out == ""


# --- a full disk --------------------------------------------------------------------------


@contextmanager
def page_limit(pages: Callable[[], int]) -> Iterator[None]:
    """Every SQLite connection checked out meanwhile may grow its file to `pages()` pages only.

    SQLite then fails the write exactly as on a full disk (SQLITE_FULL, "database or disk is
    full"); leaving the block frees the space again.
    """

    def limit(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA max_page_count={pages()}")
        cursor.close()

    def unlimit(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA max_page_count=4294967294")
        cursor.close()

    event.listen(Engine, "checkout", limit)
    event.listen(Engine, "checkin", unlimit)
    try:
        yield
    finally:
        event.remove(Engine, "checkout", limit)
        event.remove(Engine, "checkin", unlimit)


def page_count(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(conn.execute("PRAGMA page_count").fetchone()[0])


def sync_settings(fake: FakeIntervals, db_path: Path) -> Settings:
    return Settings(api_key=SecretStr(KEY), athlete_id=ATHLETE, base_url=fake.base_url, db_path=db_path)


def sync_args() -> dict[str, Any]:
    request = SyncRequest(ATHLETE, str(SINCE), None, str(TODAY), ["activities", "wellness", "events"])
    return {"request": request}


def test_a_full_disk_during_sync_stops_cleanly_and_the_next_sync_completes(
    quiet_fake: FakeIntervals, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "cache.sqlite3"
    settings = sync_settings(quiet_fake, db_path)
    args = sync_args()
    upgrade_database(db_path)
    room = page_count(db_path) + 12  # ~48 KiB: some windows fit, the sync does not

    with page_limit(lambda: room):
        assert run_sync(settings, **args) == 1
    line = one_error_line(last_line(capsys.readouterr().err), "Sync failed: ")
    assert "full" in line and str(db_path) in line and RESET not in line
    partly = check_consistent(db_path, quiet_fake.store)  # integrity ok, covered days hold their rows
    assert partly < (TODAY - SINCE).days * 3  # it really stopped short

    assert run_sync(settings, **args) == 0, capsys.readouterr().err
    assert check_consistent(db_path, quiet_fake.store) >= ((TODAY - SINCE).days + 1) * 3


def test_a_real_full_tmpfs_during_sync(quiet_fake: FakeIntervals, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "size=8m") as mount:
        db_path = mount / "cache.sqlite3"
        upgrade_database(db_path)
        used = sum(p.stat().st_size for p in mount.iterdir())
        filler = mount / "filler"
        with filler.open("wb") as f:  # leave ~200 KiB: a few windows fit, the sync does not
            f.write(b"\0" * (8 * 1024 * 1024 - used - 200 * 1024))
        env = child_env(quiet_fake, db_path)
        code, _, err = finish(cli("sync", "--since", str(SINCE), env=env, cwd=tmp_path))
        assert code == 1, err
        line = one_error_line(last_line(err), "Sync failed: ")
        assert "full" in line and str(db_path) in line
        check_consistent(db_path, quiet_fake.store)

        filler.unlink()
        code, _, err = finish(cli("sync", "--since", str(SINCE), env=env, cwd=tmp_path))
        assert code == 0, err
        assert check_consistent(db_path, quiet_fake.store) >= ((TODAY - SINCE).days + 1) * 3


# --- some pages damaged ---------------------------------------------------------------------


def damage_some_pages(db_path: Path, table: str = "activities", pages: int = 3) -> None:
    """Overwrite a few of `table`'s pages in the middle of a sound cache with noise: the file
    still opens and most reads work, but `PRAGMA quick_check` finds the damage."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        found = conn.execute("SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno", (table,))
        numbers = [n for (n,) in found]
    finally:
        conn.close()
    middle = numbers[len(numbers) // 2 : len(numbers) // 2 + pages]
    with db_path.open("r+b") as f:
        for number in middle:
            f.seek((number - 1) * size)
            f.write(os.urandom(size))


def test_a_cache_with_some_pages_damaged_is_said_by_sync_upgrade_and_status(
    quiet_fake: FakeIntervals, tmp_path: Path
) -> None:
    """A file that opens but has damaged pages: `sync` (of days it would not even touch), `db
    upgrade` and `status` each say so and name the way out, instead of all being well."""
    db_path = tmp_path / "cache.sqlite3"
    assert run_sync(sync_settings(quiet_fake, db_path), **sync_args()) == 0
    damage_some_pages(db_path)
    quiet_fake.clear_log()
    env = child_env(quiet_fake, db_path)
    commands = (("sync", "--days", "2"), ("db", "upgrade"), ("status", "--json"))
    (sync, upgrade, status) = run_all(env, tmp_path, *commands)
    for code, _, err in (sync, upgrade):
        assert code == 1, err
        line = one_error_line(err)
        assert str(db_path) in line and "damaged" in line and RESET in line
    assert quiet_fake.requests == []  # nothing fetched into a damaged cache
    code, out, err = status
    assert code == 1, err
    said = json.loads(out)["problem"]
    assert str(db_path) in said and "damaged" in said and RESET in said
