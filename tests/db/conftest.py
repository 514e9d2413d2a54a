"""Fixtures for the cache tests: each runs on a real SQLite file and on a real PostgreSQL
database (`database_url`, see tests/backends.py); asyncio via anyio.

`db_path` and `sqlite_db` are for what only the SQLite file has (its mode, WAL, side files).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backends import opened
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "cache.sqlite3"


@pytest.fixture
async def db(database_url: str, anyio_backend: str) -> AsyncIterator[Database]:
    async with opened(database_url) as database:
        yield database


@pytest.fixture
async def sqlite_db(db_path: Path, anyio_backend: str) -> AsyncIterator[Database]:
    async with opened(db_path) as database:
        yield database


@pytest.fixture
async def reader(db: Database) -> AsyncIterator[CacheReader]:
    opened = db.open_reader()
    try:
        yield opened
    finally:
        await opened.aclose()
