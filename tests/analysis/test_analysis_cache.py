"""Cache status: gaps, stale days, last fetch and the sync command that fills the gaps."""

from __future__ import annotations

import shlex
from datetime import UTC, date, datetime, timedelta

import typer
from hypothesis import given
from hypothesis import strategies as st

from intervals_mcp.analysis.cache import CoveredRange, cache_status, covered_ranges, gaps, sync_command
from intervals_mcp.analysis.periods import Period
from intervals_mcp.cli import app
from intervals_mcp.cli.args import parse_day, parse_resources

D = date.fromisoformat
T0 = datetime(2025, 12, 31, 23, tzinfo=UTC)
T1 = datetime(2026, 2, 1, 8, tzinfo=UTC)
T2 = datetime(2026, 2, 9, 8, tzinfo=UTC)
COVERED = [
    CoveredRange(D("2026-01-01"), D("2026-01-10"), T1),
    CoveredRange(D("2026-01-05"), D("2026-01-12"), T2),
    CoveredRange(D("2026-01-20"), D("2026-01-25"), T1),
    CoveredRange(D("2025-12-01"), D("2025-12-31"), T0),  # before the span
]


def stale_before_t2(day: date, fetched_at: datetime) -> bool:
    return fetched_at < T2


def test_status_by_hand() -> None:
    s = cache_status("activities", D("2026-01-01"), D("2026-01-31"), COVERED, stale_before_t2)
    assert s.gaps == (Period(D("2026-01-13"), D("2026-01-19")), Period(D("2026-01-26"), D("2026-01-31")))
    assert s.gap_days == 7 + 6
    assert s.cached == Period(D("2026-01-01"), D("2026-01-25"))
    # fetched at T1 only: 01-01..01-04 (01-05..01-10 were fetched again at T2) and 01-20..01-25
    assert s.stale_days == 4 + 6
    assert s.last_fetch == T2
    assert s.sync_command == (
        "intervals-mcp sync --since 2026-01-13 --until 2026-01-31 --only activities")


def test_empty_and_full_caches() -> None:
    empty = cache_status("wellness", D("2026-01-01"), D("2026-01-31"), [], stale_before_t2)
    assert empty.gaps == (Period(D("2026-01-01"), D("2026-01-31")),)
    assert (empty.cached, empty.last_fetch, empty.stale_days) == (None, None, 0)
    assert empty.sync_command == "intervals-mcp sync --since 2026-01-01 --until 2026-01-31 --only wellness"
    full = cache_status("events", D("2026-01-02"), D("2026-01-04"), COVERED, lambda d, t: False)
    assert (full.gaps, full.sync_command, full.stale_days) == ((), None, 0)
    assert sync_command("events", [Period(D("2026-05-01"), D("2026-05-02"))], athlete_id="i9") == (
        "intervals-mcp sync --since 2026-05-01 --until 2026-05-02 --only events --athlete-id i9")


def test_the_command_is_one_the_cli_accepts() -> None:
    command = sync_command("activities", [Period(D("2026-01-13"), D("2026-01-19"))], athlete_id="i9")
    assert command is not None
    words = shlex.split(command)
    assert words[:2] == ["intervals-mcp", "sync"]
    options = dict(zip(words[2::2], words[3::2], strict=True))
    sync = typer.main.get_command(app).commands["sync"]  # type: ignore[attr-defined]
    known = {opt for param in sync.params for opt in param.opts}
    assert set(options) <= known
    assert parse_day(options["--since"], "--since") <= parse_day(options["--until"], "--until")
    assert parse_resources(options["--only"]) == ["activities"]


@given(
    st.lists(st.tuples(st.integers(-10, 70), st.integers(0, 20)), max_size=8),
    st.integers(0, 60),
)
def test_gaps_and_covered_days_partition_the_span(ranges: list[tuple[int, int]], length: int) -> None:
    start = D("2026-01-01")
    span = Period(start, start + timedelta(days=length))
    covered = [CoveredRange(start + timedelta(days=a), start + timedelta(days=a + n), T1)
               for a, n in ranges]
    status = cache_status("activities", span.start, span.end, covered, lambda d, t: True)
    covered_days = {start + timedelta(days=a + i) for a, n in ranges for i in range(n + 1)}
    in_span = {span.start + timedelta(days=i) for i in range(span.days)}
    gap_days = {g.start + timedelta(days=i) for g in status.gaps for i in range(g.days)}
    assert gap_days == in_span - covered_days
    assert status.gap_days == len(gap_days)
    assert status.stale_days == len(in_span & covered_days)  # everything is stale here
    for g in status.gaps:  # each gap is a maximal run
        assert g.start == span.start or g.start - timedelta(days=1) in covered_days
        assert g.end == span.end or g.end + timedelta(days=1) in covered_days
    assert gaps(span, covered_days) == list(status.gaps)


def test_per_day_coverage_becomes_ranges_of_one_fetch_each() -> None:
    days = {D("2026-01-01"): T1, D("2026-01-02"): T1, D("2026-01-03"): T2, D("2026-01-05"): T2}
    assert covered_ranges(days) == [
        CoveredRange(D("2026-01-01"), D("2026-01-02"), T1),
        CoveredRange(D("2026-01-03"), D("2026-01-03"), T2),
        CoveredRange(D("2026-01-05"), D("2026-01-05"), T2),
    ]
    assert covered_ranges({}) == []


def test_one_command_fills_the_holes_of_several_resources() -> None:
    holes = [Period(D("2021-01-01"), D("2021-06-30")), Period(D("2020-12-01"), D("2020-12-31"))]
    command = sync_command(["activities", "wellness", "activities"], holes, "i201")
    assert command == (
        "intervals-mcp sync --since 2020-12-01 --until 2021-06-30 --only activities,wellness"
        " --athlete-id i201"
    )
    assert parse_resources(shlex.split(command)[7]) == ["activities", "wellness"]


def test_coverage_up_to_the_last_day_of_the_calendar_is_counted_without_overflow() -> None:
    """Events fetched for 9999-12-31 (a caller may ask for it) once crashed get_cache_status."""
    at = datetime(2026, 11, 30, tzinfo=UTC)
    end = date.max
    start = end - timedelta(days=9)
    covered = covered_ranges({end - timedelta(days=n): at for n in (0, 1, 2)})
    assert covered == [CoveredRange(end - timedelta(days=2), end, at)]
    status = cache_status("events", start, end, covered, lambda day, fetched_at: False)
    assert status.cached == Period(end - timedelta(days=2), end)
    assert status.gap_days == 7 and status.gaps == (Period(start, end - timedelta(days=3)),)
    assert gaps(Period(start, end), {end}) == [Period(start, end - timedelta(days=1))]
    assert gaps(Period(start, end), set()) == [Period(start, end)]
