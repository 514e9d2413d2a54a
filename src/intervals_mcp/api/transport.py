"""How every request to Intervals.icu is sent: auth, throttle, retries, redirects, errors.

One `httpx.AsyncClient` per client; every request goes through the same bounded concurrency,
the same token bucket and a tenacity retry loop built from the pure decisions in `retry.py`.
Redirects are followed by hand, only as `redirects.py` allows, so the key never leaves the
configured host. Errors are `intervals_mcp.errors` types only (see `http_errors.py`). The API
key lives in a `SecretStr` and becomes an `Authorization` header at send time; it never
reaches a repr, a log line or an error message.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import random
import time
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlencode

import httpx
from pydantic import SecretStr
from tenacity import AsyncRetrying, RetryCallState

from intervals_mcp import __version__
from intervals_mcp.api.http_errors import (
    Json,
    decode_json,
    error_for_status,
    error_for_transport,
    list_not_found,
    redirect_refused,
    too_many_redirects,
    upstream_message,
)
from intervals_mcp.api.redirects import MAX_REDIRECTS, REDIRECT_STATUSES, may_follow, rebased, shown
from intervals_mcp.api.retry import (
    RetryPolicy,
    attempt_timeout,
    is_retryable,
    parse_retry_after,
    should_stop,
    wait_seconds,
)
from intervals_mcp.api.throttle import BURST, REQUESTS_PER_SECOND, Clock, Sleep, Throttle, TokenBucket
from intervals_mcp.errors import IntervalsMCPError

log = logging.getLogger(__name__)

PROJECT_URL = "https://github.com/intervals-mcp/intervals-mcp"
USER_AGENT = f"intervals-mcp/{__version__} (+{PROJECT_URL})"
MIN_SCRUB_LENGTH = 8
QueryValue = str | int | bool
Expect = type[dict[Any, Any]] | type[list[Any]] | None


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
    base_url: str  # as configured, for messages (the base URL is no secret)
    bucket: Throttle
    semaphore: asyncio.Semaphore
    timeout: float
    connect_timeout: float
    clock: Clock
    sleep: Sleep
    rng: random.Random
    secrets: tuple[str, ...] = field(default=(), repr=False)
    request_count: int = 0
    closed: bool = False


def _origin(url: httpx.URL) -> str:
    """`scheme://host:port` of a URL, for a message; empty when the URL has no host."""
    return shown(url.copy_with(path="/")).rstrip("/") if url.scheme and url.host else ""


class Transport:
    """The request machinery under `IntervalsClient`; use as `async with ...`."""

    def __init__(
        self,
        base_url: str,
        api_key: SecretStr,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        policy: RetryPolicy | None = None,
        requests_per_second: float = REQUESTS_PER_SECOND,
        burst: int = BURST,
        throttle: Throttle | None = None,
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
            follow_redirects=False,  # followed by hand, only as redirects.may_follow allows
        )
        self._shared = _Shared(
            http=http,
            base_url=shown(http.base_url).rstrip("/"),
            bucket=throttle or TokenBucket(requests_per_second, burst, clock=clock, sleep=sleep),
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

    def with_policy(self, policy: RetryPolicy) -> Self:
        """A view with another retry budget sharing this client's pool, throttle and counter."""
        view = object.__new__(type(self))
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
            f"{type(self).__name__}(base_url={self._shared.base_url!r}, "
            f"policy={self.policy!r}, requests={self._shared.request_count})"
        )

    @property
    def request_count(self) -> int:
        """Requests sent on the wire so far (retries and redirects included), across all views."""
        return self._shared.request_count

    # --- one logical request --------------------------------------------------------------

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
        self,
        method: str,
        path: str,
        params: Mapping[str, QueryValue] | None = None,
        *,
        listing: str | None = None,
    ) -> list[Any]:
        """A list; `listing` names a list of records, where a 404 means a wrong base URL."""
        result = await self._request(method, path, params, expect=list, listing=listing)
        assert isinstance(result, list)
        return result

    async def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, QueryValue] | None = None,
        body: Json | None = None,
        *,
        expect: Expect,
        listing: str | None = None,
    ) -> Json | None:
        """Send one logical request, retrying within this view's policy; return the JSON."""
        shared = self._shared
        policy = self.policy
        started = shared.clock()

        def elapsed() -> float:
            return shared.clock() - started

        def failure(state: RetryCallState) -> BaseException | None:
            return state.outcome.exception() if state.outcome else None

        def retry(state: RetryCallState) -> bool:
            exc = failure(state)
            return exc is not None and is_retryable(exc, method)

        def wait(state: RetryCallState) -> float:
            return wait_seconds(state.attempt_number, failure(state), policy, shared.rng)

        def stop(state: RetryCallState) -> bool:
            return should_stop(
                elapsed(), state.upcoming_sleep, state.attempt_number, policy, failure(state)
            )

        def before_sleep(state: RetryCallState) -> None:
            exc, sleep, number = failure(state), state.upcoming_sleep, state.attempt_number
            log.debug(
                "retrying %s /%s in %.2f s after attempt %d failed with %s (status %s)",
                *(method, path, sleep, number, type(exc).__name__, getattr(exc, "status", None)),
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
                    return await self._attempt(
                        method, path, params, body, expect, listing, attempt, elapsed
                    )
        except IntervalsMCPError as exc:
            raise self._scrub(exc) from None
        raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover

    async def _attempt(
        self,
        method: str,
        path: str,
        params: Mapping[str, QueryValue] | None,
        body: Json | None,
        expect: Expect,
        listing: str | None,
        attempt: int,
        elapsed: Clock,
    ) -> Json | None:
        """One attempt: the request and any redirects it may follow, then its answer."""
        shared = self._shared
        where = f"{method} /{path}"
        async with shared.semaphore:
            request, response = await self._exchange(method, path, params, body, where, attempt, elapsed)
            first_url = request.url
            for _hop in range(MAX_REDIRECTS + 1):
                location = response.headers.get("Location")
                if response.status_code not in REDIRECT_STATUSES or not location:
                    break
                try:
                    target = request.url.join(location)
                except httpx.InvalidURL:
                    break  # no usable target: error_for_status names the redirect
                if not may_follow(method, response.status_code, request.url, target):
                    suggestion = rebased(shared.http.base_url, first_url, target)
                    raise redirect_refused(
                        where,
                        shown(target),
                        shown(suggestion).rstrip("/") if suggestion else None,
                        shared.base_url,
                    )
                if _hop == MAX_REDIRECTS:
                    raise too_many_redirects(where, MAX_REDIRECTS, shown(target), shared.base_url)
                request, response = await self._exchange(
                    method, target, None, body, where, attempt, elapsed
                )
        if request.url != first_url and response.is_success:
            self._remember(first_url, request.url)
        if not response.is_success:
            if response.status_code == 404 and listing:
                raise list_not_found(listing, response.request.url.path, shared.base_url)
            retry_after = parse_retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
            raise error_for_status(
                response.status_code,
                method,
                "/" + path,
                upstream_message(response.content, response.headers.get("Content-Type")),
                retry_after,
            )
        if expect is None:
            return None
        return decode_json(response.content, response.headers.get("Content-Type"), expect, where)

    async def _exchange(
        self,
        method: str,
        url: str | httpx.URL,
        params: Mapping[str, QueryValue] | None,
        body: Json | None,
        where: str,
        attempt: int,
        elapsed: Clock,
    ) -> tuple[httpx.Request, httpx.Response]:
        """Send one request on the wire (throttled) and read its answer; httpx errors are ours."""
        shared = self._shared
        # Throttle inside the semaphore: a slot reserved while queued for the semaphore could
        # otherwise be spent late, in a clump with others.
        waited = await shared.bucket.acquire()
        # Measured after the queueing, so no attempt outlives the call's budget.
        timeout = attempt_timeout(shared.timeout, elapsed(), self.policy)
        limits = httpx.Timeout(timeout, connect=min(shared.connect_timeout, timeout))
        target = f"{where}?{urlencode(params)}" if params else where  # for logs: no secrets
        try:
            request = shared.http.build_request(method, url, params=params, json=body, timeout=limits)
        except httpx.InvalidURL as exc:
            raise error_for_transport(exc, where, shared.base_url, timeout) from None
        shared.request_count += 1
        t0 = shared.clock()
        try:
            response = await shared.http.send(request)
        except httpx.HTTPError as exc:
            log.debug("%s: %s (attempt %d)", target, type(exc).__name__, attempt)
            origin = _origin(request.url) or shared.base_url
            raise error_for_transport(exc, where, origin, timeout) from None
        log.debug(
            "%s -> %d in %.2f s (attempt %d, throttled %.2f s, %.2f s into the call)%s",
            target,
            response.status_code,
            shared.clock() - t0,
            attempt,
            waited,
            elapsed(),
            f" at {shown(request.url)}" if isinstance(url, httpx.URL) else "",
        )
        return request, response

    def _remember(self, requested: httpx.URL, final: httpx.URL) -> None:
        """After a followed redirect, send later requests straight to where it led."""
        http = self._shared.http
        base = rebased(http.base_url, requested, final)
        if base is None or base == http.base_url:
            return
        http.base_url = base
        log.warning(
            "INTERVALS_API_BASE_URL %s redirects to %s: set it to that to skip the redirect.",
            self._shared.base_url,
            shown(base).rstrip("/"),
        )

    def _scrub(self, error: IntervalsMCPError) -> IntervalsMCPError:
        """Belt and braces: an upstream that echoed the key must not carry it into our errors."""
        message = str(error)
        cleaned = message
        for secret in self._shared.secrets:
            cleaned = cleaned.replace(secret, "[redacted]")
        if cleaned != message:
            error.args = (cleaned,)
        return error


__all__ = ["USER_AGENT", "ApiKeyAuth", "QueryValue", "Transport"]
