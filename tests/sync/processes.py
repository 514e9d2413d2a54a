"""Helpers for tests that run the sync as a real child process (kill it, race it, read beside
it) and then check the cache against the fake. Used by tests/sync and tests/reliability.

`where` is a SQLite file (a Path) or a database URL (PostgreSQL): see tests/backends.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

from backends import Where, as_date, as_json, as_utc, backend_of, storage_env, sync_engine, url_of
from intervals_mcp.db.resources import SPECS
from intervals_mcp.fake import FakeIntervals, FakeStore, LoggedRequest
from intervals_mcp.fake.routes_activities import listed
from intervals_mcp.sync.windows import FreshnessPolicy, plan_windows, stale_days

from .helpers import API_KEY, ATHLETE, store_range

DRIVER = Path(__file__).with_name("sync_driver.py")
READER = Path(__file__).with_name("read_loop.py")
TABLES = {"activities": "activities", "wellness": "wellness", "events": "events"}


def child_env(fake: FakeIntervals, where: Where) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTERVALS_", "API_KEY", "ATHLETE_ID"))}
    env.update(
        INTERVALS_API_BASE_URL=fake.base_url,
        API_KEY=API_KEY,
        ATHLETE_ID=ATHLETE,
        LOG_LEVEL="WARNING",
        **storage_env(where),
    )
    return env


def start_sync(fake: FakeIntervals, where: Where, cwd: Path) -> subprocess.Popen[str]:
    """`run_sync` of the fake's whole history in a child process (tests/sync/sync_driver.py)."""
    start, end = store_range(fake.store)
    return subprocess.Popen(
        [sys.executable, str(DRIVER), start.isoformat(), end.isoformat()],
        env=child_env(fake, where),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def window_requests(requests: list[LoggedRequest]) -> list[LoggedRequest]:
    """The list requests (date windows) among `requests`: not the athlete's own record."""
    return [r for r in requests if r.path.rstrip("/").endswith(tuple(f"/{name}" for name in TABLES))]


def wait_for_requests(fake: FakeIntervals, n: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while len(fake.requests) < n:
        assert proc.poll() is None, "the sync finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.01)


def expected_by_day(store: FakeStore) -> dict[str, dict[date, dict[str, object]]]:
    """The fake's records per resource and local day, keyed by id as the cache keys them."""
    out: dict[str, dict[date, dict[str, object]]] = {r: {} for r in TABLES}
    with store.lock:
        for a in store.activities.values():
            day = date.fromisoformat(a["start_date_local"][:10])
            out["activities"].setdefault(day, {})[a["id"]] = listed(dict(a))
        for key, w in store.wellness.items():
            out["wellness"].setdefault(date.fromisoformat(key), {})[key] = dict(w)
        for e in store.events.values():
            day = date.fromisoformat(e["start_date_local"][:10])
            out["events"].setdefault(day, {})[str(e["id"])] = dict(e)
    return out


def check_consistent(where: Where, store: FakeStore) -> int:
    """Integrity ok (SQLite), no duplicates, and every covered day holds exactly the fake's
    records. Returns how many covered days were checked."""
    url = url_of(where)
    with sync_engine(url) as engine, engine.connect() as conn:
        if backend_of(url) == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        expected = expected_by_day(store)
        checked = 0
        for resource, table in TABLES.items():
            dupes = conn.execute(
                text(f"SELECT athlete_id, id FROM {table} GROUP BY athlete_id, id HAVING count(*) > 1")
            ).all()
            assert dupes == []
            covered = [
                as_date(d)
                for (d,) in conn.execute(
                    text("SELECT day FROM sync_coverage WHERE athlete_id = :a AND resource = :r"),
                    {"a": ATHLETE, "r": resource},
                )
            ]
            cached: dict[date, dict[str, object]] = {}
            for row_id, day, payload in conn.execute(
                text(f"SELECT id, local_date, payload FROM {table} WHERE athlete_id = :a"), {"a": ATHLETE}
            ):
                cached.setdefault(as_date(day), {})[str(row_id)] = as_json(payload)
            for day in covered:
                assert cached.get(day, {}) == expected[resource].get(day, {}), (resource, day)
            checked += len(covered)
        return checked


def covered_at(where: Where, resource: str) -> dict[date, datetime]:
    """When each covered day of `resource` was fetched, as any reader sees it now."""
    with sync_engine(url_of(where)) as engine, engine.connect() as conn:
        found = conn.execute(
            text("SELECT day, fetched_at FROM sync_coverage WHERE resource = :r"), {"r": resource}
        )
        return {as_date(day): as_utc(at) for day, at in found}


def windows_left(where: Where | None, start: date, end: date) -> int:
    """How many windows a sync of [start, end] still needs, by the stored coverage (None: empty)."""
    total = 0
    for resource in TABLES:
        covered = {} if where is None else covered_at(where, resource)
        today, policy = date.today(), FreshnessPolicy()
        stale = stale_days(start, end, covered, today, datetime.now(UTC), policy)
        total += len(plan_windows(stale, today, policy, SPECS[resource].window_days))
    return total
