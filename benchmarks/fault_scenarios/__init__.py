"""The fault scenarios behind `benchmarks/faults.py`: a small registry any module can add to.

A scenario is an async function taking the `Lab` (a running fake Intervals.icu, a scratch
directory, helpers to open a sync service or an in-process MCP client) and returning one `Row`
of the table. Register it with `@scenario("group")`; every module of this package is imported
by `benchmarks/faults.py`, so a new file here is all it takes to add rows:

    from fault_scenarios import Lab, Row, scenario

    @scenario("process")
    async def killed_mid_sync(lab: Lab) -> Row:
        ...
        return Row("SIGKILL mid-sync", "kill -9 after 3 windows", "next sync resumed", requests, seconds)
"""

from __future__ import annotations

import copy
import itertools
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mcp import Client
from pydantic import SecretStr

from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.config import Settings
from intervals_mcp.db.engine import Database
from intervals_mcp.db.reader import CacheReader
from intervals_mcp.fake import FakeIntervals, FakeStore
from intervals_mcp.server.app import build_server

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from sync.helpers import Harness, harness

KEY = "bench-key"
ATHLETE = "i12345"
TODAY = date.today()


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    scenario: str
    injected: str
    outcome: str
    requests: int | None  # requests that reached the fake (None: nothing could be counted)
    seconds: float
    group: str = ""


Scenario = Callable[["Lab"], Awaitable[Row]]
SCENARIOS: list[tuple[str, Scenario]] = []


def scenario(group: str) -> Callable[[Scenario], Scenario]:
    """Register an async scenario under `group` (rows are printed in registration order)."""

    def register(fn: Scenario) -> Scenario:
        SCENARIOS.append((group, fn))
        return fn

    return register


def clone(store: FakeStore) -> FakeStore:
    """An independent copy of a store, so a scenario may edit "upstream" freely."""
    with store.lock:
        return FakeStore(
            copy.deepcopy(store.athlete),
            copy.deepcopy(list(store.activities.values())),
            copy.deepcopy(list(store.wellness.values())),
            copy.deepcopy(list(store.events.values())),
            today=store.today,
            fitness_start=store.fitness_start,
            intervals=copy.deepcopy(store.intervals),
        )


def closed_port_url() -> str:
    """A loopback base URL nothing listens on (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v1"


def short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Lab:
    """What every scenario gets: the fake, a scratch directory, ways to reach both."""

    fake: FakeIntervals
    base: FakeStore
    tmp: Path
    request_timeout: float = 0.5
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def fresh(self) -> None:
        """A new copy of the athlete upstream, no faults, no latency, an empty request log."""
        self.fake.store = clone(self.base)
        self.fake.reset()
        self.fake.clear_log()

    def db_path(self) -> Path:
        return self.tmp / f"cache-{next(self._ids)}.sqlite3"

    def settings(self, db_path: Path, **update: Any) -> Settings:
        base = Settings(
            api_key=SecretStr(KEY),
            athlete_id=ATHLETE,
            base_url=self.fake.base_url,
            db_path=db_path,
            tool_retry_seconds=1.5,
            request_timeout=self.request_timeout,
        )
        return base.model_copy(update=update)

    @asynccontextmanager
    async def service(
        self, db_path: Path, *, base_url: str | None = None, budget: float = 3.0
    ) -> AsyncIterator[tuple[Harness, CacheReader, IntervalsClient]]:
        """A sync service over a real SQLite file and a real client with a short retry budget."""
        url = base_url or self.fake.base_url
        db = await Database.open(db_path)
        reader = db.open_reader()
        try:
            async with IntervalsClient(
                url,
                SecretStr(KEY),
                timeout=self.request_timeout,
                policy=RetryPolicy(
                    total_seconds=budget, base_delay=0.05, max_delay=0.2, min_attempt_seconds=0.2
                ),
            ) as client:
                yield harness(db, reader, client, self.settings(db_path, base_url=url)), reader, client
        finally:
            await reader.aclose()
            await db.close()

    @asynccontextmanager
    async def tools(self, db_path: Path, **update: Any) -> AsyncIterator[Client]:
        """The real MCP client talking to the server in process."""
        async with Client(build_server(self.settings(db_path, **update))) as client:  # type: ignore[arg-type]
            yield client


class Stopwatch:
    def __init__(self) -> None:
        self.began = time.monotonic()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.began


def tool_text(result: Any) -> str:
    return "\n".join(c.text for c in result.content if getattr(c, "type", "") == "text")
