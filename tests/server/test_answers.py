"""The answer memo: found only under the same key AND the same digest of the records shown."""

from __future__ import annotations

from collections.abc import Hashable

from intervals_mcp.server.answers import AnswerMemo


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
