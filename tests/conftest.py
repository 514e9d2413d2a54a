"""Fixtures every suite may use: the database backends (see backends.py).

`database_url` runs a test once per backend (`[sqlite]`, `[postgresql]`): a migrated SQLite file
under the test's folder, or a fresh PostgreSQL database dropped afterwards. This folder is on
sys.path, so suites import `backends` directly.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from backends import BACKENDS, PostgresCluster, database, postgres_cluster


def pytest_configure(config: pytest.Config) -> None:
    """Tests press Ctrl-C on the processes they start. A shell that runs pytest in the
    background (`uv run pytest &`) starts it with SIGINT ignored, and processes inherit an
    ignored signal: those children would never see the Ctrl-C. Take SIGINT back."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster | None]:
    """The PostgreSQL server tests may use (None: not configured here, its cases skip)."""
    cluster = postgres_cluster()
    try:
        yield cluster
    finally:
        if cluster is not None:
            cluster.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, postgres: PostgresCluster | None) -> Iterator[str]:
    """A database at the current schema for this test, on each backend."""
    with database(backend, tmp_path, postgres) as url:
        yield url


@pytest.fixture
def fresh_database_url(backend: str, tmp_path: Path, postgres: PostgresCluster | None) -> Iterator[str]:
    """An empty database for this test (no tables yet: the first `intervals-mcp` creates them),
    on each backend."""
    with database(backend, tmp_path, postgres, migrated=False) as url:
        yield url
