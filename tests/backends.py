"""Both databases for the suites that touch the cache: SQLite files and a real PostgreSQL.

`INTERVALS_MCP_TEST_POSTGRES_URL` names a PostgreSQL server the tests may create and drop
databases on (`bash .ci/run` starts a throwaway cluster and sets it). Each test gets its own
database, copied from a template migrated once per session, and dropped afterwards. Without
the variable the PostgreSQL cases skip with a message; with INTERVALS_MCP_REQUIRE_POSTGRES=1
(CI) they fail instead, so CI can never pass without running them.

Test-side checks read either database through SQLAlchemy's synchronous engine
(`sync_engine`): stdlib sqlite3 for files, psycopg for PostgreSQL (a test dependency only).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import Engine, create_engine, pool

from intervals_mcp.db.engine import Database, upgrade_database

POSTGRES_ENV = "INTERVALS_MCP_TEST_POSTGRES_URL"
REQUIRE_ENV = "INTERVALS_MCP_REQUIRE_POSTGRES"
BACKENDS = ("sqlite", "postgresql")
SKIP_REASON = (
    f"PostgreSQL tests need {POSTGRES_ENV}=postgresql://user@host:port/db (a server this user may "
    "create databases on); `bash .ci/run` starts a throwaway one"
)


def with_database(url: str, name: str) -> str:
    """The same server URL naming another database."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.strip("/")


class PostgresCluster:
    """Databases on one PostgreSQL server: a migrated template, then one copy per test."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._prefix = f"t{os.getpid()}"
        self._names = itertools.count()
        self._template: str | None = None

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def template(self) -> str:
        """The name of a database at the current schema (migrated once per session)."""
        if self._template is None:
            name = f"{self._prefix}_template"
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{name}"')
            upgrade_database(with_database(self.admin_url, name))
            self._template = name
        return self._template

    def create(self, *, migrated: bool = True) -> str:
        """A new database's URL: at the current schema, or empty (`migrated=False`)."""
        name = f"{self._prefix}_{next(self._names)}"
        template = self.template() if migrated else "template0"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return with_database(self.admin_url, name)

    def drop(self, url: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')

    def close(self) -> None:
        if self._template is not None:
            self._admin(f'DROP DATABASE IF EXISTS "{self._template}" WITH (FORCE)')


def postgres_cluster() -> PostgresCluster | None:
    """The cluster the environment names; None (skip) or a failure (CI) when it names none."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if url:
        return PostgresCluster(url)
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but {POSTGRES_ENV} is not set: the PostgreSQL tests must run here")
    return None


@contextmanager
def database(
    backend: str, tmp_path: Path, cluster: PostgresCluster | None, *, migrated: bool = True
) -> Iterator[str]:
    """A database URL of `backend` for one test, removed afterwards (SQLite: the test's folder)."""
    if backend == "sqlite":
        path = tmp_path / "cache.sqlite3"
        if migrated:
            upgrade_database(path)
        yield f"sqlite:///{path}"
        return
    if cluster is None:
        pytest.skip(SKIP_REASON)
    url = cluster.create(migrated=migrated)
    try:
        yield url
    finally:
        cluster.drop(url)


@asynccontextmanager
async def opened(where: str | Path) -> AsyncIterator[Database]:
    """The cache at `where`, open (created or migrated first), closed afterwards."""
    db = await Database.open(where)
    try:
        yield db
    finally:
        await db.close()


def sync_url(url: str) -> str:
    """The URL for a synchronous SQLAlchemy engine in a test (psycopg on PostgreSQL)."""
    if url.startswith("sqlite"):
        return url
    return "postgresql+psycopg://" + url.split("://", 1)[1]


@contextmanager
def sync_engine(url: str) -> Iterator[Engine]:
    """A synchronous engine on the test's database, disposed afterwards."""
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


def rows(url: str, sql: str, **params: Any) -> list[Any]:
    """The rows of one SQL statement (named `:params`) on either database."""
    from sqlalchemy import text

    with sync_engine(url) as engine, engine.connect() as conn:
        return list(conn.execute(text(sql), params).all())


def dump(url: str) -> bytes:
    """Everything the database holds, as bytes: the file and its -wal for SQLite, `pg_dump`'s
    plain SQL for PostgreSQL."""
    if url.startswith("sqlite"):
        path = Path(url[len("sqlite:///") :])
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    pg_dump = shutil.which("pg_dump") or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), reverse=True)), None
    )
    if pg_dump is None:
        pytest.fail("pg_dump is not installed: the PostgreSQL dump cannot be checked")
    done = subprocess.run([pg_dump, "--no-owner", url], capture_output=True, check=True)
    return done.stdout


def backend_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


# --- where a test's cache lives: a SQLite file (Path) or a database URL (str) ------------------

Where = Path | str


def sqlite_path(where: Where) -> Path | None:
    """The SQLite file `where` names, or None for another database."""
    if isinstance(where, Path):
        return where
    return Path(where[len("sqlite:///") :]) if where.startswith("sqlite:///") else None


def url_of(where: Where) -> str:
    path = sqlite_path(where)
    return f"sqlite:///{path}" if path is not None else str(where)


def storage_env(where: Where) -> dict[str, str]:
    """The environment that points a child `intervals-mcp` at `where`."""
    path = sqlite_path(where)
    return {"INTERVALS_MCP_DB": str(path)} if path is not None else {"INTERVALS_MCP_DATABASE_URL": str(where)}


def storage_settings(where: Where, spare: Path) -> dict[str, Any]:
    """Settings fields that point at `where`; on PostgreSQL `db_path` is `spare`, a file that
    must never appear."""
    path = sqlite_path(where)
    return {"db_path": path} if path is not None else {"db_path": spare, "database_url_setting": str(where)}


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def as_utc(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value
