"""One politeness budget per Intervals.icu key, shared by every process on one PostgreSQL
database: a token bucket kept in a row of `request_budgets`.

Each request reserves its slot with ONE atomic statement (the same arithmetic as the API
client's in-process `TokenBucket.reserve`, on the database's clock, so processes on several
machines agree), then sleeps until the slot comes up. The row lock makes concurrent
reservations take turns; waiting callers queue in reservation order. The key is a digest
chosen by the caller (never the API key itself).

SQLite processes keep the client's in-process bucket: this statement is PostgreSQL's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from intervals_mcp.errors import StorageError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

_RESERVE = """
INSERT INTO request_budgets AS b (key, tokens, updated)
VALUES (:key, :burst - 1.0, extract(epoch FROM clock_timestamp())::double precision)
ON CONFLICT (key) DO UPDATE SET
    tokens = least(:burst, b.tokens + greatest(0.0, excluded.updated - b.updated) * :rate) - 1.0,
    updated = greatest(b.updated, excluded.updated)
RETURNING tokens
"""


class SharedBudget:
    """`rate` requests per second with bursts of `burst`, across every process using `key`.

    Satisfies the API client's `Throttle` protocol (`await acquire()` -> seconds waited).
    """

    def __init__(
        self,
        engine: AsyncEngine,
        key: str,
        rate: float,
        burst: int,
        error: Callable[[BaseException], StorageError],
        *,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("A request budget needs a positive rate and a burst of at least 1.")
        self.key = key
        self.rate = float(rate)
        self.burst = int(burst)
        self._engine = engine
        self._error = error
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"SharedBudget(rate={self.rate}, burst={self.burst})"

    async def reserve(self) -> float:
        """Take one slot now; the seconds until it comes up (0.0 when one was at hand)."""
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        params = {"key": self.key, "rate": self.rate, "burst": float(self.burst)}
        try:
            async with self._engine.connect() as conn:
                tokens = float((await conn.execute(text(_RESERVE), params)).scalar_one())
                await conn.commit()
        except (DBAPIError, OSError) as exc:
            raise self._error(exc) from None
        return 0.0 if tokens >= 0 else -tokens / self.rate

    async def acquire(self) -> float:
        """Wait for a slot; the seconds waited."""
        wait = await self.reserve()
        if wait > 0:
            await self._sleep(wait)
        return wait
