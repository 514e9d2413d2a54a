"""Counting words for what a person reads: '1 request', '2 requests', '1 activity'."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and the word in the form that count takes: plural(1, "row") is '1 row',
    plural(3, "activity", "activities") is '3 activities'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
