"""A bounded memo of tool answers less their provenance, addressed by what they are made of.

An answer is a body (the text around the provenance, and the structured content minus its
`provenance` field) plus the provenance of the call. The body is a pure function of the tool,
its normalised arguments and the cached records it shows, so the memo keys it by those
arguments and the digests of the records (read from the cache on every call); `compose` then
says this call's provenance in it. A repeat is therefore answered from memo whether its data
is "fresh from Intervals.icu" or "cached at ...", and the formatters' cuts never depend on the
provenance (see `formatting.Framed`). A write by anyone that changes a record changes its
digest, so a changed record can never be answered from memo, while writes to unrelated
records or ranges leave the memo useful. Nothing needs invalidating; the oldest entries go.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from mcp.types import CallToolResult, TextContent

from intervals_mcp.server.formatting import Framed
from intervals_mcp.server.schemas import Provenance

V = TypeVar("V")

MAX_ANSWERS = 256


@dataclass(frozen=True, slots=True)
class Body:
    """An answer without its provenance (never mutated: every call composes a new result)."""

    text: Framed
    structured: dict[str, Any]  # the structured content without its "provenance" field


def compose(body: Body, said: str, prov: Provenance) -> CallToolResult:
    """The result of one call: the memoised body with this call's provenance in it."""
    return CallToolResult(
        content=[TextContent(type="text", text=body.text.say(said))],
        structured_content={**body.structured, "provenance": prov.model_dump(mode="json")},
    )


class AnswerMemo(Generic[V]):
    def __init__(self, max_entries: int = MAX_ANSWERS) -> None:
        self._max = max_entries
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self.hits = 0
        self.misses = 0

    async def get(
        self, key: Hashable, digest: Hashable, build: Callable[[], Awaitable[tuple[Hashable | None, V]]]
    ) -> V:
        """The answer for (key, digest); on a miss `build()` reads the records itself and returns
        (their digest, the answer), stored under that digest (None: not stored)."""
        found = self._values.get((key, digest))
        if found is not None:
            self._values.move_to_end((key, digest))
            self.hits += 1
            return found
        self.misses += 1
        built_digest, value = await build()
        if built_digest is not None:
            self._values[(key, built_digest)] = value
            if len(self._values) > self._max:
                self._values.popitem(last=False)
        return value
