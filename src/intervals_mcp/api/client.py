"""The one HTTP client for the Intervals.icu API.

One `httpx.AsyncClient` per `IntervalsClient`; every request goes through the same bounded
concurrency, the same token bucket and a tenacity retry loop built from the pure decisions in
`retry.py`. Methods return plain JSON values. Errors are `intervals_mcp.errors` types only.
The API key lives in a `SecretStr` and is turned into an `Authorization` header at send time;
it never reaches a repr, a log line or an error message.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import random
import time
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote, urlencode

import httpx
from pydantic import SecretStr
from tenacity import AsyncRetrying, RetryCallState

from intervals_mcp import __version__
from intervals_mcp.api.http_errors import error_for_status, upstream_message
from intervals_mcp.api.retry import (
    RetryPolicy,
    attempt_timeout,
    is_retryable,
    parse_retry_after,
    should_stop,
    wait_seconds,
)
from intervals_mcp.api.throttle import Clock, Sleep, TokenBucket
from intervals_mcp.errors import (
    IntervalsMCPError,
    InvalidResponseError,
    UpstreamConnectionError,
    UpstreamTimeoutError,
)

log = logging.getLogger(__name__)

PROJECT_URL = "https://github.com/intervals-mcp/intervals-mcp"
USER_AGENT = f"intervals-mcp/{__version__} (+{PROJECT_URL})"
MIN_SCRUB_LENGTH = 8
QueryValue = str | int | bool
Json = dict[str, Any] | list[Any]


class ApiKeyAuth(httpx.Auth):
    """Basic auth as `API_KEY:<key>`, built per request from a SecretStr (never stored plain)."""

    def __init__(self, api_key: SecretStr) -> None:
        self._api_key = api_key

    def __repr__(self) -> str:
        return "ApiKeyAuth(api_key=SecretStr('**********'))"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = base64.b64encode(f"API_KEY:{self._api_key.get_secret_value()}".encode())
        request.headers["Authorization"] = f"Basic {token.decode('ascii')}"
        yield request


@dataclass
class _Shared:
    """What every view of one client shares: connection pool, throttle, concurrency, counter."""

    http: httpx.AsyncClient
    bucket: TokenBucket
    semaphore: asyncio.Semaphore
    timeout: float
    connect_timeout: float
    clock: Clock
    sleep: Sleep
    rng: random.Random
    secrets: tuple[str, ...] = field(default=(), repr=False)
    request_count: int = 0
    closed: bool = False


def format_day(day: date) -> str:
    """A local date as the API wants it in a query: `YYYY-MM-DD` (a datetime's time is dropped)."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _segment(value: str | int) -> str:
    """One path segment, escaped so an id can never walk to another path."""
    return quote(str(value), safe="")


class IntervalsClient:
    """Async client for the Intervals.icu REST API; use as `async with IntervalsClient(...)`."""

    def __init__(
        self,
        base_url: str,
        api_key: SecretStr,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        policy: RetryPolicy | None = None,
        requests_per_second: float = 8.0,
        burst: int = 2,
        max_concurrency: int = 4,
        user_agent: str = USER_AGENT,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if not isinstance(api_key, SecretStr):
            raise TypeError("api_key must be a pydantic SecretStr, so it never shows in a repr")
        if timeout <= 0 or connect_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        key = api_key.get_secret_value()
        token = base64.b64encode(f"API_KEY:{key}".encode()).decode("ascii")
        http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            auth=ApiKeyAuth(api_key),
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(connect_timeout, timeout)),
            limits=httpx.Limits(
                max_connections=max_concurrency, max_keepalive_connections=max_concurrency
            ),
            follow_redirects=False,
        )
        self._shared = _Shared(
            http=http,
            bucket=TokenBucket(requests_per_second, burst, clock=clock, sleep=sleep),
            semaphore=asyncio.Semaphore(max_concurrency),
            timeout=timeout,
            connect_timeout=connect_timeout,
            # Too short a string would scrub ordinary words out of messages; real keys are long.
            secrets=tuple(s for s in (key, token) if len(s) >= MIN_SCRUB_LENGTH),
            clock=clock,
            sleep=sleep,
            rng=rng or random.Random(),
        )
        self.policy = policy or RetryPolicy()
        self._owner = True

    # --- lifecycle and views --------------------------------------------------------------

    def with_policy(self, policy: RetryPolicy) -> IntervalsClient:
        """A view with another retry budget sharing this client's pool, throttle and counter."""
        view = object.__new__(IntervalsClient)
        view._shared = self._shared
        view.policy = policy
        view._owner = False
        return view

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (only the client that created it does; views do not)."""
        if self._owner and not self._shared.closed:
            self._shared.closed = True
            await self._shared.http.aclose()

    def __repr__(self) -> str:
        return (
            f"IntervalsClient(base_url={str(self._shared.http.base_url)!r}, "
            f"policy={self.policy!r}, requests={self._shared.request_count})"
        )

    @property
    def request_count(self) -> int:
        """Requests sent on the wire so far (retries included), across all views."""
        return self._shared.request_count

    # --- endpoints ------------------------------------------------------------------------

    async def get_athlete(self, athlete_id: str) -> dict[str, Any]:
        """GET /athlete/{id}: the athlete with sportSettings and custom_items."""
        return await self._json_object("GET", f"athlete/{_segment(athlete_id)}")

    async def list_activities(
        self, athlete_id: str, oldest: date, newest: date, limit: int | None = None
    ) -> list[Any]:
        """GET /athlete/{id}/activities: activities in [oldest, newest], newest first."""
        params: dict[str, QueryValue] = {"oldest": format_day(oldest), "newest": format_day(newest)}
        if limit is not None:
            params["limit"] = limit
        return await self._json_list("GET", f"athlete/{_segment(athlete_id)}/activities", params)

    async def get_activity(self, activity_id: str, intervals: bool = False) -> dict[str, Any]:
        """GET /activity/{id}, with icu_intervals and icu_groups when `intervals`."""
        params: dict[str, QueryValue] = {"intervals": "true"} if intervals else {}
        return await self._json_object("GET", f"activity/{_segment(activity_id)}", params)

    async def get_activity_intervals(self, activity_id: str) -> dict[str, Any]:
        """GET /activity/{id}/intervals: the IntervalsDTO."""
        return await self._json_object("GET", f"activity/{_segment(activity_id)}/intervals")

    async def get_activity_streams(
        self, activity_id: str, types: list[str] | None = None
    ) -> list[Any]:
        """GET /activity/{id}/streams: one object per stream type."""
        params: dict[str, QueryValue] = {"types": ",".join(types)} if types else {}
        return await self._json_list("GET", f"activity/{_segment(activity_id)}/streams", params)

    async def list_wellness(self, athlete_id: str, oldest: date, newest: date) -> list[Any]:
        """GET /athlete/{id}/wellness: one record per day with data in [oldest, newest]."""
        params: dict[str, QueryValue] = {"oldest": format_day(oldest), "newest": format_day(newest)}
        return await self._json_list("GET", f"athlete/{_segment(athlete_id)}/wellness", params)

    async def get_wellness(self, athlete_id: str, day: date) -> dict[str, Any]:
        """GET /athlete/{id}/wellness/{date}."""
        path = f"athlete/{_segment(athlete_id)}/wellness/{format_day(day)}"
        return await self._json_object("GET", path)

    async def update_wellness(
        self, athlete_id: str, day: date, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """PUT /athlete/{id}/wellness/{date}: partial update; not retried on 5xx or timeouts."""
        path = f"athlete/{_segment(athlete_id)}/wellness/{format_day(day)}"
        return await self._json_object("PUT", path, body=dict(fields))

    async def list_events(
        self, athlete_id: str, oldest: date, newest: date, category: str | None = None
    ) -> list[Any]:
        """GET /athlete/{id}/events: calendar events in [oldest, newest]."""
        params: dict[str, QueryValue] = {"oldest": format_day(oldest), "newest": format_day(newest)}
        if category:
            params["category"] = category
        return await self._json_list("GET", f"athlete/{_segment(athlete_id)}/events", params)

    async def get_event(self, athlete_id: str, event_id: int) -> dict[str, Any]:
        """GET /athlete/{id}/events/{eventId}."""
        path = f"athlete/{_segment(athlete_id)}/events/{_segment(event_id)}"
        return await self._json_object("GET", path)

    async def create_event(self, athlete_id: str, event: Mapping[str, Any]) -> dict[str, Any]:
        """POST /athlete/{id}/events: not retried on 5xx or timeouts (it might have happened)."""
        path = f"athlete/{_segment(athlete_id)}/events"
        return await self._json_object("POST", path, body=dict(event))

    async def update_event(
        self, athlete_id: str, event_id: int, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """PUT /athlete/{id}/events/{eventId}: partial update."""
        path = f"athlete/{_segment(athlete_id)}/events/{_segment(event_id)}"
        return await self._json_object("PUT", path, body=dict(fields))

    async def delete_event(self, athlete_id: str, event_id: int) -> None:
        """DELETE /athlete/{id}/events/{eventId}; whatever the body says is ignored."""
        path = f"athlete/{_segment(athlete_id)}/events/{_segment(event_id)}"
        await self._request("DELETE", path, expect=None)

    # --- plumbing -------------------------------------------------------------------------

    async def _json_object(
        self,
        method: str,
        path: str,
        params: Mapping[str, QueryValue] | None = None,
        body: Json | None = None,
    ) -> dict[str, Any]:
        result = await self._request(method, path, params, body, expect=dict)
        assert isinstance(result, dict)
        return result

    async def _json_list(
        self, method: str, path: str, params: Mapping[str, QueryValue] | None = None
    ) -> list[Any]:
        result = await self._request(method, path, params, expect=list)
        assert isinstance(result, list)
        return result

    async def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, QueryValue] | None = None,
        body: Json | None = None,
        *,
        expect: type[dict[Any, Any]] | type[list[Any]] | None,
    ) -> Json | None:
        """Send one logical request, retrying within this view's policy; return the JSON."""
        shared = self._shared
        policy = self.policy
        started = shared.clock()

        def elapsed() -> float:
            return shared.clock() - started

        def retry(state: RetryCallState) -> bool:
            exc = state.outcome.exception() if state.outcome else None
            return exc is not None and is_retryable(exc, method)

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            return wait_seconds(state.attempt_number, exc, policy, shared.rng)

        def stop(state: RetryCallState) -> bool:
            next_wait = state.upcoming_sleep
            return should_stop(elapsed(), next_wait, state.attempt_number, policy)

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            log.debug(
                "retrying %s /%s in %.2f s after attempt %d failed with %s (status %s)",
                method,
                path,
                state.upcoming_sleep,
                state.attempt_number,
                type(exc).__name__,
                getattr(exc, "status", None),
            )

        retrying = AsyncRetrying(
            retry=retry,
            wait=wait,
            stop=stop,
            sleep=shared.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        attempt = 0
        try:
            async for attempt_manager in retrying:
                with attempt_manager:
                    attempt += 1
                    return await self._send_once(method, path, params, body, expect, attempt, elapsed)
        except IntervalsMCPError as exc:
            raise self._scrub(exc) from None
        raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover

    async def _send_once(
        self,
        method: str,
        path: str,
        params: Mapping[str, QueryValue] | None,
        body: Json | None,
        expect: type[dict[Any, Any]] | type[list[Any]] | None,
        attempt: int,
        elapsed: Clock,
    ) -> Json | None:
        shared = self._shared
        where = f"{method} /{path}"
        target = f"{where}?{urlencode(params)}" if params else where  # for logs: no secrets
        async with shared.semaphore:
            # Throttle inside the semaphore: a slot reserved while queued for the semaphore
            # could otherwise be spent late, in a clump with others.
            waited = await shared.bucket.acquire()
            # Measured after the queueing, so no attempt outlives the call's budget.
            timeout = attempt_timeout(shared.timeout, elapsed(), self.policy)
            shared.request_count += 1
            t0 = shared.clock()
            try:
                response = await shared.http.request(
                    method,
                    path,
                    params=params,
                    json=body,
                    timeout=httpx.Timeout(timeout, connect=min(shared.connect_timeout, timeout)),
                )
                content = response.content
            except httpx.TimeoutException:
                waited_for = shared.clock() - t0
                log.debug("%s: timed out after %.2f s (attempt %d)", target, waited_for, attempt)
                raise UpstreamTimeoutError(
                    f"Intervals.icu did not answer {where} within {timeout:g} seconds: try "
                    "again later.",
                ) from None
            except httpx.TransportError as exc:
                log.debug("%s: %s (attempt %d)", target, type(exc).__name__, attempt)
                raise UpstreamConnectionError(
                    f"Intervals.icu could not be reached for {where} ({type(exc).__name__}): "
                    "check the network connection and INTERVALS_API_BASE_URL.",
                ) from None
        log.debug(
            "%s -> %d in %.2f s (attempt %d, throttled %.2f s, %.2f s into the call)",
            target,
            response.status_code,
            shared.clock() - t0,
            attempt,
            waited,
            elapsed(),
        )
        if not response.is_success:
            retry_after = parse_retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
            raise error_for_status(
                response.status_code,
                method,
                "/" + path,
                upstream_message(content, response.headers.get("Content-Type")),
                retry_after,
            )
        if expect is None:
            return None
        return _decode(content, response.headers.get("Content-Type"), expect, where)

    def _scrub(self, error: IntervalsMCPError) -> IntervalsMCPError:
        """Belt and braces: an upstream that echoed the key must not carry it into our errors."""
        message = str(error)
        cleaned = message
        for secret in self._shared.secrets:
            cleaned = cleaned.replace(secret, "[redacted]")
        if cleaned != message:
            error.args = (cleaned,)
        return error


_JSON_KINDS: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
}


def _decode(
    content: bytes,
    content_type: str | None,
    expect: type[dict[Any, Any]] | type[list[Any]],
    where: str,
) -> Json:
    """Parse a success body, insisting on the top-level JSON type the endpoint promises."""
    kind = "an object" if expect is dict else "a list"
    try:
        data = json.loads(content) if content.strip() else None
    except ValueError:
        looks = "an HTML page" if "html" in (content_type or "").lower() else "text"
        raise InvalidResponseError(
            f"Intervals.icu answered {where} with {looks} instead of JSON: try again later.",
        ) from None
    if not isinstance(data, expect):
        got = _JSON_KINDS.get(type(data), "an empty body")
        raise InvalidResponseError(
            f"Intervals.icu answered {where} with {got} instead of {kind}: try again later.",
        )
    return data


__all__ = ["USER_AGENT", "IntervalsClient", "RetryPolicy", "format_day"]
