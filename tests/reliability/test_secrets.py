"""The API key stays secret at DEBUG: not in logs, stderr, tool outputs, error texts or the cache.

The key is a distinctive canary; we also look for its HTTP Basic form (base64 of
`API_KEY:<key>`). Everything runs at DEBUG with every library logger opened up: a sync through
the CLI runner, every tool, and the error paths (a rejected key, Intervals.icu down, bad input),
in process and in a real `intervals-mcp serve` child over stdio. The tests also check that
there was something to search (DEBUG lines, request logs), so they cannot pass on silence.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, ClientSession
from mcp.client.stdio import stdio_client
from pydantic import SecretStr

from intervals_mcp.cli.runner import SyncRequest, run_sync
from intervals_mcp.config import Settings, load_settings
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault
from intervals_mcp.server.app import build_server
from server.test_stdio import params

from .conftest import RELIABILITY_TODAY, closed_port_url

KEY = "sk-LEAK-CANARY-7f3a9c1e2b4d8a06"
WRONG_KEY = "sk-WRONG-CANARY-55e0d1c9a7b3f214"
SECRETS = [
    secret
    for key in (KEY, WRONG_KEY)
    for secret in (key, base64.b64encode(f"API_KEY:{key}".encode()).decode())
]
LIBRARY_LOGGERS = (
    "intervals_mcp", "mcp", "httpx", "httpcore", "uvicorn", "uvicorn.access", "uvicorn.error",
    "sqlalchemy", "sqlalchemy.engine", "aiosqlite", "alembic", "anyio", "asyncio", "starlette",
)  # fmt: skip
CALL_SECONDS = 15.0
MONTH = {"start_date": str(RELIABILITY_TODAY - timedelta(days=30)), "end_date": str(RELIABILITY_TODAY)}
BAD_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("get_activities", {"start_date": "yesterday"}),
    ("get_activities", {"limit": -3}),
    ("get_activity_details", {"activity_id": "i999999999999"}),
    ("get_activity_intervals", {"activity_id": "../athlete"}),
    ("get_event_by_id", {"event_id": 999_999_999}),
    ("get_wellness_data", {"athlete_id": "i99999"}),  # someone else's: refused upstream
]


def assert_no_secret(where: str, text: str | bytes) -> None:
    for secret in SECRETS:
        needle: str | bytes = secret.encode() if isinstance(text, bytes) else secret
        assert needle not in text, f"the API key (as {secret[:12]}...) leaked into {where}"


def dump(result: Any) -> str:
    """Everything a client sees of a tool result: text blocks and structured content."""
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False)


def assert_owner_only_and_clean(db: Path) -> None:
    files = [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]
    assert db in files and db.stat().st_size > 0
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path.name} is readable by others"
        assert_no_secret(path.name, path.read_bytes())


@pytest.fixture
def fake(half_year_store: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(half_year_store, api_key=KEY, rate_limit=None) as server:
        yield server


def settings_for(fake_url: str, db: Path, key: str = KEY) -> Settings:
    return load_settings(
        api_key=SecretStr(key),
        athlete_id="i12345",
        base_url=fake_url,
        db_path=db,
        log_level="DEBUG",
        tool_retry_seconds=0.5,
    )


def open_all_loggers(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in {*LIBRARY_LOGGERS, *logging.root.manager.loggerDict}:
        caplog.set_level(logging.DEBUG, logger=name)


async def call(client: Any, tool: str, args: dict[str, Any]) -> Any:
    with anyio.fail_after(CALL_SECONDS):
        return await client.call_tool(tool, args)


async def every_tool(client: Any) -> list[Any]:
    """Each of the six tools once with good arguments (ids taken from the lists)."""
    activities = await call(client, "get_activities", {**MONTH, "limit": 50, "refresh": True})
    events = await call(client, "get_events", {"start_date": MONTH["start_date"], "refresh": True})
    results = [activities, events, await call(client, "get_wellness_data", {**MONTH, "refresh": True})]
    listed = [a for a in activities.structured_content["activities"] if a.get("id")]
    assert listed and events.structured_content["events"], "the athlete needs activities and events"
    activity_id, event_id = listed[0]["id"], events.structured_content["events"][0]["id"]
    for tool, args in (
        ("get_activity_details", {"activity_id": activity_id, "refresh": True}),
        ("get_activity_intervals", {"activity_id": activity_id, "refresh": True}),
        ("get_event_by_id", {"event_id": event_id, "refresh": True}),
    ):
        results.append(await call(client, tool, args))
    assert not any(r.is_error for r in results), [r.content for r in results if r.is_error]
    return results


async def error_paths(client: Any, fake: FakeIntervals | None) -> list[Any]:
    """Bad input, then (with a fake to break) Intervals.icu answering 503 to everything."""
    results = [await call(client, tool, args) for tool, args in BAD_CALLS]
    if fake is not None:
        fake.inject(Fault(kind="status", status=503, times=1000))
        results += [
            await call(client, "get_wellness_data", {**MONTH, "refresh": True}),  # the cache answers
            await call(client, "get_activities", {"start_date": "2001-01-01", "end_date": "2001-02-01"}),
        ]
        fake.reset()
    assert sum(r.is_error for r in results) >= len(BAD_CALLS), "the error paths must be taken"
    return results


# --- in process ------------------------------------------------------------------------------


def test_in_process_sync_tools_and_errors_never_show_the_key(
    fake: FakeIntervals, tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    open_all_loggers(caplog)
    db = tmp_path / "cache.sqlite3"
    good = settings_for(fake.base_url, db)
    codes = [
        run_sync(good, SyncRequest("i12345", str(RELIABILITY_TODAY - timedelta(days=30)), None,
                                   str(RELIABILITY_TODAY), ["activities", "wellness", "events"])),
        run_sync(settings_for(fake.base_url, db, WRONG_KEY),
                 SyncRequest("i12345", str(RELIABILITY_TODAY - timedelta(days=7)), None,
                             str(RELIABILITY_TODAY), ["wellness"], full=True)),
    ]  # fmt: skip
    assert codes[0] == 0 and codes[1] != 0
    upgrade_database(db)

    async def session() -> list[Any]:
        results: list[Any] = []
        async with Client(build_server(good)) as client:  # type: ignore[arg-type]
            results += await every_tool(client)
            results += await error_paths(client, fake)
        for key, url in ((WRONG_KEY, fake.base_url), (KEY, closed_port_url())):  # rejected, down
            async with Client(build_server(settings_for(url, db, key))) as client:  # type: ignore[arg-type]
                uncached = {"start_date": "2002-01-01", "end_date": "2002-02-01"}
                refused = await call(client, "get_activities", uncached)
                assert refused.is_error
                results.append(refused)
        return results

    results = anyio.run(session)
    out, err = capfd.readouterr()
    formatter = logging.Formatter()
    logged = [caplog.text] + [
        f"{r.getMessage()} {formatter.formatException(r.exc_info) if r.exc_info else ''} {r.args!r}"
        for r in caplog.records
    ]
    assert any(r.levelno == logging.DEBUG and r.name.startswith("httpcore") for r in caplog.records)
    assert any("rejected" in dump(r) for r in results) and any("503" in dump(r) for r in results)
    for i, result in enumerate(results):
        assert_no_secret(f"tool result {i}", dump(result))
    assert_no_secret("stdout", out)
    assert_no_secret("stderr", err)
    for line in logged:
        assert_no_secret("the logs", line)
    assert_owner_only_and_clean(db)


# --- a real stdio server ---------------------------------------------------------------------


@pytest.mark.anyio
async def test_stdio_server_at_debug_never_shows_the_key(fake: FakeIntervals, tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    stderr_path = tmp_path / "stderr.txt"
    results: list[Any] = []
    with stderr_path.open("w") as errlog:
        for key in (KEY, WRONG_KEY):
            p = params(fake, db)
            assert p.env is not None
            p.env.update({"API_KEY": key, "LOG_LEVEL": "DEBUG", "INTERVALS_MCP_TOOL_RETRY_SECONDS": "0.5"})
            async with stdio_client(p, errlog=errlog) as (r, w), ClientSession(r, w) as s:
                await s.initialize()
                if key == KEY:
                    results += await every_tool(s)
                    results += await error_paths(s, fake)
                else:
                    refused = await call(s, "get_events", {"refresh": True})
                    assert refused.is_error and "rejected the API key" in dump(refused)
                    results.append(refused)
    stderr = stderr_path.read_text()
    assert " DEBUG " in stderr and "httpcore" in stderr, "the child logged at DEBUG"
    assert "Traceback" not in stderr, stderr[-3000:]
    assert_no_secret("the server's stderr", stderr)
    for i, result in enumerate(results):
        assert_no_secret(f"tool result {i}", dump(result))
    assert_owner_only_and_clean(db)


def test_the_cache_file_is_owner_only_even_with_a_permissive_umask(
    fake: FakeIntervals, tmp_path: Path
) -> None:
    """A cache created under umask 000 is still 0600 (WAL and SHM included)."""
    db = tmp_path / "cache.sqlite3"
    old = os.umask(0)
    try:
        code = run_sync(settings_for(fake.base_url, db),
                        SyncRequest("i12345", str(RELIABILITY_TODAY - timedelta(days=3)), None,
                                    str(RELIABILITY_TODAY), ["wellness"]))  # fmt: skip
    finally:
        os.umask(old)
    assert code == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert_owner_only_and_clean(db)
