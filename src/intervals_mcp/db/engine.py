"""The cache file: creating it owner-only, migrating it, opening the async engine.

`upgrade_database(path)` is synchronous and runs before the event loop starts. Its fast path
reads `alembic_version` with the standard library's sqlite3 and returns without importing
Alembic when the file is already at `HEAD_REVISION`; otherwise it runs `alembic upgrade head`
with the migration scripts found by absolute path (the server may start in `/`).

`Database.open(path)` gives an `AsyncEngine` (aiosqlite) whose every connection is in WAL mode
with a busy timeout, so the `sync` CLI and a running server can share the file. Write
transactions start with `BEGIN IMMEDIATE` (see `Database.write`): taking the write lock up
front means a read-then-write transaction never fails half-way on a lock upgrade.

Any SQLite failure surfaces as a `StorageError` sentence naming the file and what to do.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import stat
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intervals_mcp.errors import StorageError

# SQLAlchemy is imported where it is used, not here: `upgrade_database`'s fast path needs only
# the standard library, and `serve` runs it before answering `initialize` (SQLAlchemy alone
# costs ~0.25 s of start-up).
if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

# The newest migration in migrations/versions; a test checks it matches Alembic's head.
HEAD_REVISION = "0002"

BUSY_TIMEOUT_MS = 15_000
_REPO_ROOT = Path(__file__).resolve().parents[3]
# Top-level migrations/ in a checkout (also what an editable install sees); a wheel would
# need them force-included as intervals_mcp/_migrations.
_MIGRATION_DIRS = (_REPO_ROOT / "migrations", Path(__file__).resolve().parents[1] / "_migrations")
_ALEMBIC_INI = _REPO_ROOT / "alembic.ini"
_SIDE_FILES = ("-wal", "-shm", "-journal")
RESET_HINT = "run `intervals-mcp db reset` to rebuild it"


# --- errors ---------------------------------------------------------------------------------


def storage_error(path: Path, exc: BaseException) -> StorageError:
    """One sentence for a SQLite failure on `path`: damaged, full, busy, not writable, or other."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if any(s in text for s in ("not a database", "malformed", "corrupt")):
        return StorageError(
            f"The cache database {path} is damaged or is not an intervals-mcp database; {RESET_HINT}."
        )
    if "disk is full" in text or "database is full" in text:
        return StorageError(
            f"The disk holding the cache database {path} is full; free some space and run the "
            "command again (what was saved is kept)."
        )
    if "locked" in text or "busy" in text:
        return StorageError(
            f"The cache database {path} is busy (another intervals-mcp process is writing "
            "to it); try again in a moment."
        )
    if any(s in text for s in ("unable to open", "readonly", "read-only", "permission", "disk i/o")):
        return StorageError(
            f"The cache database {path} cannot be opened for writing; check the permissions "
            "of its directory or set INTERVALS_MCP_DB to a writable path."
        )
    if "no such table" in text or "no such column" in text:
        return StorageError(
            f"The cache database {path} does not have the expected tables; "
            "run `intervals-mcp db upgrade`, or run `intervals-mcp db reset` to rebuild it."
        )
    return StorageError(
        f"The cache database {path} failed ({text.strip()[:120]}); {RESET_HINT} if this keeps happening."
    )


# --- the file ---------------------------------------------------------------------------------


def prepare_file(path: Path) -> Path:
    """Create the parent directory and an empty owner-only (0600) file if missing.

    The file is created with os.open(..., 0o600) before SQLite touches it: SQLite then creates
    its -wal and -shm files with the same permissions. An existing file readable by others is
    narrowed to 0600 (the cache holds a person's health data).
    """
    path = Path(path).expanduser().absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            mode = stat.S_IMODE(os.fstat(fd).st_mode)
            if mode & 0o077:
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
    except (FileExistsError, NotADirectoryError):
        raise StorageError(
            f"The cache database {path} cannot be created: part of its directory path is a "
            "file; set INTERVALS_MCP_DB to a path in a directory."
        ) from None
    except OSError as exc:
        raise StorageError(
            f"The cache database {path} cannot be created ({exc.strerror or exc}); check the "
            "permissions of its directory or set INTERVALS_MCP_DB to a writable path."
        ) from None
    return path


def reset_database(path: Path) -> None:
    """Delete the cache file and its -wal/-shm/-journal companions (for `db reset`)."""
    path = Path(path).expanduser().absolute()
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in _SIDE_FILES)):
        try:
            candidate.unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(
                f"The cache database {candidate} cannot be deleted ({exc.strerror or exc}); "
                "stop any running intervals-mcp and delete it by hand."
            ) from None


