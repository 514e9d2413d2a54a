"""The answer memo: found only under the same key AND the same digest of the records shown;
every call composes the memoised body with its own provenance."""

from __future__ import annotations

from collections.abc import Hashable

from mcp.types import TextContent

from intervals_mcp.server.answers import AnswerMemo, Body, compose
from intervals_mcp.server.formatting import Framed
from intervals_mcp.server.schemas import Provenance


def test_an_answer_is_reused_only_for_the_same_records() -> None:
    memo: AnswerMemo[str] = AnswerMemo()
    built: list[str] = []

    def build(digest: Hashable, text: str) -> tuple[Hashable | None, str]:
        built.append(text)
        return digest, text

    assert memo.get("k", ("a", "b"), lambda: build(("a", "b"), "v1")) == "v1"
    assert memo.get("k", ("a", "b"), lambda: build(("a", "b"), "never")) == "v1"
    assert memo.get("k", ("a", "c"), lambda: build(("a", "c"), "v2")) == "v2"  # a record changed
    assert memo.get("other", ("a", "b"), lambda: build(("a", "b"), "v3")) == "v3"  # another question
    assert built == ["v1", "v2", "v3"] and memo.hits == 1


def test_an_answer_is_stored_under_the_digest_it_was_built_from() -> None:
    memo: AnswerMemo[str] = AnswerMemo()
    # The records changed between the digest check and the build: the answer is the new one,
    # kept under the new digest, never under the old.
    assert memo.get("k", "old", lambda: ("new", "built from new")) == "built from new"
    assert memo.get("k", "old", lambda: ("old", "built from old")) == "built from old"
    assert memo.get("k", "new", lambda: ("new", "never")) == "built from new"
    assert memo.get("k", "gone", lambda: (None, "not kept")) == "not kept"
    assert memo.get("k", None, lambda: (None, "still not kept")) == "still not kept"


def test_the_memo_is_bounded() -> None:
    memo: AnswerMemo[int] = AnswerMemo(max_entries=3)
    for i in range(5):
        memo.get(i, "d", lambda i=i: ("d", i))
    assert memo.get(0, "d", lambda: ("d", -1)) == -1  # the oldest went
    assert memo.get(4, "d", lambda: ("d", -1)) == 4


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
        },
    }
    assert second.structured_content and second.structured_content["provenance"]["source"] == "cache"
    assert body.structured == {"event_id": 7, "workout_steps": ["- 10:00"]}  # the body stays as built
