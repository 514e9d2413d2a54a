"""The fake's data: one athlete's profile, activities, wellness days and calendar events.

Payloads are kept in the API's own shapes (full key sets, nulls included). Every read and write
takes `lock`, because the HTTP server reads from its own thread while tests edit "upstream".
Edits bump the change markers the live service bumps, so cache invalidation can be tested:
`icu_sync_date`/`analyzed` for activities, `updated` for wellness and events. A change of
training load recomputes CTL/ATL of the following wellness days (and bumps their `updated`), as
the live service does; the `icu_ctl`/`icu_atl` snapshots on later activities are left alone.
A day without a wellness record answers 404 (the live behaviour is not documented).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from intervals_mcp.fake.details import build_intervals, build_streams
from intervals_mcp.fake.errors import Invalid, NotFound
from intervals_mcp.fake.fitness import fitness_series
from intervals_mcp.fake.ids import new_activity_id
from intervals_mcp.fake.shapes import ACTIVITY_KEYS, WELLNESS_KEYS
from intervals_mcp.fake.store_events import EVENT_CATEGORIES, EventsMixin
from intervals_mcp.fake.timefmt import iso_local, iso_utc, parse_utc

# Wellness keys the service computes itself; writes to them are ignored.
WELLNESS_COMPUTED = frozenset({"id", "updated", "ctl", "atl", "rampRate", "ctlLoad", "atlLoad",
                               "sportInfo"})
_LOAD_KEYS = frozenset({"icu_training_load", "start_date_local"})


def is_strava(activity: dict[str, Any]) -> bool:
    return activity.get("source") == "STRAVA"


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


__all__ = ["EVENT_CATEGORIES", "FakeStore", "Invalid", "NotFound", "is_strava"]


class FakeStore(EventsMixin):
    """One athlete's data in API shapes, safe to read and edit from several threads."""

    def __init__(
        self,
        athlete: dict[str, Any],
        activities: Iterable[dict[str, Any]],
        wellness: Iterable[dict[str, Any]],
        events: Iterable[dict[str, Any]],
        *,
        today: date,
        fitness_start: tuple[float, float] = (0.0, 0.0),
        intervals: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.athlete = athlete
        self.activities: dict[str, dict[str, Any]] = {a["id"]: a for a in activities}
        self.wellness: dict[str, dict[str, Any]] = {w["id"]: w for w in wellness}
        self.events: dict[int, dict[str, Any]] = {e["id"]: e for e in events}
        # Explicit IntervalsDTOs; anything missing is derived from the activity on demand.
        self.intervals: dict[str, dict[str, Any]] = dict(intervals or {})
        # Activity comments by activity id, filled on first read (see messages.py).
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.today = today
        self.fitness_start = fitness_start
        stamps = [a.get("analyzed") or "" for a in self.activities.values()]
        stamps += [r.get("updated") or "" for r in (*self.wellness.values(), *self.events.values())]
        newest = max((s for s in stamps if s), default=None)
        self._last_stamp = parse_utc(newest) if newest else datetime(2000, 1, 1, tzinfo=UTC)

    def __repr__(self) -> str:
        return (f"FakeStore(athlete_id={self.athlete_id!r}, activities={len(self.activities)}, "
                f"wellness={len(self.wellness)}, events={len(self.events)}, today={self.today})")

    def now(self) -> datetime:
        """A fresh change-marker time: the wall clock, but always after every marker so far."""
        with self.lock:
            stamp = max(datetime.now(UTC), self._last_stamp + timedelta(milliseconds=1))
            self._last_stamp = stamp
            return stamp

    # ---- reads --------------------------------------------------------------------------

    def list_activities(
        self, oldest: datetime, newest: datetime, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Activities starting in [oldest, newest], newest first; `limit` keeps the newest N."""
        low, high = iso_local(oldest), iso_local(newest)
        with self.lock:
            found = [dict(a) for a in self.activities.values()
                     if low <= a["start_date_local"] <= high]
        found.sort(key=lambda a: (a["start_date_local"], a["id"]), reverse=True)
        return found[:limit] if limit is not None and limit >= 0 else found

    def get_activity(self, activity_id: str) -> dict[str, Any]:
        with self.lock:
            if activity_id not in self.activities:
                raise NotFound(f"Activity {activity_id} not found")
            return dict(self.activities[activity_id])

    def get_intervals(self, activity_id: str) -> dict[str, Any]:
        """The activity's IntervalsDTO, its `analyzed` matching the activity's."""
        with self.lock:
            activity = self.get_activity(activity_id)
            dto = self.intervals.get(activity_id)
            if dto is None:
                dto = self.intervals[activity_id] = build_intervals(activity)
            return dto | {"analyzed": activity.get("analyzed")}

    def get_streams(self, activity_id: str, types: list[str] | None) -> list[dict[str, Any]]:
        return build_streams(self.get_activity(activity_id), types)

    def list_wellness(self, oldest: date | None, newest: date | None) -> list[dict[str, Any]]:
        low = oldest.isoformat() if oldest else ""
        high = newest.isoformat() if newest else "9999"
        with self.lock:
            return [dict(self.wellness[k]) for k in sorted(self.wellness) if low <= k <= high]

    def get_wellness(self, day: date | str) -> dict[str, Any]:
        key = _day(day).isoformat()
        with self.lock:
            if key not in self.wellness:
                raise NotFound(f"No wellness record for {key}")
            return dict(self.wellness[key])

    def list_events(
        self, oldest: date, newest: date, categories: frozenset[str] | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Events whose day is in [oldest, newest], ascending by start."""
        low, high = oldest.isoformat(), newest.isoformat()
        with self.lock:
            found = [dict(e) for e in self.events.values()
                     if low <= e["start_date_local"][:10] <= high
                     and (categories is None or e["category"] in categories)]
        found.sort(key=lambda e: (e["start_date_local"], e["id"]))
        return found[:limit] if limit is not None and limit >= 0 else found

    # ---- activities: upstream edits -----------------------------------------------------

    def add_activity(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A new upstream activity (needs start_date_local); missing keys become null."""
        if "start_date_local" not in payload:
            raise Invalid("start_date_local is required")
        with self.lock:
            stamp = iso_utc(self.now())
            activity_id = payload.get("id") or new_activity_id()
            activity = dict.fromkeys(ACTIVITY_KEYS) | {
                "icu_athlete_id": self.athlete_id, "created": stamp, "icu_sync_date": stamp,
                "analyzed": stamp} | payload | {"id": activity_id}
            self.activities[activity_id] = activity
            self._recompute_fitness(_day(activity["start_date_local"][:10]))
            return dict(activity)

    def update_activity(self, activity_id: str, /, **fields: Any) -> dict[str, Any]:
        """Edit an activity upstream; bumps `icu_sync_date` and `analyzed`."""
        with self.lock:
            old = self.get_activity(activity_id)
            stamp = iso_utc(self.now())
            new = old | fields | {"id": activity_id, "icu_sync_date": stamp, "analyzed": stamp}
            self.activities[activity_id] = new
            self.intervals.pop(activity_id, None)
            if any(old.get(k) != new.get(k) for k in _LOAD_KEYS):
                first = min(old["start_date_local"], new["start_date_local"])
                self._recompute_fitness(_day(first[:10]))
            return dict(new)

    def delete_activity(self, activity_id: str) -> None:
        """Delete upstream: the activity simply disappears from lists (there is no tombstone feed)."""
        with self.lock:
            old = self.activities.pop(activity_id, None)
            if old is None:
                raise NotFound(f"Activity {activity_id} not found")
            self.intervals.pop(activity_id, None)
            self._recompute_fitness(_day(old["start_date_local"][:10]))

    # ---- wellness -----------------------------------------------------------------------

    def check_wellness_fields(self, fields: dict[str, Any]) -> None:
        for key in fields:
            if key not in WELLNESS_KEYS:
                raise Invalid(f"Unrecognized wellness field [{key}] for athlete {self.athlete_id}")

    def update_wellness(self, day: date | str, /, **fields: Any) -> dict[str, Any]:
        """Create or merge a day's record: -1 unsets a field; bumps `updated`."""
        self.check_wellness_fields(fields)
        key = _day(day).isoformat()
        with self.lock:
            record = dict(self.wellness.get(key) or dict.fromkeys(WELLNESS_KEYS) | {
                "id": key, "tempWeight": False, "tempRestingHR": False})
            for name, value in fields.items():
                if name in WELLNESS_COMPUTED:
                    continue
                record[name] = None if value == -1 and not isinstance(value, bool) else value
            record["updated"] = iso_utc(self.now())
            self.wellness[key] = record
            return dict(record)

    def delete_wellness(self, day: date | str) -> None:
        with self.lock:
            if self.wellness.pop(_day(day).isoformat(), None) is None:
                raise NotFound(f"No wellness record for {_day(day)}")

    # ---- fitness ------------------------------------------------------------------------

    def daily_loads(self) -> dict[date, float]:
        loads: dict[date, float] = {}
        for a in self.activities.values():
            day = date.fromisoformat(a["start_date_local"][:10])
            loads[day] = loads.get(day, 0.0) + float(a.get("icu_training_load") or 0)
        return loads

    def _recompute_fitness(self, since: date) -> None:
        if not self.wellness:
            return
        days = sorted(self.wellness)
        first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
        series = fitness_series(self.daily_loads(), first, last, self.fitness_start)
        stamp: str | None = None
        for key in days:
            day = date.fromisoformat(key)
            if day < since:
                continue
            fit = series[day]
            values = {"ctl": fit.ctl, "atl": fit.atl, "rampRate": fit.ramp_rate,
                      "ctlLoad": fit.load, "atlLoad": fit.load}
            record = self.wellness[key]
            if any(record.get(k) != v for k, v in values.items()):
                stamp = stamp or iso_utc(self.now())
                self.wellness[key] = record | values | {"updated": stamp}
