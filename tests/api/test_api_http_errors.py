"""Status codes and bodies become our errors, each one actionable sentence (pure functions)."""

from __future__ import annotations

import pytest

from intervals_mcp.api.http_errors import error_for_status, upstream_message
from intervals_mcp.errors import (
    AuthenticationError,
    BaseUrlError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    UpstreamError,
    UpstreamUnavailableError,
)

STRAVA = b'{"status":422,"error":"Cannot read Strava activities via the API"}'


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b'{"status":403,"error":"Access denied"}', "application/json", "Access denied"),
        (b'[{"status":422,"error":"Name is too long"}]', "application/json", "Name is too long"),
        (b'{"message":"Bad thing."}', "application/json", "Bad thing"),
        (b'{"status":500}', "application/json", None),
        (b"<html><body>Cloudflare says no</body></html>", "text/html", None),
        (b"<!DOCTYPE html><p>oops</p>", None, None),
        (b"plain\n  words", "text/plain", "plain words"),
        (b"", "application/json", None),
        (b"42", "application/json", None),
    ],
)
def test_upstream_message(body: bytes, content_type: str | None, expected: str | None) -> None:
    assert upstream_message(body, content_type) == expected


def test_upstream_message_is_clipped() -> None:
    text = upstream_message(b'{"error":"' + b"x" * 1000 + b'"}', "application/json")
    assert text is not None
    assert len(text) == 200
    assert text.endswith("…")


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, AuthenticationError),
        (403, AuthenticationError),
        (404, NotFoundError),
        (400, InvalidRequestError),
        (405, InvalidRequestError),
        (422, InvalidRequestError),
        (429, RateLimitedError),
        (500, UpstreamUnavailableError),
        (502, UpstreamUnavailableError),
        (503, UpstreamUnavailableError),
        (302, BaseUrlError),  # a redirect the client would not follow: never retried
        (304, BaseUrlError),
        (199, InvalidResponseError),
    ],
)
def test_status_maps_to_one_error_type_with_one_sentence(
    status: int, kind: type[UpstreamError]
) -> None:
    error = error_for_status(status, "get", "/athlete/i1/activities", "Something upstream")
    assert type(error) is kind
    assert error.status == status
    message = str(error)
    assert message.startswith("Intervals.icu ")
    assert message.endswith(".")
    assert "\n" not in message
    assert "GET /athlete/i1/activities" in message


def test_auth_error_says_where_to_fix_it() -> None:
    message = str(error_for_status(403, "GET", "/athlete/i1", "Access denied"))
    assert "API_KEY" in message
    assert "Developer Settings" in message
    assert "Access denied" in message


def test_strava_refusal_keeps_upstream_words_and_explains() -> None:
    error = error_for_status(422, "GET", "/activity/16358453283", upstream_message(STRAVA, None))
    assert isinstance(error, InvalidRequestError)
    assert "Cannot read Strava activities via the API" in str(error)
    assert "imported from Strava" in str(error)


def test_invalid_request_keeps_upstream_words() -> None:
    body = b'{"status":422,"error":"Required request parameter \'oldest\' is not present"}'
    error = error_for_status(422, "GET", "/athlete/i1/activities", upstream_message(body, None))
    assert "Required request parameter 'oldest' is not present" in str(error)


def test_rate_limit_carries_retry_after() -> None:
    with_header = error_for_status(429, "GET", "/x", None, retry_after=2.0)
    without = error_for_status(429, "GET", "/x", None)
    assert isinstance(with_header, RateLimitedError)
    assert isinstance(without, RateLimitedError)
    assert with_header.retry_after == 2.0
    assert "wait 2 seconds" in str(with_header)
    assert without.retry_after is None
    assert "a few seconds" in str(without)


def test_not_found_names_the_path() -> None:
    error = error_for_status(404, "GET", "/activity/i999", None)
    assert str(error) == "Intervals.icu has no record at GET /activity/i999: check the id."
