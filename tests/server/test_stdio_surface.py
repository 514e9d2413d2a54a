"""The new tools in the real process over stdio, as Claude Desktop runs it: each answers, and its
repeat makes no request upstream."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from mcp import ClientSession
from mcp.client.stdio import stdio_client

from intervals_mcp.fake import FakeIntervals

from .conftest import TODAY, recent_activity, text_of
from .test_stdio import params

pytestmark = pytest.mark.anyio


async def test_the_new_tools_over_stdio(fake: FakeIntervals, tmp_path: Path) -> None:
    activity = recent_activity(fake.store)
    month = {"start_date": str(TODAY - timedelta(days=30)), "end_date": str(TODAY), "limit": 200}
    calls = [
        ("get_athlete_profile", {}),
        ("get_activity_streams", {"activity_id": activity["id"], "stream_types": "heartrate"}),
        ("get_activity_messages", {"activity_id": activity["id"]}),
        ("get_athlete_power_curves", {}),
        ("get_athlete_pace_curves", {}),
        ("get_gear_list", {}),
        ("get_custom_items", {}),
        ("list_athletes", {}),
        ("get_roster_status", {}),
    ]
    async with stdio_client(params(fake, tmp_path / "cache.sqlite3")) as (r, w), ClientSession(r, w) as s:
        await s.initialize()
        await s.call_tool("get_activities", month)
        answers = {}
        for name, args in calls:
            first = await s.call_tool(name, args)
            assert not first.is_error, f"{name}: {text_of(first)}"
            before = len(fake.requests)
            again = await s.call_tool(name, args)
            assert len(fake.requests) == before, f"the repeat of {name} asked upstream"
            assert "cached at" in text_of(again)
            answers[name] = text_of(first)
    assert f"time zone {fake.store.athlete['timezone']}" in answers["get_athlete_profile"]
    assert answers["get_roster_status"].startswith("Roster of i12345's key: 1 athlete")
    assert answers["get_activity_streams"].startswith(f"Streams of activity {activity['id']}")
