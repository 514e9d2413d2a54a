"""Knowing cheaply whether the cache file changed: a generation number and a memo keyed on it.

`DataGeneration` watches the file through a dedicated stdlib `sqlite3` connection that never
writes. SQLite's `PRAGMA data_version` on such a connection changes whenever ANY other
connection commits to the file: our own engine's pooled connections, an `intervals-mcp sync`
in another process, a second `Database` on the same file. A rolled-back transaction does not
change it. Reading it costs a few microseconds (a look at the WAL index), not a query plan.

`GenerationMemo` keeps the results of reads (or of anything computed purely from them) while
the generation stays the same, and forgets them all the moment it moves. A value is stored
only if the generation was the same before and after it was computed, so a commit racing
with the computation can never leave a stale value behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar, cast

from intervals_mcp.errors import StorageError

T = TypeVar("T")

MEMO_ENTRIES = 256
"""Entries one memo keeps (oldest dropped first): a conversation re-asks a handful of things."""


class DataGeneration:
    """A number that changes whenever another connection commits to the cache file.

    Use it from one thread (the event loop's): the connection is made where it is opened.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            # isolation_level=None: no implicit BEGIN, so the connection never holds a snapshot.
            self._conn: sqlite3.Connection | None = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise _error(self.path, exc) from None

    def current(self) -> int:
        if self._conn is None:
            raise self._closed()
        try:
            row = self._conn.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error as exc:
            raise self._failed(exc) from None
        return int(row[0])

    def _closed(self) -> StorageError:
        return StorageError(f"The cache database {self.path} was closed; restart intervals-mcp.")

    def _failed(self, exc: sqlite3.Error) -> StorageError:
        return _error(self.path, exc)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _error(path: Path, exc: sqlite3.Error) -> StorageError:
    from intervals_mcp.db.engine import storage_error

    return storage_error(path, exc)


class GenerationMemo:
    """Values computed from the cache, kept while its generation does not move.

    With `generation=None` nothing is kept: every `get` computes (the plain, uncached path).
    Values are shared between callers: treat them as read-only.
    """

    def __init__(self, generation: Callable[[], int] | None, *, max_entries: int = MEMO_ENTRIES) -> None:
        self._generation = generation
        self._max = max_entries
        self._at: int | None = None
        self._values: dict[Hashable, Any] = {}
        self.hits = 0
        self.misses = 0

    def get_now(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for `key` computed (synchronously) against the current state of the
        cache; a value during whose computing another connection committed is not kept."""
        if self._generation is None:
            return compute()
        before = self._generation()
        if before != self._at:
            self._values.clear()
            self._at = before
        elif key in self._values:
            self.hits += 1
            return cast(T, self._values[key])
        self.misses += 1
        value = compute()
        if self._generation() == before:
            if len(self._values) >= self._max:
                del self._values[next(iter(self._values))]
            self._values[key] = value
        return value

    def clear(self) -> None:
        self._values.clear()
        self._at = None
