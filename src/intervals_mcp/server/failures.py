"""Every expected failure of a tool call as one sentence the model can act on.

The SDK shows the model only a `ToolError`'s message (anything else becomes "Error executing
tool"), so the templates run each call inside `tool_errors` (a read) or `write_errors` (a
write), which turn our error tree into `ToolError`s. None of the sentences ever holds the API
key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import TYPE_CHECKING

from mcp.server.mcpserver.exceptions import ToolError

from intervals_mcp.errors import (
    AccessDeniedError,
    AuthenticationError,
    ConfigError,
    InputError,
    InvalidRequestError,
    NotFoundError,
    StorageError,
    UpstreamError,
    WriteOutcomeUnknownError,
)

if TYPE_CHECKING:
    from intervals_mcp.server.app import AppState

NOT_WRITTEN = "Nothing was written"

# Intervals.icu answers a wrong key and a wrong ATHLETE_ID alike ("Access denied"), so the
# sentence names both; an athlete the key may not see is told apart by `Services.rejection`.
KEY_REJECTED = (
    "Intervals.icu rejected the API key: check API_KEY and ATHLETE_ID in the server's environment "
    "(both are at intervals.icu, Settings, Developer Settings) and restart the server."
)


def rejected(exc: AuthenticationError) -> str:
    """What to say when Intervals.icu answers 401/403: about the athlete when the key was seen to
    work for the configured one (AccessDeniedError), else about the key."""
    return str(exc) if isinstance(exc, AccessDeniedError) else KEY_REJECTED


async def told_apart(state: AppState | None, asked: str, exc: AuthenticationError) -> AuthenticationError:
    """A rejected key while asking about `asked`: a wrong key told apart from a key that may not
    see that athlete (one probe, `Services.rejection`), when the services are open."""
    services = state.opened if state is not None else None
    return exc if services is None else await services.rejection(asked, exc)


class tool_errors:
    """Map our error tree onto ToolError sentences; `nothing_cached` starts the sentence when
    upstream failed and the cache had nothing to answer with ("No activity for this range").

    `with tool_errors(...)` maps; `async with tool_errors(..., state=st)` first tells a wrong
    key from a key that may not see the athlete asked about (one probe, `Services.rejection`).
    """

    def __init__(
        self, nothing_cached: str, configured: str, asked: str | None, *, state: AppState | None = None
    ) -> None:
        self.nothing_cached = nothing_cached
        self.configured = configured
        self.asked = asked
        self.state = state

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is not None:
            self._say(exc)

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            return
        if isinstance(exc, AuthenticationError):
            exc = await told_apart(self.state, self.asked or self.configured, exc)
        self._say(exc)

    def _say(self, exc: BaseException) -> None:
        """Raise the ToolError that says `exc` (return: not ours to say, it propagates)."""
        if isinstance(exc, ToolError):
            return
        if isinstance(exc, InputError | ConfigError | StorageError | NotFoundError | InvalidRequestError):
            raise ToolError(str(exc)) from None
        if isinstance(exc, AuthenticationError):
            raise ToolError(rejected(exc)) from None
        if isinstance(exc, UpstreamError):
            raise ToolError(f"{self.nothing_cached} is in the cache to answer from: {exc}") from None


@asynccontextmanager
async def write_errors(
    configured: str, asked: str | None, state: AppState | None = None
) -> AsyncIterator[None]:
    """Every expected failure of a write as one sentence; upstream ones say nothing was written,
    or (after a lost answer) that it may have been and that repeating the call is safe. A
    rejected key is told apart from a key that may not write for that athlete (`told_apart`)."""
    try:
        yield
    except ToolError:
        raise
    except WriteOutcomeUnknownError as exc:
        raise ToolError(str(exc)) from None
    except (InputError, ConfigError, StorageError) as exc:
        raise ToolError(str(exc)) from None
    except AuthenticationError as exc:
        said = rejected(await told_apart(state, asked or configured, exc))
        raise ToolError(f"{NOT_WRITTEN}: {said}") from None
    except UpstreamError as exc:
        raise ToolError(f"{NOT_WRITTEN}: {exc}") from None
