"""Values computed from the cache, kept while the database's generation does not move.

The generation (see `db.reader.CacheReader.generation`) changes whenever any connection, in
any process, commits. A value is kept only if the generation was the same before and after it
was computed, so a commit racing with the computation can never leave a stale value behind;
the moment the generation moves, everything kept is forgotten.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar, cast

T = TypeVar("T")

MEMO_ENTRIES = 256
"""Entries one memo keeps (oldest dropped first): a conversation re-asks a handful of things."""


class GenerationMemo:
    """With `generation=None` nothing is kept: every `get` computes (the plain path).
    Values are shared between callers: treat them as read-only."""

    def __init__(
        self, generation: Callable[[], Awaitable[int]] | None, *, max_entries: int = MEMO_ENTRIES
    ) -> None:
        self._generation = generation
        self._max = max_entries
        self._at: int | None = None
        self._values: dict[Hashable, Any] = {}
        self.hits = 0
        self.misses = 0

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        if self._generation is None:
            return await compute()
        before = await self._generation()
        if before != self._at:
            self._values.clear()
            self._at = before
        elif key in self._values:
            self.hits += 1
            return cast(T, self._values[key])
        self.misses += 1
        value = await compute()
        if await self._generation() == before:
            if len(self._values) >= self._max:
                del self._values[next(iter(self._values))]
            self._values[key] = value
        return value

    def clear(self) -> None:
        self._values.clear()
        self._at = None
