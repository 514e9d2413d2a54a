"""What tools and freshness checks read through: the query layer's statements, executed.

`CacheReader` runs a SQLAlchemy Core statement (from `queries.py`) and says the database's
generation, a number that moves whenever anyone commits. Two implementations run the same
statements:

- `SyncConnectionReader`: one synchronous connection held open in autocommit, used where a
  query costs tens of microseconds (SQLite beside the server); running it on the event loop
  is cheaper than the hop to a driver thread, and reads in WAL mode never wait for a writer.
- `EngineReader`: the async engine, for databases reached over the network.

Both keep parsed payloads by digest (`PayloadCache`): a digest names a payload's exact
content, so a kept parse is never stale and a repeated range parses no JSON.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from intervals_mcp.errors import StorageError

if TYPE_CHECKING:
    from sqlalchemy import Executable
    from sqlalchemy.engine import Connection
    from sqlalchemy.ext.asyncio import AsyncEngine

PARSED_PAYLOADS = 4096
"""Parsed payloads kept by digest (~a few years of activities, or a few MB)."""

Params = Mapping[str, Any]


class PayloadCache:
    """Parsed JSON payloads by digest; treat what it returns as read-only."""

    def __init__(self, keep: int = PARSED_PAYLOADS) -> None:
        self._parsed: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._keep = keep

    def parse(self, digest: str, text: str | dict[str, Any]) -> dict[str, Any]:
        parsed = self._parsed.get(digest)
        if parsed is None:
            parsed = text if isinstance(text, dict) else json.loads(text)
            self._parsed[digest] = parsed
            if len(self._parsed) > self._keep:
                self._parsed.popitem(last=False)
        else:
            self._parsed.move_to_end(digest)
        return parsed


class CacheReader(Protocol):
    payloads: PayloadCache

    async def rows(self, stmt: Executable, params: Params) -> Sequence[Any]:
        """The rows of one statement (StorageError on failure)."""

    async def generation(self) -> int:
        """A number that changes whenever any connection, in any process, commits."""

    async def aclose(self) -> None: ...


class SyncConnectionReader:
    """The statements on one synchronous connection, from the thread that opened it."""

    def __init__(
        self,
        conn: Connection,
        generation: Callable[[Any], int],
        error: Callable[[BaseException], StorageError],
    ) -> None:
        self._conn: Connection | None = conn
        self._generation = generation
        self._error = error
        self.payloads = PayloadCache()

    def _open(self) -> Connection:
        if self._conn is None:
            raise StorageError("The cache reader was closed; restart intervals-mcp.")
        return self._conn

    async def rows(self, stmt: Executable, params: Params) -> Sequence[Any]:
        from sqlalchemy.exc import DBAPIError

        try:
            return self._open().execute(stmt, params).all()
        except DBAPIError as exc:
            raise self._error(exc) from None

    async def generation(self) -> int:
        conn = self._open()
        try:
            return self._generation(conn.connection.dbapi_connection)
        except Exception as exc:  # the driver's own error type
            raise self._error(exc) from None

    async def aclose(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            engine = conn.engine
            conn.close()
            engine.dispose()


class EngineReader:
    """The statements on the async engine; the generation from `generation_stmt`."""

    def __init__(
        self,
        engine: AsyncEngine,
        generation_stmt: Executable,
        error: Callable[[BaseException], StorageError],
    ) -> None:
        self._engine = engine
        self._generation_stmt = generation_stmt
        self._error = error
        self.payloads = PayloadCache()

    async def rows(self, stmt: Executable, params: Params) -> Sequence[Any]:
        from sqlalchemy.exc import DBAPIError

        try:
            async with self._engine.connect() as conn:
                return (await conn.execute(stmt, dict(params))).all()
        except (DBAPIError, OSError) as exc:
            raise self._error(exc) from None

    async def generation(self) -> int:
        rows = await self.rows(self._generation_stmt, {})
        return int(rows[0][0]) if rows else 0

    async def aclose(self) -> None:
        return None  # the engine belongs to the Database
