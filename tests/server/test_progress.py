"""A tool call that reads through many windows tells the caller how far it got: one MCP
progress notification per window fetched, over stdio in both protocol modes, for a list tool
and for a compute tool. Notifications may trail the result, so the test waits for them and
checks what they say, not when they came."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from intervals_mcp.fake import FakeIntervals

from .conftest import TODAY, text_of
from .test_stdio import params

pytestmark = pytest.mark.anyio

Note = tuple[float, float | None, str | None]


def list_windows(fake: FakeIntervals, since: int, resource: str) -> list[str]:
    """`resource oldest..newest` of each list request the fake answered after the first `since`."""
    return [
        f"{resource} {r.query['oldest'][:10]}..{r.query['newest'][:10]}"
        for r in fake.requests[since:]
        if r.method == "GET" and r.path.endswith(f"/{resource}") and r.status == 200
    ]


async def call_with_progress(
    client: Client, fake: FakeIntervals, tool: str, args: dict[str, Any], resource: str
) -> tuple[list[Note], list[str]]:
    """(the notifications of one call, the windows the fake was asked for during it)."""
    send, receive = anyio.create_memory_object_stream[Note](1000)

    async def heard(progress: float, total: float | None, message: str | None) -> None:
        send.send_nowait((progress, total, message))

    with send, receive:
        since = len(fake.requests)
        result = await client.call_tool(tool, args, progress_callback=heard)
        assert not result.is_error, text_of(result)
        windows = list_windows(fake, since, resource)
        with anyio.fail_after(10):
            seen = [await receive.receive() for _ in windows]
        await anyio.sleep(0.1)
        assert receive.statistics().current_buffer_used == 0, "no more notifications than windows"
    return seen, windows


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_the_windows_a_call_fetches_are_reported_as_progress(
    fake: FakeIntervals, tmp_path: Path, mode: str
) -> None:
    year = {"start_date": str(TODAY - timedelta(days=364)), "end_date": str(TODAY)}
    async with Client(params(fake, tmp_path / "cache.sqlite3"), mode=mode) as client:
        seen, windows = await call_with_progress(client, fake, "get_activities", year, "activities")
        assert len(windows) >= 3, "a year of activities takes several windows"
        assert sorted(p for p, _, _ in seen) == [float(n) for n in range(1, len(windows) + 1)]
        assert {t for _, t, _ in seen} == {float(len(windows))}
        assert sorted(str(m).split(":")[0] for _, _, m in seen) == sorted(windows)

        seen, windows = await call_with_progress(
            client, fake, "get_fitness_trend", {"start_date": str(TODAY - timedelta(days=729))}, "wellness"
        )
        assert len(windows) >= 2
        assert sorted(p for p, _, _ in seen) == [float(n) for n in range(1, len(windows) + 1)]
        assert sorted(str(m).split(":")[0] for _, _, m in seen) == sorted(windows)

        # Answered from the cache: nothing fetched, nothing reported.
        seen, windows = await call_with_progress(client, fake, "get_activities", year, "activities")
        assert windows == [] and seen == []
