"""What a write tool says (pure): what was done or would be sent, the workout's steps as we read
them, the lint findings, and what Intervals.icu made of it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from intervals_mcp.server.schemas import EventSummary
from intervals_mcp.server.uris import WORKOUT_GUIDE
from intervals_mcp.workouts import Finding

NOT_SENT = "Dry run: nothing was sent."


def request_text(method: str, path: str, body: Any) -> str:
    """`POST /athlete/i1/events` and the JSON body, as sent."""
    line = f"{method} /{path}"
    if body is None:
        return line
    if isinstance(body, list):  # a list of ids: one line
        return f"{line}\n{json.dumps(body, ensure_ascii=False)}"
    return f"{line}\n{json.dumps(body, ensure_ascii=False, indent=2)}"


def finding_line(finding: Finding) -> str:
    return f"line {finding.line} ({finding.rule}): {finding.message}"


def lint_refusal(findings: Sequence[Finding]) -> str:
    """The sentence that refuses a workout text with errors, each finding with its line."""
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
    parts = [
        f"Nothing was written: the workout text has {count} that Intervals.icu would read wrongly or drop."
    ]
    parts += [finding_line(f)[0].upper() + finding_line(f)[1:] for f in errors]
    if warnings:
        parts.append("Also worth fixing: " + " ".join(finding_line(f) for f in warnings))
    parts.append(
        f"Fix the text and call again (dry_run=true shows the result without sending); the resource "
        f"{WORKOUT_GUIDE} has the rules."
    )
    return " ".join(parts)


def event_label(event: EventSummary) -> str:
    """`2026-05-04 WORKOUT Ride "Sweet spot 3x12"`."""
    parts = [event.date or "", event.category or "", event.type or ""]
    label = " ".join(p for p in parts if p)
    return f'{label} "{event.name}"' if event.name else label


def block(title: str, lines: Sequence[str]) -> list[str]:
    return [f"{title}:", *(f"  {line}" for line in lines)] if lines else []


def compose(
    head: str,
    *,
    dry_run: bool,
    request: tuple[str, str, Any],
    blocks: Sequence[tuple[str, Sequence[str]]] = (),
    notes: Sequence[str | None] = (),
) -> str:
    """A write's answer: its head line, the request when it is a dry run (what would be sent),
    then titled blocks and notes."""
    lines = [head]
    if dry_run:
        lines += [NOT_SENT, "Would send " + request_text(*request)]
    for title, items in blocks:
        lines += block(title, items)
    lines += [n for n in notes if n]
    return "\n".join(lines)


def changed_fields(sent: dict[str, Any], stored: dict[str, Any] | None) -> dict[str, Any]:
    """The fields a write set, as upstream now stores them (as sent for a dry run); nested
    values (gear) are shown by their id."""
    out: dict[str, Any] = {}
    for key, value in sent.items():
        now = stored.get(key, value) if stored is not None else value
        out[key] = now.get("id") if isinstance(now, dict) else now
    return out


def fields_line(fields: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in fields.items())
