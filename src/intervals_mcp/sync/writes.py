"""The write service: the one path from a write tool to Intervals.icu and back into the cache.

Every write goes upstream first. Then, in one transaction, the cache holds the record exactly as
upstream returned it (or drops it, on a delete), stamped with the moment the request was sent,
so no answer to an older request can overwrite it (`db.writes` never goes backwards in time).
A write never marks a window covered: only a listing does.

Failures say whether anything was written. A write whose answer was lost after it reached
Intervals.icu (a timeout, a dropped connection, a server error, an unreadable body) raises
`WriteOutcomeUnknownError`: it may have been applied, and every write here is safe to repeat
(created events are found again by their `external_id`, deletes of what is gone succeed, a
message or custom item already there is not sent twice). Any other error means nothing was
written. A cache that cannot follow a successful write is no failure of the write: the result
says so in `cache_note`, and the next sync repairs it.

Every method takes `dry_run`: the checks and look-ups in the cache run, the request that would
be sent is returned as `Planned`, and nothing is sent.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from intervals_mcp.api.client import (
    IntervalsClient,
    activity_path,
    custom_item_path,
    events_path,
    wellness_path,
)
from intervals_mcp.api.retry import is_retryable
from intervals_mcp.db import queries
from intervals_mcp.db import writes as cache
from intervals_mcp.db.queries import Record
from intervals_mcp.db.resources import Resource
from intervals_mcp.errors import (
    AuthenticationError,
    InputError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    OwnershipError,
    StorageError,
    UpstreamError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
    WriteOutcomeUnknownError,
)
from intervals_mcp.sync.athletes import Athlete, Athletes
from intervals_mcp.sync.records import Records
from intervals_mcp.sync.service import SyncService

log = logging.getLogger(__name__)
T = TypeVar("T")

EXTERNAL_ID_PREFIX = "intervals-mcp-"


@dataclass(frozen=True)
class Planned:
    """One request exactly as it is (or would be) sent: method, path under the base URL, body."""

    method: str
    path: str
    body: Any = None

    @property
    def line(self) -> str:
        return f"{self.method} /{self.path}"


@dataclass(frozen=True)
class Written:
    """What one write did: the request, what upstream answered, and how the cache followed.

    `sent` is False for a dry run and when nothing needed sending (`existing`: what upstream
    already held, such as the same message posted before). `payload` is the record upstream
    returned (or the one found); None for deletes and dry runs.
    """

    planned: Planned
    payload: dict[str, Any] | None = None
    sent: bool = True
    existing: bool = False
    cache_note: str | None = None


def external_id(athlete_id: str, day: date, name: str, text: str) -> str:
    """The `external_id` of an event we create, from its content: the same athlete, day, name
    and text always give the same id, so a repeated call finds the event it made before."""
    content = "\x1f".join((athlete_id, day.isoformat(), " ".join(name.split()), text.strip()))
    return EXTERNAL_ID_PREFIX + hashlib.sha256(content.encode()).hexdigest()[:24]


def outcome_unknown(error: UpstreamError) -> bool:
    """Whether a failed write may have been applied: the failures a read would retry (the
    request reached the server) but a write must not (see `api.retry.is_retryable`)."""
    return is_retryable(error, "GET") and not is_retryable(error, "POST")


def _lost_reason(error: UpstreamError) -> str:
    if isinstance(error, UpstreamTimeoutError):
        return "no answer in time"
    if isinstance(error, UpstreamUnavailableError):
        return f"a server error, {error.status}"
    if isinstance(error, InvalidResponseError):
        return "an answer that could not be read"
    return "the connection dropped"


class Writes:
    """Writes for every athlete of one process, on top of the sync service and its records."""

    def __init__(self, sync: SyncService, records: Records, athletes: Athletes) -> None:
        self.sync = sync
        self.records = records
        self.athletes = athletes

    # --- the one way out and back -----------------------------------------------------------

    async def send(
        self, planned: Planned, call: Callable[[IntervalsClient], Awaitable[T]]
    ) -> tuple[T, datetime]:
        """Send one write with the tool budget; (its answer, the moment it was sent)."""
        sent_at = self.sync.now()
        try:
            return await call(self.sync.client_for(True)), sent_at
        except UpstreamError as exc:
            if not outcome_unknown(exc):
                raise
            raise WriteOutcomeUnknownError(
                f"{planned.line} reached Intervals.icu but its answer was lost ({_lost_reason(exc)}), so "
                "it may have been applied; repeating the same call is safe: it never writes twice.",
                status=exc.status,
            ) from None

    async def store(
        self, resource: Resource, athlete_id: str, payloads: list[dict[str, Any]], sent_at: datetime
    ) -> str | None:
        """Write records through as upstream returned them; a sentence when the cache could not."""
        sync = self.sync
        try:
            await sync.write(lambda: cache.upsert_records(sync.db, resource, athlete_id, payloads, sent_at))
        except (ValueError, StorageError) as exc:
            log.warning("Wrote %s upstream but could not cache the answer: %s", resource, exc)
            return (
                f"Written to Intervals.icu, but the local cache could not keep the answer ({exc}); "
                "the next sync will."
            )
        return None

    async def drop(self, resource: Resource, athlete_id: str, ids: Sequence[str | int]) -> str | None:
        sync = self.sync
        try:
            await sync.write(lambda: cache.delete_records(sync.db, resource, athlete_id, list(ids)))
        except StorageError as exc:
            log.warning("Deleted %s upstream but could not drop them from the cache: %s", resource, exc)
            return (
                f"Deleted on Intervals.icu, but the local cache still holds it ({exc}); the next sync "
                "drops it."
            )
        return None

    # --- events -----------------------------------------------------------------------------

    async def find_event(self, athlete: Athlete, day: date, ext_id: str, *, refresh: bool) -> Record | None:
        """The athlete's event of `day` carrying `ext_id`. With `refresh`, the day is listed from
        Intervals.icu first (a failure raises: nothing may be created on a guess); else the
        cache alone answers (a dry run)."""
        if refresh:
            fr = await self.sync.ensure_fresh("events", athlete, day, day, refresh=True)
            if fr.error is not None:
                raise fr.error
        rows = await queries.records_in(self.sync.reader, "events", athlete.id, day, day)
        return next((r for r in rows if r.payload.get("external_id") == ext_id), None)

    async def save_event(
        self, athlete: Athlete, body: dict[str, Any], event_id: int | None, *, dry_run: bool
    ) -> Written:
        """Create an event (`body` carries its `external_id` and day), or update `event_id`.

        A create first looks for the event a previous call made (same `external_id` that day)
        and updates it instead, so a call repeated after a lost answer leaves one event.
        """
        if event_id is None:
            day = date.fromisoformat(str(body["start_date_local"])[:10])
            found = await self.find_event(athlete, day, str(body["external_id"]), refresh=not dry_run)
            event_id = int(found.id) if found is not None else None
        planned = (
            Planned("POST", events_path(athlete.id), body)
            if event_id is None
            else Planned("PUT", events_path(athlete.id, event_id), body)
        )
        if dry_run:
            return Written(planned, sent=False)
        target = event_id
        payload, sent_at = await self.send(
            planned,
            lambda c: (
                c.create_event(athlete.id, body)
                if target is None
                else c.update_event(athlete.id, target, body)
            ),
        )
        return Written(
            planned, payload, cache_note=await self.store("events", athlete.id, [payload], sent_at)
        )

    async def event(self, athlete: Athlete, event_id: int) -> Record:
        """The athlete's event, fresh; a sentence when there is none."""
        row, _ = await self.records.ensure_record("events", athlete, event_id)
        if row is None:
            raise NotFoundError(
                f"There is no event {event_id} for athlete {athlete.id} (already deleted, or a wrong id: "
                "get_events lists them)."
            )
        return row

    async def delete_event(self, athlete: Athlete, event_id: int, *, dry_run: bool) -> Written:
        """Delete one event; one already gone upstream is dropped from the cache too."""
        planned = Planned("DELETE", events_path(athlete.id, event_id))
        if dry_run:
            return Written(planned, sent=False)
        existing = False
        try:
            await self.send(planned, lambda c: c.delete_event(athlete.id, event_id))
        except NotFoundError:
            existing = True  # gone already (a repeated call): the cache follows
        return Written(
            planned, existing=existing, cache_note=await self.drop("events", athlete.id, [event_id])
        )

    async def events_in(self, athlete: Athlete, start: date, end: date) -> list[Record]:
        """The athlete's events of [start, end] from the cache, after making the range fresh
        (a failed refresh raises: a delete is never planned from a stale list)."""
        fr = await self.sync.ensure_fresh("events", athlete, start, end)
        if fr.error is not None:
            raise fr.error
        return await queries.records_in(self.sync.reader, "events", athlete.id, start, end)

    async def delete_events(self, athlete: Athlete, ids: Sequence[int], *, dry_run: bool) -> Written:
        """Delete exactly these events in ONE request (the API's bulk delete)."""
        planned = Planned("PUT", events_path(athlete.id, "bulk-delete"), [{"id": i} for i in ids])
        if dry_run or not ids:
            return Written(planned, sent=False)
        answer, _ = await self.send(planned, lambda c: c.delete_events_bulk(athlete.id, planned.body))
        return Written(planned, answer, cache_note=await self.drop("events", athlete.id, list(ids)))

    # --- activities and wellness ------------------------------------------------------------

    async def activity(self, athlete: Athlete, activity_id: str) -> Record:
        """The athlete's own activity (fresh), or a sentence: none, another athlete's, Strava's."""
        try:
            row, _ = await self.records.ensure_record("activities", athlete, activity_id)
        except AuthenticationError as exc:
            if exc.status != 403:
                raise
            raise OwnershipError(
                f"Intervals.icu refused access to activity {activity_id}: it belongs to an athlete this API "
                "key may not see; check the activity id (get_activities lists the athlete's own)."
            ) from None
        if row is None:
            raise NotFoundError(
                f"There is no activity {activity_id} for athlete {athlete.id}: check the id (get_activities "
                "lists them)."
            )
        if row.is_strava_stub:
            raise InvalidRequestError(
                f"Activity {activity_id} was imported from Strava, and Intervals.icu lets no API client "
                "change or comment on those: do it on intervals.icu or Strava instead."
            )
        return row

    async def update_activity(
        self, athlete: Athlete, activity_id: str, fields: dict[str, Any], *, dry_run: bool
    ) -> Written:
        await self.activity(athlete, activity_id)
        planned = Planned("PUT", activity_path(activity_id), fields)
        if dry_run:
            return Written(planned, sent=False)
        payload, sent_at = await self.send(planned, lambda c: c.update_activity(activity_id, fields))
        owner = str(payload.get("icu_athlete_id") or athlete.id)
        return Written(planned, payload, cache_note=await self.store("activities", owner, [payload], sent_at))

    async def update_wellness(
        self, athlete: Athlete, day: date, fields: dict[str, Any], *, dry_run: bool
    ) -> Written:
        planned = Planned("PUT", wellness_path(athlete.id, day), fields)
        if dry_run:
            return Written(planned, sent=False)
        payload, sent_at = await self.send(planned, lambda c: c.update_wellness(athlete.id, day, fields))
        return Written(
            planned, payload, cache_note=await self.store("wellness", athlete.id, [payload], sent_at)
        )

    async def add_message(
        self, athlete: Athlete, activity_id: str, content: str, *, dry_run: bool
    ) -> Written:
        """Comment on the athlete's activity, unless the same words are already there (so a
        repeated call posts once)."""
        await self.activity(athlete, activity_id)
        planned = Planned("POST", activity_path(activity_id, "messages"), {"content": content})
        if dry_run:
            return Written(planned, sent=False)
        thread = await self.sync.client_for(True).list_activity_messages(activity_id)
        same = next(
            (
                m
                for m in thread
                if isinstance(m, dict) and str(m.get("content") or "").strip() == content.strip()
            ),
            None,
        )
        if same is not None:
            return Written(planned, same, sent=False, existing=True)
        payload, _ = await self.send(planned, lambda c: c.add_activity_message(activity_id, content))
        return Written(planned, payload)

    # --- custom items (they travel with the athlete object, which is re-read after a write) ---

    async def _reread_profile(self, athlete: Athlete) -> str | None:
        try:
            await self.athletes.resolve(athlete.id, self.sync.client_for(True), refresh=True)
        except (UpstreamError, StorageError) as exc:
            log.warning("Could not re-read athlete %s after a custom item write: %s", athlete.id, exc)
            return (
                "Written to Intervals.icu; the cached athlete profile catches up on its next daily refresh."
            )
        return None

    async def create_custom_item(self, athlete: Athlete, item: dict[str, Any], *, dry_run: bool) -> Written:
        """Create a custom item, unless one of that name and type is there already: the same one
        (a repeated call) is answered as it is; a different one is refused with a sentence."""
        planned = Planned("POST", custom_item_path(athlete.id), item)
        if dry_run:
            return Written(planned, sent=False)
        listed = await self.sync.client_for(True).list_custom_items(athlete.id)
        same = next(
            (
                i
                for i in listed
                if isinstance(i, dict) and (i.get("name"), i.get("type")) == (item["name"], item["type"])
            ),
            None,
        )
        if same is not None:
            if all(same.get(k) == v for k, v in item.items()):
                return Written(planned, same, sent=False, existing=True)
            raise InputError(
                f"Athlete {athlete.id} already has a {item['type']} custom item named {item['name']!r} (id "
                f"{same.get('id')}): change it with update_custom_item, or give the new one another name."
            )
        payload, _ = await self.send(planned, lambda c: c.create_custom_item(athlete.id, item))
        return Written(planned, payload, cache_note=await self._reread_profile(athlete))

    async def update_custom_item(
        self, athlete: Athlete, item_id: int, fields: dict[str, Any], *, dry_run: bool
    ) -> Written:
        planned = Planned("PUT", custom_item_path(athlete.id, item_id), fields)
        if dry_run:
            return Written(planned, sent=False)
        payload, _ = await self.send(planned, lambda c: c.update_custom_item(athlete.id, item_id, fields))
        return Written(planned, payload, cache_note=await self._reread_profile(athlete))

    async def delete_custom_item(self, athlete: Athlete, item_id: int, *, dry_run: bool) -> Written:
        planned = Planned("DELETE", custom_item_path(athlete.id, item_id))
        if dry_run:
            return Written(planned, sent=False)
        try:
            await self.send(planned, lambda c: c.delete_custom_item(athlete.id, item_id))
        except NotFoundError:
            raise NotFoundError(
                f"Athlete {athlete.id} has no custom item {item_id} (already deleted, or a wrong id); "
                "nothing was deleted."
            ) from None
        return Written(planned, cache_note=await self._reread_profile(athlete))
