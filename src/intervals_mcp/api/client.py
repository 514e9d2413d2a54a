"""The one HTTP client for the Intervals.icu API: its endpoints, as plain JSON values.

Every request goes through `transport.Transport` (auth, throttle, retries, redirects, errors);
this module only knows paths, query parameters and the date formats the API wants. Errors are
`intervals_mcp.errors` types only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import quote

from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.api.transport import USER_AGENT, ApiKeyAuth, QueryValue, Transport


def format_day(day: date) -> str:
    """A local date as the API wants it in a query: `YYYY-MM-DD` (a datetime's time is dropped)."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def format_day_end(day: date) -> str:
    """The last second of a local day, `YYYY-MM-DDT23:59:59`: an explicit, inclusive `newest`."""
    return f"{format_day(day)}T23:59:59"


def _segment(value: str | int) -> str:
    """One path segment, escaped so an id can never walk to another path."""
    return quote(str(value), safe="")


def events_path(athlete_id: str, event_id: int | str | None = None) -> str:
    """`athlete/{id}/events[/{eventId}]` (also `bulk-delete` as the event id's place)."""
    base = f"athlete/{_segment(athlete_id)}/events"
    return base if event_id is None else f"{base}/{_segment(event_id)}"


def activity_path(activity_id: str, tail: str = "") -> str:
    """`activity/{id}[/tail]`."""
    return f"activity/{_segment(activity_id)}" + (f"/{tail}" if tail else "")


def wellness_path(athlete_id: str, day: date) -> str:
    return f"athlete/{_segment(athlete_id)}/wellness/{format_day(day)}"


def custom_item_path(athlete_id: str, item_id: int | None = None) -> str:
    base = f"athlete/{_segment(athlete_id)}/custom-item"
    return base if item_id is None else f"{base}/{_segment(item_id)}"


def _window(oldest: date, newest: date) -> dict[str, QueryValue]:
    """`oldest` and `newest` for the wellness and events lists: local dates, both inclusive."""
    return {"oldest": format_day(oldest), "newest": format_day(newest)}


class IntervalsClient(Transport):
    """Async client for the Intervals.icu REST API; use as `async with IntervalsClient(...)`.

    Built as `IntervalsClient(base_url, api_key: SecretStr, *, timeout, connect_timeout,
    policy, requests_per_second, burst, throttle, max_concurrency, ...)`; `throttle` replaces
    the in-process bucket (a budget shared across processes); `with_policy()` gives a view
    with another retry budget sharing the pool, the throttle and `request_count`.
    """

    async def write(self, method: str, path: str, body: Any = None) -> dict[str, Any] | None:
        """One write exactly as given: `method` (POST, PUT or DELETE), `path` under the base URL,
        the JSON `body`. Answers the object upstream returns; None for a DELETE (whatever its body
        says is ignored). Like every write, never retried on 5xx or timeouts."""
        if method == "DELETE":
            await self._request(method, path, body=body, expect=None)
            return None
        return await self._json_object(method, path, body=body)

    async def get_athlete(self, athlete_id: str) -> dict[str, Any]:
        """GET /athlete/{id}: the athlete with sportSettings and custom_items."""
        return await self._json_object("GET", f"athlete/{_segment(athlete_id)}")

    async def list_activities(
        self, athlete_id: str, oldest: date, newest: date, limit: int | None = None
    ) -> list[Any]:
        """GET /athlete/{id}/activities: activities in [oldest, newest], newest first.

        This endpoint documents local date-times, so `newest` goes out as the last second of
        its day: the day's later activities are included however the service reads it.
        """
        params: dict[str, QueryValue] = {"oldest": format_day(oldest), "newest": format_day_end(newest)}
        if limit is not None:
            params["limit"] = limit
        path = f"athlete/{_segment(athlete_id)}/activities"
        return await self._json_list("GET", path, params, listing="activities")

    async def get_activity(self, activity_id: str, intervals: bool = False) -> dict[str, Any]:
        """GET /activity/{id}, with icu_intervals and icu_groups when `intervals`."""
        params: dict[str, QueryValue] = {"intervals": "true"} if intervals else {}
        return await self._json_object("GET", activity_path(activity_id), params)

    async def update_activity(self, activity_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """PUT /activity/{id}: partial update; answers the whole activity."""
        return await self._json_object("PUT", activity_path(activity_id), body=dict(fields))

    async def list_activity_messages(self, activity_id: str) -> list[Any]:
        """GET /activity/{id}/messages: the activity's comments, oldest first."""
        return await self._json_list("GET", activity_path(activity_id, "messages"))

    async def add_activity_message(self, activity_id: str, content: str) -> dict[str, Any]:
        """POST /activity/{id}/messages: a comment by the key's owner; answers `{id, new_chat}`."""
        path = activity_path(activity_id, "messages")
        return await self._json_object("POST", path, body={"content": content})

    async def get_activity_intervals(self, activity_id: str) -> dict[str, Any]:
        """GET /activity/{id}/intervals: the IntervalsDTO."""
        return await self._json_object("GET", activity_path(activity_id, "intervals"))

    async def get_activity_streams(
        self, activity_id: str, types: list[str] | None = None
    ) -> list[Any]:
        """GET /activity/{id}/streams: one object per stream type (a 404 means no activity)."""
        params: dict[str, QueryValue] = {"types": ",".join(types)} if types else {}
        return await self._json_list("GET", activity_path(activity_id, "streams"), params)

    async def list_athletes(self) -> list[Any]:
        """GET /athletes: the key's owner and everyone it coaches or follows (API keys only)."""
        return await self._json_list("GET", "athletes", listing="athletes")

    async def get_curves(
        self,
        athlete_id: str,
        *,
        kind: str,
        sport: str,
        curves: str,
        filters: str | None = None,
        now: date | None = None,
    ) -> dict[str, Any]:
        """GET /athlete/{id}/{kind}-curves (kind: power, hr or pace): `curves` is the comma list
        of curve names (s0, s1, r.2026-01-01.2026-03-31, ...), `filters` a JSON ActivityFilter
        array, `now` the athlete's local date (seasons are relative to it)."""
        params: dict[str, QueryValue] = {"type": sport, "curves": curves}
        if filters:
            params["filters"] = filters
        if now is not None:
            params["now"] = format_day(now)
        path = f"athlete/{_segment(athlete_id)}/{_segment(kind)}-curves"
        return await self._json_object("GET", path, params)

    async def list_gear(self, athlete_id: str) -> list[Any]:
        """GET /athlete/{id}/gear: bikes, shoes, ... with distance, time and activity counts."""
        return await self._json_list("GET", f"athlete/{_segment(athlete_id)}/gear", listing="gear")

    async def list_custom_items(self, athlete_id: str) -> list[Any]:
        """GET /athlete/{id}/custom-item: charts, custom fields, zones ..."""
        path = f"athlete/{_segment(athlete_id)}/custom-item"
        return await self._json_list("GET", path, listing="custom items")

    async def list_wellness(self, athlete_id: str, oldest: date, newest: date) -> list[Any]:
        """GET /athlete/{id}/wellness: one record per day with data in [oldest, newest]."""
        path = f"athlete/{_segment(athlete_id)}/wellness"
        return await self._json_list("GET", path, _window(oldest, newest), listing="wellness")

    async def get_wellness(self, athlete_id: str, day: date) -> dict[str, Any]:
        """GET /athlete/{id}/wellness/{date}."""
        return await self._json_object("GET", wellness_path(athlete_id, day))

    async def update_wellness(
        self, athlete_id: str, day: date, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """PUT /athlete/{id}/wellness/{date}: partial update; not retried on 5xx or timeouts."""
        return await self._json_object("PUT", wellness_path(athlete_id, day), body=dict(fields))

    async def list_events(
        self, athlete_id: str, oldest: date, newest: date, category: str | None = None
    ) -> list[Any]:
        """GET /athlete/{id}/events: calendar events in [oldest, newest]."""
        params = _window(oldest, newest)
        if category:
            params["category"] = category
        return await self._json_list("GET", events_path(athlete_id), params, listing="events")

    async def get_event(self, athlete_id: str, event_id: int) -> dict[str, Any]:
        """GET /athlete/{id}/events/{eventId}."""
        return await self._json_object("GET", events_path(athlete_id, event_id))

    async def create_event(self, athlete_id: str, event: Mapping[str, Any]) -> dict[str, Any]:
        """POST /athlete/{id}/events: not retried on 5xx or timeouts (it might have happened)."""
        return await self._json_object("POST", events_path(athlete_id), body=dict(event))

    async def update_event(
        self, athlete_id: str, event_id: int, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """PUT /athlete/{id}/events/{eventId}: partial update."""
        return await self._json_object("PUT", events_path(athlete_id, event_id), body=dict(fields))

    async def delete_event(self, athlete_id: str, event_id: int) -> None:
        """DELETE /athlete/{id}/events/{eventId}; whatever the body says is ignored."""
        await self._request("DELETE", events_path(athlete_id, event_id), expect=None)

    async def delete_events_bulk(self, athlete_id: str, doomed: list[dict[str, Any]]) -> dict[str, Any]:
        """PUT /athlete/{id}/events/bulk-delete with `[{"id": n}, {"external_id": "x"}]`: one
        request for many events (missing ones are ignored); answers `{"eventsDeleted": n}`."""
        path = events_path(athlete_id, "bulk-delete")
        result = await self._request("PUT", path, body=list(doomed), expect=dict)
        assert isinstance(result, dict)
        return result

    async def create_custom_item(self, athlete_id: str, item: Mapping[str, Any]) -> dict[str, Any]:
        """POST /athlete/{id}/custom-item: answers the new item."""
        return await self._json_object("POST", custom_item_path(athlete_id), body=dict(item))

    async def update_custom_item(
        self, athlete_id: str, item_id: int, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """PUT /athlete/{id}/custom-item/{itemId}: partial update."""
        return await self._json_object("PUT", custom_item_path(athlete_id, item_id), body=dict(fields))

    async def delete_custom_item(self, athlete_id: str, item_id: int) -> None:
        """DELETE /athlete/{id}/custom-item/{itemId}."""
        await self._request("DELETE", custom_item_path(athlete_id, item_id), expect=None)


__all__ = [
    "USER_AGENT",
    "ApiKeyAuth",
    "IntervalsClient",
    "RetryPolicy",
    "activity_path",
    "custom_item_path",
    "events_path",
    "format_day",
    "format_day_end",
    "wellness_path",
]
