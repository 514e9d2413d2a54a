"""Pure parts of the fake: auth check, token bucket, faults, fitness, date shifts."""

from __future__ import annotations

import base64
import json
import math
from datetime import date, timedelta

import pytest

from intervals_mcp.fake import Fault, RateLimit
from intervals_mcp.fake.demo import shift_text
from intervals_mcp.fake.faults import FaultQueue, damage_body
from intervals_mcp.fake.fitness import fitness_series
from intervals_mcp.fake.gateway import auth_failure
from intervals_mcp.fake.ratelimit import TokenBucket
from intervals_mcp.fake.timefmt import iso_utc, parse_utc


def _basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, 401), ("", 401), (_basic("API_KEY:"), 401), (_basic("API_KEY"), 401),
     ("Basic !!!notbase64", 401), (_basic("API_KEY:k"), None), (_basic("API_KEY:x"), 403),
     (_basic("i12345:k"), 403), ("Bearer k", 403), (_basic("API_KEY:k:extra"), 403)],
)
def test_auth_failure(header: str | None, expected: int | None) -> None:
    assert auth_failure(header, "k") == expected


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_the_burst_then_refills_at_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(RateLimit(per_second=10, burst=20), clock)
    assert all(bucket.try_acquire() for _ in range(20))
    assert not bucket.try_acquire()
    clock.now += 0.1  # one token back
    assert bucket.try_acquire()
    assert not bucket.try_acquire()
    clock.now += 60  # refills to the burst, no further
    assert sum(bucket.try_acquire() for _ in range(30)) == 20


def test_fault_queue_matching_and_uses() -> None:
    queue = FaultQueue()
    queue.add(Fault(kind="status", status=500, times=2, methods=frozenset({"put"}),
                    path_contains="/wellness"))
    queue.add(Fault(kind="html"))
    assert queue.take("PUT", "/api/v1/athlete/0/events/1") is not None  # falls to the html one
    assert queue.take("GET", "/api/v1/athlete/0/wellness") is None
    first = queue.take("PUT", "/api/v1/athlete/0/wellness/2026-01-01")
    assert first is not None and first.status == 500
    assert queue.pending()[0][1] == 1
    assert queue.take("PUT", "/x/wellness") is not None
    assert queue.pending() == []
    with pytest.raises(ValueError):
        queue.add(Fault(kind="reset", times=0))


def test_damage_body() -> None:
    body = json.dumps([{"id": "i1", "name": "A", "type": "Ride"}]).encode()
    assert json.loads(damage_body(body, Fault(kind="null_fields"))) == [
        {"id": "i1", "name": None, "type": None}]
    assert json.loads(damage_body(body, Fault(kind="missing_fields", fields=frozenset({"type"})))) == [
        {"id": "i1", "name": "A"}]
    truncated = damage_body(body, Fault(kind="truncated_json"))
    assert body.startswith(truncated) and len(truncated) < len(body)
    assert damage_body(b"<html>", Fault(kind="null_fields")) == b"<html>"


def test_fitness_follows_the_exponential_model() -> None:
    first = date(2026, 1, 1)
    loads = {first + timedelta(days=n): 100.0 for n in range(400)}
    series = fitness_series(loads, first, first + timedelta(days=399))
    day_one = series[first]
    assert day_one.ctl == pytest.approx(100 * (1 - math.exp(-1 / 42)), abs=1e-4)
    assert day_one.atl == pytest.approx(100 * (1 - math.exp(-1 / 7)), abs=1e-4)
    settled = series[first + timedelta(days=399)]
    assert settled.ctl == pytest.approx(100, abs=0.1) and settled.atl == pytest.approx(100, abs=0.01)
    week = series[first + timedelta(days=13)]
    assert week.ramp_rate == pytest.approx(week.ctl - series[first + timedelta(days=6)].ctl, abs=1e-4)
    rest = fitness_series({}, first, first + timedelta(days=6), start=(50.0, 60.0))
    assert rest[first + timedelta(days=6)].ctl < 50 and rest[first].ramp_rate < 0


def test_timestamps_and_date_shifts_keep_their_form() -> None:
    stamp = "2026-04-16T05:10:24.107+00:00"
    assert iso_utc(parse_utc(stamp)) == stamp
    week = timedelta(days=7)
    assert shift_text(stamp, week) == "2026-04-23T05:10:24.107+00:00"
    assert shift_text("2026-10-12T06:31:05Z", week) == "2026-10-19T06:31:05Z"
    assert shift_text("2026-10-12T07:31:05", week) == "2026-10-19T07:31:05"
    assert shift_text("2026-10-12", -week) == "2026-10-05"
    assert shift_text(None, week) is None