def apply_pragmas(dbapi_connection: Any, *, foreign_keys: bool = True) -> None:
    """Per-connection settings: WAL, busy timeout, foreign keys, NORMAL sync (safe with WAL)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


# --- migrations -----------------------------------------------------------------------------


def migrations_dir() -> Path:
    """The Alembic script directory, by absolute path (never relative to the working dir)."""
    for candidate in _MIGRATION_DIRS:
        if (candidate / "env.py").is_file():
            return candidate
    raise StorageError(
        "The database migration scripts are missing from this installation; reinstall intervals-mcp."
    )


def alembic_config(path: Path | None = None, connection: Connection | None = None) -> Config:
    """An Alembic Config for `path` (or for an open sync `connection`), from any directory."""
    from alembic.config import Config

    config = Config(str(_ALEMBIC_INI) if _ALEMBIC_INI.is_file() else None, stdout=sys.stderr)
    config.set_main_option("script_location", str(migrations_dir()))
    # The application logs to stderr its own way; alembic.ini's logging is for the CLI only.
    config.attributes["configure_logger"] = False
    if path is not None:
        config.attributes["db_path"] = Path(path)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_connection(connection: Connection) -> None:
    """Run `upgrade head` on an open sync connection (from an async one: `conn.run_sync`)."""
    from alembic import command

    command.upgrade(alembic_config(connection=connection), "head")


def current_revision(path: Path) -> str | None:
    """The file's Alembic revision, None for a fresh file; StorageError if it is not ours."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise storage_error(path, exc) from None
    try:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
            if tables.fetchone()[0]:
                raise StorageError(
                    f"The cache database {path} holds tables that are not intervals-mcp's; "
                    "set INTERVALS_MCP_DB to another file, or run `intervals-mcp db reset` "
                    "to delete it."
                ) from None
            return None
        return str(row[0]) if row else None
    except sqlite3.Error as exc:
        raise storage_error(path, exc) from None
    finally:
        conn.close()


def upgrade_database(path: Path) -> Path:
    """Bring the cache file to the current schema; cheap (no Alembic import) when it is already.

    Synchronous: call it before the event loop starts (or in a worker thread). Returns the
    absolute path of the file.
    """
    path = prepare_file(path)
    if current_revision(path) != HEAD_REVISION:
        _run_alembic_upgrade(path)
    return path


def _run_alembic_upgrade(path: Path) -> None:
    from alembic import command
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import DBAPIError

    try:
        command.upgrade(alembic_config(path), "head")
    except CommandError as exc:
        if "Can't locate revision" in str(exc):
            raise StorageError(
                f"The cache database {path} was written by a newer intervals-mcp; upgrade "
                f"intervals-mcp, or {RESET_HINT}."
            ) from None
        raise StorageError(f"The cache database {path} could not be migrated; {RESET_HINT}.") from exc
    except (DBAPIError, sqlite3.Error) as exc:
        raise storage_error(path, exc) from None


# --- the async engine -----------------------------------------------------------------------


class JSONText(str):
    """JSON text already serialised by the caller: stored as is, not serialised again.

    The repo serialises each payload once (canonically) to hash it; handing that text to the
    JSON column saves a second `json.dumps`, the largest cost of a big upsert.
    """


def serialize_json(value: Any) -> str:
    """The engine's JSON serialiser: `JSONText` passes through, anything else is dumped."""
    if isinstance(value, JSONText):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def open_engine(path: Path) -> AsyncEngine:
    """An aiosqlite engine on `path` with our pragmas and explicit BEGIN handling.

    The driver's own transaction handling is switched off (isolation_level=None) and BEGIN is
    emitted here instead, so a write transaction can ask for `BEGIN IMMEDIATE` through the
    execution option `sqlite_begin="IMMEDIATE"`.
    """
    from sqlalchemy import event
    from sqlalchemy.ext.asyncio import create_async_engine

    path = prepare_file(path)  # owner-only before SQLite creates it
    engine = create_async_engine(
        f"sqlite+aiosqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        json_serializer=serialize_json,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        apply_pragmas(dbapi_connection)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


@dataclass(eq=False)
class Database:
    """The open cache: an AsyncEngine plus the file it serves."""

    path: Path
    engine: AsyncEngine

    @classmethod
    async def open(cls, path: Path, *, upgrade: bool = True) -> Database:
        """Open (creating owner-only and migrating if needed, in a worker thread) the cache.

        With upgrade=False the file must already be at the current schema.
        """
        path = await asyncio.to_thread(upgrade_database if upgrade else prepare_file, path)
        db = cls(path, open_engine(path))
        try:
            async with db.read() as conn:
                version = (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).scalar()
        except StorageError:
            await db.close()
            raise
        if version != HEAD_REVISION:
            await db.close()
            raise StorageError(
                f"The cache database {path} is at schema {version}, not {HEAD_REVISION}; "
                "run `intervals-mcp db upgrade`."
            )
        return db

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
            raise storage_error(self.path, exc) from exc

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction (BEGIN IMMEDIATE): committed at the end, rolled back on error."""
        from sqlalchemy.exc import DBAPIError

        try:
            writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
            async with writer.begin() as conn:
                yield conn
        except DBAPIError as exc:
            raise storage_error(self.path, exc) from exc

    def file_size(self) -> int:
        """Bytes on disk: the database plus its write-ahead log."""
        total = 0
        for candidate in (self.path, Path(f"{self.path}-wal")):
            with suppress(OSError):
                total += candidate.stat().st_size
        return total
