"""Single records through the cache: an activity or event by id, and an activity's extras
(intervals, streams, messages).

A cached record answers once its day is fresh (a stale day is re-listed first, so edits and
deletions upstream show); otherwise its detail endpoint is asked. A record is stored only under
the athlete who owns it (`icu_athlete_id`): asked for as another athlete, it is stored where it
belongs and the caller is told whose it is. Upstream's 404 removes a cached copy; other
upstream failures keep the cached copy and say why (or raise when there is none); a rejected
key always raises. Extras are re-fetched only when the parent's markers move (messages also with
age: a new comment moves no marker).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from intervals_mcp.db import queries, writes
from intervals_mcp.db.columns import as_payload
from intervals_mcp.db.queries import ExtraRow, Record
from intervals_mcp.db.resources import EXTRAS, SPECS, Extra, Resource
from intervals_mcp.errors import (
    AuthenticationError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    OwnershipError,
    UpstreamError,
)
from intervals_mcp.sync.athletes import Athlete
from intervals_mcp.sync.reports import Freshness
from intervals_mcp.sync.service import SyncService, damaged_response
from intervals_mcp.sync.windows import is_stale

# What the seed project asks for when an activity lists no streams.
DEFAULT_STREAMS = ("time", "watts", "heartrate", "cadence", "altitude", "distance", "velocity_smooth")


def strava_sentence(activity_id: str) -> str:
    return (
        f"Activity {activity_id} was imported from Strava, and Intervals.icu does not share "
        "Strava activities' details (intervals, streams) through its API: open it on "
        "intervals.icu or Strava instead."
    )


def not_theirs(noun: str, record_id: str | int, owner: str, asked: str) -> OwnershipError:
    return OwnershipError(
        f"{noun.capitalize()} {record_id} belongs to athlete {owner}, not {asked}: ask again with "
        f"athlete_id={owner}."
    )


def _freshness(
    kind: str, day: date | None, as_of: datetime | None, fetched: int, error: UpstreamError | None = None
) -> Freshness:
    return Freshness(kind, day, day, fetched, as_of, error, complete=True)


class Records:
    """Records and extras by id, on top of a `SyncService`."""

    def __init__(self, sync: SyncService) -> None:
        self.sync = sync

    async def cached(self, resource: Resource, athlete_id: str, record_id: str | int) -> Record | None:
        reader = self.sync.reader
        key = ("record", resource, athlete_id, record_id)
        return await self.sync.memo.get(key, lambda: queries.record(reader, resource, athlete_id, record_id))

    async def _owner_elsewhere(self, resource: Resource, athlete_id: str, record_id: str | int) -> str | None:
        """Another athlete this record is cached under (and so belongs to), if any."""
        reader = self.sync.reader
        key = ("owners", resource, record_id)
        owners = await self.sync.memo.get(key, lambda: queries.owners(reader, resource, record_id))
        return next((o for o in owners if o != athlete_id), None)

    async def ensure_record(
        self,
        resource: Resource,
        athlete: Athlete,
        record_id: str | int,
        *,
        refresh: bool = False,
        interactive: bool = True,
    ) -> tuple[Record | None, Freshness]:
        """The record, fresh (None when upstream has no such record)."""
        spec = SPECS[resource]
        cached = await self.cached(resource, athlete.id, record_id)
        if (
            cached is None
            and spec.owner_key
            and (owner := await self._owner_elsewhere(resource, athlete.id, record_id))
        ):
            raise not_theirs(spec.noun, record_id, owner, athlete.id)
        if cached is not None and cached.is_strava_stub:
            refresh = False  # a stub's detail endpoint always answers 422
        if cached is not None and not refresh:
            day = cached.local_date
            try:
                fr = await self.sync.ensure_fresh(resource, athlete, day, day, interactive=interactive)
            except AuthenticationError:
                raise
            except UpstreamError as exc:
                return cached, _freshness(spec.noun, day, cached.fetched_at, 0, exc)
            if fr.fetched_windows == 0:
                return cached, _freshness(spec.noun, day, cached.fetched_at, 0, fr.error)
            relisted = await self.cached(resource, athlete.id, record_id)
            if relisted is not None:
                return relisted, _freshness(spec.noun, day, fr.as_of, fr.fetched_windows)
            # Gone from its day's list: deleted upstream, or moved to another day; the detail
            # endpoint tells which.
        return await self._fetch(resource, athlete, record_id, cached, interactive)

    async def _fetch(
        self,
        resource: Resource,
        athlete: Athlete,
        record_id: str | int,
        cached: Record | None,
        interactive: bool,
    ) -> tuple[Record | None, Freshness]:
        spec = SPECS[resource]
        sync = self.sync
        fetched_at = sync.now()
        if spec.detail is None:
            raise ValueError(f"A {spec.noun} cannot be fetched by id.")
        method = getattr(sync.client_for(interactive), spec.detail.method)
        try:
            payload: dict[str, Any] = await (
                method(athlete.id, record_id) if spec.detail.takes_athlete else method(record_id)
            )
            owner = str(payload.get(spec.owner_key) or athlete.id) if spec.owner_key else athlete.id
            await self._store(resource, owner, payload, fetched_at)
        except NotFoundError:
            if cached is not None:
                await sync.write(lambda: writes.delete_records(sync.db, resource, athlete.id, [record_id]))
            return None, Freshness(spec.noun, None, None, 1, None, None, complete=True)
        except AuthenticationError:
            raise
        except UpstreamError as exc:
            if cached is None:
                raise
            return cached, _freshness(spec.noun, cached.local_date, cached.fetched_at, 0, exc)
        if owner != athlete.id:
            raise not_theirs(spec.noun, record_id, owner, athlete.id)
        row = await self.cached(resource, athlete.id, record_id)
        return row, _freshness(spec.noun, row.local_date if row else None, fetched_at, 1)

    async def _store(
        self, resource: Resource, athlete_id: str, payload: dict[str, Any], fetched_at: datetime
    ) -> None:
        sync = self.sync
        try:
            await sync.write(
                lambda: writes.upsert_records(sync.db, resource, athlete_id, [payload], fetched_at)
            )
        except ValueError as exc:
            noun = SPECS[resource].noun
            raise damaged_response(f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}", exc) from None

    async def ensure_extra(
        self,
        kind: Extra,
        athlete: Athlete,
        activity_id: str,
        *,
        refresh: bool = False,
        interactive: bool = True,
    ) -> tuple[ExtraRow, Freshness]:
        """An activity's extra (intervals, streams, messages), re-fetched only when its change
        markers moved (messages also once their day's time to live is over) or on refresh.

        Raises NotFoundError for an unknown activity and InvalidRequestError for a Strava stub.
        """
        activity, _ = await self.ensure_record("activities", athlete, activity_id, interactive=interactive)
        if activity is None:
            raise NotFoundError(f"There is no activity {activity_id}: check the id.")
        if activity.is_strava_stub:
            raise InvalidRequestError(strava_sentence(activity_id))
        sync = self.sync
        reader = sync.reader
        key = (kind, athlete.id, activity_id)
        cached = await sync.memo.get(key, lambda: queries.extra(reader, kind, athlete.id, activity_id))
        if cached is not None and not refresh and not self._stale_extra(kind, athlete, activity, cached):
            return cached, _freshness(kind, activity.local_date, cached.fetched_at, 0)
        try:
            await self.fetch_extra(kind, athlete.id, activity, interactive=interactive)
        except AuthenticationError:
            raise
        except InvalidRequestError as exc:
            if "strava" in str(exc).lower():
                raise InvalidRequestError(strava_sentence(activity_id)) from None
            raise
        except UpstreamError as exc:
            if cached is None:
                raise
            return cached, _freshness(kind, activity.local_date, cached.fetched_at, 0, exc)
        row = await queries.extra(reader, kind, athlete.id, activity_id)
        if row is None:  # pragma: no cover - just written
            raise InvalidResponseError()
        return row, _freshness(kind, activity.local_date, row.fetched_at, 1)

    async def ensure_intervals(
        self, athlete: Athlete, activity_id: str, *, refresh: bool = False, interactive: bool = True
    ) -> tuple[ExtraRow, Freshness]:
        """An activity's intervals: `ensure_extra("intervals", ...)`."""
        return await self.ensure_extra(
            "intervals", athlete, activity_id, refresh=refresh, interactive=interactive
        )

    def _stale_extra(self, kind: Extra, athlete: Athlete, activity: Record, cached: ExtraRow) -> bool:
        if cached.markers != activity.markers:
            return True
        now = self.sync.now()
        ages = EXTRAS[kind].ages
        today = athlete.today(now)
        return ages and is_stale(activity.local_date, cached.fetched_at, today, now, self.sync.policy)

    async def fetch_extra(self, kind: Extra, athlete_id: str, activity: Record, *, interactive: bool) -> None:
        """Fetch and store one activity's extra under the activity's current markers."""
        sync = self.sync
        spec = EXTRAS[kind]
        fetched_at = sync.now()
        method = getattr(sync.client_for(interactive), spec.fetch_method)
        activity_id = str(activity.id)
        if kind == "streams":
            answer = await method(activity_id, stream_types(activity.payload))
        else:
            answer = await method(activity_id)
        try:
            payload = as_payload(answer, spec.listed_as, kind)
        except ValueError as exc:
            raise damaged_response(f"the {kind} of activity {activity_id}", exc) from None
        await sync.write(
            lambda: writes.save_extra(
                sync.db, kind, athlete_id, activity_id, payload, activity.markers, fetched_at
            )
        )


def stream_types(activity: dict[str, Any]) -> list[str]:
    """The streams to ask for: every one the activity lists. Asked with no types, the service
    renames `watts` to `raw_watts` (API_NOTES §5c), so the types are always named."""
    listed = activity.get("stream_types")
    if isinstance(listed, list) and listed and all(isinstance(t, str) for t in listed):
        return list(listed)
    return list(DEFAULT_STREAMS)
