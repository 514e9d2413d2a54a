"""The retry policy's pure decisions, tested directly and without sleeping."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intervals_mcp.api.retry import (
    RetryPolicy,
    attempt_timeout,
    backoff_seconds,
    is_retryable,
    parse_retry_after,
    should_stop,
    wait_seconds,
)
from intervals_mcp.errors import (
    AuthenticationError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    UpstreamConnectionError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
    UpstreamUnreachableError,
)

NOW = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC)
TRANSIENT = [
    UpstreamUnavailableError(status=503),
    UpstreamTimeoutError(),
    UpstreamConnectionError(),
    InvalidResponseError(),
]
NEVER = [
    AuthenticationError(status=401),
    AuthenticationError(status=403),
    NotFoundError(status=404),
    InvalidRequestError(status=422),
    ValueError("a bug of ours is not an upstream hiccup"),
]


class Highest(random.Random):
    """A random source that always draws the top of the range (worst-case jitter)."""

    def uniform(self, a: float, b: float) -> float:
        return b


class Lowest(random.Random):
    def uniform(self, a: float, b: float) -> float:
        return a


# --- is_retryable ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "get", "POST", "PUT", "DELETE"])
def test_429_is_always_retried_because_the_server_did_not_act(method: str) -> None:
    assert is_retryable(RateLimitedError(retry_after=1.0), method)


@pytest.mark.parametrize("error", TRANSIENT, ids=lambda e: type(e).__name__)
def test_transient_failures_are_retried_for_reads(error: Exception) -> None:
    assert is_retryable(error, "GET")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
@pytest.mark.parametrize("error", TRANSIENT, ids=lambda e: type(e).__name__)
def test_transient_failures_are_not_retried_for_writes(error: Exception, method: str) -> None:
    assert not is_retryable(error, method)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("error", NEVER, ids=lambda e: f"{type(e).__name__}-{e}")
def test_client_errors_are_never_retried(error: Exception, method: str) -> None:
    assert not is_retryable(error, method)


# --- backoff and waits ----------------------------------------------------------------------


def test_backoff_doubles_with_jitter_between_half_and_full_delay() -> None:
    policy = RetryPolicy(base_delay=0.25, max_delay=8.0)
    assert [backoff_seconds(n, policy, Highest()) for n in range(1, 8)] == [
        0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0,
    ]
    assert [backoff_seconds(n, policy, Lowest()) for n in range(1, 5)] == [0.125, 0.25, 0.5, 1.0]


def test_backoff_jitter_spreads_waits_within_bounds() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=60.0)
    rng = random.Random(7)
    waits = [backoff_seconds(3, policy, rng) for _ in range(200)]
    assert all(2.0 <= w <= 4.0 for w in waits)
    assert len(set(waits)) > 150  # really jittered, not a constant


def test_backoff_survives_huge_attempt_numbers() -> None:
    assert backoff_seconds(10_000, RetryPolicy(max_delay=8.0), Highest()) == 8.0


def test_wait_honours_retry_after_capped_by_policy() -> None:
    policy = RetryPolicy(max_retry_after=30.0)
    rng = Highest()
    assert wait_seconds(1, RateLimitedError(retry_after=2.5), policy, rng) == 2.5
    assert wait_seconds(1, RateLimitedError(retry_after=0.0), policy, rng) == 0.0
    assert wait_seconds(1, RateLimitedError(retry_after=3600.0), policy, rng) == 30.0


def test_wait_without_retry_after_uses_backoff() -> None:
    policy = RetryPolicy(base_delay=0.5)
    assert wait_seconds(2, RateLimitedError(retry_after=None), policy, Highest()) == 1.0
    assert wait_seconds(1, UpstreamUnavailableError(), policy, Highest()) == 0.5
    assert wait_seconds(1, None, policy, Highest()) == 0.5


# --- stopping and the budget ----------------------------------------------------------------


def test_stop_when_attempts_are_used_up() -> None:
    policy = RetryPolicy(total_seconds=100, max_attempts=3)
    assert not should_stop(0.0, 0.1, 2, policy)
    assert should_stop(0.0, 0.1, 3, policy)


def test_stop_when_the_next_wait_would_leave_no_time_for_an_attempt() -> None:
    policy = RetryPolicy(total_seconds=8.0, max_attempts=100, min_attempt_seconds=1.0)
    assert not should_stop(elapsed=2.0, next_wait=5.0, attempt=1, policy=policy)
    assert should_stop(elapsed=2.0, next_wait=5.5, attempt=1, policy=policy)
    assert should_stop(elapsed=0.0, next_wait=30.0, attempt=1, policy=policy)


def test_nothing_listening_gets_a_couple_of_quick_tries_not_the_whole_budget() -> None:
    patient = RetryPolicy(total_seconds=120.0, max_attempts=10, connect_attempts=3, connect_seconds=3.0)
    refused = UpstreamUnreachableError()
    assert not should_stop(0.1, 0.2, 1, patient, refused)
    assert not should_stop(0.4, 0.4, 2, patient, refused)
    assert should_stop(0.9, 0.8, 3, patient, refused)  # attempts used up
    assert should_stop(2.5, 1.0, 2, patient, refused)  # the few seconds used up
    assert not should_stop(2.5, 1.0, 2, patient, UpstreamConnectionError())  # a reset: the budget


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_a_request_that_never_reached_the_server_may_be_sent_again_even_a_write(method: str) -> None:
    assert is_retryable(UpstreamUnreachableError(), method)
    assert not is_retryable(UpstreamConnectionError(), method)  # a reset may come after the write


def test_attempt_timeout_is_cut_to_the_remaining_budget_with_a_floor() -> None:
    policy = RetryPolicy(total_seconds=8.0, min_attempt_seconds=1.0)
    assert attempt_timeout(30.0, 0.0, policy) == 8.0
    assert attempt_timeout(30.0, 5.5, policy) == 2.5
    assert attempt_timeout(30.0, 7.9, policy) == 1.0
    assert attempt_timeout(0.5, 0.0, policy) == 0.5
    assert attempt_timeout(0.5, 7.9, policy) == 0.5
    long = RetryPolicy(total_seconds=120.0)
    assert attempt_timeout(30.0, 10.0, long) == 30.0


@given(
    total=st.floats(0.1, 300),
    max_attempts=st.integers(1, 20),
    base=st.floats(0, 5),
    max_delay=st.floats(0, 60),
    min_attempt=st.floats(0.05, 5),
    timeout=st.floats(0.05, 60),
    retry_after=st.one_of(st.none(), st.floats(0, 100)),
    seed=st.integers(0, 2**32),
)
def test_worst_case_call_stays_within_the_budget(
    total: float,
    max_attempts: int,
    base: float,
    max_delay: float,
    min_attempt: float,
    timeout: float,
    retry_after: float | None,
    seed: int,
) -> None:
    """Every attempt hangs until its timeout: the whole call still ends inside the budget."""
    policy = RetryPolicy(
        total_seconds=total,
        max_attempts=max_attempts,
        base_delay=base,
        max_delay=max_delay,
        min_attempt_seconds=min_attempt,
    )
    rng = random.Random(seed)
    error = RateLimitedError(retry_after=retry_after)
    elapsed, attempt = 0.0, 1
    while True:
        elapsed += attempt_timeout(timeout, elapsed, policy)
        wait = wait_seconds(attempt, error, policy, rng)
        if should_stop(elapsed, wait, attempt, policy):
            break
        elapsed += wait
        attempt += 1
    assert attempt <= max_attempts
    first_attempt_floor = min(timeout, min_attempt)
    assert elapsed <= max(total, first_attempt_floor) + 1e-9


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(connect_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(connect_seconds=0)
    with pytest.raises(ValueError):
        RetryPolicy(total_seconds=0)
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(base_delay=-1)
    with pytest.raises(ValueError):
        RetryPolicy(min_attempt_seconds=0)


# --- Retry-After ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        (" 1.5 ", 1.5),
        ("0", 0.0),
        ("-2", 0.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
    ],
)
def test_retry_after_seconds(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, NOW) == expected


def test_retry_after_http_date_is_relative_to_the_given_clock() -> None:
    later = NOW + timedelta(seconds=42)
    header = later.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(header, NOW) == 42.0
    assert parse_retry_after(header, NOW + timedelta(minutes=5)) == 0.0
