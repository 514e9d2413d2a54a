"""Failures that can never succeed end quickly in one sentence (issue 10, items 2, 5 and 16):
nothing listening, a base URL without /api/v1, a body httpx cannot decode, and every other
httpx error mapped onto our own error tree. Real HTTP on 127.0.0.1 throughout.
"""

from __future__ import annotations

import gzip
import socket
import time
from datetime import date, timedelta

import httpx
import pytest
from pydantic import SecretStr

from intervals_mcp.api.client import USER_AGENT, IntervalsClient
from intervals_mcp.api.http_errors import error_for_transport
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.errors import (
    BaseUrlError,
    IntervalsMCPError,
    InvalidResponseError,
    NotFoundError,
    UpstreamConnectionError,
    UpstreamError,
    UpstreamTimeoutError,
    UpstreamUnreachableError,
)
from intervals_mcp.fake import FakeIntervals

from .conftest import ATHLETE, KEY, TODAY
from .local_http import LocalServer, Seen, json_answer

# A sync's patient budget: what cannot succeed must not use it up.
PATIENT = RetryPolicy(total_seconds=120.0, max_attempts=10, max_delay=1.0)

pytestmark = pytest.mark.anyio


def one_sentence(text: str) -> None:
    assert text and "\n" not in text and KEY not in text, text
    assert text.endswith(".") and ". " not in text, text


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- nothing listening ----------------------------------------------------------------------


async def test_connection_refused_is_retried_briefly_then_one_sentence() -> None:
    port = closed_port()
    started = time.monotonic()
    async with IntervalsClient(f"http://127.0.0.1:{port}/api/v1", SecretStr(KEY), policy=PATIENT) as c:
        with pytest.raises(UpstreamUnreachableError) as caught:
            await c.get_athlete(ATHLETE)
        attempts = c.request_count
    elapsed = time.monotonic() - started
    assert 2 <= attempts <= 3  # a couple of tries, not the whole budget's ten
    assert elapsed < 3.0  # seconds, not minutes
    message = str(caught.value)
    one_sentence(message)
    assert f"127.0.0.1:{port}" in message and "INTERVALS_API_BASE_URL" in message
    assert "refused" in message
    assert isinstance(caught.value, UpstreamConnectionError)  # callers' existing handling holds


async def test_a_write_to_nothing_listening_is_retried_too_since_it_never_arrived() -> None:
    port = closed_port()
    async with IntervalsClient(f"http://127.0.0.1:{port}/api/v1", SecretStr(KEY), policy=PATIENT) as c:
        with pytest.raises(UpstreamUnreachableError):
            await c.create_event(ATHLETE, {"category": "NOTE", "name": "x"})
        assert 2 <= c.request_count <= 3


# --- a base URL without /api/v1 (item 5) ----------------------------------------------------


@pytest.mark.parametrize(
    ("what", "path"), [("activities", "activities"), ("wellness", "wellness"), ("events", "events")]
)
async def test_a_404_on_a_list_path_says_the_base_url_is_wrong(
    fake: FakeIntervals, what: str, path: str
) -> None:
    base = fake.base_url.removesuffix("/api/v1")
    async with IntervalsClient(base, SecretStr(KEY), policy=PATIENT) as c:
        lister = {"activities": c.list_activities, "wellness": c.list_wellness, "events": c.list_events}
        with pytest.raises(BaseUrlError) as caught:
            await lister[what](ATHLETE, TODAY - timedelta(days=7), TODAY)
        assert c.request_count == 1  # never retried
    message = str(caught.value)
    one_sentence(message)
    assert message.startswith(f"Intervals.icu has no {what} at /athlete/{ATHLETE}/{path}: ")
    assert f"INTERVALS_API_BASE_URL should end in /api/v1 (it is {base})" in message
    assert not isinstance(caught.value, NotFoundError)  # nothing cached is dropped for it


async def test_a_404_on_a_list_path_under_api_v1_names_both_settings() -> None:
    with LocalServer(lambda seen: json_answer(b'{"status":404,"error":"Not Found"}', 404)) as server:
        base = server.url + "/api/v1"
        async with IntervalsClient(base, SecretStr(KEY), policy=PATIENT) as c:
            with pytest.raises(BaseUrlError) as caught:
                await c.list_activities(ATHLETE, TODAY, TODAY)
    one_sentence(str(caught.value))
    assert f"/api/v1/athlete/{ATHLETE}/activities" in str(caught.value)
    assert "ATHLETE_ID" in str(caught.value) and f"(it is {base})" in str(caught.value)


async def test_a_404_on_a_record_path_stays_no_such_record(fake: FakeIntervals) -> None:
    async with IntervalsClient(fake.base_url, SecretStr(KEY), policy=PATIENT) as c:
        with pytest.raises(NotFoundError) as caught:
            await c.get_activity("i999999999")
    assert "check the id" in str(caught.value)
    assert not isinstance(caught.value, BaseUrlError)


# --- item 16: what httpx raises is ours -----------------------------------------------------


