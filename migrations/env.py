"""Alembic environment for the intervals-mcp cache (tables from SQLModel.metadata).

Synchronous: the application runs migrations outside its event loop (in a worker thread, see
`intervals_mcp.db.engine.upgrade_database`). Async code can still migrate an open database: pass
a sync connection in `config.attributes["connection"]` (from an AsyncConnection:
`await conn.run_sync(upgrade_connection)`).

Which database: `config.attributes["url"]` (set by the application), else `-x url=URL` or
`-x db=PATH` (a SQLite file) on the alembic command line, else the configured cache
(INTERVALS_MCP_DATABASE_URL, INTERVALS_MCP_DB or the per-user default). How to connect to it
(pragmas, locking, drivers) is the dialect's business (`intervals_mcp.db.dialects`); batch
mode (copy-and-move table changes) is used on SQLite only, which cannot ALTER most things.
"""

from __future__ import annotations

import warnings
from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from intervals_mcp.db import models as _models  # noqa: F401  (registers the tables)
from intervals_mcp.db.dialects import dialect_for
from intervals_mcp.db.sqlite import url_of

config = context.config
# Migration 0003 keeps `autoincrement=False` on an altered key; Alembic's PostgreSQL backend warns
# that only MySQL reads it. Harmless: keep it off the console.
warnings.filterwarnings("ignore", message="autoincrement and existing_autoincrement only make sense")
target_metadata = SQLModel.metadata

if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name)


def _url() -> str:
    if "url" in config.attributes:
        return str(config.attributes["url"])
    given = context.get_x_argument(as_dictionary=True)
    if given.get("url"):
        return given["url"]
    if given.get("db"):
        return url_of(Path(given["db"]))
    from intervals_mcp.config import load_settings

    return load_settings().database_url


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # DDL is transactional (SQLite once the driver stops managing BEGIN): a failed
        # upgrade leaves the database at its old revision instead of half-migrated.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        render_as_batch=url.startswith("sqlite"),
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    url = _url()
    dialect_for(url).migrate(url, _run_on)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
