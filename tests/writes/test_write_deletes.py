"""Deleting events: one by id, a range in one bulk request, both refused in safe mode when they
reach into the past, both dropped from the cache at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from intervals_mcp.config import Settings
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault

from .conftest import TODAY, connect, day, first_event, make_settings, ok, sentence, text_of, writes_sent

pytestmark = pytest.mark.anyio


def upstream_ids(store: FakeStore) -> set[int]:
    with store.lock:
        return set(store.events)


def in_range(store: FakeStore, start: str, end: str) -> list[dict[str, object]]:
    with store.lock:
        return [dict(e) for e in store.events.values() if start <= e["start_date_local"][:10] <= end]


async def test_delete_event_lands_and_reads_show_it_gone_with_no_request(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    doomed = first_event(store, future=True)
    span = {"start_date": str(day(1)), "end_date": doomed["start_date_local"][:10]}
    async with connect(settings) as c:
        before = ok(await c.call_tool("get_events", span))
        data = ok(await c.call_tool("delete_event", {"event_id": doomed["id"]}))
        fake.clear_log()
        after = ok(await c.call_tool("get_events", span))
        gone = await c.call_tool("get_event_by_id", {"event_id": doomed["id"]})
    assert data["action"] == "deleted" and data["request"]["method"] == "DELETE"
    assert doomed["id"] not in upstream_ids(store)
    assert after["total"] == before["total"] - 1
    assert doomed["id"] not in [e["id"] for e in after["events"]]
    # The list needed nothing; the record tool asks upstream once about an id it does not hold.
    assert [r.method for r in fake.requests] == ["GET"]
    assert "no event" in sentence(gone, "get_event_by_id")


async def test_a_past_event_survives_delete_event_in_safe_mode(
    settings: Settings, fake: FakeIntervals, store: FakeStore, tmp_path: Path
) -> None:
    past = first_event(store, future=False)
    async with connect(settings) as c:
        refused = await c.call_tool("delete_event", {"event_id": past["id"]})
        dry = await c.call_tool("delete_event", {"event_id": past["id"], "dry_run": True})
    said = sentence(refused, "delete_event")
    assert f"is on {past['start_date_local'][:10]}, before today ({TODAY})" in said
    assert "INTERVALS_MCP_WRITES=full" in said
    assert sentence(dry, "delete_event") == said
    assert past["id"] in upstream_ids(store) and writes_sent(fake) == []
    async with connect(make_settings(fake, tmp_path / "full.sqlite3", writes="full")) as c:
        data = ok(await c.call_tool("delete_event", {"event_id": past["id"]}))
    assert data["action"] == "deleted" and past["id"] not in upstream_ids(store)


async def test_delete_event_dry_run_sends_nothing(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    doomed = first_event(store, future=True)
    async with connect(settings) as c:
        dry = ok(await c.call_tool("delete_event", {"event_id": doomed["id"], "dry_run": True}))
    assert dry["action"] == "dry_run" and dry["sent"] is False
    assert dry["request"] == {
        "method": "DELETE",
        "path": f"/athlete/{store.athlete_id}/events/{doomed['id']}",
        "body": None,
    }
    assert [e["id"] for e in dry["events"]] == [doomed["id"]]
    assert doomed["id"] in upstream_ids(store) and writes_sent(fake) == []


async def test_delete_after_a_lost_answer_says_it_is_gone(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    doomed = first_event(store, future=True)
    async with connect(settings) as c:
        ok(await c.call_tool("get_event_by_id", {"event_id": doomed["id"]}))
        fake.inject(Fault(kind="lost_answer", methods=frozenset({"DELETE"})))
        lost = await c.call_tool("delete_event", {"event_id": doomed["id"]})
        again = await c.call_tool("delete_event", {"event_id": doomed["id"]})
    assert "may have been applied" in sentence(lost, "delete_event")
    assert doomed["id"] not in upstream_ids(store)
    data = ok(again)
    assert "already gone" in text_of(again) and data["action"] == "deleted"


async def test_a_range_is_deleted_in_one_bulk_request(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    start, end = str(day(1)), str(day(10))
    expected = sorted(e["id"] for e in in_range(store, start, end))
    assert len(expected) >= 3
    async with connect(settings) as c:
        dry = ok(
            await c.call_tool(
                "delete_events_by_date_range", {"start_date": start, "end_date": end, "dry_run": True}
            )
        )
        assert writes_sent(fake) == [] and sorted(e["id"] for e in in_range(store, start, end)) == expected
        data = ok(await c.call_tool("delete_events_by_date_range", {"start_date": start, "end_date": end}))
        fake.clear_log()
        after = ok(await c.call_tool("get_events", {"start_date": start, "end_date": end}))
    assert sorted(e["id"] for e in dry["events"]) == expected == sorted(e["id"] for e in data["events"])
    assert dry["request"] == data["request"]
    assert sorted(d["id"] for d in data["request"]["body"]) == expected
    assert data["deleted"] == len(expected)
    assert in_range(store, start, end) == []
    assert after["total"] == 0 and fake.requests == []


async def test_a_range_of_some_categories(settings: Settings, fake: FakeIntervals, store: FakeStore) -> None:
    start, end = str(day(1)), str(day(14))
    notes = [e["id"] for e in in_range(store, start, end) if e["category"] == "NOTE"]
    others = [e["id"] for e in in_range(store, start, end) if e["category"] != "NOTE"]
    async with connect(settings) as c:
        data = ok(
            await c.call_tool(
                "delete_events_by_date_range", {"start_date": start, "end_date": end, "category": ["note"]}
            )
        )
        bad = await c.call_tool(
            "delete_events_by_date_range", {"start_date": start, "end_date": end, "category": ["NOTES"]}
        )
    assert sorted(e["id"] for e in data["events"]) == sorted(notes)
    assert sorted(e["id"] for e in in_range(store, start, end)) == sorted(others)
    assert "NOTES" in sentence(bad, "delete_events_by_date_range")


async def test_a_range_reaching_into_the_past_is_refused_in_safe_mode(
    settings: Settings, fake: FakeIntervals, store: FakeStore
) -> None:
    start, end = str(day(-5)), str(day(5))
    before = in_range(store, start, end)
    async with connect(settings) as c:
        refused = await c.call_tool("delete_events_by_date_range", {"start_date": start, "end_date": end})
        reversed_ = await c.call_tool("delete_events_by_date_range", {"start_date": end, "end_date": start})
    said = sentence(refused, "delete_events_by_date_range")
    assert "safe mode" in said and "INTERVALS_MCP_WRITES=full" in said and f"start_date {TODAY}" in said
    assert "after end_date" in sentence(reversed_, "delete_events_by_date_range")
    assert in_range(store, start, end) == before and writes_sent(fake) == []