async def test_a_body_that_cannot_be_decoded_is_an_invalid_response_retried_for_reads() -> None:
    broken = (200, {"Content-Type": "application/json", "Content-Encoding": "gzip"}, b"not gzip")
    with LocalServer(lambda seen: broken) as server:
        policy = RetryPolicy(total_seconds=5.0, max_attempts=3, base_delay=0.05, max_delay=0.1)
        async with IntervalsClient(server.url, SecretStr(KEY), policy=policy) as c:
            with pytest.raises(InvalidResponseError) as caught:
                await c.get_athlete(ATHLETE)
    one_sentence(str(caught.value))
    assert f"GET /athlete/{ATHLETE}" in str(caught.value)
    assert len(server.seen) == 3  # like any unreadable body: retried for a read


async def test_a_gzipped_body_is_read() -> None:
    good = (200, {"Content-Type": "application/json", "Content-Encoding": "gzip"},
            gzip.compress(b'{"id": "i1"}'))
    with LocalServer(lambda seen: good) as server:
        async with IntervalsClient(server.url, SecretStr(KEY)) as c:
            assert await c.get_athlete("i1") == {"id": "i1"}


def _all_httpx_errors() -> list[type[Exception]]:
    found: list[type[Exception]] = [httpx.InvalidURL]
    pending: list[type[Exception]] = [httpx.HTTPError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def _instance(cls: type[Exception]) -> Exception:
    request = httpx.Request("GET", "https://h.example/api/v1/athlete/i1")
    if cls is httpx.HTTPStatusError:
        return cls("x", request=request, response=httpx.Response(500, request=request))
    return cls("x")


@pytest.mark.parametrize("cls", _all_httpx_errors(), ids=lambda cls: cls.__name__)
def test_every_httpx_error_becomes_one_of_ours_in_one_sentence(cls: type[Exception]) -> None:
    error = error_for_transport(
        _instance(cls), "GET /athlete/i1", "https://h.example", 5.0
    )
    assert isinstance(error, UpstreamError)
    one_sentence(str(error))
    assert "GET /athlete/i1" in str(error)


@pytest.mark.parametrize(
    ("cls", "expected", "retryable"),
    [
        (httpx.ConnectError, UpstreamUnreachableError, True),
        (httpx.ConnectTimeout, UpstreamTimeoutError, True),
        (httpx.ReadTimeout, UpstreamTimeoutError, True),
        (httpx.ReadError, UpstreamConnectionError, True),
        (httpx.RemoteProtocolError, UpstreamConnectionError, True),
        (httpx.DecodingError, InvalidResponseError, True),
        (httpx.UnsupportedProtocol, BaseUrlError, False),
        (httpx.InvalidURL, BaseUrlError, False),
        (httpx.TooManyRedirects, BaseUrlError, False),
        (httpx.LocalProtocolError, UpstreamError, False),
    ],
)
def test_httpx_errors_map_by_what_can_help(
    cls: type[Exception], expected: type[IntervalsMCPError], retryable: bool
) -> None:
    error = error_for_transport(
        _instance(cls), "GET /athlete/i1", "https://h.example", 5.0
    )
    assert type(error) is expected
    assert error.retryable is retryable


async def test_a_base_url_httpx_cannot_use_is_one_sentence_at_once() -> None:
    async with IntervalsClient("ftp://h.example/api/v1", SecretStr(KEY), policy=PATIENT) as c:
        with pytest.raises(BaseUrlError) as caught:
            await c.get_athlete(ATHLETE)
        assert c.request_count <= 1
    one_sentence(str(caught.value))
    assert "INTERVALS_API_BASE_URL" in str(caught.value)


# --- what goes out on the wire --------------------------------------------------------------


async def test_the_user_agent_names_the_project_page() -> None:
    with LocalServer(lambda seen: json_answer()) as server:
        async with IntervalsClient(server.url, SecretStr(KEY)) as c:
            await c.get_athlete("i1")
    assert USER_AGENT.endswith("(+https://github.com/intervals-mcp/intervals-mcp)")
    assert [s.user_agent for s in server.seen] == [USER_AGENT]


async def test_activity_windows_end_explicitly_at_the_last_second_of_their_last_day() -> None:
    def answer(seen: Seen) -> tuple[int, dict[str, str], bytes]:
        return json_answer(b"[]")

    with LocalServer(answer) as server:
        async with IntervalsClient(server.url, SecretStr(KEY)) as c:
            await c.list_activities("i1", date(2026, 1, 1), date(2026, 1, 31), limit=5)
            await c.list_wellness("i1", date(2026, 1, 1), date(2026, 1, 31))
            await c.list_events("i1", date(2026, 1, 1), date(2026, 1, 31))
    activities, wellness, events = (s.target.split("?", 1)[1] for s in server.seen)
    # The activities list documents date-times: a bare `newest` read as midnight would lose the
    # last day's later activities, so the end of the day is sent explicitly.
    assert activities == "oldest=2026-01-01&newest=2026-01-31T23%3A59%3A59&limit=5"
    # Wellness and events document local dates, inclusive: sent as dates.
    assert wellness == "oldest=2026-01-01&newest=2026-01-31"
    assert events == "oldest=2026-01-01&newest=2026-01-31"
