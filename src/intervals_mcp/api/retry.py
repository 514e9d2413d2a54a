"""When to retry a request to Intervals.icu, and how long to wait first.

Every decision here is a pure function of its arguments (the clock and the random source are
passed in), so the policy is tested directly, without sleeping. `client.py` wires these into
tenacity.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from pydantic import Field
from pydantic.dataclasses import dataclass

from intervals_mcp.errors import (
    InvalidResponseError,
    RateLimitedError,
    UpstreamConnectionError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
    UpstreamUnreachableError,
)

# Methods whose repetition cannot do harm: a read that failed half-way can simply be sent again.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Failures worth another try, but only for safe methods: the server may have acted on a write
# before it failed (5xx) or before the answer was lost (timeout, reset).
_TRANSIENT = (
    UpstreamUnavailableError,
    UpstreamTimeoutError,
    UpstreamConnectionError,
    InvalidResponseError,
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """A retry budget: how long in total, how many attempts, and the backoff curve.

    `total_seconds` bounds the whole call, waits and attempts together: no retry starts unless
    at least `min_attempt_seconds` of the budget remain after its wait, and each attempt's
    timeout is cut to what is left of the budget. A connection that cannot be made at all
    (refused, unknown host) gets at most `connect_attempts` tries within `connect_seconds`:
    it rarely mends within a call, and a sync's long budget must not be spent on it. Each
    figure's bound is checked when a policy is made (a ValueError names the one out of bounds).
    """

    total_seconds: float = Field(default=8.0, gt=0)
    max_attempts: int = Field(default=6, ge=1)
    base_delay: float = Field(default=0.25, ge=0)
    max_delay: float = Field(default=8.0, ge=0)
    max_retry_after: float = Field(default=30.0, ge=0)
    min_attempt_seconds: float = Field(default=1.0, gt=0)
    connect_attempts: int = Field(default=3, ge=1)
    connect_seconds: float = Field(default=3.0, gt=0)


def is_retryable(error: BaseException, method: str) -> bool:
    """Whether `error` from a `method` request may be retried.

    429 and a connection never made always (the server did not act on the request); 5xx,
    timeouts, dropped connections and unreadable bodies only for safe methods; everything else
    (401/403/404/422, a wrong base URL) never.
    """
    if isinstance(error, RateLimitedError | UpstreamUnreachableError):
        return True
    return method.upper() in SAFE_METHODS and isinstance(error, _TRANSIENT)


def backoff_seconds(attempt: int, policy: RetryPolicy, rng: random.Random) -> float:
    """Exponential backoff after failed attempt number `attempt` (1-based), with equal jitter.

    The delay doubles per attempt up to `max_delay`; the wait is uniform in [delay/2, delay],
    so concurrent callers spread out without any wait collapsing to zero.
    """
    exponent = max(attempt - 1, 0)
    # Cap the exponent first: 2**1000 is fine for ints but not for float arithmetic.
    delay = min(policy.max_delay, policy.base_delay * math.pow(2.0, min(exponent, 62)))
    return delay / 2 + rng.uniform(0.0, delay / 2)


def wait_seconds(
    attempt: int, error: BaseException | None, policy: RetryPolicy, rng: random.Random
) -> float:
    """How long to wait after failed attempt `attempt` before the next one.

    A 429 that named a Retry-After is honoured (capped by `max_retry_after`); anything else
    uses the exponential backoff.
    """
    if isinstance(error, RateLimitedError) and error.retry_after is not None:
        return min(max(error.retry_after, 0.0), policy.max_retry_after)
    return backoff_seconds(attempt, policy, rng)


def should_stop(
    elapsed: float,
    next_wait: float,
    attempt: int,
    policy: RetryPolicy,
    error: BaseException | None = None,
) -> bool:
    """Give up after `attempt` attempts and `elapsed` seconds, if the next wait is `next_wait`?

    Stop when the attempts are used up, or when waiting would leave less than
    `min_attempt_seconds` of the total budget for the next attempt; after a connection that
    could not be made (`error`), already when its few tries or seconds are used up.
    """
    if attempt >= policy.max_attempts:
        return True
    if isinstance(error, UpstreamUnreachableError) and (
        attempt >= policy.connect_attempts or elapsed + next_wait > policy.connect_seconds
    ):
        return True
    return elapsed + next_wait + policy.min_attempt_seconds > policy.total_seconds


def attempt_timeout(timeout: float, elapsed: float, policy: RetryPolicy) -> float:
    """The timeout for an attempt starting `elapsed` seconds into the call.

    The configured `timeout`, cut to what remains of the budget, but never below
    `min_attempt_seconds` (nor above `timeout`), so the first attempt of a tiny budget still
    has a chance.
    """
    remaining = policy.total_seconds - elapsed
    floor = min(timeout, policy.min_attempt_seconds)
    return max(min(timeout, remaining), floor)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP-date), or None.

    `now` is an aware datetime (the caller's clock). A date in the past means 0; a value that
    is neither form is ignored (None) rather than trusted.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)
