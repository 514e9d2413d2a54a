"""Calendar writes as the service applies them (API_NOTES §7c, the OpenAPI spec, WORKOUT_TEXT §6).

* Create / update: known `EventEx` fields are taken, unknown ones ignored (as Jackson does);
  a client's own `workout_doc` is ignored, the service derives it from `description`. A
  WORKOUT's text is re-read when its description or sport changes: steps set `workout_doc`,
  `moving_time`, `icu_training_load`; prose leaves `steps: []` and keeps only the time and load
  the request itself gave; a metadata-only update keeps the steps. `updated` is bumped.
* Bulk create (`POST /events/bulk`): all or nothing. `upsert=true` updates the event of this
  athlete with the same `external_id` created by the same client (an API key is no OAuth app:
  its events carry `oauth_client_id` null) instead of creating another; else `upsertOnUid=true`
  matches on `uid`. `updatePlanApplied=true` stamps `plan_applied` on every event written.
* Deletes: one by id; `PUT /events/bulk-delete` by id or external_id (external_id wins when both
  are given; missing ones are ignored); `DELETE /events?oldest&newest&category&createdById`
  deletes a range (no `newest`: every event from `oldest` on).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from intervals_mcp.fake.errors import Invalid, NotFound
from intervals_mcp.fake.gen_events import blank_event
from intervals_mcp.fake.ids import new_id
from intervals_mcp.fake.shapes import EVENT_EXTRA_KEYS, EVENT_KEYS
from intervals_mcp.fake.timefmt import iso_utc
from intervals_mcp.fake.workouts import thresholds_for, workout_fields

EVENT_CATEGORIES = frozenset({
    "WORKOUT", "RACE_A", "RACE_B", "RACE_C", "NOTE", "PLAN", "HOLIDAY", "SICK", "INJURED",
    "SET_EFTP", "FITNESS_DAYS", "SEASON_START", "TARGET", "SET_FITNESS",
})
# A client cannot send its own workout_doc: the service derives it (WORKOUT_TEXT.md §6).
_EVENT_WRITABLE = frozenset(EVENT_KEYS + EVENT_EXTRA_KEYS) - {
    "id", "athlete_id", "updated", "workout_doc", "created_by_id"}


class EventsMixin:
    """The calendar half of FakeStore (which provides the attributes declared here)."""

    lock: threading.RLock
    athlete: dict[str, Any]
    events: dict[int, dict[str, Any]]

    @property
    def athlete_id(self) -> str:
        return str(self.athlete["id"])

    def now(self) -> datetime:  # pragma: no cover - FakeStore's own wins
        raise NotImplementedError

    def get_event(self, event_id: int) -> dict[str, Any]:
        with self.lock:
            if event_id not in self.events:
                raise NotFound(f"Event {event_id} not found")
            return dict(self.events[event_id])

    def check_event(self, payload: dict[str, Any], *, creating: bool) -> None:
        category = payload.get("category")
        if creating and not category:
            raise Invalid("category is required")
        if category is not None and category not in EVENT_CATEGORIES:
            raise Invalid(f"Unknown event category [{category}]")
        start = payload.get("start_date_local")
        if creating and not start:
            raise Invalid("start_date_local is required")
        if start is not None:
            try:
                datetime.fromisoformat(str(start))
            except ValueError:
                raise Invalid(f"Text '{start}' could not be parsed") from None

    def _derive(self, event: dict[str, Any], changed: dict[str, Any]) -> dict[str, Any]:
        """Re-read a WORKOUT's text when its description or sport changed (WORKOUT_TEXT §6)."""
        if event.get("category") != "WORKOUT" or not {"description", "type"} & set(changed):
            return event
        sport = event.get("type")
        derived = workout_fields(event.get("description"), sport,
                                 thresholds_for(self.athlete, sport))
        if not derived["workout_doc"]["steps"]:
            derived |= {"moving_time": changed.get("moving_time"),
                        "icu_training_load": changed.get("icu_training_load")}
        return event | derived

    @staticmethod
    def _known(payload: dict[str, Any]) -> dict[str, Any]:
        fields = {k: v for k, v in payload.items() if k in _EVENT_WRITABLE}
        start = fields.get("start_date_local")
        if start is not None and len(str(start)) == 10:
            fields["start_date_local"] = f"{start}T00:00:00"
        return fields

    def add_event(self, payload: dict[str, Any], *, created_by: str | None = None) -> dict[str, Any]:
        """Create an event as POST /events does: server id, derived workout fields, `updated`;
        `created_by` is the key's owner (a coach writing to an athlete), default the athlete."""
        self.check_event(payload, creating=True)
        with self.lock:
            event_id = new_id("event", floor=max(self.events, default=0) + 1)
            fields = self._known(payload)
            event = blank_event(event_id, self.athlete_id) | fields
            event["created_by_id"] = created_by or self.athlete_id
            event = self._derive(event, fields)
            event["updated"] = iso_utc(self.now())
            self.events[event_id] = event
            return dict(event)

    def update_event(self, event_id: int, /, **fields: Any) -> dict[str, Any]:
        """Merge known fields (unknown ones are ignored, as Jackson does); bumps `updated`."""
        self.check_event(fields, creating=False)
        with self.lock:
            old = self.get_event(event_id)
            known = self._known(fields)
            event = self._derive(old | known, known)
            event["updated"] = iso_utc(self.now())
            self.events[event_id] = event
            return dict(event)

    def delete_event(self, event_id: int) -> dict[str, Any]:
        with self.lock:
            event = self.events.pop(event_id, None)
            if event is None:
                raise NotFound(f"Event {event_id} not found")
            return event

    def find_event_by_external_id(self, external_id: str,
                                  oauth_client_id: int | None = None) -> int | None:
        """This athlete's event with that external_id, created by the same client."""
        return self._find("external_id", external_id, oauth_client_id)

    def find_event_by_uid(self, uid: str) -> int | None:
        return self._find("uid", uid, None, any_client=True)

    def _find(self, key: str, value: str, client: int | None, any_client: bool = False) -> int | None:
        with self.lock:
            for event in self.events.values():
                if event.get(key) == value and (any_client or event.get("oauth_client_id") == client):
                    return int(event["id"])
        return None

    def write_events(self, bodies: Sequence[dict[str, Any]], *, upsert: bool = False,
                     upsert_on_uid: bool = False, update_plan_applied: bool = False,
                     created_by: str | None = None) -> list[dict[str, Any]]:
        """POST /events/bulk (and POST /events): every body checked before anything is written."""
        with self.lock:
            targets: list[int | None] = []
            for body in bodies:
                existing = None
                if upsert and body.get("external_id"):
                    existing = self.find_event_by_external_id(str(body["external_id"]))
                elif upsert_on_uid and body.get("uid"):
                    existing = self.find_event_by_uid(str(body["uid"]))
                self.check_event(body, creating=existing is None)
                targets.append(existing)
            stamp = {"plan_applied": iso_utc(self.now())} if update_plan_applied else {}
            return [self.update_event(existing, **(body | stamp)) if existing is not None
                    else self.add_event(body | stamp, created_by=created_by)
                    for existing, body in zip(targets, bodies, strict=True)]

    def delete_doomed(self, doomed: Sequence[dict[str, Any]]) -> int:
        """PUT /events/bulk-delete: by external_id (when given) or id; missing ones ignored."""
        deleted = 0
        with self.lock:
            for item in doomed:
                event_id = item.get("id")
                if item.get("external_id"):
                    event_id = self.find_event_by_external_id(str(item["external_id"]))
                if isinstance(event_id, int) and event_id in self.events:
                    self.delete_event(event_id)
                    deleted += 1
        return deleted

    def delete_range(self, oldest: date, newest: date | None, categories: frozenset[str],
                     created_by_id: str | None = None) -> int:
        """DELETE /events: events of those categories from `oldest` to `newest` (None: on)."""
        low, high = oldest.isoformat(), newest.isoformat() if newest else "9999-12-31"
        with self.lock:
            doomed = [i for i, e in self.events.items()
                      if low <= e["start_date_local"][:10] <= high and e["category"] in categories
                      and (created_by_id is None or e.get("created_by_id") == created_by_id)]
            for event_id in doomed:
                del self.events[event_id]
        return len(doomed)
