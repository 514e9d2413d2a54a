"""Everything only SQLite needs: the file, its pragmas, its locking, its errors, its reader.

- The file is created owner-only (0600) before SQLite touches it, so its -wal and -shm side
  files get the same mode (the cache holds a person's health data).
- Every connection runs in WAL mode with a busy timeout, so `intervals-mcp sync` and a server
  share the file; write transactions start with `BEGIN IMMEDIATE` (the driver's own
  transaction handling is off), so a read-then-write transaction never fails half-way on a
  lock upgrade.
- `PRAGMA data_version` on a connection that never writes moves whenever any other connection
  commits: the reader's cheap generation number.
- SQLite reports trouble in words ("database disk image is malformed", "database is locked"):
  `storage_error` turns them into one sentence naming the file and the way out.

Nothing here imports SQLAlchemy at module level: the server's start-up path must stay light.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intervals_mcp.errors import StorageError
from intervals_mcp.words import plural

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_MS = 15_000
SIDE_FILES = ("-wal", "-shm", "-journal")
RESET_HINT = "run `intervals-mcp db reset` to rebuild it"
SQLITE_PREFIX = "sqlite:///"


def path_of(url: str) -> Path:
    """The absolute file of a `sqlite:///PATH` URL."""
    return Path(url[len(SQLITE_PREFIX) :]).expanduser().absolute()


def url_of(path: Path) -> str:
    return f"{SQLITE_PREFIX}{Path(path).expanduser().absolute()}"


# --- errors -----------------------------------------------------------------------------------


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

    An existing file readable by others is narrowed to 0600. An existing file is never opened
    here: closing any descriptor of a file drops every POSIX lock this process holds on it, so
    SQLite connections already open on it (a second `Database.open` in one process) would lose
    their locks, and another process could then checkpoint and delete the WAL under them.
    """
    path = Path(path).expanduser().absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _narrow(path):
            try:
                os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:  # another process created it meanwhile
                _narrow(path)
    except (FileExistsError, NotADirectoryError):
        raise StorageError(
            f"The cache database {path} cannot be created: part of its directory path is a "
            "file; set INTERVALS_MCP_DB to a path in a directory."
        ) from None
    except IsADirectoryError:
        raise StorageError(
            f"The cache database {path} is a directory: set INTERVALS_MCP_DB to a file's path."
        ) from None
    except PermissionError as exc:
        if path.is_file():
            raise StorageError(
                f"The cache database {path} cannot be read and written ({exc.strerror or exc}): fix "
                "its permissions, or set INTERVALS_MCP_DB to another file."
            ) from None
        raise StorageError(
            f"The cache database {path} cannot be created ({exc.strerror or exc}); check the "
            "permissions of its directory or set INTERVALS_MCP_DB to a writable path."
        ) from None
    except OSError as exc:
        raise StorageError(
            f"The cache database {path} cannot be created ({exc.strerror or exc}); check the "
            "permissions of its directory or set INTERVALS_MCP_DB to a writable path."
        ) from None
    return path


def _narrow(path: Path) -> bool:
    """Make an existing file owner-only (by path, without opening it); False when missing."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(found.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if stat.S_IMODE(found.st_mode) & 0o077:
        os.chmod(path, 0o600)
    return True


def delete_files(path: Path) -> None:
    """Delete the cache file and its -wal/-shm/-journal companions."""
    path = Path(path).expanduser().absolute()
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_FILES)):
        try:
            candidate.unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(
                f"The cache database {candidate} cannot be deleted ({exc.strerror or exc}); "
                "stop any running intervals-mcp and delete it by hand."
            ) from None


def file_size(path: Path) -> int:
    """Bytes on disk: the database plus its write-ahead log."""
    total = 0
    for candidate in (path, Path(f"{path}-wal")):
        with suppress(OSError):
            total += candidate.stat().st_size
    return total


def revision_of(path: Path) -> str | None:
    """The file's Alembic revision through the standard library (no SQLAlchemy import):
    None for a fresh file; StorageError when it is not ours or cannot be read."""
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


def check_integrity(path: Path) -> str | None:
    """`PRAGMA quick_check` (reads every page, skips the index cross-checks): None when ok,
    else the sentence to show. Cheap enough to run after a sync or an upgrade."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(storage_error(path, exc))
    if rows == [("ok",)]:
        return None
    return f"The cache database {path} is damaged ({plural(len(rows), 'problem')} found); {RESET_HINT}."


