"""The sync as a separate process: killed mid-way, interrupted, and read while it writes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.fake import FakeIntervals, FakeStore, generate_athlete
from intervals_mcp.fake.routes_activities import listed
from intervals_mcp.sync.windows import MAX_WINDOW_DAYS, FreshnessPolicy, plan_windows

from .conftest import API_KEY, ATHLETE
from .helpers import clone, store_range

pytestmark = pytest.mark.slow

DRIVER = Path(__file__).with_name("sync_driver.py")
READER = Path(__file__).with_name("read_loop.py")
TABLES = {"activities": "activities", "wellness": "wellness", "events": "events"}


@pytest.fixture(scope="module")
def real_today_store() -> FakeStore:
    """Two years ending on the real today: the child process syncs with the real clock."""
    return generate_athlete(seed=11, years=2, today=date.today(), athlete_id=ATHLETE)


@pytest.fixture
def slow_fake(real_today_store: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(clone(real_today_store), api_key=API_KEY, latency=0.15, rate_limit=None) as fake:
        yield fake


def child_env(fake: FakeIntervals, db_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTERVALS_", "API_KEY", "ATHLETE_ID"))}
    env.update(
        INTERVALS_API_BASE_URL=fake.base_url,
        API_KEY=API_KEY,
        ATHLETE_ID=ATHLETE,
        INTERVALS_MCP_DB=str(db_path),
        LOG_LEVEL="WARNING",
    )
    return env


def start_sync(fake: FakeIntervals, db_path: Path, cwd: Path) -> subprocess.Popen[str]:
    start, end = store_range(fake.store)
    return subprocess.Popen(
        [sys.executable, str(DRIVER), start.isoformat(), end.isoformat()],
        env=child_env(fake, db_path),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


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


def check_consistent(db_path: Path, store: FakeStore) -> int:
    """Integrity ok, no duplicates, and every covered day holds exactly the fake's records.

    Returns how many covered days were checked.
    """
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        expected = expected_by_day(store)
        checked = 0
        for resource, table in TABLES.items():
            dupes = conn.execute(
                f"SELECT athlete_id, id, count(*) FROM {table} GROUP BY athlete_id, id HAVING count(*) > 1"
            ).fetchall()
            assert dupes == []
            covered = [
                date.fromisoformat(d)
                for (d,) in conn.execute(
                    "SELECT day FROM sync_coverage WHERE athlete_id = ? AND resource = ?",
                    (ATHLETE, resource),
                )
            ]
            cached: dict[date, dict[str, object]] = {}
            for row_id, day, payload in conn.execute(
                f"SELECT id, local_date, payload FROM {table} WHERE athlete_id = ?", (ATHLETE,)
            ):
                cached.setdefault(date.fromisoformat(day), {})[str(row_id)] = json.loads(payload)
            for day in covered:
                assert cached.get(day, {}) == expected[resource].get(day, {}), (resource, day)
            checked += len(covered)
        return checked
    finally:
        conn.close()


@pytest.mark.parametrize("kill_after", [1, 4, 9])
def test_sigkill_mid_sync_leaves_a_consistent_cache_and_the_next_sync_resumes(
    slow_fake: FakeIntervals, tmp_path: Path, kill_after: int
) -> None:
    db_path = tmp_path / "cache.sqlite3"
    proc = start_sync(slow_fake, db_path, tmp_path)
    try:
        wait_for_requests(slow_fake, kill_after, proc)
        time.sleep(0.1)  # land somewhere inside a response or a write
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    check_consistent(db_path, slow_fake.store)
    start, end = store_range(slow_fake.store)
    still_to_fetch = windows_left(db_path, start, end)
    print(f"killed after {kill_after} requests: {still_to_fetch} windows left")
    if kill_after > 1:  # the kill landed mid-sync: some windows were saved, some were not
        assert 0 < still_to_fetch < windows_left(None, start, end)
    requests_before = len(slow_fake.requests)

    resumed = start_sync(slow_fake, db_path, tmp_path)
    _, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert check_consistent(db_path, slow_fake.store) == 3 * ((end - start).days + 1)
    # it fetched exactly what was left: the windows finished before the kill stay done
    assert len(slow_fake.requests) - requests_before == still_to_fetch


def windows_left(db_path: Path | None, start: date, end: date) -> int:
    """How many windows a sync of [start, end] still needs, by the coverage on disk (None: empty)."""
    conn = sqlite3.connect(db_path or ":memory:")
    try:
        total = 0
        for resource in TABLES:
            rows = (
                []
                if db_path is None
                else conn.execute(
                    "SELECT day, fetched_at FROM sync_coverage WHERE resource = ?", (resource,)
                ).fetchall()
            )
            covered = {
                date.fromisoformat(day): datetime.fromisoformat(at).replace(tzinfo=UTC) for day, at in rows
            }
            total += len(
                plan_windows(
                    start,
                    end,
                    covered,
                    date.today(),
                    datetime.now(UTC),
                    FreshnessPolicy(),
                    MAX_WINDOW_DAYS[resource],
                )
            )
        return total
    finally:
        conn.close()


def test_ctrl_c_exits_130_and_says_the_next_sync_resumes(slow_fake: FakeIntervals, tmp_path: Path) -> None:
    db_path = tmp_path / "cache.sqlite3"
    proc = start_sync(slow_fake, db_path, tmp_path)
    try:
        wait_for_requests(slow_fake, 3, proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "resumes" in err and out == ""
    check_consistent(db_path, slow_fake.store)


def test_reading_while_another_process_syncs_never_meets_a_locked_database(
    slow_fake: FakeIntervals, tmp_path: Path
) -> None:
    db_path = tmp_path / "cache.sqlite3"
    upgrade_database(db_path)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, str(READER), str(db_path), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.3)
        sync = start_sync(slow_fake, db_path, tmp_path)
        _, sync_err = sync.communicate(timeout=120)
        stop.touch()
        out, err = reader.communicate(timeout=30)
    finally:
        for proc in (reader,):
            if proc.poll() is None:
                proc.kill()
    assert sync.returncode == 0, sync_err
    assert reader.returncode == 0, err
    result = json.loads(out)
    assert result["errors"] == []
    assert result["queries"] > 50
    assert result["max_rows"] > 0  # it saw the sync's rows arrive
    assert "locked" not in sync_err
    days = (store_range(slow_fake.store)[1] - store_range(slow_fake.store)[0]).days + 1
    assert check_consistent(db_path, slow_fake.store) == 3 * days
