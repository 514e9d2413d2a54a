"""The client's small pure pieces: date format, auth header, reprs, argument checks."""

from __future__ import annotations

import base64
import re
from datetime import date, datetime

import httpx
import pytest
from pydantic import SecretStr

from intervals_mcp import __version__
from intervals_mcp.api.client import USER_AGENT, ApiKeyAuth, IntervalsClient, format_day
from intervals_mcp.api.retry import RetryPolicy

KEY = "s3cr3t-KEY-do-not-leak"


def test_days_go_out_as_plain_iso_dates() -> None:
    assert format_day(date(2026, 1, 5)) == "2026-01-05"
    assert format_day(datetime(2026, 1, 5, 23, 59)) == "2026-01-05"


def test_user_agent_names_the_project_and_version() -> None:
    assert re.fullmatch(rf"intervals-mcp/{re.escape(__version__)} \(\+https://\S+\)", USER_AGENT)


def test_auth_header_is_api_key_basic_auth_built_at_send_time() -> None:
    auth = ApiKeyAuth(SecretStr(KEY))
    request = httpx.Request("GET", "http://127.0.0.1/api/v1/athlete/0")
    sent = next(auth.auth_flow(request))
    scheme, token = sent.headers["Authorization"].split(" ")
    assert scheme == "Basic"
    assert base64.b64decode(token).decode() == f"API_KEY:{KEY}"
    assert KEY not in repr(auth)
    assert KEY not in repr(sent.headers)  # httpx masks the Authorization header


@pytest.mark.anyio
async def test_reprs_never_show_the_key() -> None:
    async with IntervalsClient("http://127.0.0.1:9/api/v1", SecretStr(KEY)) as client:
        view = client.with_policy(RetryPolicy(total_seconds=2))
        token = base64.b64encode(f"API_KEY:{KEY}".encode()).decode()
        for text in (repr(client), str(client), repr(view), repr(vars(client))):
            assert KEY not in text
            assert token not in text


def test_a_plain_string_key_is_refused() -> None:
    with pytest.raises(TypeError, match="SecretStr"):
        IntervalsClient("http://127.0.0.1:9/api/v1", KEY)  # type: ignore[arg-type]


def test_nonsense_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        IntervalsClient("http://127.0.0.1:9/api/v1", SecretStr(KEY), timeout=0)
    with pytest.raises(ValueError):
        IntervalsClient("http://127.0.0.1:9/api/v1", SecretStr(KEY), max_concurrency=0)
