"""ensure_fresh with a cap on the days one call fetches: the newest first, the rest left as is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from intervals_mcp.db import queries
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.fake import FakeIntervals

from .conftest import ATHLETE, TODAY, Harness
from .helpers import list_paths

pytestmark = pytest.mark.anyio


async def test_a_capped_call_fetches_the_newest_days_and_says_the_range_is_incomplete(
    service: Harness, reader: CacheReader, fake: FakeIntervals
) -> None:
    start = TODAY - timedelta(days=399)
    fr = await service.service.ensure_fresh("wellness", service.athlete, start, TODAY, max_days=100)
    covered = await queries.coverage(reader, ATHLETE, "wellness", start, TODAY)
    assert sorted(covered) == [TODAY - timedelta(days=n) for n in range(99, -1, -1)]
    assert not fr.complete and fr.fetched_windows == len(list_paths(fake))
    # the next call fetches the next newest stale days, and a cap as large as the range fetches the rest
    await service.service.ensure_fresh("wellness", service.athlete, start, TODAY, max_days=100)
    assert len(await queries.coverage(reader, ATHLETE, "wellness", start, TODAY)) == 200
    done = await service.service.ensure_fresh("wellness", service.athlete, start, TODAY, max_days=400)
    assert done.complete
