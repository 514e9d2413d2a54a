"""The service's rate limit: a token bucket (about 10 requests/s per IP with a short burst)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Requests per second, burst size, and the `Retry-After` seconds sent with 429 (None: no header)."""

    per_second: float = 10.0
    burst: int = 20
    retry_after: float | None = 1.0


class TokenBucket:
    """Thread-safe token bucket; `clock` is injectable so the arithmetic is testable without sleeping."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._tokens = float(limit.burst)
        self._stamp = clock()
        self._lock = threading.Lock()

    def try_acquire(self) -> bool:
        """Take one token if there is one; False means the request is over the limit."""
        with self._lock:
            now = self._clock()
            elapsed = max(0.0, now - self._stamp)
            self._stamp = now
            self._tokens = min(float(self.limit.burst), self._tokens + elapsed * self.limit.per_second)
            if self._tokens >= 1.0 - 1e-9:  # float dust from the refill arithmetic
                self._tokens -= 1.0
                return True
            return False
