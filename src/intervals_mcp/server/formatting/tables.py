"""Tables in answers: columns (several tables share some, declared once here), a table of rows,
and a table cut to the answer's size budget."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from intervals_mcp.server.formatting.core import budget_for, cell, distance, hmm, mss, whole

Column = tuple[str, Callable[[Any], str]]

# Columns several tables share, declared once (the rows name these fields alike: activities,
# events, intervals and their groups, and the dated rows of the analyses).
DATE: Column = ("date", lambda r: str(r.date or ""))
SPORT: Column = ("sport", lambda r: r.type or "")
MOVING_TIME: Column = ("time h:mm", lambda r: hmm(r.moving_time_s))
DISTANCE: Column = ("dist", lambda r: distance(r.distance_m, r.type))
LOAD: Column = ("load", lambda r: whole(r.training_load))
DURATION: Column = ("dur m:ss", lambda r: mss(r.duration_s))
AVG_POWER: Column = ("avg W", lambda r: whole(r.avg_watts))
INTENSITY: Column = ("int %", lambda r: whole(r.intensity_pct))
AVG_HR: Column = ("avg bpm", lambda r: whole(r.avg_hr))


def table(rows: Sequence[Any], columns: Sequence[Column], *, keep: Sequence[str] = ()) -> list[str]:
    """Header plus one ' | '-joined line per row; a column with no value in any row is left out
    (except the ones named in `keep`)."""
    cells = [[cell(fn(row)) for _, fn in columns] for row in rows]
    used = [i for i, (title, _) in enumerate(columns) if title in keep or any(line[i] for line in cells)]
    header = " | ".join(columns[i][0] for i in used)
    return [header, *(" | ".join(line[i] for i in used) for line in cells)]


def clip(lines: list[str], budget: int, hint: Callable[[int], str]) -> tuple[list[str], int]:
    """Keep whole lines within `budget` characters; when cut, append hint(kept_body_lines).

    The first line (the table header) is always kept. Returns the lines and how many body
    lines were kept."""
    total = sum(len(line) + 1 for line in lines)
    if total <= budget or len(lines) <= 1:
        return lines, max(len(lines) - 1, 0)
    kept = [lines[0]]
    used = len(lines[0]) + 1
    for line in lines[1:]:
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    body = len(kept) - 1
    kept.append(hint(body))
    return kept, body


def fit_table(
    rows: Sequence[Any],
    columns: Sequence[Column],
    hint: Callable[[int], str],
    *,
    budget: int,
    before: Sequence[str] = (),
    keep: Sequence[str] = (),
    reserve: int = 0,
) -> tuple[list[str], int]:
    """The rows' table (see `table`) cut by `clip` to what the answer's `budget` leaves after the
    provenance, the lines `before` it and `reserve` characters kept for what follows it."""
    return clip(table(rows, columns, keep=keep), budget_for(budget, *before) - reserve, hint)
