"""Athlete-level documents through the cache: curves, gear, custom items, the athletes a key
follows (see `db.resources.DOCUMENTS`).

A document is asked for by kind and query (`DocumentAsk`) and answered from the cache while it
is fresh: younger than its kind's time to live and, for the kinds that sum activities (curves,
gear), fetched under the newest activity now cached (of the asked sports). To know that, the
recent days of activities are made fresh first, through the same sync service the tools use;
a newer activity landing, or the newest one re-analysed, therefore makes such a document stale.

Upstream failures are handled like a record's: a rejected key always raises; any other failure
answers from the cached copy and says why (or raises when there is none).
"""

from __future__ import annotations

from datetime import timedelta

from intervals_mcp.db import queries, writes
from intervals_mcp.db.columns import as_payload
from intervals_mcp.db.queries import DocumentRow
from intervals_mcp.db.resources import DOCUMENTS, DocumentSpec
from intervals_mcp.errors import AuthenticationError, InvalidResponseError, UpstreamError
from intervals_mcp.sync.asks import DocumentAsk
from intervals_mcp.sync.athletes import Athlete
from intervals_mcp.sync.reports import Freshness
from intervals_mcp.sync.service import SyncService, damaged_response

__all__ = ["DocumentAsk", "Documents"]

DAY = timedelta(days=1)


class Documents:
    """Documents by kind and query, on top of a `SyncService`."""

    def __init__(self, sync: SyncService) -> None:
        self.sync = sync

    def _lifetime(self, spec: DocumentSpec) -> timedelta:
        policy = self.sync.policy
        return {"recent": policy.recent_ttl, "history": policy.history_ttl, "day": DAY}[spec.lifetime]

    async def cached(self, ask: DocumentAsk, athlete_id: str) -> DocumentRow | None:
        reader = self.sync.reader
        key = ("document", ask.kind, athlete_id, ask.key)
        return await self.sync.memo.get(key, lambda: queries.document(reader, ask.kind, athlete_id, ask.key))

    async def ensure(
        self, ask: DocumentAsk, athlete: Athlete, *, refresh: bool = False, interactive: bool = True
    ) -> tuple[DocumentRow, Freshness]:
        """The document, fresh (see the module rule); `athlete` is whose it is (for the
        athletes a key follows: the key's owner)."""
        spec = DOCUMENTS[ask.kind]
        marker: str | None = None
        noted: UpstreamError | None = None
        if spec.follows_activities:
            marker, noted = await self._newest(athlete, ask.sports, interactive)
        cached = await self.cached(ask, athlete.id)
        now = self.sync.now()
        if (
            cached is not None
            and not refresh
            and cached.marker == marker
            and now - cached.fetched_at < self._lifetime(spec)
        ):
            return cached, Freshness(spec.name, None, None, 0, cached.fetched_at, noted)
        try:
            await self._fetch(spec, ask, athlete.id, marker, interactive)
        except AuthenticationError:
            raise
        except UpstreamError as exc:
            if cached is None:
                raise
            return cached, Freshness(spec.name, None, None, 0, cached.fetched_at, exc)
        row = await queries.document(self.sync.reader, ask.kind, athlete.id, ask.key)
        if row is None:  # pragma: no cover - just written
            raise InvalidResponseError()
        return row, Freshness(spec.name, None, None, 1, row.fetched_at, noted)

    async def _newest(
        self, athlete: Athlete, sports: frozenset[str] | None, interactive: bool
    ) -> tuple[str | None, UpstreamError | None]:
        """The newest cached activity (of `sports`) once the recent days are fresh, and why they
        could not be refreshed (the cached newest then stands)."""
        sync = self.sync
        today = athlete.today(sync.now())
        error: UpstreamError | None = None
        try:
            fr = await sync.ensure_fresh(
                "activities",
                athlete,
                today - timedelta(days=sync.policy.recent_days),
                today,
                interactive=interactive,
            )
            error = fr.error
        except AuthenticationError:
            raise
        except UpstreamError as exc:  # nothing recent cached at all: curves can still be asked
            error = exc
        return await queries.newest_activity_marker(sync.reader, athlete.id, sports), error

    async def _fetch(
        self, spec: DocumentSpec, ask: DocumentAsk, athlete_id: str, marker: str | None, interactive: bool
    ) -> None:
        sync = self.sync
        fetched_at = sync.now()
        method = getattr(sync.client_for(interactive), spec.fetch_method)
        answer = await (method(athlete_id, **ask.params) if spec.per_athlete else method(**ask.params))
        try:
            payload = as_payload(answer, spec.listed_as, spec.noun)
        except ValueError as exc:
            raise damaged_response(f"the {spec.noun}", exc) from None
        await sync.write(
            lambda: writes.save_document(sync.db, spec.name, athlete_id, ask.key, payload, marker, fetched_at)
        )
