"""The sync as a separate process: killed mid-way, interrupted, and read while it writes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from backends import Where
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault, generate_athlete

from .conftest import API_KEY, ATHLETE
from .helpers import clone, store_range
from .processes import READER, check_consistent, start_sync, wait_for_requests, window_requests, windows_left

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_today_store() -> FakeStore:
    """Two years ending on the real today: the child process syncs with the real clock."""
    return generate_athlete(seed=11, years=2, today=date.today(), athlete_id=ATHLETE)


@pytest.fixture
def slow_fake(real_today_store: FakeStore) -> Iterator[FakeIntervals]:
    with FakeIntervals(clone(real_today_store), api_key=API_KEY, latency=0.15, rate_limit=None) as fake:
        yield fake


def saved_windows(where: Where, start: date, end: date) -> int:
    """Windows the child has committed so far, read from the database as any reader would."""
    try:
        return windows_left(None, start, end) - windows_left(where, start, end)
    except DBAPIError:  # the database exists but its tables are not made yet
        return 0


def wait_for_saved_windows(
    where: Where, start: date, end: date, saved: int, proc: subprocess.Popen[str]
) -> None:
    deadline = time.monotonic() + 60
    while saved_windows(where, start, end) < saved:
        assert proc.poll() is None, "the sync ended before the kill point"
        assert time.monotonic() < deadline
        time.sleep(0.01)


@pytest.mark.parametrize("kill_after", [0, 1, 4, 9])
def test_sigkill_mid_sync_leaves_a_consistent_cache_and_the_next_sync_resumes(
    slow_fake: FakeIntervals, tmp_path: Path, fresh_database_url: str, kill_after: int
) -> None:
    """Killed after `kill_after` windows were saved (0: after the first request went out),
    somewhere inside a response or a write. Events hang upstream, so the kill always lands
    mid-sync however slowly this machine runs."""
    db_path = fresh_database_url
    start, end = store_range(slow_fake.store)
    slow_fake.inject(Fault(kind="hang", seconds=30, times=20, path_contains="/events"))
    proc = start_sync(slow_fake, db_path, tmp_path)
    try:
        if kill_after:
            wait_for_saved_windows(db_path, start, end, kill_after, proc)
        else:
            wait_for_requests(slow_fake, 2, proc)  # the athlete, then the first window
        time.sleep(0.05)  # land somewhere inside a response or a write
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    slow_fake.clear_faults()
    check_consistent(db_path, slow_fake.store)
    still_to_fetch = windows_left(db_path, start, end)
    print(f"killed after {kill_after} saved windows: {still_to_fetch} windows left")
    assert 0 < still_to_fetch <= windows_left(None, start, end) - kill_after
    requests_before = len(slow_fake.requests)

    resumed = start_sync(slow_fake, db_path, tmp_path)
    _, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert check_consistent(db_path, slow_fake.store) == 3 * ((end - start).days + 1)
    # it fetched exactly what was left: the windows finished before the kill stay done
    assert len(window_requests(slow_fake.requests[requests_before:])) == still_to_fetch


def test_ctrl_c_exits_130_and_says_the_next_sync_resumes(
    slow_fake: FakeIntervals, tmp_path: Path, fresh_database_url: str
) -> None:
    db_path = fresh_database_url
    # Events hang upstream, so the sync is certainly still running when Ctrl-C comes, however
    # slowly this machine gets to it.
    slow_fake.inject(Fault(kind="hang", seconds=30, times=20, path_contains="/events"))
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
    slow_fake: FakeIntervals, tmp_path: Path, database_url: str
) -> None:
    db_path = database_url
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
