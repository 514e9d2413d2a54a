"""Calendar events and one event's structured workout as compact text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from intervals_mcp.server.formatting.core import MAX_CHARS, Framed, distance, hmm, mss, num, whole
from intervals_mcp.server.formatting.tables import (
    DATE,
    DISTANCE,
    LOAD,
    MOVING_TIME,
    SPORT,
    Column,
    fit_table,
)
from intervals_mcp.server.schemas import event_summary

# --- events ----------------------------------------------------------------------------------

EVENT_COLUMNS: list[Column] = [
    ("id", lambda e: "" if e.id is None else str(e.id)),
    DATE,
    ("category", lambda e: e.category or ""),
    SPORT,
    ("name", lambda e: (e.name or "")[:48]),
    MOVING_TIME,
    DISTANCE,
    LOAD,
]


def format_events(
    *,
    athlete_id: str,
    start: date,
    end: date,
    events: Sequence[dict[str, Any]],
    note: str | None = None,
    budget: int = MAX_CHARS,
) -> tuple[Framed, int]:
    """(text, events shown); events ascending by date, then the note on the range if any."""
    rows = [event_summary(e) for e in events]
    lead = f"Calendar events {start} to {end} (athlete {athlete_id}): "
    head = f"{lead}{len(rows)}"
    after = [note] if note else []
    if not rows:
        return Framed(head, "\n".join(["No events in this range.", *after])), 0

    def hint(kept: int) -> str:
        nxt = rows[kept].date if kept < len(rows) else str(end)
        return f"(output cut after {kept} events: call again with start_date={nxt} for the rest)"

    before = [head, *after]
    body, shown = fit_table(rows, EVENT_COLUMNS, hint, budget=budget, before=before, keep=("id", "date"))
    if shown < len(rows):  # the first line says the answer is cut
        head = f"{lead}showing {shown} of {len(rows)}"
    return Framed(head, "\n".join([*body, *after])), shown


def _plain(value: Any) -> str:
    """70.0 -> '70', 72.5 -> '72.5'."""
    v = num(value)
    return str(value) if v is None else (f"{v:.0f}" if v == int(v) else f"{v:g}")


def _target(step: dict[str, Any]) -> str:
    parts = []
    for key, label in (("power", ""), ("hr", "HR "), ("pace", "pace "), ("cadence", "cadence ")):
        target = step.get(key)
        if not isinstance(target, dict):
            continue
        units = str(target.get("units") or "")
        units = {
            "%ftp": "% FTP",
            "%lthr": "% LTHR",
            "%hr": "% max HR",
            "%pace": "% threshold pace",
            "w": " W",
        }.get(units.lower(), f" {units}" if units else "")
        if target.get("value") is not None:
            parts.append(f"{label}{_plain(target['value'])}{units}")
        elif target.get("start") is not None and target.get("end") is not None:
            parts.append(f"{label}{_plain(target['start'])}-{_plain(target['end'])}{units} ramp")
    return ", ".join(parts)


def workout_steps(doc: Any, depth: int = 0) -> list[str]:
    """A workout_doc's steps as indented lines: '- 12:00 90% FTP', '- 3x' + nested steps."""
    if not isinstance(doc, dict):
        return []
    lines: list[str] = []
    for step in doc.get("steps") or []:
        if not isinstance(step, dict):
            continue
        pad = "  " * depth
        if step.get("reps") and step.get("steps"):
            lines.append(f"{pad}- {step['reps']}x")
            lines.extend(workout_steps(step, depth + 1))
            continue
        bits = [mss(step.get("duration"))] if step.get("duration") else []
        if step.get("distance"):
            bits.append(distance(step.get("distance"), None) or str(step["distance"]))
        if tgt := _target(step):
            bits.append(tgt)
        for flag in ("warmup", "cooldown", "ramp", "freeride"):
            if step.get(flag):
                bits.append(flag)
        if step.get("text") and not step.get("reps"):
            bits.append(str(step["text"]))
        lines.append(f"{pad}- {' '.join(b for b in bits if b) or '(step)'}")
    return lines


def format_event(p: dict[str, Any]) -> tuple[Framed, list[str]]:
    """(text, workout step lines) for one calendar event."""
    e = event_summary(p)
    head = f"Event {e.id}"
    facts = [
        ("date", e.date or ""),
        ("category", e.category or ""),
        ("sport", e.type or ""),
        ("name", e.name or ""),
        ("planned time h:mm", hmm(e.moving_time_s)),
        ("planned distance", distance(e.distance_m, e.type)),
        ("planned load", whole(e.training_load)),
        ("intensity %", whole(p.get("icu_intensity"))),
        ("target", str(p.get("target") or "")),
        ("indoor", "yes" if p.get("indoor") else ""),
        ("paired activity", str(p.get("paired_activity_id") or "")),
    ]
    out = [head, *(f"{k}: {v}" for k, v in facts if v)]
    steps = workout_steps(p.get("workout_doc"))
    description = str(p.get("description") or "").strip()
    if steps:
        out.append("workout:")
        out.extend(steps)
    elif description:
        out.append("description:")
        out.append(description[:2000])
    if steps and description and not description.lstrip().startswith("-"):
        out.append(f"notes: {' '.join(description.split())[:600]}")
    return Framed(head, "\n".join(out[1:])), steps
