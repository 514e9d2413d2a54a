"""The Intervals.icu HTTP client: HTTP only, no SQL; `sync/` is its only user."""

from intervals_mcp.api.client import IntervalsClient
from intervals_mcp.api.retry import RetryPolicy

__all__ = ["IntervalsClient", "RetryPolicy"]
