"""A client-side token bucket, so we stay under Intervals.icu's limit of about 10 requests/s.

Callers reserve a slot and sleep until it comes up, so waiting callers are served in order and
never race for a token. In any window of one second the bucket lets through at most
`burst + rate` requests: with the defaults (8/s, burst 2) that is 10, the upstream limit.
The clock and the sleep are injectable, so the arithmetic is tested without sleeping.

The client takes any `Throttle`: this in-process bucket by default, or a budget shared by
several processes (a team server wires one kept in its PostgreSQL database, see
`sync/factory.py`), so all processes using one key stay under the limit together.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

REQUESTS_PER_SECOND = 8.0
BURST = 2
"""The client's default pace: at most BURST + REQUESTS_PER_SECOND = 10 requests in any second."""


class Throttle(Protocol):
    """What paces the client's requests: wait for a slot, say how long it waited."""

    async def acquire(self) -> float: ...


class TokenBucket:
    """`rate` tokens per second, holding at most `burst`; one token per request."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("TokenBucket rate must be positive")
        if burst < 1:
            raise ValueError("TokenBucket burst must be at least 1")
        self.rate = float(rate)
        self.burst = int(burst)
        self._clock = clock
        self._sleep = sleep
        # Tokens may go negative: that is the queue of callers who reserved future slots.
        self._tokens = float(burst)
        self._updated: float | None = None

    def __repr__(self) -> str:
        return f"TokenBucket(rate={self.rate}, burst={self.burst})"

    def reserve(self, now: float) -> float:
        """Take one token at time `now`; return how many seconds to wait before using it."""
        if self._updated is not None and now > self._updated:
            self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
        if self._updated is None or now > self._updated:
            self._updated = now
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    async def acquire(self) -> float:
        """Wait for a slot; return the seconds waited (0.0 when a token was at hand)."""
        wait = self.reserve(self._clock())
        if wait > 0:
            await self._sleep(wait)
        return wait
