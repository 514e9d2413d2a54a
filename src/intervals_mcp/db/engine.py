"""Opening the cache database and bringing it to the current schema, whatever it is.

`upgrade_database(url)` is synchronous (call it from a worker thread inside an event loop). Its
fast path asks the dialect for the stored Alembic revision without importing Alembic, and
returns when it is already `HEAD_REVISION`; otherwise it runs `alembic upgrade head` with the
migration scripts found by absolute path (the server may start in `/`).

`Database.open(url)` gives the async engine the writes go through, with the dialect's
per-connection settings; `Database.write()` is one transaction with the dialect's write
options (SQLite: BEGIN IMMEDIATE). Every failure surfaces as a `StorageError` sentence.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intervals_mcp.db.dialects import StorageDialect, as_url, dialect_for
from intervals_mcp.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

    from intervals_mcp.db.reader import CacheReader

# The newest migration in migrations/versions; a test checks it matches Alembic's head.
HEAD_REVISION = "0006"

_REPO_ROOT = Path(__file__).resolve().parents[3]
# Top-level migrations/ in a checkout (also what an editable install sees); a wheel carries
# them as intervals_mcp/_migrations.
_MIGRATION_DIRS = (_REPO_ROOT / "migrations", Path(__file__).resolve().parents[1] / "_migrations")
_ALEMBIC_INI = _REPO_ROOT / "alembic.ini"
RESET_HINT = "run `intervals-mcp db reset` to rebuild it"


# --- migrations -----------------------------------------------------------------------------


def migrations_dir() -> Path:
    """The Alembic script directory, by absolute path (never relative to the working dir)."""
    for candidate in _MIGRATION_DIRS:
        if (candidate / "env.py").is_file():
            return candidate
    raise StorageError(
        "The database migration scripts are missing from this installation; reinstall intervals-mcp."
    )


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic Config for the database at `url` (or an open sync `connection`)."""
    from alembic.config import Config

    config = Config(str(_ALEMBIC_INI) if _ALEMBIC_INI.is_file() else None, stdout=sys.stderr)
    config.set_main_option("script_location", str(migrations_dir()))
    # The application logs to stderr its own way; alembic.ini's logging is for the CLI only.
    config.attributes["configure_logger"] = False
    if url is not None:
        config.attributes["url"] = url
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_connection(connection: Connection) -> None:
    """Run `upgrade head` on an open sync connection (from an async one: `conn.run_sync`)."""
    from alembic import command

    command.upgrade(alembic_config(connection=connection), "head")


def upgrade_database(where: str | Path) -> str:
    """Bring the database at `where` (a URL, or a SQLite file's path) to the current schema;
    cheap (no Alembic import) when it is already.

    Returns the URL. Synchronous: before the event loop starts, or in a worker thread.
    """
    url = as_url(where)
    dialect = dialect_for(url)
    dialect.prepare(url)
    if dialect.revision(url) != HEAD_REVISION:
        _run_alembic_upgrade(url, dialect)
    return url


def _run_alembic_upgrade(url: str, dialect: StorageDialect) -> None:
    from alembic import command
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import DBAPIError

    try:
        command.upgrade(alembic_config(url), "head")
    except CommandError as exc:
        if "Can't locate revision" in str(exc):
            raise StorageError(
                f"The cache database {dialect.describe(url)} was written by a newer intervals-mcp; "
                f"upgrade intervals-mcp, or {RESET_HINT}."
            ) from None
        raise StorageError(
            f"The cache database {dialect.describe(url)} could not be migrated; {RESET_HINT}."
        ) from exc
    except DBAPIError as exc:
        raise dialect.error(url, exc) from None
    except StorageError:
        raise
    except Exception as exc:  # the driver's own errors (sqlite3.Error, ...) outside SQLAlchemy
        if type(exc).__module__.split(".")[0] in ("sqlite3", "asyncpg", "psycopg"):
            raise dialect.error(url, exc) from None
        raise


# --- the async engine -----------------------------------------------------------------------


class JSONText(str):
    """JSON text already serialised by the caller: stored as is, not serialised again.

    The writes serialise each payload once (canonically) to hash it; handing that text to the
    JSON column saves a second `json.dumps`, the largest cost of a big upsert.
    """


def serialize_json(value: Any) -> str:
    """The engine's JSON serialiser: `JSONText` passes through, anything else is dumped."""
    if isinstance(value, JSONText):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def open_engine(url: str, dialect: StorageDialect) -> AsyncEngine:
    from sqlalchemy.ext.asyncio import create_async_engine

    dialect.prepare(url)
    engine = create_async_engine(
        dialect.async_url(url), json_serializer=serialize_json, **dialect.engine_kwargs()
    )
    dialect.configure(engine.sync_engine)
    return engine


@dataclass(eq=False)
class Database:
    """The open cache: an async engine on the database a URL names."""

    url: str
    engine: AsyncEngine
    dialect: StorageDialect

    @classmethod
    async def open(cls, where: str | Path, *, upgrade: bool = True) -> Database:
        """Open the cache at `where` (a URL, or a SQLite file's path), creating and migrating
        it if needed, in a worker thread.

        With upgrade=False the database must already be at the current schema.
        """
        url = as_url(where)
        dialect = dialect_for(url)
        if upgrade:
            await asyncio.to_thread(upgrade_database, url)
        db = cls(url, open_engine(url, dialect), dialect)
        try:
            async with db.read() as conn:
                version = (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).scalar()
        except StorageError:
            await db.close()
            raise
        if version != HEAD_REVISION:
            await db.close()
            raise StorageError(
                f"The cache database {db.describe()} is at schema {version}, not {HEAD_REVISION}; "
                "run `intervals-mcp db upgrade`."
            )
        return db

    def describe(self) -> str:
        return self.dialect.describe(self.url)

    def open_reader(self) -> CacheReader:
        return self.dialect.open_reader(self.url, self.engine)

    async def close(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads (one consistent snapshot until the block ends)."""
        from sqlalchemy.exc import DBAPIError

        try:
            async with self.engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            raise self.dialect.error(self.url, exc) from exc

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction: committed at the end, rolled back on error."""
        from sqlalchemy.exc import DBAPIError

        try:
            writer = self.engine.execution_options(**self.dialect.write_options)
            async with writer.begin() as conn:
                yield conn
        except DBAPIError as exc:
            raise self.dialect.error(self.url, exc) from exc

    def size(self) -> int | None:
        return self.dialect.size(self.url)
