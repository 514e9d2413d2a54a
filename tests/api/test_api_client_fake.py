"""The client against the fake Intervals.icu over real HTTP on 127.0.0.1.

These are the issue's "done when" checks: one request for a rejected key, 429s and 503s retried
to success, writes not retried on 5xx, a hang bounded by the budget, a burst kept under ten
requests per second (measured by the fake's own request log), and the key in no log line,
error message or repr.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from datetime import date, timedelta
from itertools import pairwise

import pytest
from pydantic import SecretStr

from intervals_mcp.api.client import IntervalsClient, events_path
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.errors import (
    AuthenticationError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    UpstreamConnectionError,
    UpstreamError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault

from .conftest import ATHLETE, KEY, TODAY

WRONG_KEY = "wr0ng-s3cr3t-KEY-do-not-leak"
QUICK = RetryPolicy(total_seconds=6.0, max_attempts=6, base_delay=0.1, max_delay=1.0)

pytestmark = pytest.mark.anyio


def client_for(fake: FakeIntervals, key: str = KEY, **kwargs: object) -> IntervalsClient:
    options: dict[str, object] = {"policy": QUICK, "timeout": 5.0}
    options.update(kwargs)
    return IntervalsClient(fake.base_url, SecretStr(key), **options)  # type: ignore[arg-type]


def statuses(fake: FakeIntervals) -> list[int | None]:
    return [r.status for r in fake.requests]


def gaps(fake: FakeIntervals) -> list[float]:
    times = [r.at for r in fake.requests]
    return [b - a for a, b in pairwise(times)]


# --- plain reads and writes -----------------------------------------------------------------


async def test_reads_return_plain_json_and_dates_go_out_in_iso(fake: FakeIntervals) -> None:
    async with client_for(fake) as client:
        athlete = await client.get_athlete(ATHLETE)
        oldest, newest = TODAY - timedelta(days=60), TODAY
        activities = await client.list_activities(ATHLETE, oldest, newest)
        wellness = await client.list_wellness(ATHLETE, oldest, newest)
        events = await client.list_events(ATHLETE, TODAY, TODAY + timedelta(days=30))
    assert athlete["id"] == ATHLETE
    assert isinstance(activities, list) and activities
    assert all(isinstance(a, dict) for a in activities)
    assert isinstance(wellness, list) and wellness
    assert isinstance(events, list)
    listed = fake.requests[1]
    assert listed.path.endswith(f"/athlete/{ATHLETE}/activities")
    assert listed.query["oldest"] == oldest.isoformat()
    assert listed.query["newest"] == f"{newest.isoformat()}T23:59:59"  # the whole last day
    assert client.request_count == 4


async def test_newest_day_is_included(fake: FakeIntervals) -> None:
    async with client_for(fake) as client:
        recent = await client.list_activities(ATHLETE, TODAY - timedelta(days=60), TODAY)
        native = next(a for a in recent if a.get("source") != "STRAVA")
        day = date.fromisoformat(native["start_date_local"][:10])
        same_day = await client.list_activities(ATHLETE, day, day)
        detail = await client.get_activity(native["id"], intervals=True)
        intervals = await client.get_activity_intervals(native["id"])
        streams = await client.get_activity_streams(native["id"], types=["time", "heartrate"])
    assert native["id"] in {a["id"] for a in same_day}
    assert detail["id"] == native["id"]
    assert "icu_intervals" in detail
    assert "icu_intervals" in intervals
    assert isinstance(streams, list)


async def test_writes_round_trip(fake: FakeIntervals) -> None:
    day = TODAY + timedelta(days=3)
    async with client_for(fake) as client:
        created = await client.create_event(
            ATHLETE,
            {
                "category": "WORKOUT",
                "start_date_local": f"{day.isoformat()}T00:00:00",
                "type": "Run",
                "name": "Easy 45",
                "description": "- 45m Z2 HR",
            },
        )
        event_id = int(created["id"])
        fetched = await client.get_event(ATHLETE, event_id)
        updated = await client.update_event(ATHLETE, event_id, {"name": "Easy 50"})
        await client.delete_event(ATHLETE, event_id)
        with pytest.raises(NotFoundError) as gone:
            await client.get_event(ATHLETE, event_id)
        wellness = await client.update_wellness(ATHLETE, TODAY, {"soreness": 3})
        again = await client.get_wellness(ATHLETE, TODAY)
    assert fetched["name"] == "Easy 45"
    assert updated["name"] == "Easy 50"
    assert str(event_id) in str(gone.value)
    assert wellness["soreness"] == 3
    assert again["soreness"] == 3
    assert [r.method for r in fake.requests] == ["POST", "GET", "PUT", "DELETE", "GET", "PUT", "GET"]


async def test_a_write_as_planned_sends_the_method_path_and_body_it_is_given(fake: FakeIntervals) -> None:
    day = TODAY + timedelta(days=4)
    event = {"category": "NOTE", "start_date_local": f"{day.isoformat()}T00:00:00", "name": "Rest"}
    async with client_for(fake) as client:
        created = await client.write("POST", events_path(ATHLETE), event)
        assert created is not None
        event_id = int(created["id"])
        renamed = await client.write("PUT", events_path(ATHLETE, event_id), {"name": "Rest day"})
        deleted = await client.write("DELETE", events_path(ATHLETE, event_id))
        with pytest.raises(NotFoundError):
            await client.write("DELETE", events_path(ATHLETE, event_id))
    assert created["name"] == "Rest"
    assert renamed is not None and renamed["name"] == "Rest day"
    assert deleted is None
    assert [(r.method, r.path) for r in fake.requests] == [
        ("POST", f"/api/v1/athlete/{ATHLETE}/events"),
        ("PUT", f"/api/v1/athlete/{ATHLETE}/events/{event_id}"),
        ("DELETE", f"/api/v1/athlete/{ATHLETE}/events/{event_id}"),
        ("DELETE", f"/api/v1/athlete/{ATHLETE}/events/{event_id}"),
    ]


# --- errors that are never retried ----------------------------------------------------------


async def test_rejected_key_fails_after_exactly_one_request(fake: FakeIntervals) -> None:
    async with client_for(fake, key=WRONG_KEY) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.get_athlete(ATHLETE)
    assert len(fake.requests) == 1
    assert client.request_count == 1
    assert "API_KEY" in str(caught.value)
    assert WRONG_KEY not in str(caught.value)


async def test_strava_activity_detail_is_an_invalid_request_kept_in_words(
    fake: FakeIntervals,
) -> None:
    async with client_for(fake) as client:
        listed = await client.list_activities(ATHLETE, TODAY - timedelta(days=365), TODAY)
        strava = next(a for a in listed if a.get("source") == "STRAVA")
        with pytest.raises(InvalidRequestError) as caught:
            await client.get_activity(strava["id"])
    assert "Strava" in str(caught.value)
    assert len(fake.requests) == 2  # the list, then one refused detail: no retry


async def test_unknown_event_is_not_found_after_one_request(fake: FakeIntervals) -> None:
    async with client_for(fake) as client:
        with pytest.raises(NotFoundError):
            await client.get_event(ATHLETE, 999_999_999)
    assert len(fake.requests) == 1


# --- retried failures -----------------------------------------------------------------------


async def test_429_with_retry_after_waits_that_long_then_succeeds(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="rate_limit", retry_after=1.0, times=1))
    async with client_for(fake) as client:
        athlete = await client.get_athlete(ATHLETE)
    assert athlete["id"] == ATHLETE
    assert statuses(fake) == [429, 200]
    assert gaps(fake)[0] >= 0.95


async def test_429_without_retry_after_backs_off_then_succeeds(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="rate_limit", retry_after=None, times=2))
    policy = RetryPolicy(total_seconds=6.0, base_delay=0.4, max_delay=2.0)
    async with client_for(fake, policy=policy) as client:
        await client.get_athlete(ATHLETE)
    assert statuses(fake) == [429, 429, 200]
    first, second = gaps(fake)
    assert first >= 0.2  # at least half of base_delay
    assert second >= 0.4  # at least half of the doubled delay


async def test_429_is_retried_even_for_a_write(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="rate_limit", retry_after=0.2, times=1, methods=frozenset({"PUT"})))
    async with client_for(fake) as client:
        await client.update_wellness(ATHLETE, TODAY, {"soreness": 2})
    assert statuses(fake) == [429, 200]


async def test_503_twice_then_success_for_a_read(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="status", status=503, times=2, methods=frozenset({"GET"})))
    async with client_for(fake) as client:
        athlete = await client.get_athlete(ATHLETE)
        assert client.request_count == 3
    assert athlete["id"] == ATHLETE
    assert statuses(fake) == [503, 503, 200]


async def test_503_on_a_write_is_not_retried(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="status", status=503, times=2, methods=frozenset({"POST"})))
    event = {"category": "NOTE", "start_date_local": f"{TODAY.isoformat()}T00:00:00", "name": "x"}
    async with client_for(fake) as client:
        with pytest.raises(UpstreamUnavailableError) as caught:
            await client.create_event(ATHLETE, event)
    assert statuses(fake) == [503]
    assert "try again" in str(caught.value)


async def test_invalid_json_on_a_read_is_retried(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="invalid_json", times=1))
    async with client_for(fake) as client:
        athlete = await client.get_athlete(ATHLETE)
    assert athlete["id"] == ATHLETE
    assert len(fake.requests) == 2


async def test_an_html_page_that_persists_is_an_invalid_response(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="html", times=100))
    policy = RetryPolicy(total_seconds=2.0, base_delay=0.1, max_delay=0.2, max_attempts=3)
    async with client_for(fake, policy=policy) as client:
        with pytest.raises(InvalidResponseError) as caught:
            await client.get_athlete(ATHLETE)
    assert "HTML" in str(caught.value)
    assert len(fake.requests) == 3  # max_attempts


async def test_a_dropped_connection_on_a_read_is_retried(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="reset", times=1))
    async with client_for(fake) as client:
        athlete = await client.get_athlete(ATHLETE)
    assert athlete["id"] == ATHLETE
    assert client.request_count == 2


async def test_nothing_listening_is_a_connection_error() -> None:
    policy = RetryPolicy(total_seconds=1.5, base_delay=0.05, max_delay=0.1, min_attempt_seconds=0.2)
    async with IntervalsClient("http://127.0.0.1:9/api/v1", SecretStr(KEY), policy=policy) as c:
        with pytest.raises(UpstreamConnectionError) as caught:
            await c.get_athlete(ATHLETE)
    assert "INTERVALS_API_BASE_URL" in str(caught.value)
    assert c.request_count > 1  # a read is retried


async def test_a_hang_times_out_within_the_budget(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="hang", seconds=3.0, times=100))
    policy = RetryPolicy(total_seconds=2.0, base_delay=0.1, max_delay=0.2, min_attempt_seconds=0.3)
    started = time.monotonic()
    async with client_for(fake, timeout=0.4, policy=policy) as client:
        with pytest.raises(UpstreamTimeoutError) as caught:
            await client.get_athlete(ATHLETE)
        elapsed = time.monotonic() - started
    assert elapsed < 2.0 + 0.5  # the budget, plus scheduling slack
    assert client.request_count >= 2  # a read is retried after a timeout
    assert "did not answer" in str(caught.value)


async def test_the_budget_cuts_a_long_timeout_short(fake: FakeIntervals) -> None:
    """A tool call with a few seconds of budget does not sit out a 30-second timeout."""
    fake.inject(Fault(kind="hang", seconds=5.0, times=100))
    started = time.monotonic()
    async with client_for(fake, timeout=30.0, policy=RetryPolicy(total_seconds=1.5)) as client:
        with pytest.raises(UpstreamTimeoutError):
            await client.get_athlete(ATHLETE)
        elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 1.5 + 0.5


# --- politeness -----------------------------------------------------------------------------


async def test_a_burst_of_50_calls_reaches_the_fake_at_most_10_per_second(
    fake: FakeIntervals,
) -> None:
    async with client_for(fake, policy=RetryPolicy(total_seconds=60.0)) as client:
        results = await asyncio.gather(*(client.get_athlete(ATHLETE) for _ in range(50)))
    assert len(results) == 50
    times = sorted(r.at for r in fake.requests)
    assert len(times) == 50
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 10
    assert times[-1] - times[0] >= (50 - 10) / 10  # it really was spread out


async def test_views_share_the_counter_and_the_throttle(fake: FakeIntervals) -> None:
    async with client_for(fake, requests_per_second=4.0, burst=1) as client:
        quick = client.with_policy(RetryPolicy(total_seconds=3.0))
        await asyncio.gather(client.get_athlete(ATHLETE), quick.get_athlete(ATHLETE))
        assert client.request_count == quick.request_count == 2
    assert gaps(fake)[0] >= 0.2  # one bucket of 4/s for both views


# --- the key never leaks --------------------------------------------------------------------


async def test_an_upstream_echo_of_the_key_is_redacted_from_the_error(fake: FakeIntervals) -> None:
    async with client_for(fake) as client:
        with pytest.raises(InvalidRequestError) as caught:
            # Intervals.icu names an unknown wellness field in its refusal: here, the key.
            await client.update_wellness(ATHLETE, TODAY, {KEY: 1})
    assert KEY not in str(caught.value)
    assert "[redacted]" in str(caught.value)


async def test_a_short_key_does_not_mangle_messages(store: FakeStore) -> None:
    with FakeIntervals(store, api_key="k", rate_limit=None) as fake:
        async with client_for(fake, key="k") as client:
            with pytest.raises(NotFoundError) as caught:
                await client.get_event(ATHLETE, 999_999_999)
    assert "check the id" in str(caught.value)


async def test_the_key_is_in_no_log_line_error_or_repr(
    fake: FakeIntervals, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "uvicorn", "uvicorn.access", "uvicorn.error", "intervals_mcp"):
        caplog.set_level(logging.DEBUG, logger=name)  # even if someone quietened them earlier
    seen: list[str] = []
    fake.inject(Fault(kind="status", status=503, times=1, methods=frozenset({"GET"})))
    fake.inject(Fault(kind="rate_limit", retry_after=0.2, times=1))
    async with client_for(fake) as client, client_for(fake, key=WRONG_KEY) as wrong:
        seen += [repr(client), repr(client.with_policy(QUICK)), repr(wrong)]
        await client.get_athlete(ATHLETE)
        await client.list_activities(ATHLETE, TODAY - timedelta(days=30), TODAY)
        failures: list[UpstreamError] = []
        for call in (
            client.get_event(ATHLETE, 999_999_999),
            wrong.get_athlete(ATHLETE),
        ):
            with pytest.raises(UpstreamError) as caught:
                await call
            failures.append(caught.value)
        seen += [str(e) for e in failures] + [repr(e) for e in failures]
    seen += [caplog.text] + [r.getMessage() for r in caplog.records]
    assert any("intervals_mcp.api" in r.name for r in caplog.records)  # we did log
    assert any(" -> 503 " in r.getMessage() for r in caplog.records)
    for key in (KEY, WRONG_KEY):
        token = base64.b64encode(f"API_KEY:{key}".encode()).decode()
        for text in seen:
            assert key not in text
            assert token not in text


async def test_a_throttle_given_replaces_the_clients_own_bucket(fake: FakeIntervals) -> None:
    """A shared budget (any object with `acquire`) paces every request on the wire, retries
    and views included, instead of the in-process bucket."""

    class Counting:
        def __init__(self) -> None:
            self.calls = 0

        async def acquire(self) -> float:
            self.calls += 1
            return 0.0

    throttle = Counting()
    async with IntervalsClient(fake.base_url, SecretStr(KEY), throttle=throttle) as client:
        await client.get_athlete(ATHLETE)
        await client.with_policy(RetryPolicy(total_seconds=1.0)).list_wellness(ATHLETE, TODAY, TODAY)
    assert throttle.calls == len(fake.requests) == 2
