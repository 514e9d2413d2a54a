"""Fixtures for the cache tests: real SQLite files under tmp_path, asyncio via anyio."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "cache.sqlite3"


@pytest.fixture
async def db(db_path: Path, anyio_backend: str) -> AsyncIterator[Database]:
    database = await Database.open(db_path)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def reader(db: Database) -> AsyncIterator[CacheReader]:
    opened = db.open_reader()
    try:
        yield opened
    finally:
        await opened.aclose()
