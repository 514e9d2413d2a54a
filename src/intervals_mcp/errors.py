"""One small tree of error types.

Every error carries one sentence a person can act on: what went wrong and what to do. None of
them ever includes the API key. The class docstring is the default message.
"""

from __future__ import annotations


class IntervalsMCPError(Exception):
    """Something went wrong in intervals-mcp."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())

    @property
    def message(self) -> str:
        return str(self)


class ConfigError(IntervalsMCPError):
    """The configuration is incomplete or invalid; check the environment variables."""


# --- upstream (the Intervals.icu API) -------------------------------------------------------


class UpstreamError(IntervalsMCPError):
    """Intervals.icu did not answer as expected; try again later."""

    retryable: bool = False

    def __init__(self, message: str | None = None, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AuthenticationError(UpstreamError):
    """Intervals.icu rejected the API key; check API_KEY (intervals.icu, Settings, Developer Settings)."""


class AccessDeniedError(AuthenticationError):
    """The API key works, but Intervals.icu refused it for this athlete; check the athlete id."""

    # Intervals.icu answers a wrong key and a foreign athlete alike (403 "Access denied"); this
    # one is raised only after the key was seen to work for the configured athlete.


class NotFoundError(UpstreamError):
    """Intervals.icu has no such record; check the id."""


class InvalidRequestError(UpstreamError):
    """Intervals.icu refused the request as invalid; check the dates and ids given."""


class RateLimitedError(UpstreamError):
    """Intervals.icu is rate-limiting requests; wait a few seconds and try again."""

    retryable = True

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = 429,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class UpstreamUnavailableError(UpstreamError):
    """Intervals.icu is unavailable right now (server error); try again in a few minutes."""

    retryable = True


class UpstreamTimeoutError(UpstreamError):
    """Intervals.icu did not answer in time; try again later."""

    retryable = True


class UpstreamConnectionError(UpstreamError):
    """Intervals.icu could not be reached; check the network connection and INTERVALS_API_BASE_URL."""

    retryable = True


class UpstreamUnreachableError(UpstreamConnectionError):
    """Nothing answered at INTERVALS_API_BASE_URL; check it and the network connection."""

    # Retried only briefly (RetryPolicy.connect_attempts): a refused connection or an unknown
    # host rarely mends itself within a call, and the request never arrived, so even a write
    # may be sent again.


class BaseUrlError(UpstreamError):
    """Intervals.icu is not at INTERVALS_API_BASE_URL; set it to https://intervals.icu/api/v1."""

    # Never retried: a redirect elsewhere, a 404 on a list or an unusable URL is the same on
    # every try, for every request.


STOPS_A_SYNC: tuple[type[UpstreamError], ...] = (AuthenticationError, BaseUrlError, UpstreamUnreachableError)
"""Failures that every other request would meet the same way (a rejected key, a wrong or unusable
INTERVALS_API_BASE_URL, nothing answering there): a sync stops at the first instead of failing
each window in turn."""


class InvalidResponseError(UpstreamError):
    """Intervals.icu sent a response that is not the JSON expected; try again later."""

    retryable = True


class WriteOutcomeUnknownError(UpstreamError):
    """The answer to a write was lost, so Intervals.icu may have applied it; repeating the same
    call is safe."""

    # Raised by the write service when a write request reached Intervals.icu but its answer did
    # not come back whole (a timeout, a dropped connection, a server error, an unreadable body).


# --- local storage ---------------------------------------------------------------------------


class StorageError(IntervalsMCPError):
    """The local cache database could not be used; run `intervals-mcp db reset` to rebuild it."""


# --- user input ------------------------------------------------------------------------------


class InputError(IntervalsMCPError):
    """An argument is invalid; check the values given."""


class OwnershipError(InputError):
    """That record belongs to another athlete; ask with that athlete's id."""
