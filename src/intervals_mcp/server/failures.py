"""Every expected failure of a tool call as one sentence the model can act on.

The SDK shows the model only a `ToolError`'s message (anything else becomes "Error executing
tool"), so the templates run each call inside `tool_errors`, which turns our error tree into
`ToolError`s. None of the sentences ever holds the API key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mcp.server.mcpserver.exceptions import ToolError

from intervals_mcp.errors import (
    AuthenticationError,
    ConfigError,
    InputError,
    InvalidRequestError,
    NotFoundError,
    StorageError,
    UpstreamError,
)

# A 403 for the configured athlete means a wrong key or a wrong ATHLETE_ID (Intervals.icu
# answers both with "Access denied"), so the sentence names both.
KEY_REJECTED = (
    "Intervals.icu rejected the API key: check API_KEY and ATHLETE_ID in the server's environment "
    "(both are at intervals.icu, Settings, Developer Settings) and restart the server."
)


def rejected(asked: str | None, configured: str, status: int | None) -> str:
    """What to say when Intervals.icu answers 401/403: for another athlete than the configured
    one (a coach asking about an athlete), the key may be fine but not allowed to see them."""
    athlete = (asked or "").strip()
    if athlete and athlete != configured and status in (401, 403):
        return (
            f"Intervals.icu refused access to athlete {athlete} with this API key: the key's owner "
            "must be that athlete or their coach, so check the athlete id."
        )
    return KEY_REJECTED


@contextmanager
def tool_errors(nothing_cached: str, configured: str, asked: str | None) -> Iterator[None]:
    """Map our error tree onto ToolError sentences; `nothing_cached` starts the sentence when
    upstream failed and the cache had nothing to answer with ("No activity for this range")."""
    try:
        yield
    except ToolError:
        raise
    except (InputError, ConfigError, StorageError, NotFoundError, InvalidRequestError) as exc:
        raise ToolError(str(exc)) from None
    except AuthenticationError as exc:
        raise ToolError(rejected(asked, configured, exc.status)) from None
    except UpstreamError as exc:
        raise ToolError(f"{nothing_cached} is in the cache to answer from: {exc}") from None
