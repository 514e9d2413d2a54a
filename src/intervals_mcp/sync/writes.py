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
be sent is returned as `Planned`, and nothing is sent. Otherwise that same `Planned` is what is
sent (`IntervalsClient.write`), so a dry run shows exactly the request a real call makes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any

from intervals_mcp.api.client import (
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
    NotFoundError,
    OwnershipError,
    StorageError,
    UpstreamError,
    WriteOutcomeUnknownError,
)
from intervals_mcp.sync.asks import DocumentAsk
from intervals_mcp.sync.athletes import Athlete, Athletes
from intervals_mcp.sync.documents import Documents
from intervals_mcp.sync.records import Records
from intervals_mcp.sync.service import SyncService
from intervals_mcp.sync.write_requests import Planned, Written, first_match, lost_reason

log = logging.getLogger(__name__)
Follow = Callable[[Any, datetime], Awaitable[str | None]]


def outcome_unknown(error: UpstreamError) -> bool:
    """Whether a failed write may have been applied: the failures a read would retry (the
    request reached the server) but a write must not (see `api.retry.is_retryable`)."""
    return is_retryable(error, "GET") and not is_retryable(error, "POST")


class Writes:
    """Writes for every athlete of one process, on top of the sync service and its records."""

    def __init__(self, sync: SyncService, records: Records, athletes: Athletes, documents: Documents) -> None:
        self.sync = sync
        self.records = records
        self.athletes = athletes
        self.documents = documents

    # --- the one way out and back -----------------------------------------------------------

    async def send(self, planned: Planned) -> tuple[dict[str, Any] | None, datetime]:
        """Send one write exactly as planned, with the tool budget; (its answer, the moment it was
        sent)."""
        sent_at = self.sync.now()
        try:
            answer = await self.sync.client_for(True).write(planned.method, planned.path, planned.body)
        except UpstreamError as exc:
            if not outcome_unknown(exc):
                raise
            raise WriteOutcomeUnknownError(
                f"{planned.line} reached Intervals.icu but its answer was lost ({lost_reason(exc)}), so "
                "it may have been applied; repeating the same call is safe: it never writes twice.",
                status=exc.status,
            ) from None
        return answer, sent_at

    async def apply(
        self, planned: Planned, follow: Follow | None = None, *, dry_run: bool = False
    ) -> Written:
        """The plan alone for a dry run; else send it, then `follow(answer, sent_at)` brings the
        cache along (the sentence it returns, if any, is the `cache_note`)."""
        if dry_run:
            return Written(planned, sent=False)
        answer, sent_at = await self.send(planned)
        return Written(planned, answer, cache_note=await follow(answer, sent_at) if follow else None)

    def keep(self, resource: Resource, athlete_id: str | None = None) -> Follow:
        """Follow a write by caching the record upstream answered (under its owner, for activities)."""

        async def follow(payload: Any, sent_at: datetime) -> str | None:
            owner = athlete_id or str(payload.get("icu_athlete_id"))
            return await self.store(resource, owner, [payload], sent_at)

        return follow

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
        if event_id is None:
            planned = Planned("POST", events_path(athlete.id), body)
        else:
            planned = Planned("PUT", events_path(athlete.id, event_id), body)
        return await self.apply(planned, self.keep("events", athlete.id), dry_run=dry_run)

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
            await self.send(planned)
        except NotFoundError:
            existing = True  # gone already (a repeated call): the cache follows
        note = await self.drop("events", athlete.id, [event_id])
        return Written(planned, existing=existing, cache_note=note)

    async def events_in(self, athlete: Athlete, start: date, end: date) -> list[Record]:
        """The athlete's events of [start, end] from the cache, after making the range fresh
        (a failed refresh raises: a delete is never planned from a stale list)."""
        fr = await self.sync.ensure_fresh("events", athlete, start, end)
        if fr.error is not None:
            raise fr.error
        return await queries.records_in(self.sync.reader, "events", athlete.id, start, end)

    async def delete_events(self, athlete: Athlete, ids: Sequence[int], *, dry_run: bool) -> Written:
        """Delete exactly these events in ONE request (the API's bulk delete)."""
        doomed = [{"id": i} for i in ids]
        planned = Planned("PUT", events_path(athlete.id, "bulk-delete"), doomed)

        async def follow(_answer: Any, _sent_at: datetime) -> str | None:
            return await self.drop("events", athlete.id, list(ids))

        return await self.apply(planned, follow, dry_run=dry_run or not ids)

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
        return await self.apply(planned, self.keep("activities"), dry_run=dry_run)

    async def update_wellness(
        self, athlete: Athlete, day: date, fields: dict[str, Any], *, dry_run: bool
    ) -> Written:
        planned = Planned("PUT", wellness_path(athlete.id, day), fields)
        return await self.apply(planned, self.keep("wellness", athlete.id), dry_run=dry_run)

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
        same = first_match(thread, lambda m: str(m.get("content") or "").strip() == content.strip())
        if same is not None:
            return Written(planned, same, sent=False, existing=True)

        async def reread(_answer: Any, _sent_at: datetime) -> str | None:
            try:
                await self.records.ensure_extra("messages", athlete, activity_id, refresh=True)
            except (UpstreamError, StorageError) as exc:
                log.warning("Could not re-read the comments of %s after a write: %s", activity_id, exc)
                return "Written to Intervals.icu; the cached comments catch up at their next refresh."
            return None

        return await self.apply(planned, reread)

    # --- custom items (a cached document of the athlete's, re-read after a write) ---

    def _reread_profile(self, athlete: Athlete) -> Follow:
        async def follow(_answer: Any, _sent_at: datetime) -> str | None:
            try:
                await self.documents.ensure(DocumentAsk("custom_items"), athlete, refresh=True)
            except (UpstreamError, StorageError) as exc:
                log.warning("Could not re-read athlete %s's custom items after a write: %s", athlete.id, exc)
                return "Written to Intervals.icu; the cached custom items catch up at their next refresh."
            return None

        return follow

    async def create_custom_item(self, athlete: Athlete, item: dict[str, Any], *, dry_run: bool) -> Written:
        """Create a custom item, unless one of that name and type is there already: the same one
        (a repeated call) is answered as it is; a different one is refused with a sentence."""
        planned = Planned("POST", custom_item_path(athlete.id), item)
        if dry_run:
            return Written(planned, sent=False)
        listed = await self.sync.client_for(True).list_custom_items(athlete.id)
        same = first_match(listed, lambda i: (i.get("name"), i.get("type")) == (item["name"], item["type"]))
        if same is not None:
            if all(same.get(k) == v for k, v in item.items()):
                return Written(planned, same, sent=False, existing=True)
            raise InputError(
                f"Athlete {athlete.id} already has a {item['type']} custom item named {item['name']!r} (id "
                f"{same.get('id')}): change it with update_custom_item, or give the new one another name."
            )
        return await self.apply(planned, self._reread_profile(athlete))

    async def update_custom_item(
        self, athlete: Athlete, item_id: int, fields: dict[str, Any], *, dry_run: bool
    ) -> Written:
        planned = Planned("PUT", custom_item_path(athlete.id, item_id), fields)
        return await self.apply(planned, self._reread_profile(athlete), dry_run=dry_run)

    async def delete_custom_item(self, athlete: Athlete, item_id: int, *, dry_run: bool) -> Written:
        planned = Planned("DELETE", custom_item_path(athlete.id, item_id))
        try:
            return await self.apply(planned, self._reread_profile(athlete), dry_run=dry_run)
        except NotFoundError:
            raise NotFoundError(
                f"Athlete {athlete.id} has no custom item {item_id} (already deleted, or a wrong id); "
                "nothing was deleted."
            ) from None
