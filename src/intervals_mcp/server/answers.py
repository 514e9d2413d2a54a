"""A bounded memo of whole tool answers, addressed by what they are made of.

The key names everything an answer is a pure function of: the tool, its normalised arguments,
the provenance just computed for this call, and the digests of the cached records the answer
shows (read from the cache on every call). A write by anyone that changes a record changes its
digest, so a changed record can never be answered from memo, while writes to unrelated records
or ranges leave the memo useful. Nothing needs invalidating; the oldest entries simply go.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")

MAX_ANSWERS = 256


class AnswerMemo(Generic[V]):
    def __init__(self, max_entries: int = MAX_ANSWERS) -> None:
        self._max = max_entries
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, digest: Hashable, build: Callable[[], tuple[Hashable | None, V]]) -> V:
        """The answer for (key, digest); on a miss `build()` reads the records itself and returns
        (their digest, the answer), stored under that digest (None: not stored)."""
        found = self._values.get((key, digest))
        if found is not None:
            self._values.move_to_end((key, digest))
            self.hits += 1
            return found
        self.misses += 1
        built_digest, value = build()
        if built_digest is not None:
            self._values[(key, built_digest)] = value
            if len(self._values) > self._max:
                self._values.popitem(last=False)
        return value
