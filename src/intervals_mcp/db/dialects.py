"""Where the cache lives, behind a URL, and what each kind of database needs.

`INTERVALS_MCP_DATABASE_URL` names the cache: `sqlite:///PATH` (the default, a file in the
per-user data folder) or, for a team server, `postgresql://user@host:port/db`. Everything
specific to one kind of database sits behind `StorageDialect`, one module per kind (`sqlite.py`,
`postgres.py`); the rest of the
database layer asks `dialect_for(url)` and never tests the kind itself. Adding a database means
a new module implementing this protocol, registered in `_DIALECTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from intervals_mcp.errors import ConfigError, StorageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.ext.asyncio import AsyncEngine

    from intervals_mcp.db.reader import CacheReader


class StorageDialect(Protocol):
    name: str
    @property
    def write_options(self) -> Mapping[str, Any]:
        """Execution options of a write transaction."""

    def describe(self, url: str) -> str:
        """The database as a person names it in a sentence (never a password)."""

    def async_url(self, url: str) -> str:
        """The URL with the async driver this project uses."""

    def prepare(self, url: str) -> None:
        """Make the database reachable and private before anything connects (may raise)."""

    def configure(self, sync_engine: Engine) -> None:
        """Per-connection settings and transaction handling for an engine on this database."""

    def engine_kwargs(self) -> dict[str, Any]:
        """Extra `create_async_engine` arguments."""

    def revision(self, url: str) -> str | None:
        """The Alembic revision without importing Alembic (None: a fresh database)."""

    def migrate(self, url: str, run: Callable[[Connection], None]) -> None:
        """Run `run` on a synchronous connection in one transaction (for Alembic)."""

    def error(self, url: str, exc: BaseException) -> StorageError:
        """One sentence for a failure of this database."""

    def integrity(self, url: str) -> str | None:
        """A cheap check of the stored data: None when sound, else the sentence to show."""

    def reset(self, url: str) -> None:
        """Remove everything cached (the next sync rebuilds it)."""

    def size(self, url: str) -> int | None:
        """Bytes used, when cheap to tell."""

    def exists(self, url: str) -> bool:
        """Whether anything is there yet (reading a missing cache must not create it)."""

    def open_reader(self, url: str, engine: AsyncEngine) -> CacheReader:
        """The reader the tools answer from (see reader.py)."""

    def request_budget(self, url: str, engine: AsyncEngine, key: str, rate: float, burst: int) -> Any:
        """A request budget shared by every process using this database and `key` (an object
        with `async acquire() -> float`, see db/budget.py), or None: each process keeps its own."""


def as_url(where: str | Path) -> str:
    """A database URL; a bare path names a SQLite file."""
    if isinstance(where, Path) or "://" not in where:
        return f"sqlite:///{Path(where).expanduser().absolute()}"
    return where


def dialect_for(url: str) -> StorageDialect:
    """The dialect of a database URL, or a ConfigError naming the setting."""
    scheme = url.split("://", 1)[0].split("+", 1)[0].lower() if "://" in url else ""
    factory = _DIALECTS.get(scheme)
    if factory is None:
        raise ConfigError(
            f"INTERVALS_MCP_DATABASE_URL {scheme + '://...' if scheme else repr(url)} is not a database "
            "this version supports: use sqlite:///PATH or postgresql://user@host:port/db."
        )
    return factory()


def _sqlite() -> StorageDialect:
    from intervals_mcp.db.sqlite import SQLITE

    return SQLITE


def _postgres() -> StorageDialect:
    from intervals_mcp.db.postgres import POSTGRES

    return POSTGRES


_DIALECTS: dict[str, Callable[[], StorageDialect]] = {
    "sqlite": _sqlite,
    "postgresql": _postgres,
    "postgres": _postgres,
}
