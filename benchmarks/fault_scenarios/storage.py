"""The cache file going wrong: damaged, unwritable, full."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from fault_scenarios import ATHLETE, KEY, TODAY, Lab, Row, Stopwatch, scenario, short, tool_text
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.errors import StorageError

SINCE = TODAY - timedelta(days=150)


def _cli(lab: Lab, db_path: Path, *args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTERVALS_", "API_KEY", "ATHLETE_ID"))}
    env.update(
        INTERVALS_API_BASE_URL=lab.fake.base_url,
        API_KEY=KEY,
        ATHLETE_ID=ATHLETE,
        INTERVALS_MCP_DB=str(db_path),
    )
    done = subprocess.run(
        [sys.executable, "-m", "intervals_mcp", *args],
        env=env,
        cwd=lab.tmp,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return done.returncode, (lines[-1] if lines else "")


@scenario("storage")
async def damaged_file_cli(lab: Lab) -> Row:
    lab.fresh()
    path = lab.db_path()
    path.write_bytes(b"not a database\n" * 200)
    clock = Stopwatch()
    code, line = _cli(lab, path, "sync", "--since", str(SINCE))
    reset, _ = _cli(lab, path, "db", "reset", "--yes")
    again, _ = _cli(lab, path, "sync", "--since", str(SINCE))
    line = line.replace(str(path), "<db>")
    outcome = f"exit {code}: {short(line, 80)}; db reset exit {reset}; sync exit {again}"
    return Row(
        "CLI sync, damaged file",
        "text file as the cache",
        outcome,
        len(lab.fake.requests),
        clock.seconds,
        "storage",
    )


@scenario("storage")
async def damaged_file_tool(lab: Lab) -> Row:
    lab.fresh()
    path = lab.db_path()
    clock = Stopwatch()
    async with lab.tools(path) as client:
        await client.call_tool("get_wellness_data", {})
        for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if part.exists():
                part.write_bytes(os.urandom(max(part.stat().st_size, 4096)))
        result = await client.call_tool("get_activities", {"start_date": str(SINCE)})
    text = tool_text(result).split(": ", 1)[-1].replace(str(path), "<db>")
    outcome = ("ToolError: " if result.is_error else "answered?! ") + short(text, 90)
    return Row(
        "tool call, file damaged while serving",
        "random bytes over db, -wal, -shm",
        outcome,
        len(lab.fake.requests),
        clock.seconds,
        "storage",
    )


@scenario("storage")
async def path_under_a_file(lab: Lab) -> Row:
    lab.fresh()
    blocker = lab.tmp / "blocker"
    blocker.write_text("a file\n")
    path = blocker / "cache.sqlite3"
    clock = Stopwatch()
    code, line = _cli(lab, path, "sync", "--since", str(SINCE))
    outcome = f"exit {code}: {short(line.replace(str(path), '<db>'), 100)}"
    return Row(
        "CLI sync, unwritable place",
        "cache path under a regular file",
        outcome,
        len(lab.fake.requests),
        clock.seconds,
        "storage",
    )


@scenario("storage")
async def full_disk(lab: Lab) -> Row:
    """SQLite's page limit on every connection: writes fail with SQLITE_FULL, as on a full disk."""
    lab.fresh()
    path = lab.db_path()
    upgrade_database(path)
    with sqlite3.connect(path) as conn:
        room = int(conn.execute("PRAGMA page_count").fetchone()[0]) + 12

    def limit(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.cursor().execute(f"PRAGMA max_page_count={room}")

    def unlimit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.cursor().execute("PRAGMA max_page_count=4294967294")

    clock = Stopwatch()
    event.listen(Engine, "checkout", limit)
    event.listen(Engine, "checkin", unlimit)
    try:
        async with lab.service(path) as (service, _, _):
            try:
                await service.sync(SINCE, TODAY, ["activities", "wellness", "events"])
                first = "sync did not fail?!"
            except StorageError as exc:
                first = str(exc).replace(str(path), "<db>")
    finally:
        event.remove(Engine, "checkout", limit)
        event.remove(Engine, "checkin", unlimit)
    with sqlite3.connect(path) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    async with lab.service(path) as (service, _, _):
        report = await service.sync(SINCE, TODAY, ["activities", "wellness", "events"])
    outcome = f"{short(first, 70)}; integrity {integrity}; next sync {'ok' if report.ok else 'FAILED'}"
    return Row(
        "sync, disk full",
        "SQLITE_FULL after ~48 KiB",
        outcome,
        len(lab.fake.requests),
        clock.seconds,
        "storage",
    )
