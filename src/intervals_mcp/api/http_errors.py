"""Turn an HTTP status and body from Intervals.icu into one of our errors (pure functions).

Each error is one sentence a person can act on. The upstream's own explanation (the Spring
`"error"` field) is kept when it says something useful, e.g. "Cannot read Strava activities
via the API". Nothing here ever sees the API key.
"""

from __future__ import annotations

import json
from typing import Any

from intervals_mcp.errors import (
    AuthenticationError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    UpstreamError,
    UpstreamUnavailableError,
)

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