# --- connections ------------------------------------------------------------------------------


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


def configure_engine(
    sync_engine: Engine, *, foreign_keys: bool = True, immediate: bool = False, transactions: bool = True
) -> None:
    """Our pragmas on every connection, and BEGIN emitted by us: `BEGIN IMMEDIATE` when
    `immediate` or when a transaction asks with the execution option sqlite_begin.
    `transactions=False` (a reader in autocommit) leaves BEGIN out entirely."""
    from sqlalchemy import event

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        apply_pragmas(dbapi_connection, foreign_keys=foreign_keys)

    if not transactions:
        return

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE" if immediate else "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


WRITE_OPTIONS: dict[str, Any] = {"sqlite_begin": "IMMEDIATE"}
"""Execution options of a write transaction: take the write lock up front."""


def data_version(dbapi_connection: Any) -> int:
    """SQLite's count of other connections' commits seen by this connection."""
    row = dbapi_connection.execute("PRAGMA data_version").fetchone()
    return int(row[0])


# --- the dialect ------------------------------------------------------------------------------


class SQLiteDialect:
    """The cache in one SQLite file (see the module docstring)."""

    name = "sqlite"

    @property
    def write_options(self) -> dict[str, Any]:
        return WRITE_OPTIONS

    def describe(self, url: str) -> str:
        return str(path_of(url))

    def async_url(self, url: str) -> str:
        return f"sqlite+aiosqlite:///{path_of(url)}"

    def prepare(self, url: str) -> None:
        prepare_file(path_of(url))

    def configure(self, sync_engine: Engine) -> None:
        configure_engine(sync_engine)

    def engine_kwargs(self) -> dict[str, Any]:
        return {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}

    def revision(self, url: str) -> str | None:
        return revision_of(path_of(url))

    def migrate(self, url: str, run: Any) -> None:
        from sqlalchemy import create_engine, pool

        engine = create_engine(f"sqlite:///{prepare_file(path_of(url))}", poolclass=pool.NullPool)
        # Batch migrations copy and drop tables: foreign keys stay off while they run.
        configure_engine(engine, foreign_keys=False, immediate=True)
        try:
            with engine.connect() as conn:
                run(conn)
                conn.commit()
        finally:
            engine.dispose()

    def error(self, url: str, exc: BaseException) -> StorageError:
        return storage_error(path_of(url), exc)

    def integrity(self, url: str) -> str | None:
        return check_integrity(path_of(url))

    def reset(self, url: str) -> None:
        delete_files(path_of(url))

    def size(self, url: str) -> int | None:
        return file_size(path_of(url))

    def exists(self, url: str) -> bool:
        path = path_of(url)
        return path.is_file() and path.stat().st_size > 0

    def open_reader(self, url: str, engine: Any) -> Any:
        """A synchronous pysqlite connection in autocommit: a read never holds a snapshot, and
        `data_version` moves with every other connection's commit (it never writes itself)."""
        from sqlalchemy import create_engine, pool

        from intervals_mcp.db.reader import SyncConnectionReader

        path = path_of(url)
        sync_engine = create_engine(
            f"sqlite:///{path}", poolclass=pool.StaticPool, connect_args={"check_same_thread": False}
        )
        configure_engine(sync_engine, transactions=False)
        try:
            conn = sync_engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except Exception as exc:
            sync_engine.dispose()
            raise storage_error(path, exc) from None
        return SyncConnectionReader(conn, data_version, lambda exc: storage_error(path, exc))

    def request_budget(self, url: str, engine: Any, key: str, rate: float, burst: int) -> None:
        return None  # one person's machine: each process keeps the client's own bucket


SQLITE = SQLiteDialect()
