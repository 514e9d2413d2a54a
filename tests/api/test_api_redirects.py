"""Redirects over real HTTP (issue 10, item 2): a same-host redirect that keeps or upgrades the
scheme is followed and remembered; any other is named in one sentence at once, never retried,
and the key never goes to its target.

The redirecting servers are `LocalServer`s written for these tests (the fake does not redirect).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.redirects import MAX_REDIRECTS, may_follow
from intervals_mcp.api.retry import RetryPolicy
from intervals_mcp.errors import BaseUrlError

from .local_http import Answer, LocalServer, Seen, json_answer, redirect, self_signed_tls

KEY = "s3cr3t-KEY-do-not-leak"
# A sync's patient budget: a redirect that cannot succeed must not sit it out.
PATIENT = RetryPolicy(total_seconds=120.0, max_attempts=10, max_delay=1.0)

pytestmark = pytest.mark.anyio


def client(base_url: str, policy: RetryPolicy = PATIENT) -> IntervalsClient:
    return IntervalsClient(base_url, SecretStr(KEY), policy=policy, timeout=5.0)


def one_sentence(text: str) -> None:
    assert text and "\n" not in text and KEY not in text, text
    assert text.endswith(".") and text.count(". ") == 0, text


# --- the rule, as a pure function -----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "status", "current", "target", "follow"),
    [
        ("GET", 301, "http://h.example/api/v1/x", "https://h.example/api/v1/x", True),
        ("GET", 308, "http://h.example:8080/x", "https://h.example:8080/x", True),
        ("GET", 301, "http://h.example:8080/x", "https://h.example/x", True),  # https's default
        ("GET", 301, "http://h.example:8080/x", "https://h.example:8443/x", False),
        ("GET", 308, "https://h.example/x", "https://h.example/api/v1/x", True),
        ("GET", 302, "https://h.example/x", "https://H.EXAMPLE/api/v1/x", True),
        ("GET", 303, "https://h.example/x", "https://h.example/y", True),
        ("GET", 307, "http://h.example/x", "http://h.example/api/v1/x", True),
        ("GET", 301, "https://h.example/x", "http://h.example/x", False),  # a downgrade
        ("GET", 301, "http://h.example/x", "http://other.example/x", False),
        ("GET", 301, "http://127.0.0.1:1/x", "http://localhost:1/x", False),
        ("GET", 301, "http://h.example:1/x", "http://h.example:2/x", False),
        ("GET", 301, "https://h.example/x", "ftp://h.example/x", False),
        ("POST", 301, "https://h.example/x", "https://h.example/y", False),  # would become a GET
        ("PUT", 302, "https://h.example/x", "https://h.example/y", False),
        ("POST", 303, "https://h.example/x", "https://h.example/y", False),
        ("POST", 307, "http://h.example/x", "https://h.example/x", True),
        ("PUT", 308, "https://h.example/x", "https://h.example/api/v1/x", True),
        ("GET", 300, "https://h.example/x", "https://h.example/y", False),
    ],
)
def test_which_redirects_may_be_followed(
    method: str, status: int, current: str, target: str, follow: bool
) -> None:
    assert may_follow(method, status, httpx.URL(current), httpx.URL(target)) is follow


# --- followed -------------------------------------------------------------------------------


async def test_a_same_host_308_that_adds_the_path_is_followed_and_remembered() -> None:
    def answer(seen: Seen) -> Answer:
        if seen.path.startswith("/api/v1/"):
            return json_answer(b'{"id": "i1"}' if seen.path.endswith("/i1") else b"[]")
        return redirect(308, "/api/v1" + seen.target)

    with LocalServer(answer) as server:
        async with client(server.url) as c:
            athlete = await c.get_athlete("i1")
            listed = await c.list_wellness("i1", date(2026, 1, 1), date(2026, 1, 31))
            count = c.request_count
    assert athlete == {"id": "i1"} and listed == []
    assert [s.path for s in server.seen] == [
        "/athlete/i1",
        "/api/v1/athlete/i1",
        "/api/v1/athlete/i1/wellness",  # straight there: the new base was remembered
    ]
    assert count == 3
    assert all(s.authorization for s in server.seen)  # the same host throughout


async def test_an_http_to_https_upgrade_on_the_same_host_and_port_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert_file, tls = self_signed_tls(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # httpx trusts it for this client

    def answer(seen: Seen) -> Answer:
        if not seen.tls:
            return redirect(301, f"https://127.0.0.1:{server.port}{seen.target}")
        return json_answer(b'{"id": "i1"}' if seen.path.endswith("/i1") else b"[]")

    with LocalServer(answer, tls=tls) as server:
        async with client(server.url + "/api/v1") as c:
            athlete = await c.get_athlete("i1")
            events = await c.list_events("i1", date(2026, 1, 1), date(2026, 1, 7))
    assert athlete == {"id": "i1"} and events == []
    assert [(s.path, s.tls) for s in server.seen] == [
        ("/api/v1/athlete/i1", False),
        ("/api/v1/athlete/i1", True),
        ("/api/v1/athlete/i1/events", True),  # no more plain-text requests with the key
    ]


async def test_a_307_on_a_write_resends_the_same_method_and_body() -> None:
    def answer(seen: Seen) -> Answer:
        if seen.path.startswith("/api/v1/"):
            return json_answer(seen.body)
        return redirect(307, "/api/v1" + seen.target)

    with LocalServer(answer) as server:
        async with client(server.url) as c:
            saved = await c.update_wellness("i1", date(2026, 1, 5), {"soreness": 2})
    assert saved == {"soreness": 2}
    assert [(s.method, s.path) for s in server.seen] == [
        ("PUT", "/athlete/i1/wellness/2026-01-05"),
        ("PUT", "/api/v1/athlete/i1/wellness/2026-01-05"),
    ]


# --- refused --------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["another host", "another port"])
async def test_a_redirect_elsewhere_is_named_at_once_and_the_key_never_goes_there(where: str) -> None:
    with LocalServer(lambda seen: json_answer()) as elsewhere:
        host = "localhost" if where == "another host" else "127.0.0.1"
        target_base = f"http://{host}:{elsewhere.port}/api/v1"
        with LocalServer(lambda seen: redirect(301, target_base + seen.target)) as server:
            started = time.monotonic()
            async with client(server.url) as c:
                with pytest.raises(BaseUrlError) as caught:
                    await c.get_athlete("i1")
                count = c.request_count
            elapsed = time.monotonic() - started
    message = str(caught.value)
    one_sentence(message)
    assert message.startswith("Intervals.icu answered GET /athlete/i1 with a redirect to ")
    assert f"{target_base}/athlete/i1" in message
    assert f"set INTERVALS_API_BASE_URL to {target_base}" in message
    assert elsewhere.seen == []  # never followed, so the key never went there
    assert len(server.seen) == count == 1  # never retried
    assert elapsed < 2.0


async def test_an_https_to_http_downgrade_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert_file, tls = self_signed_tls(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))

    def answer(seen: Seen) -> Answer:
        if seen.tls:
            return redirect(302, f"http://127.0.0.1:{server.port}{seen.target}")
        return json_answer()

    with LocalServer(answer, tls=tls) as server:
        async with client(server.tls_url + "/api/v1") as c:
            with pytest.raises(BaseUrlError) as caught:
                await c.get_athlete("i1")
    one_sentence(str(caught.value))
    assert f"http://127.0.0.1:{server.port}/api/v1/athlete/i1" in str(caught.value)
    assert [s.tls for s in server.seen] == [True]


async def test_a_write_redirected_with_301_is_not_resent_as_something_else() -> None:
    with LocalServer(lambda seen: redirect(301, "/api/v1" + seen.target)) as server:
        async with client(server.url) as c:
            with pytest.raises(BaseUrlError) as caught:
                await c.create_event("i1", {"category": "NOTE", "name": "x"})
    one_sentence(str(caught.value))
    assert "POST /athlete/i1/events" in str(caught.value)
    assert [s.method for s in server.seen] == ["POST"]


async def test_a_redirect_loop_gives_up_after_a_few_hops_without_retrying() -> None:
    def answer(seen: Seen) -> Answer:
        hop = int(seen.target.rsplit("hop=", 1)[1]) if "hop=" in seen.target else 0
        return redirect(302, f"{seen.path}?hop={hop + 1}")

    with LocalServer(answer) as server:
        async with client(server.url + "/api/v1") as c:
            with pytest.raises(BaseUrlError) as caught:
                await c.get_athlete("i1")
    one_sentence(str(caught.value))
    assert "redirects" in str(caught.value) and "INTERVALS_API_BASE_URL" in str(caught.value)
    assert len(server.seen) == 1 + MAX_REDIRECTS


async def test_a_redirect_without_a_target_is_one_sentence_at_once() -> None:
    with LocalServer(lambda seen: (302, {}, b"")) as server:
        async with client(server.url + "/api/v1") as c:
            with pytest.raises(BaseUrlError) as caught:
                await c.get_athlete("i1")
    one_sentence(str(caught.value))
    assert "INTERVALS_API_BASE_URL" in str(caught.value)
    assert len(server.seen) == 1
