"""What the write tools promise whatever they write: the modes, the annotations, the shared
arguments, and failures that say in one sentence whether anything was written (and leave the
cache as it was)."""

from __future__ import annotations

import dataclasses
import json
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from intervals_mcp.config import Settings, load_settings
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault
from intervals_mcp.server.tools import TOOLS

from .conftest import (
    connect,
    day,
    events_named,
    first_event,
    make_settings,
    ok,
    sentence,
    text_of,
    writes_sent,
)

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


def dry_arguments(store: FakeStore) -> dict[str, dict[str, Any]]:
    """Valid arguments for every write tool (a new write tool must be added here)."""
    future = first_event(store, future=True)
    activity = max(
        (a for a in store.activities.values() if a.get("source") != "STRAVA"),
        key=lambda a: str(a["start_date_local"]),
    )
    item = store.athlete["custom_items"][0]["id"]
    return {
        "add_or_update_event": {**NEW_EVENT, "start_date": str(day(2))},
        "add_or_update_note": {"name": "Dry note", "description": "Packing"},
        "delete_event": {"event_id": future["id"]},
        "delete_events_by_date_range": {"start_date": str(day(1)), "end_date": str(day(10))},
        "update_wellness": {"date": str(day(0)), "mood": 2},
        "update_activity": {"activity_id": activity["id"], "rpe": 5},
        "add_activity_message": {"activity_id": activity["id"], "content": "Dry comment"},
        "create_custom_item": {"name": "Dry chart", "item_type": "FITNESS_CHART"},
        "update_custom_item": {"item_id": item, "name": "Renamed"},
        "delete_custom_item": {"item_id": item},
    }


def upstream_state(store: FakeStore) -> str:
    with store.lock:
        return json.dumps(
            [store.athlete, store.events, store.wellness, store.activities, store.messages],
            sort_keys=True,
            default=str,
        )


async def test_every_dry_run_sends_nothing(settings: Settings, fake: FakeIntervals, store: FakeStore) -> None:
    arguments = dry_arguments(store)
    assert set(arguments) == {t.name for t in WRITE_TOOLS}, "give every write tool its dry-run arguments"
    before = upstream_state(store)
    async with connect(settings) as c:
        for name, args in arguments.items():
            res = await c.call_tool(name, {**args, "dry_run": True})
            data = ok(res)
            assert data["action"] == "dry_run" and data["sent"] is False, name
            assert data["request"]["method"] in {"POST", "PUT", "DELETE"}, name
            assert "Dry run: nothing was sent." in text_of(res), name
    assert writes_sent(fake) == []
    assert upstream_state(store) == before
