"""Direct tests of the pure freshness math."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from intervals_mcp.config import Settings
from intervals_mcp.days import each_day
from intervals_mcp.db.resources import SPECS
from intervals_mcp.sync.windows import (
    FreshnessPolicy,
    is_recent,
    is_stale,
    newest_days,
    plan_windows,
    stale_days,
    window_days,
)

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
POLICY = FreshnessPolicy(recent_days=14, recent_ttl=timedelta(minutes=10), history_ttl=timedelta(days=7))
BOUNDARY = TODAY - timedelta(days=14)  # first recent day


def cover(start: date, end: date, at: datetime) -> dict[date, datetime]:
    return dict.fromkeys(each_day(start, end), at)


def test_policy_from_settings() -> None:
    settings = Settings(recent_days=3, recent_ttl_minutes=2.5, history_ttl_days=1.5)
    policy = FreshnessPolicy.from_settings(settings)
    assert policy == FreshnessPolicy(3, timedelta(minutes=2.5), timedelta(hours=36))


def test_recent_includes_the_boundary_today_and_the_future() -> None:
    assert is_recent(BOUNDARY, TODAY, POLICY)
    assert not is_recent(BOUNDARY - timedelta(days=1), TODAY, POLICY)
    assert is_recent(TODAY, TODAY, POLICY)
    assert is_recent(TODAY + timedelta(days=300), TODAY, POLICY)


def test_missing_day_is_stale() -> None:
    assert is_stale(date(2020, 1, 1), None, TODAY, NOW, POLICY)


@pytest.mark.parametrize(
    ("day", "age", "stale"),
    [
        (TODAY, timedelta(minutes=9, seconds=59), False),
        (TODAY, timedelta(minutes=10), True),
        (TODAY + timedelta(days=30), timedelta(minutes=11), True),
        (TODAY + timedelta(days=30), timedelta(minutes=1), False),
        (BOUNDARY, timedelta(minutes=10), True),
        (BOUNDARY - timedelta(days=1), timedelta(minutes=10), False),
        (BOUNDARY - timedelta(days=1), timedelta(days=6, hours=23), False),
        (BOUNDARY - timedelta(days=1), timedelta(days=7), True),
        (date(2022, 3, 1), timedelta(days=30), True),
    ],
)
def test_ttl_depends_on_recency(day: date, age: timedelta, stale: bool) -> None:
    assert is_stale(day, NOW - age, TODAY, NOW, POLICY) is stale


def test_stale_days_lists_missing_and_expired_days() -> None:
    covered = cover(date(2026, 1, 1), date(2026, 1, 10), NOW - timedelta(days=1))
    covered[date(2026, 1, 5)] = NOW - timedelta(days=8)
    del covered[date(2026, 1, 7)]
    assert stale_days(date(2026, 1, 1), date(2026, 1, 12), covered, TODAY, NOW, POLICY) == [
        date(2026, 1, 5),
        date(2026, 1, 7),
        date(2026, 1, 11),
        date(2026, 1, 12),
    ]


def test_empty_cache_is_chunked_and_split_at_the_recent_boundary() -> None:
    start, end = date(2026, 1, 1), TODAY + timedelta(days=30)
    stale = stale_days(start, end, {}, TODAY, NOW, POLICY)
    assert stale == list(each_day(start, end))
    windows = plan_windows(stale, TODAY, POLICY, max_days=120)
    # contiguous, ascending, covering every day exactly once
    assert windows[0][0] == start and windows[-1][1] == end
    for (_, prev_end), (next_start, _) in itertools.pairwise(windows):
        assert next_start == prev_end + timedelta(days=1)
    assert all(window_days(w) <= 120 for w in windows)
    # no window straddles the boundary; the recent part is one window of its own
    assert (BOUNDARY, end) in windows
    assert any(w[1] == BOUNDARY - timedelta(days=1) for w in windows)
    history_days = (BOUNDARY - start).days
    assert len(windows) == -(-history_days // 120) + 1


def test_fresh_cache_plans_only_the_recent_window() -> None:
    start, end = date(2021, 11, 24), TODAY + timedelta(days=60)
    covered = cover(start, end, NOW - timedelta(minutes=30))
    stale = stale_days(start, end, covered, TODAY, NOW, POLICY)
    assert plan_windows(stale, TODAY, POLICY, max_days=366) == [(BOUNDARY, end)]


def test_fully_fresh_cache_plans_nothing_unless_full() -> None:
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    covered = cover(start, end, NOW - timedelta(minutes=1))
    stale = stale_days(start, end, covered, TODAY, NOW, POLICY)
    assert plan_windows(stale, TODAY, POLICY, max_days=120) == []
    # a full refresh plans every day of the range (see SyncService.plan)
    assert plan_windows(each_day(start, end), TODAY, POLICY, max_days=120) == [
        (start, start + timedelta(days=119)),
        (start + timedelta(days=120), end),
    ]


def test_fresh_days_split_stale_runs() -> None:
    start, end = date(2026, 1, 1), date(2026, 1, 31)
    covered = cover(date(2026, 1, 10), date(2026, 1, 20), NOW - timedelta(days=1))
    stale = stale_days(start, end, covered, TODAY, NOW, POLICY)
    assert plan_windows(stale, TODAY, POLICY, max_days=366) == [
        (date(2026, 1, 1), date(2026, 1, 9)),
        (date(2026, 1, 21), date(2026, 1, 31)),
    ]


def test_single_day_windows_when_max_days_is_one() -> None:
    start, end = date(2026, 1, 1), date(2026, 1, 3)
    single = [(d, d) for d in each_day(start, end)]
    assert plan_windows(each_day(start, end), TODAY, POLICY, max_days=1) == single


def test_empty_range_and_bad_max_days() -> None:
    assert plan_windows(each_day(TODAY, TODAY - timedelta(days=1)), TODAY, POLICY, 10) == []
    assert plan_windows([], TODAY, POLICY, 10) == []
    with pytest.raises(ValueError, match="max_days"):
        plan_windows([TODAY], TODAY, POLICY, max_days=0)


def test_five_years_fit_the_request_budget() -> None:
    start, end = TODAY - timedelta(days=5 * 365), TODAY + timedelta(days=60)
    total = sum(
        len(plan_windows(each_day(start, end), TODAY, POLICY, max_days=n))
        for n in (spec.window_days for spec in SPECS.values())
    )
    assert total <= 30


def test_newest_days_keeps_the_newest_windows_and_cuts_the_oldest_kept() -> None:
    d = date
    windows = [
        (d(2026, 1, 1), d(2026, 4, 30)),
        (d(2026, 5, 1), d(2026, 8, 28)),
        (d(2026, 11, 10), d(2026, 11, 24)),
    ]
    assert newest_days(windows, 10_000) == windows
    assert newest_days(windows, 15) == [windows[2]]
    assert newest_days(windows, 25) == [(d(2026, 8, 19), d(2026, 8, 28)), windows[2]]
    assert newest_days(windows, 0) == []
    assert newest_days([], 30) == []
