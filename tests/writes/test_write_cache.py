"""The cache after a write: it holds what upstream answered, a write never marks days as
fetched, and an older answer arriving late never overwrites what a write stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import anyio
import pytest

from intervals_mcp.config import Settings
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault

from .conftest import connect, day, make_settings, ok

pytestmark = pytest.mark.anyio


def covered(db: Path, resource: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT day FROM sync_coverage WHERE resource = ?", (resource,))
        return sorted(str(r[0]) for r in rows)


async def test_a_write_never_marks_days_as_fetched(fake: FakeIntervals, tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    today = str(day(0))
    async with connect(make_settings(fake, db)) as c:
        ok(await c.call_tool("update_wellness", {"date": today, "mood": 1}))
        assert covered(db, "wellness") == []
        fake.clear_log()
        shown = ok(await c.call_tool("get_wellness_data", {"start_date": today, "end_date": today}))
    assert [r.method for r in fake.requests] == ["GET"], "the day was never listed, so it is fetched"
    assert covered(db, "wellness") == [today]
    assert shown["days"][0]["mood"] == 1


async def test_a_late_older_answer_does_not_undo_a_write(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    today = str(day(0))
    span = {"start_date": today, "end_date": today}
    old_weight = store.get_wellness(day(0)).get("weight")
    async with connect(settings) as c:
        ok(await c.call_tool("get_wellness_data", span))
        # A refresh whose answer is taken now (the old weight) and delivered after the write.
        fake.inject(Fault(kind="late", seconds=0.6, methods=frozenset({"GET"}), path_contains="/wellness"))
        async with anyio.create_task_group() as tg:
            tg.start_soon(c.call_tool, "get_wellness_data", {**span, "refresh": True})
            for _ in range(500):  # until the refresh is at the fake, its answer held back
                if any(r.status is None for r in fake.requests if "/wellness" in r.path):
                    break
                await anyio.sleep(0.01)
            else:
                pytest.fail("the refresh never reached the fake")
            ok(await c.call_tool("update_wellness", {"date": today, "weight": 66.6}))
        fake.clear_log()
        after = ok(await c.call_tool("get_wellness_data", span))
    assert old_weight != 66.6 and store.get_wellness(day(0))["weight"] == 66.6
    assert after["days"][0]["weight_kg"] == 66.6
    assert fake.requests == []


async def test_an_empty_range_deletes_nothing(settings: Settings, fake: FakeIntervals) -> None:
    far = {"start_date": str(day(200)), "end_date": str(day(210))}
    async with connect(settings) as c:
        data = ok(await c.call_tool("delete_events_by_date_range", far))
    assert data["action"] == "unchanged" and data["sent"] is False and data["events"] == []
    assert all(r.method == "GET" for r in fake.requests)
