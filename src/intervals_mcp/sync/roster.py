"""What a coach's roster is read from: for each athlete the key follows, the cached ranges
`analysis.roster.spans` names, made fresh through the sync service (the same path the tools
use) and read back, a few athletes at a time.

An athlete the key may no longer read, or whose data cannot be fetched with nothing cached,
becomes an entry with `error` (one sentence) rather than failing the whole roster; a key
rejected for its own owner still fails it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from intervals_mcp.analysis.roster import spans
from intervals_mcp.db import queries
from intervals_mcp.errors import AuthenticationError, UpstreamError
from intervals_mcp.sync.reports import Freshness
from intervals_mcp.sync.service import run_all

if TYPE_CHECKING:
    from intervals_mcp.sync.factory import Services

AT_ONCE = 4  # athletes read concurrently (the client throttles requests whatever we do)


@dataclass(frozen=True)
class RosterEntry:
    athlete_id: str
    name: str | None
    today: str | None = None
    records: dict[str, list[dict[str, Any]]] | None = None  # resource -> payloads
    error: str | None = None


async def read_roster(
    services: Services, owner: str, chosen: Sequence[dict[str, Any]], *, refresh: bool, now: datetime
) -> tuple[list[RosterEntry], list[Freshness], Hashable]:
    """Each chosen athlete's records (fresh), everything read, and a digest naming it all."""
    semaphore = asyncio.Semaphore(AT_ONCE)

    async def one(entry: dict[str, Any]) -> tuple[RosterEntry, list[Freshness], Hashable]:
        athlete_id = str(entry["id"])
        name = entry.get("name") if isinstance(entry.get("name"), str) else None
        async with semaphore:
            try:
                athlete = await services.athlete(athlete_id)
                today = athlete.today(now)
                freshness: list[Freshness] = []
                records: dict[str, list[dict[str, Any]]] = {}
                digests: list[Hashable] = []
                for resource, (start, end) in spans(today).items():
                    freshness.append(
                        await services.sync.ensure_fresh(resource, athlete, start, end, refresh=refresh)
                    )
                    digest, payloads = await queries.payloads(
                        services.reader, resource, athlete.id, start, end
                    )
                    records[resource] = payloads
                    digests.append(digest)
            except AuthenticationError:
                if athlete_id == owner:
                    raise
                said = f"Intervals.icu refused access to athlete {athlete_id} with this key"
                return RosterEntry(athlete_id, name, error=said), [], ("error", athlete_id, said)
            except UpstreamError as exc:
                return RosterEntry(athlete_id, name, error=str(exc)), [], ("error", athlete_id, str(exc))
        entry_out = RosterEntry(athlete.id, name or athlete.name, str(today), records)
        return entry_out, freshness, (athlete.id, str(today), tuple(digests))

    results = await run_all([one(e) for e in chosen])
    return (
        [r[0] for r in results],
        [f for r in results for f in r[1]],
        tuple(r[2] for r in results),
    )
