"""The one place that wires the cache to Intervals.icu: database, reader, API client, services.

The server, the `sync` and `status` commands and the demo open `Services` and use what it
holds; none of them builds a client or an engine itself (so the server layer imports no HTTP
client). Opening creates or migrates the database (in a worker thread) when it has to.

On a database shared by several processes (PostgreSQL), the client's politeness budget is
kept in the database too, one per Intervals.icu key: every process using the key draws from
it, so together they stay under the service's limit. It is keyed by a digest of the API
address and the key (the key itself is never stored).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime

from pydantic import SecretStr

from intervals_mcp import __version__
from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.api.throttle import BURST, REQUESTS_PER_SECOND
from intervals_mcp.config import Settings, normalize_athlete_id
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.errors import AccessDeniedError, AuthenticationError, UpstreamError
from intervals_mcp.sync.athletes import KEY_OWNER, Athlete, Athletes
from intervals_mcp.sync.documents import Documents
from intervals_mcp.sync.records import Records
from intervals_mcp.sync.service import SyncService, utcnow
from intervals_mcp.sync.writes import Writes

log = logging.getLogger(__name__)


def budget_key(base_url: str, api_key: SecretStr) -> str:
    """Names one key's shared request budget without holding the key: a salted SHA-256."""
    material = f"intervals-mcp request budget\0{base_url}\0{api_key.get_secret_value()}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


@dataclass(eq=False)
class Services:
    """Everything a call needs, open; close it once."""

    settings: Settings
    db: Database
    reader: CacheReader
    sync: SyncService
    records: Records
    athletes: Athletes
    documents: Documents
    writes: Writes
    _stack: AsyncExitStack

    @classmethod
    async def open(
        cls,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        sync_attempts: int | None = None,
        upgrade: bool = True,
    ) -> Services:
        """Open the database (migrating it first unless `upgrade=False`), a reader and one
        API client with two budgets: `settings.sync_retry_seconds` for bulk work and
        `settings.tool_retry_seconds` for calls a person waits on."""
        api_key, athlete_id = settings.require_credentials()
        async with AsyncExitStack() as stack:
            db = await Database.open(settings.database_url, upgrade=upgrade)
            stack.push_async_callback(db.close)
            reader = db.open_reader()
            stack.push_async_callback(reader.aclose)
            policy = RetryPolicy(total_seconds=settings.sync_retry_seconds)
            if sync_attempts is not None:
                policy = RetryPolicy(total_seconds=settings.sync_retry_seconds, max_attempts=sync_attempts)
            budget = db.request_budget(budget_key(settings.base_url, api_key), REQUESTS_PER_SECOND, BURST)
            client = IntervalsClient(
                settings.base_url, api_key, timeout=settings.request_timeout, policy=policy, throttle=budget
            )
            await stack.enter_async_context(client)
            quick = client.with_policy(RetryPolicy(total_seconds=settings.tool_retry_seconds))
            sync = SyncService(db, reader, client, settings, quick=quick, clock=clock)
            stack.push_async_callback(sync.aclose)  # first at close: before the client and the db
            log.info("intervals-mcp %s serving athlete %s from %s", __version__, athlete_id, db.describe())
            records, athletes, documents = Records(sync), Athletes(db, reader, clock), Documents(sync)
            writes = Writes(sync, records, athletes, documents)
            return cls(settings, db, reader, sync, records, athletes, documents, writes, stack.pop_all())
        raise AssertionError("unreachable")  # pragma: no cover - the with block returns or raises

    async def athlete(self, given: str | None = None, *, interactive: bool = True) -> Athlete:
        """The athlete `given` names (default: the configured one), resolved (see athletes.py);
        not `interactive` (a sync), a failure every request would meet is raised at once."""
        _, configured = self.settings.require_credentials()
        return await self.athletes.resolve(
            given or configured, self.sync.client_for(interactive), fail_fast=not interactive
        )

    async def rejection(self, asked: str | None, exc: AuthenticationError) -> AuthenticationError:
        """What a rejected key asking about `asked` means. Intervals.icu answers a wrong key and an
        athlete the key may not see alike (403), so for another athlete than the configured one
        the key is tried once on the configured athlete: rejected there too, the key is wrong
        (`exc` as it is); accepted, the key may not see `asked` (AccessDeniedError)."""
        _, configured = self.settings.require_credentials()
        athlete = normalize_athlete_id(asked or "")
        if isinstance(exc, AccessDeniedError) or not athlete or athlete in (configured, KEY_OWNER):
            return exc
        try:
            await self.sync.quick.get_athlete(configured)
        except AuthenticationError:
            return exc
        except UpstreamError:
            return exc  # cannot tell: the sentence about the key covers both
        return AccessDeniedError(
            f"Intervals.icu refused access to athlete {athlete} with this API key, which works for "
            f"{configured}: the key's owner must be that athlete or their coach, so check the athlete id."
        )

    async def key_owner(self, *, interactive: bool = True) -> Athlete:
        """The API key's owner (what `0` names): whose the athletes a key follows are."""
        return await self.athletes.resolve(KEY_OWNER, self.sync.client_for(interactive))

    @property
    def request_count(self) -> int:
        """Requests sent upstream so far by this process's client (retries included)."""
        return self.sync.client.request_count

    async def close(self) -> None:
        await self._stack.aclose()
