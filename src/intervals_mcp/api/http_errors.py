"""Turn what Intervals.icu answered, or what httpx raised, into one of our errors (pure).

Each error is one sentence a person can act on. The upstream's own explanation (the Spring
`"error"` field) is kept when it says something useful, e.g. "Cannot read Strava activities
via the API". Nothing here ever sees the API key.
"""

from __future__ import annotations

import json
import socket
import ssl
from typing import Any

import httpx

from intervals_mcp.config import DEFAULT_BASE_URL
from intervals_mcp.errors import (
    AuthenticationError,
    BaseUrlError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    UpstreamConnectionError,
    UpstreamError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
    UpstreamUnreachableError,
)

Json = dict[str, Any] | list[Any]

_MAX_UPSTREAM_TEXT = 200
KEY_PLACE = "intervals.icu, Settings, Developer Settings"


def upstream_message(body: bytes, content_type: str | None) -> str | None:
    """The upstream's explanation from an error body, or None when it gave none worth showing.

    Spring answers `{"status": 422, "error": "..."}` (sometimes wrapped in a list); an HTML
    page (a proxy or Cloudflare) says nothing a person can act on, so it is dropped.
    """
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return None
    try:
        data: Any = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        data = data[0]
    if isinstance(data, dict):
        for key in ("error", "message", "detail"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return _clip(value)
        return None
    if data is not None:
        return None
    if "html" in (content_type or "").lower() or text.lstrip().startswith("<"):
        return None
    return _clip(text)


def _clip(text: str) -> str:
    one_line = " ".join(text.split()).rstrip(".")
    if len(one_line) > _MAX_UPSTREAM_TEXT:
        one_line = one_line[: _MAX_UPSTREAM_TEXT - 1].rstrip() + "…"
    return one_line


def error_for_status(
    status: int,
    method: str,
    path: str,
    upstream: str | None,
    retry_after: float | None = None,
) -> UpstreamError:
    """The error for a non-2xx answer to `method path` (the path only, never the full URL)."""
    where = f"{method.upper()} {path}"
    if status in (401, 403):
        return AuthenticationError(
            f"Intervals.icu rejected the API key for {where} ({status}{_q(upstream)}): check "
            f"API_KEY and ATHLETE_ID (both shown at {KEY_PLACE}).",
            status=status,
        )
    if status == 404:
        return NotFoundError(
            f"Intervals.icu has no record at {where}{_q(upstream, ' (', ')')}: check the id.",
            status=status,
        )
    if status == 429:
        wait = f"{retry_after:g} seconds" if retry_after is not None else "a few seconds"
        return RateLimitedError(
            f"Intervals.icu is rate-limiting requests ({where}): wait {wait} and try again.",
            retry_after=retry_after,
        )
    if status >= 500:
        return UpstreamUnavailableError(
            f"Intervals.icu answered {where} with a server error ({status}{_q(upstream)}): "
            "try again in a few minutes.",
            status=status,
        )
    if 300 <= status < 400:  # a redirect the client did not follow, or one without a target
        return BaseUrlError(
            f"Intervals.icu answered {where} with status {status} and no usable redirect target: "
            "check INTERVALS_API_BASE_URL.",
            status=status,
        )
    if upstream and "strava" in upstream.lower():
        return InvalidRequestError(
            f'Intervals.icu refused {where}: "{upstream}"; activities imported from Strava '
            "can only be listed, not read in detail, so open this one on intervals.icu or "
            "Strava instead.",
            status=status,
        )
    if 400 <= status < 500:
        return InvalidRequestError(
            f"Intervals.icu refused {where} as invalid ({status}{_q(upstream)}): check the "
            "dates, ids and fields given.",
            status=status,
        )
    return InvalidResponseError(
        f"Intervals.icu answered {where} with unexpected status {status}: check "
        "INTERVALS_API_BASE_URL.",
        status=status,
    )


def _q(upstream: str | None, before: str = ": ", after: str = "") -> str:
    """The upstream's words, quoted, for inside our sentence (nothing when it said nothing)."""
    return f'{before}"{upstream}"{after}' if upstream else ""


def list_not_found(what: str, url_path: str, base_url: str) -> BaseUrlError:
    """A 404 on a list path: the base URL is wrong (most often, `/api/v1` is missing)."""
    where = f"Intervals.icu has no {what} at {url_path}"
    if not base_url.rstrip("/").endswith("/api/v1"):
        return BaseUrlError(
            f"{where}: INTERVALS_API_BASE_URL should end in /api/v1 (it is {base_url}).", status=404
        )
    return BaseUrlError(
        f"{where}: check INTERVALS_API_BASE_URL (it is {base_url}) and ATHLETE_ID.", status=404
    )


def redirect_refused(where: str, target: str, suggestion: str | None, base_url: str) -> BaseUrlError:
    """A redirect the client will not follow, named with its target (the key was not sent)."""
    advice = (
        f"the API key was not sent there; if that is the right address, set "
        f"INTERVALS_API_BASE_URL to {suggestion}"
        if suggestion
        else f"the API key was not sent there; check INTERVALS_API_BASE_URL (it is {base_url})"
    )
    return BaseUrlError(f"Intervals.icu answered {where} with a redirect to {target}: {advice}.")


def too_many_redirects(where: str, hops: int, last: str, base_url: str) -> BaseUrlError:
    return BaseUrlError(
        f"Intervals.icu answered {where} with more than {hops} redirects (the last to {last}): "
        f"check INTERVALS_API_BASE_URL (it is {base_url})."
    )


# What httpx raised, first match wins: the error type and its sentence. Timeouts and dropped
# connections may mend (retried for reads); a connection never made rarely does (retried
# briefly); an address httpx cannot use never does.
_Kinds = type[Exception] | tuple[type[Exception], ...]
_TRANSPORT_ERRORS: tuple[tuple[_Kinds, type[UpstreamError], str], ...] = (
    (
        httpx.TimeoutException,
        UpstreamTimeoutError,
        "Intervals.icu did not answer {where} within {timeout:g} seconds: try again later.",
    ),
    (
        httpx.ConnectError,
        UpstreamUnreachableError,
        "Intervals.icu could not be reached at {origin} for {where} ({why}): check "
        "INTERVALS_API_BASE_URL and the network connection.",
    ),
    (
        (httpx.UnsupportedProtocol, httpx.InvalidURL),
        BaseUrlError,
        "{where} cannot be sent to {origin}, which is not an http or https address: set "
        f"INTERVALS_API_BASE_URL to one like {DEFAULT_BASE_URL}.",
    ),
    (
        httpx.TooManyRedirects,
        BaseUrlError,
        "Intervals.icu answered {where} with too many redirects: check INTERVALS_API_BASE_URL.",
    ),
    (
        httpx.DecodingError,
        InvalidResponseError,
        "Intervals.icu answered {where} with a body that could not be decoded: try again later.",
    ),
    (
        httpx.LocalProtocolError,
        UpstreamError,
        "{where} could not be sent ({name}): this is a bug in intervals-mcp, please report it.",
    ),
    (
        httpx.TransportError,
        UpstreamConnectionError,
        "Intervals.icu could not be reached for {where} ({name}): check the network connection "
        "and INTERVALS_API_BASE_URL.",
    ),
    (Exception, UpstreamError, "Intervals.icu could not be asked {where} ({name}): try again later."),
)


def error_for_transport(exc: Exception, where: str, origin: str, timeout: float) -> UpstreamError:
    """Our error for what httpx raised while sending `where` to `origin` (scheme, host, port)."""
    kind, template = next((k, t) for c, k, t in _TRANSPORT_ERRORS if isinstance(exc, c))
    why = _connect_failure(exc) if isinstance(exc, httpx.ConnectError) else ""
    return kind(
        template.format(
            where=where,
            origin=origin or "INTERVALS_API_BASE_URL",
            timeout=timeout,
            name=type(exc).__name__,
            why=why,
        )
    )


def _connect_failure(exc: BaseException) -> str:
    """Why a connection could not be made, in a few words, from the exception's causes."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, socket.gaierror):
            return "no such host"
        if isinstance(seen, ssl.SSLError):
            return "secure connection failed"
        seen = seen.__cause__ or seen.__context__
    return "could not connect"


_JSON_KINDS: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
}


def decode_json(
    content: bytes,
    content_type: str | None,
    expect: type[dict[Any, Any]] | type[list[Any]],
    where: str,
) -> Json:
    """Parse a success body, insisting on the top-level JSON type the endpoint promises."""
    kind = "an object" if expect is dict else "a list"
    try:
        data = json.loads(content) if content.strip() else None
    except ValueError:
        looks = "an HTML page" if "html" in (content_type or "").lower() else "text"
        raise InvalidResponseError(
            f"Intervals.icu answered {where} with {looks} instead of JSON: try again later.",
        ) from None
    if not isinstance(data, expect):
        got = _JSON_KINDS.get(type(data), "an empty body")
        raise InvalidResponseError(
            f"Intervals.icu answered {where} with {got} instead of {kind}: try again later.",
        )
    return data
