"""`run_sync` and `run_status` (what the CLI calls), in-process against the fake."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from rich.console import Console

from intervals_mcp.cli.render import PlainLines, ProgressBar
from intervals_mcp.cli.runner import SyncRequest, run_status, run_sync
from intervals_mcp.config import Settings
from intervals_mcp.db.dialects import dialect_for
from intervals_mcp.errors import ConfigError
from intervals_mcp.fake import FakeIntervals, Fault
from intervals_mcp.sync.reports import ProgressEvent

from .conftest import API_KEY, ATHLETE
from .helpers import RESOURCES

TODAY = date.today()


def describe(url: str) -> str:
    return dialect_for(url).describe(url)


def sync(settings: Settings, since: date, until: date) -> int:
    request = SyncRequest(
        athlete_id=ATHLETE, since=str(since), days=None, until=str(until), resources=RESOURCES
    )
    return run_sync(settings, request)


def test_sync_then_status(
    settings: Settings, fake: FakeIntervals, capsys: pytest.CaptureFixture[str]
) -> None:
    since = TODAY - timedelta(days=60)
    assert sync(settings, since, TODAY) == 0
    out, err = capsys.readouterr()
    assert out == ""  # stdout stays clean
    for word in ("activities", "wellness", "events", "requests", "inserted"):
        assert word in err
    assert API_KEY not in err

    assert run_status(settings, as_json=True) == 0
    out, err = capsys.readouterr()
    status = json.loads(out)
    assert status["db_path"] == describe(settings.database_url) and status["db_bytes"] > 0
    by_resource = {e["resource"]: e for e in status["resources"] if e["athlete_id"] == ATHLETE}
    assert set(RESOURCES) <= set(by_resource)
    assert by_resource["wellness"]["covered"] == [[since.isoformat(), TODAY.isoformat()]]
    assert by_resource["wellness"]["stale_days"] == 0 and by_resource["wellness"]["gap_days"] == 0
    assert by_resource["wellness"]["rows"] > 0

    assert run_status(settings, as_json=False) == 0
    out, err = capsys.readouterr()
    assert out == "" and "wellness" in err
    if settings.database_url_setting:  # PostgreSQL: no SQLite file appeared on the way
        assert not settings.db_path.exists()


def test_wrong_key_fails_with_one_line_and_exit_1(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = settings.model_copy(update={"api_key": SecretStr("not-the-key")})
    assert sync(bad, TODAY - timedelta(days=10), TODAY) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith("Sync failed:") and "API_KEY" in lines[-1]
    assert all(line.startswith("activities") for line in lines[:-1])  # progress lines only
    assert "not-the-key" not in err


def test_missing_credentials_raise_config_error(tmp_path: Path) -> None:
    settings = Settings(api_key=None, athlete_id=ATHLETE, db_path=tmp_path / "c.sqlite3")
    with pytest.raises(ConfigError):
        sync(settings, TODAY, TODAY)


def test_progress_renders_plain_lines_and_a_bar() -> None:
    events = [
        ProgressEvent("planned", "wellness", 2, 0),
        ProgressEvent("window_done", "wellness", 2, 1, (date(2026, 1, 1), date(2026, 6, 30)), 181),
        ProgressEvent("window_failed", "wellness", 2, 2, (date(2026, 7, 1), date(2026, 12, 31)), 0, "boom"),
    ]
    plain = io.StringIO()
    lines = PlainLines(Console(file=plain, width=200))
    for event in events:
        lines.update(event)
    lines.update(ProgressEvent("planned", "intervals", 1, 0))
    lines.update(ProgressEvent("window_done", "intervals", 1, 1, rows=1))
    text = plain.getvalue()
    assert "wellness: 2 windows to fetch" in text
    assert "intervals: 1 window to fetch" in text and "intervals: 1 row (1/1)" in text
    assert "2026-01-01..2026-06-30: 181 rows (1/2)" in text and "failed: boom (2/2)" in text

    tty = io.StringIO()
    with ProgressBar(Console(file=tty, force_terminal=True, width=100)) as bar:
        for event in events:
            bar.update(event)
    assert "wellness" in tty.getvalue() and "2/2" in tty.getvalue()


def test_a_record_the_cache_cannot_place_is_said_and_the_rest_synced(
    settings: Settings, fake: FakeIntervals, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.inject(
        Fault(kind="missing_fields", fields=frozenset({"id"}), path_contains="/activities", records=1)
    )
    assert sync(settings, TODAY - timedelta(days=30), TODAY) == 0
    _, err = capsys.readouterr()
    assert (
        "Intervals.icu sent 1 record the cache cannot place (The activity payload has no id, so it "
        "cannot be cached), so it was skipped and the rest stored." in " ".join(err.split())
    )


def test_a_sync_with_nothing_to_fetch_says_already_fresh(
    settings: Settings, fake: FakeIntervals, capsys: pytest.CaptureFixture[str]
) -> None:
    since = TODAY - timedelta(days=20)
    assert sync(settings, since, TODAY - timedelta(days=15)) == 0
    capsys.readouterr()
    assert sync(settings, since, TODAY - timedelta(days=15)) == 0
    _, err = capsys.readouterr()
    assert " ".join(err.split()) == (
        f"activities: 0 windows to fetch wellness: 0 windows to fetch events: 0 windows to fetch "
        f"Everything from {since} to {TODAY - timedelta(days=15)} is already fresh in the cache: nothing "
        "to fetch (`--full` fetches it again)."
    )
