"""Alembic environment for the intervals-mcp cache (SQLite, tables from SQLModel.metadata).

Synchronous on purpose: migrations run before the server's event loop starts
(`intervals_mcp.db.engine.upgrade_database`), so no `asyncio.run` is needed here. Async code
can still migrate an open database: pass a sync connection in `config.attributes["connection"]`
(from an AsyncConnection: `await conn.run_sync(upgrade_connection)`).

Which database: `config.attributes["db_path"]` (set by the application), else `-x db=PATH` on
the alembic command line, else the configured cache file (INTERVALS_MCP_DB or the default).
"""

from __future__ import annotations

from logging.config import fileConfig
from pathlib import Path
from typing import Any

from alembic import context
from sqlalchemy import create_engine, event, pool
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from intervals_mcp.db import models as _models  # noqa: F401  (registers the tables)
from intervals_mcp.db.engine import apply_pragmas, prepare_file

config = context.config
target_metadata = SQLModel.metadata

if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name)


def _db_path() -> Path:
    if "db_path" in config.attributes:
        return Path(config.attributes["db_path"])
    given = context.get_x_argument(as_dictionary=True).get("db")
    if given:
        return Path(given).expanduser().absolute()
    from intervals_mcp.config import load_settings

    return load_settings().db_path


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        # SQLite DDL is transactional once the driver stops managing BEGIN: a failed upgrade
        # leaves the file at its old revision instead of half-migrated.
        transactional_ddl=True,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=f"sqlite:///{_db_path()}", literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    path = prepare_file(_db_path())
    engine = create_engine(f"sqlite:///{path}", poolclass=pool.NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # Batch migrations copy and drop tables: foreign keys stay off while they run.
        apply_pragmas(dbapi_connection, foreign_keys=False)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        with engine.connect() as conn:
            _run_on(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
