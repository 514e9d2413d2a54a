"""The pure payload -> column transforms, tested directly."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from db_factories import activity, event, strava_stub, wellness

from intervals_mcp.db import columns

D = date(2026, 10, 12)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-04-16T05:10:24.107+00:00", datetime(2026, 4, 16, 5, 10, 24, 107000, tzinfo=UTC)),
        ("2021-01-01T15:14:22.925+0000", datetime(2021, 1, 1, 15, 14, 22, 925000, tzinfo=UTC)),
        ("2026-10-12T06:31:05Z", datetime(2026, 10, 12, 6, 31, 5, tzinfo=UTC)),
        ("2026-10-12T08:31:05+02:00", datetime(2026, 10, 12, 6, 31, 5, tzinfo=UTC)),
        ("2026-10-12T06:31:05", datetime(2026, 10, 12, 6, 31, 5, tzinfo=UTC)),
        (None, None),
        (True, None),
        ("", None),
        ("yesterday", None),
    ],
)
def test_parse_timestamp(raw: object, expected: datetime | None) -> None:
    parsed = columns.parse_timestamp(raw)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is UTC


def test_local_datetime_keeps_wall_clock_and_drops_offset() -> None:
    assert columns.parse_local_datetime("2026-10-12T07:31:05") == datetime(2026, 10, 12, 7, 31, 5)
    assert columns.parse_local_datetime("2026-10-12T07:31:05+02:00") == datetime(2026, 10, 12, 7, 31, 5)
    assert columns.parse_local_datetime("2026-10-12") == datetime(2026, 10, 12)
    assert columns.parse_local_datetime(None) is None
    assert columns.local_date_of("2026-10-12T23:59:59") == D
    assert columns.local_date_of("2026-13-12") is None


def test_activity_columns_from_a_full_activity() -> None:
    values = columns.activity_columns(activity("i145678901", D, moving_time=7412.4))
    assert values["id"] == "i145678901"
    assert values["local_date"] == D
    assert values["start_date_local"] == datetime(2026, 10, 12, 7, 31, 5)
    assert values["type"] == "Ride"
    assert values["source"] == "GARMIN_CONNECT"
    assert values["is_strava_stub"] is False
    assert values["icu_sync_date"] == datetime(2026, 10, 12, 8, 45, 14, 522000, tzinfo=UTC)
    assert values["moving_time"] == 7412
    assert values["distance"] == 62345.7
    assert values["training_load"] == 143.0


def test_strava_stub_is_recognised() -> None:
    values = columns.activity_columns(strava_stub("16358453283", D))
    assert values["id"] == "16358453283"
    assert values["is_strava_stub"] is True
    assert values["type"] is None and values["moving_time"] is None
    # A STRAVA activity that carries a type is a real one, not a stub.
    assert columns.is_strava_stub({"source": "STRAVA", "type": "Run"}) is False
    assert columns.is_strava_stub({"source": "UPLOAD"}) is False


def test_numbers_ignore_booleans_and_text() -> None:
    values = columns.activity_columns(activity("i1", D, moving_time=True, distance="12 km"))
    assert values["moving_time"] is None
    assert values["distance"] is None


def test_uncacheable_payloads_raise_a_sentence() -> None:
    with pytest.raises(ValueError, match="no id"):
        columns.activity_columns({"start_date_local": "2026-10-12T07:31:05"})
    with pytest.raises(ValueError, match="start_date_local"):
        columns.activity_columns({"id": "i1"})
    with pytest.raises(ValueError, match="not a date"):
        columns.wellness_columns({"id": "today"})
    with pytest.raises(ValueError, match="not an integer"):
        columns.event_columns({"id": "abc", "start_date_local": "2026-10-12T00:00:00"})


def test_wellness_and_event_columns() -> None:
    w = columns.wellness_columns(wellness(D))
    assert (w["id"], w["local_date"]) == ("2026-10-12", D)
    assert w["updated"] == datetime(2026, 10, 12, 19, 20, 6, 102000, tzinfo=UTC)
    e = columns.event_columns(event(87654321, D, end_date_local="2026-10-19T00:00:00"))
    assert e["id"] == 87654321
    assert e["local_date"] == D
    assert e["category"] == "WORKOUT"
    assert e["end_date_local"] == datetime(2026, 10, 19)


def test_payload_hash_ignores_key_order_but_not_values() -> None:
    a = {"id": "i1", "name": "Ride", "nested": {"x": 1, "y": [1, 2]}}
    b = {"nested": {"y": [1, 2], "x": 1}, "name": "Ride", "id": "i1"}
    assert columns.payload_hash(a) == columns.payload_hash(b)
    assert columns.payload_hash(a) != columns.payload_hash({**a, "name": "Run"})


def test_markers_are_kept_verbatim() -> None:
    assert columns.marker("2026-10-12T08:45:14.522+00:00") == "2026-10-12T08:45:14.522+00:00"
    assert columns.marker(None) is None
    assert columns.marker(True) == "true"


def test_scrub_secrets_drops_api_keys_at_any_depth() -> None:
    payload = {"id": "i1", "icu_api_key": "s3cret", "nested": [{"api_key": "k", "ok": 1}]}
    assert columns.scrub_secrets(payload) == {"id": "i1", "nested": [{"ok": 1}]}
    assert "icu_api_key" in payload  # the caller's dict is left alone
