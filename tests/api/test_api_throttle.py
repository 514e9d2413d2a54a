"""The token bucket's arithmetic, on a hand-driven clock (no real sleeping)."""

from __future__ import annotations

import asyncio
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intervals_mcp.api.throttle import TokenBucket


class ManualClock:
    """A clock that only moves when slept on, recording every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def test_burst_is_free_then_one_slot_per_interval() -> None:
    bucket = TokenBucket(rate=8.0, burst=2)
    waits = [bucket.reserve(0.0) for _ in range(6)]
    assert waits == [0.0, 0.0, 0.125, 0.25, 0.375, 0.5]


def test_tokens_refill_at_the_rate_up_to_the_burst() -> None:
    bucket = TokenBucket(rate=10.0, burst=3)
    assert [bucket.reserve(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.reserve(0.1) == 0.0  # one token came back
    assert bucket.reserve(0.1) == pytest.approx(0.1)
    # A long idle spell refills only up to the burst.
    assert [bucket.reserve(100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.reserve(100.0) == pytest.approx(0.1)


def test_queued_reservations_keep_their_order() -> None:
    bucket = TokenBucket(rate=4.0, burst=1)
    assert bucket.reserve(0.0) == 0.0
    assert bucket.reserve(0.0) == pytest.approx(0.25)
    # Someone arriving a bit later queues behind the earlier reservation.
    assert bucket.reserve(0.1) == pytest.approx(0.4)


@given(
    rate=st.floats(0.5, 50),
    burst=st.integers(1, 10),
    gaps=st.lists(st.floats(0, 0.5), min_size=1, max_size=200),
)
def test_no_window_of_one_second_holds_more_than_burst_plus_rate(
    rate: float, burst: int, gaps: list[float]
) -> None:
    """Whatever the arrival pattern, the granted send times obey the token-bucket bound."""
    bucket = TokenBucket(rate=rate, burst=burst)
    now, sends = 0.0, []
    for gap in gaps:
        now += gap
        sends.append(now + bucket.reserve(now))
    sends.sort()
    limit = burst + rate
    for i, start in enumerate(sends):
        in_window = sum(1 for t in sends[i:] if t <= start + 1.0 - 1e-9)
        assert in_window <= math.floor(limit + 1e-9)


def test_defaults_stay_under_ten_per_second() -> None:
    bucket = TokenBucket(rate=8.0, burst=2)
    sends = sorted(bucket.reserve(0.0) for _ in range(50))
    assert max(sum(1 for t in sends if s <= t <= s + 1.0) for s in sends) <= 10


@pytest.mark.anyio
async def test_acquire_sleeps_for_the_reserved_slot_on_the_injected_clock() -> None:
    clock = ManualClock()
    bucket = TokenBucket(rate=5.0, burst=1, clock=clock, sleep=clock.sleep)
    waited = [await bucket.acquire() for _ in range(3)]
    assert waited == [0.0, pytest.approx(0.2), pytest.approx(0.4)]
    assert clock.sleeps == [pytest.approx(0.2), pytest.approx(0.4)]


@pytest.mark.anyio
async def test_concurrent_acquirers_get_distinct_slots() -> None:
    clock = ManualClock()
    bucket = TokenBucket(rate=10.0, burst=2, clock=clock, sleep=clock.sleep)
    waited = await asyncio.gather(*(bucket.acquire() for _ in range(6)))
    assert sorted(waited) == pytest.approx([0.0, 0.0, 0.1, 0.2, 0.3, 0.4])


def test_rejects_nonsense_and_has_a_plain_repr() -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1)
    with pytest.raises(ValueError):
        TokenBucket(rate=1, burst=0)
    assert repr(TokenBucket(rate=8, burst=2)) == "TokenBucket(rate=8.0, burst=2)"
