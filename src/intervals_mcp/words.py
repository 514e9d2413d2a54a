"""Words for what a person reads: counts ('1 request', '2 requests') and the caller's own text
quoted short."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and the word in the form that count takes: plural(1, "row") is '1 row',
    plural(3, "activity", "activities") is '3 activities'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def shown(value: object, limit: int = 40) -> str:
    """`repr(value)` for an error sentence, cut short so a pasted essay stays one readable line."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 4]}...{text[-1]}"
