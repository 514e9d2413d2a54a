from datetime import date

import pytest

from intervals_mcp.cli.args import (
    DEFAULT_HISTORY_DAYS,
    parse_athletes,
    parse_day,
    parse_resources,
    resolve_range,
)
from intervals_mcp.errors import InputError

TODAY = date(2026, 11, 24)


def test_default_range_is_a_year_to_today() -> None:
    start, end = resolve_range(since=None, days=None, until=None, today=TODAY)
    assert end == TODAY
    assert (end - start).days + 1 == DEFAULT_HISTORY_DAYS


def test_days_counts_back_from_until_inclusive() -> None:
    assert resolve_range(since=None, days=7, until="2026-01-10", today=TODAY) == (
        date(2026, 1, 4),
        date(2026, 1, 10),
    )


def test_since_and_until() -> None:
    assert resolve_range(since="2025-01-01", days=None, until="2025-02-01", today=TODAY) == (
        date(2025, 1, 1),
        date(2025, 2, 1),
    )


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"since": "2026-02-30", "days": None, "until": None}, "--since '2026-02-30' is not a date"),
        ({"since": None, "days": None, "until": "yesterday"}, "--until 'yesterday' is not a date"),
        ({"since": "2026-05-01", "days": None, "until": "2026-04-01"}, "is before --since"),
        ({"since": "2026-05-01", "days": 3, "until": None}, "either --since or --days"),
        ({"since": None, "days": 0, "until": None}, "--days must be between"),
        ({"since": "1900-01-01", "days": None, "until": None}, "longer than"),
    ],
)
def test_bad_ranges_are_one_sentence(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(InputError) as info:
        resolve_range(today=TODAY, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert fragment in message
    assert message.endswith(".")
    assert "\n" not in message


def test_parse_resources_canonical_order_and_unknown() -> None:
    assert parse_resources(None) == ["activities", "wellness", "events"]
    assert parse_resources(" Events , activities") == ["activities", "events"]
    with pytest.raises(InputError, match="unknown resource"):
        parse_resources("activities,sleep")


def test_parse_day_accepts_iso() -> None:
    assert parse_day(" 2026-11-24 ", "--since") == TODAY


def test_events_run_ahead_only_by_default() -> None:
    from intervals_mcp.cli.args import EVENTS_AHEAD_DAYS, events_until

    assert (events_until(until=None, today=TODAY) - TODAY).days == EVENTS_AHEAD_DAYS
    assert events_until(until="2026-01-01", today=TODAY) is None


def test_athletes_all_or_a_list_of_ids() -> None:
    assert parse_athletes(None, None) is None
    assert parse_athletes(" ALL ", None) == ["all"]
    assert parse_athletes("i1, 12345,i1", None) == ["i1", "i12345"]
    for bad in ("", "i1,bob", "0"):
        with pytest.raises(InputError, match="--athletes"):
            parse_athletes(bad, None)
    with pytest.raises(InputError, match="either --athlete-id or --athletes"):
        parse_athletes("all", "i1")
