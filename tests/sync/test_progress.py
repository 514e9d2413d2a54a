"""`ensure_fresh` reports its windows with the bulk sync's progress events: the windows planned,
then each one done or failed, counted in the order they finish."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from intervals_mcp.errors import UpstreamError
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault
from intervals_mcp.sync.reports import ProgressEvent

from .conftest import TODAY, Harness
from .helpers import list_paths

pytestmark = pytest.mark.anyio


def activities_in(store: FakeStore, first: date, last: date) -> int:
    return sum(
        1 for a in store.activities.values() if str(first) <= str(a["start_date_local"])[:10] <= str(last)
    )


async def test_the_windows_fetched_are_reported_with_their_rows(
    service: Harness, fake: FakeIntervals, store: FakeStore
) -> None:
    events: list[ProgressEvent] = []
    start = TODAY - timedelta(days=400)
    await service.service.ensure_fresh("activities", service.athlete, start, TODAY, progress=events.append)
    asked = [q for resource, q in list_paths(fake) if resource == "activities"]
    assert len(asked) >= 3
    planned, *done = events
    assert planned == ProgressEvent("planned", "activities", len(asked), 0)
    assert [e.kind for e in done] == ["window_done"] * len(asked)
    assert [e.done_windows for e in done] == list(range(1, len(asked) + 1))
    assert {e.total_windows for e in done} == {len(asked)}
    expected = {(q["oldest"][:10], q["newest"][:10]) for q in asked}
    assert {(str(e.window[0]), str(e.window[1])) for e in done if e.window} == expected
    for event in done:
        assert event.window is not None
        assert event.rows == activities_in(store, *event.window)

    events.clear()
    await service.service.ensure_fresh("activities", service.athlete, start, TODAY, progress=events.append)
    assert events == [], "nothing to fetch, nothing to report"


async def test_failed_windows_are_reported_before_the_error(service: Harness, fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="status", status=503, times=1000, path_contains="wellness"))
    events: list[ProgressEvent] = []
    with pytest.raises(UpstreamError):
        await service.service.ensure_fresh(
            "wellness", service.athlete, TODAY - timedelta(days=400), TODAY, progress=events.append
        )
    planned, *failed = events
    assert planned.kind == "planned" and planned.total_windows == len(failed) >= 2
    assert [e.kind for e in failed] == ["window_failed"] * len(failed)
    assert all(e.error and e.rows == 0 for e in failed)
