"""What the analytics answers share: the head line, numbers for people, notes, cut tables.

Pure, like every formatter. Every analytics answer's head names the span it covers and how
many records it used; what it leaves out (a capped range, days not cached and the sync command
that fetches them) follows on the next line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from intervals_mcp.server.formatting.core import Framed
from intervals_mcp.server.formatting.tables import Column, fit_table

ANALYSIS_CHARS = 6_000
"""Budget of one analytics answer: the defaults and a year by month stay under 2,500; a long
table (five years by week) is cut with a hint."""


def thousands(value: float | None, digits: int = 0) -> str:
    """12345.6 -> '12,346' (or '12,345.6' with digits=1); None -> ''."""
    return "" if value is None else f"{value:,.{digits}f}"


def signed(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:+.{digits}f}"


def percent(share: float | None, digits: int = 0) -> str:
    """A share (fraction of 1) as a percentage: 0.7012 -> '70%'."""
    return "" if share is None else f"{share * 100:.{digits}f}%"


def change(now: float, before: float) -> str:
    """'+6.6%' from before to now; '' when before is 0 (no base to compare with)."""
    return f"{(now - before) / before * 100:+.1f}%" if before else ""


def r1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def head(title: str, start: date, end: date, athlete_id: str, *details: str) -> str:
    """'<title> <start> to <end> (athlete i1, <details>)'."""
    inside = ", ".join(["athlete " + athlete_id, *(d for d in details if d)])
    return f"{title} {start} to {end} ({inside})"


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def listed(items: Sequence[str], most: int) -> str:
    """The first `most` items joined with '; ', then '+N more'."""
    shown = "; ".join(items[:most])
    return f"{shown}; +{len(items) - most} more" if len(items) > most else shown


def framed(
    first: str,
    lines: Sequence[str],
    rows: Sequence[Any],
    columns: Sequence[Column],
    hint: str,
    *,
    after: Sequence[str] = (),
    budget: int = ANALYSIS_CHARS,
) -> Framed:
    """The head, the `lines` before the table, the table cut to the budget (with `hint` when
    cut), then the `after` lines."""
    before = [line for line in lines if line]
    tail = [line for line in after if line]
    body: list[str] = []
    if rows:
        body, _ = fit_table(
            rows,
            columns,
            lambda kept: f"({len(rows) - kept} more rows: {hint})",
            budget=budget,
            before=[first, *before, *tail],
        )
    return Framed(first, "\n".join([*before, *body, *tail]))
