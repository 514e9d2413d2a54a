"""Pure freshness math: which cached days are stale, and which fetch windows cover them.

No I/O here. Coverage is a mapping `day -> fetched_at` (UTC-aware) read from the cache; `today`
is the athlete's local date and `now` the current UTC time, both passed in so tests can pin them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from intervals_mcp.days import each_day

if TYPE_CHECKING:
    from intervals_mcp.config import Settings

Window = tuple[date, date]


@dataclass(frozen=True)
class FreshnessPolicy:
    """How long a cached day stays fresh.

    Days within `recent_days` of today, and future days, still change (uploads, edits, plans,
    fitness recomputed backwards), so they go stale after `recent_ttl`; settled history only
    after `history_ttl`.
    """

    recent_days: int = 14
    recent_ttl: timedelta = timedelta(minutes=10)
    history_ttl: timedelta = timedelta(days=7)

    @classmethod
    def from_settings(cls, settings: Settings) -> FreshnessPolicy:
        return cls(
            recent_days=settings.recent_days,
            recent_ttl=timedelta(minutes=settings.recent_ttl_minutes),
            history_ttl=timedelta(days=settings.history_ttl_days),
        )


def is_recent(day: date, today: date, policy: FreshnessPolicy) -> bool:
    """True for days within `recent_days` before today, today itself, and every future day."""
    return day >= today - timedelta(days=policy.recent_days)


def is_stale(
    day: date,
    fetched_at: datetime | None,
    today: date,
    now: datetime,
    policy: FreshnessPolicy,
) -> bool:
    """Whether `day`, cached at `fetched_at` (None: never), must be fetched again."""
    if fetched_at is None:
        return True
    ttl = policy.recent_ttl if is_recent(day, today, policy) else policy.history_ttl
    return now - fetched_at >= ttl


def stale_days(
    start: date,
    end: date,
    covered: Mapping[date, datetime],
    today: date,
    now: datetime,
    policy: FreshnessPolicy,
) -> list[date]:
    """The days of [start, end] that are missing from the cache or stale, ascending."""
    return [d for d in each_day(start, end) if is_stale(d, covered.get(d), today, now, policy)]


def plan_windows(
    days: Iterable[date], today: date, policy: FreshnessPolicy, max_days: int
) -> list[Window]:
    """Group `days` (ascending: the stale days of a range, or all its days for a full refresh)
    into inclusive fetch windows, ascending.

    Consecutive days share a window of at most `max_days` days. A window never spans the
    recent/settled boundary, so refreshing the recent days never drags a long stretch of history
    along (and vice versa).
    """
    if max_days < 1:
        raise ValueError("max_days must be at least 1")
    windows: list[Window] = []
    for day in days:
        if windows:
            run_start, run_end = windows[-1]
            joins = day == run_end + timedelta(days=1) and (day - run_start).days < max_days
            if joins and is_recent(day, today, policy) == is_recent(run_start, today, policy):
                windows[-1] = (run_start, day)
                continue
        windows.append((day, day))
    return windows


def window_days(window: Window) -> int:
    """Number of days in an inclusive window."""
    return (window[1] - window[0]).days + 1


def newest_days(windows: list[Window], budget: int) -> list[Window]:
    """The newest `budget` days of `windows` (ascending, as `plan_windows` gives them): the
    windows from the newest back while the budget lasts, the oldest one kept cut to its newest
    days. What one call fetches when it may not fetch everything."""
    kept: list[Window] = []
    for start, end in reversed(windows):
        if budget <= 0:
            break
        if window_days((start, end)) > budget:
            start = end - timedelta(days=budget - 1)
        kept.append((start, end))
        budget -= window_days((start, end))
    return kept[::-1]
