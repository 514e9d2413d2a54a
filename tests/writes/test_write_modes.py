"""What the write tools promise whatever they write: the modes, the annotations, the shared
arguments, and failures that say in one sentence whether anything was written (and leave the
cache as it was)."""

from __future__ import annotations

import dataclasses
import socket
import sqlite3
from pathlib import Path

import pytest
from pydantic import SecretStr

from intervals_mcp.config import Settings, load_settings
from intervals_mcp.fake import FakeIntervals, Fault
from intervals_mcp.server.tools import TOOLS

from .conftest import connect, day, events_named, make_settings, sentence, writes_sent

pytestmark = pytest.mark.anyio

WRITE_TOOLS = [t for t in TOOLS if t.kind == "write"]
NEW_EVENT = {"workout_type": "Ride", "name": "Never written", "description": "- 30m 60%"}


def cached_names(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM events")]


def test_every_write_tool_is_in_the_registry() -> None:
    names = {t.name for t in WRITE_TOOLS}
    assert {
        "add_or_update_event",
        "add_or_update_note",
        "delete_event",
        "delete_events_by_date_range",
        "add_activity_message",
        "create_custom_item",
        "update_custom_item",
        "delete_custom_item",
        "update_wellness",
        "update_activity",
    } <= names


async def test_writes_off_lists_no_write_tool(fake: FakeIntervals, tmp_path: Path) -> None:
    async with connect(make_settings(fake, tmp_path / "off.sqlite3", writes="off")) as c:
        listed = [t.name for t in (await c.list_tools()).tools]
        refused = await c.call_tool("add_or_update_event", NEW_EVENT)
    assert listed == [t.name for t in TOOLS if t.kind != "write"]
    assert refused.is_error and writes_sent(fake) == []


async def test_annotations_and_shared_arguments(settings: Settings) -> None:
    async with connect(settings) as c:
        listed = {t.name: t for t in (await c.list_tools()).tools}
    for spec in WRITE_TOOLS:
        tool = listed[spec.name]
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is False, spec.name
        assert tool.annotations.destructive_hint is spec.name.startswith("delete_"), spec.name
        assert tool.annotations.idempotent_hint is True, spec.name
        props = tool.input_schema["properties"]
        assert "dry_run" in props and "athlete_id" in props and "refresh" not in props
        assert all(p.get("description") for p in props.values()), spec.name
        assert tool.output_schema is not None and "request" in tool.output_schema["properties"]


async def test_an_unreachable_intervals_writes_nothing(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = make_settings_for(f"http://127.0.0.1:{port}/api/v1", tmp_path / "down.sqlite3")
    async with connect(settings) as c:
        res = await c.call_tool("update_wellness", {"date": str(day(0)), "mood": 2})
    said = sentence(res, "update_wellness")
    assert said.startswith("Nothing was written: Intervals.icu could not be reached"), said


def make_settings_for(base_url: str, db: Path) -> Settings:
    return load_settings(
        api_key=SecretStr("test-key"),
        athlete_id="i12345",
        base_url=base_url,
        db_path=db,
        tool_retry_seconds=1.0,
    )


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (Fault(kind="status", status=422), "Nothing was written: Intervals.icu refused POST"),
        (
            Fault(kind="rate_limit", retry_after=None, times=50),
            "Nothing was written: Intervals.icu is rate-limiting",
        ),
        (
            Fault(kind="status", status=503),
            "reached Intervals.icu but its answer was lost (a server error, 503)",
        ),
        (Fault(kind="hang", seconds=5), "its answer was lost (no answer in time)"),
        (Fault(kind="lost_answer"), "its answer was lost (the connection dropped)"),
    ],
    ids=["422", "429", "503", "timeout", "reset"],
)
async def test_failures_say_whether_anything_was_written_and_leave_the_cache(
    fake: FakeIntervals, tmp_path: Path, fault: Fault, words: str
) -> None:
    db = tmp_path / "cache.sqlite3"
    settings = make_settings(fake, db, request_timeout=0.5)
    args = {**NEW_EVENT, "start_date": str(day(2))}
    async with connect(settings) as c:
        fake.inject(dataclasses.replace(fault, methods=frozenset({"POST"})))
        res = await c.call_tool("add_or_update_event", args)
    said = sentence(res, "add_or_update_event")
    assert words in said, said
    if "answer was lost" in said:
        assert "repeating the same call is safe" in said
    else:
        assert events_named(fake.store, "Never written") == []
    assert "Never written" not in cached_names(db)


async def test_a_rejected_key_writes_nothing(fake: FakeIntervals, tmp_path: Path) -> None:
    settings = make_settings(fake, tmp_path / "bad.sqlite3", api_key=SecretStr("not-the-key-0000"))
    async with connect(settings) as c:
        res = await c.call_tool("update_wellness", {"date": str(day(0)), "mood": 2})
    said = sentence(res, "update_wellness")
    assert (
        said.startswith("Nothing was written: Intervals.icu rejected the API key")
        and "not-the-key" not in said
    )
