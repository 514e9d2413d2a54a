"""Everything only PostgreSQL needs (a team server): its URL, driver, locking, errors, reader.

- `INTERVALS_MCP_DATABASE_URL=postgresql://user@host:port/db` is a plain URL; the project
  picks its driver (asyncpg), also for Alembic, which runs on an async connection here.
- Every write transaction starts by bumping the one row of `cache_generation`: that row lock
  makes write transactions take turns, like SQLite's `BEGIN IMMEDIATE` (so a read-then-write
  transaction sees everything committed before it, in any process), and its value is the
  generation every reader compares (it moves whenever anyone commits). Reads never wait.
- Migrations take an advisory lock first, so several processes starting on a fresh database
  migrate it once.
- Failures become one sentence naming the database (never its password) and the way out.

Nothing here imports SQLAlchemy or asyncpg at module level: the server's start-up path must
stay light.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from intervals_mcp.errors import ConfigError, StorageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.ext.asyncio import AsyncEngine

    from intervals_mcp.db.budget import SharedBudget
    from intervals_mcp.db.reader import EngineReader

T = TypeVar("T")

SCHEMES = ("postgresql", "postgres")
WRITE_OPTION = "intervals_write"
WRITE_OPTIONS: dict[str, Any] = {WRITE_OPTION: True}
"""Execution options of a write transaction: bump the generation (and so take the write turn)."""
BUMP_GENERATION = "UPDATE cache_generation SET value = value + 1 WHERE id = 1"
MIGRATION_LOCK = 0x696E74657276616C  # any fixed 64-bit number: "interval" in ASCII
UPGRADE_HINT = "run `intervals-mcp db upgrade`"


# --- the URL ------------------------------------------------------------------------------------


def _split(url: str) -> Any:
    parts = urlsplit(url)
    if parts.scheme.split("+", 1)[0].lower() not in SCHEMES or not parts.path.strip("/"):
        raise ConfigError(
            "INTERVALS_MCP_DATABASE_URL must name a PostgreSQL database like "
            "postgresql://user@host:5432/intervals."
        )
    return parts


def plain_url(url: str) -> str:
    """The URL as libpq and asyncpg read it: `postgresql://...`, whatever driver it named."""
    parts = _split(url)
    return str(urlunsplit(parts._replace(scheme="postgresql")))


def describe(url: str) -> str:
    """`postgresql://user@host:port/db`: the password is never shown."""
    parts = _split(url)
    host = parts.hostname or "localhost"
    where = f"[{host}]" if ":" in host else host
    if parts.port:
        where += f":{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return f"postgresql://{user}{where}{parts.path}"


# --- running async work from synchronous code ---------------------------------------------------


def run_blocking(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run `work()` to completion from synchronous code: here when no event loop runs in this
    thread, else in a short-lived thread of its own (the caller blocks either way)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work())
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(work())
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="intervals-mcp-postgres")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


# --- errors -------------------------------------------------------------------------------------


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        stack.extend([getattr(current, "orig", None), current.__cause__, current.__context__])
    return seen


def _sqlstate(exc: BaseException) -> str:
    for cause in _causes(exc):
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(state, str) and state:
            return state
    return ""


def storage_error(url: str, exc: BaseException) -> StorageError:
    """One sentence for a PostgreSQL failure: unreachable, refused, missing, full, busy, other."""
    where = describe(url)
    state = _sqlstate(exc)
    text = " ".join(str(c) for c in _causes(exc)).lower()
    if state in ("28P01", "28000") or "password authentication" in text:
        return StorageError(
            f"The cache database {where} refused the user name or password; fix "
            "INTERVALS_MCP_DATABASE_URL."
        )
    if state == "3D000":
        return StorageError(
            f"The cache database {where} does not exist; create it (`createdb`) or fix "
            "INTERVALS_MCP_DATABASE_URL."
        )
    if state in ("42P01", "42703"):
        return StorageError(f"The cache database {where} does not have the expected tables; {UPGRADE_HINT}.")
    if state.startswith("53"):  # insufficient resources: disk full, out of memory, too many connections
        return StorageError(
            f"The cache database {where} is out of resources ({_first_line(exc)}); free disk space "
            "or connections and try again (what was saved is kept)."
        )
    if state in ("40001", "40P01", "55P03", "57014"):
        return StorageError(f"The cache database {where} is busy; try again in a moment.")
    if state.startswith(("08", "57P")) or any(isinstance(c, OSError) for c in _causes(exc)):
        return StorageError(
            f"The cache database {where} cannot be reached; check that PostgreSQL is running "
            "and INTERVALS_MCP_DATABASE_URL."
        )
    return StorageError(f"The cache database {where} failed ({_first_line(exc)}); try again in a moment.")


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:120]


def _is_driver_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) or type(exc).__module__.split(".")[0] in ("asyncpg", "sqlalchemy")


# --- the database -------------------------------------------------------------------------------


async def _connect(url: str) -> Any:
    import asyncpg

    try:
        return await asyncpg.connect(plain_url(url), timeout=10)
    except Exception as exc:
        if _is_driver_error(exc):
            raise storage_error(url, exc) from None
        raise


async def _revision(url: str) -> str | None:
    conn = await _connect(url)
    try:
        if await conn.fetchval("SELECT to_regclass('alembic_version') IS NOT NULL"):
            return str(await conn.fetchval("SELECT version_num FROM alembic_version"))
        tables = await conn.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        )
        if tables:
            raise StorageError(
                f"The cache database {describe(url)} holds tables that are not intervals-mcp's; "
                "point INTERVALS_MCP_DATABASE_URL at an empty database of its own."
            )
        return None
    finally:
        await conn.close()


async def _size(url: str) -> int:
    conn = await _connect(url)
    try:
        return int(await conn.fetchval("SELECT pg_database_size(current_database())"))
    finally:
        await conn.close()


async def _reset(url: str) -> None:
    from sqlmodel import SQLModel

    from intervals_mcp.db import models

    assert models.TABLES  # registered on SQLModel.metadata
    names = [*(t.name for t in SQLModel.metadata.sorted_tables), "alembic_version"]
    conn = await _connect(url)
    try:
        async with conn.transaction():
            for name in names:
                await conn.execute(f'DROP TABLE IF EXISTS "{name}" CASCADE')
    finally:
        await conn.close()


class PostgresDialect:
    """The cache on a PostgreSQL server (see the module docstring)."""

    name = "postgresql"

    @property
    def write_options(self) -> dict[str, Any]:
        return WRITE_OPTIONS

    def describe(self, url: str) -> str:
        return describe(url)

    def async_url(self, url: str) -> str:
        """`postgresql+asyncpg://...`; libpq's `sslmode=` becomes asyncpg's `ssl=` (same values)."""
        parts = urlsplit(plain_url(url))
        query = "&".join(
            "ssl=" + pair.split("=", 1)[1] if pair.startswith("sslmode=") else pair
            for pair in parts.query.split("&")
            if pair
        )
        return str(urlunsplit(parts._replace(scheme="postgresql+asyncpg", query=query)))

    def prepare(self, url: str) -> None:
        _split(url)  # a malformed URL is refused before anything connects

    def configure(self, sync_engine: Engine) -> None:
        from sqlalchemy import event

        @event.listens_for(sync_engine, "begin")
        def _on_begin(conn: Connection) -> None:
            if conn.get_execution_options().get(WRITE_OPTION):
                conn.exec_driver_sql(BUMP_GENERATION)

    def engine_kwargs(self) -> dict[str, Any]:
        # No pre-ping (a round trip per checkout): a connection a restarted server dropped fails
        # one statement, and the pool then replaces every connection it held.
        return {"pool_size": 10, "max_overflow": 10}

    def revision(self, url: str) -> str | None:
        return run_blocking(lambda: _revision(url))

    def migrate(self, url: str, run: Callable[[Connection], None]) -> None:
        from sqlalchemy import pool, text
        from sqlalchemy.ext.asyncio import create_async_engine

        async def migrate() -> None:
            engine = create_async_engine(self.async_url(url), poolclass=pool.NullPool)
            try:
                async with engine.connect() as conn:
                    # One process migrates at a time; the others then find the work done.
                    await conn.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                    await conn.run_sync(run)
                    await conn.commit()
            finally:
                await engine.dispose()

        run_blocking(migrate)

    def error(self, url: str, exc: BaseException) -> StorageError:
        return storage_error(url, exc)

    def integrity(self, url: str) -> str | None:
        return None  # PostgreSQL checks its own pages; nothing cheap to add

    def reset(self, url: str) -> None:
        run_blocking(lambda: _reset(url))

    def size(self, url: str) -> int | None:
        return run_blocking(lambda: _size(url))

    def exists(self, url: str) -> bool:
        return self.revision(url) is not None

    def open_reader(self, url: str, engine: AsyncEngine) -> EngineReader:
        from sqlalchemy import select

        from intervals_mcp.db.reader import EngineReader
        from intervals_mcp.db.resources import GENERATION

        stmt = select(GENERATION.c.value).where(GENERATION.c.id == 1)
        return EngineReader(engine, stmt, lambda exc: storage_error(url, exc))

    def request_budget(
        self, url: str, engine: AsyncEngine, key: str, rate: float, burst: int
    ) -> SharedBudget:
        from intervals_mcp.db.budget import SharedBudget

        return SharedBudget(engine, key, rate, burst, lambda exc: storage_error(url, exc))


POSTGRES = PostgresDialect()
