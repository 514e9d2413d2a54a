"""The answer memo: found only under the same key AND the same digest of the records shown;
every call composes the memoised body with its own provenance."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

import pytest
from mcp.types import TextContent

from intervals_mcp.server.answers import AnswerMemo, Body, compose
from intervals_mcp.server.formatting import Framed
from intervals_mcp.server.schemas import Provenance

V = TypeVar("V")


def built(
    make: Callable[[], tuple[Hashable | None, V]],
) -> Callable[[], Awaitable[tuple[Hashable | None, V]]]:
    """An async builder returning what `make` returns."""

    async def build() -> tuple[Hashable | None, V]:
        return make()

    return build


@pytest.mark.anyio
async def test_an_answer_is_reused_only_for_the_same_records() -> None:
    memo: AnswerMemo[str] = AnswerMemo()
    made: list[str] = []

    def build(digest: Hashable, text: str) -> tuple[Hashable | None, str]:
        made.append(text)
        return digest, text

    assert await memo.get("k", ("a", "b"), built(lambda: build(("a", "b"), "v1"))) == "v1"
    assert await memo.get("k", ("a", "b"), built(lambda: build(("a", "b"), "never"))) == "v1"
    assert await memo.get("k", ("a", "c"), built(lambda: build(("a", "c"), "v2"))) == "v2"  # a record changed
    assert (
        await memo.get("other", ("a", "b"), built(lambda: build(("a", "b"), "v3"))) == "v3"
    )  # another question
    assert made == ["v1", "v2", "v3"] and memo.hits == 1


@pytest.mark.anyio
async def test_an_answer_is_stored_under_the_digest_it_was_built_from() -> None:
    memo: AnswerMemo[str] = AnswerMemo()
    # The records changed between the digest check and the build: the answer is the new one,
    # kept under the new digest, never under the old.
    assert await memo.get("k", "old", built(lambda: ("new", "built from new"))) == "built from new"
    assert await memo.get("k", "old", built(lambda: ("old", "built from old"))) == "built from old"
    assert await memo.get("k", "new", built(lambda: ("new", "never"))) == "built from new"
    assert await memo.get("k", "gone", built(lambda: (None, "not kept"))) == "not kept"
    assert await memo.get("k", None, built(lambda: (None, "still not kept"))) == "still not kept"


@pytest.mark.anyio
async def test_the_memo_is_bounded() -> None:
    memo: AnswerMemo[int] = AnswerMemo(max_entries=3)
    for i in range(5):
        await memo.get(i, "d", built(lambda i=i: ("d", i)))
    assert await memo.get(0, "d", built(lambda: ("d", -1))) == -1  # the oldest went
    assert await memo.get(4, "d", built(lambda: ("d", -1))) == 4


def test_compose_says_this_calls_provenance_in_a_shared_body() -> None:
    body = Body(Framed("Event 7", "date: 2026-10-14"), {"event_id": 7, "workout_steps": ["- 10:00"]})
    fresh = Provenance(source="upstream", as_of="2026-11-24T09:12:00+00:00")
    cached = Provenance(source="cache", as_of="2026-11-24T09:12:00+00:00")
    first = compose(body, "fresh from Intervals.icu", fresh)
    second = compose(body, "cached at 2026-11-24 09:12 UTC", cached)
    assert [c.text for c in first.content if isinstance(c, TextContent)] == [
        "Event 7; fresh from Intervals.icu.\ndate: 2026-10-14"
    ]
    assert [c.text for c in second.content if isinstance(c, TextContent)] == [
        "Event 7; cached at 2026-11-24 09:12 UTC.\ndate: 2026-10-14"
    ]
    assert first.structured_content == {
        "event_id": 7,
        "workout_steps": ["- 10:00"],
        "provenance": {
            "source": "upstream",
            "as_of": "2026-11-24T09:12:00+00:00",
            "refresh_error": None,
            "complete": True,
            "skipped": None,
        },
    }
    assert second.structured_content and second.structured_content["provenance"]["source"] == "cache"
    assert body.structured == {"event_id": 7, "workout_steps": ["- 10:00"]}  # the body stays as built
