"""Daily wellness as a compact table."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from intervals_mcp.server.formatting.core import MAX_CHARS, Framed, budget_for, hmm, num, one, whole
from intervals_mcp.server.formatting.tables import Column, clip, table

# --- wellness --------------------------------------------------------------------------------

# (title, key or computed) in display order; soreness..motivation are 1-4 where 1 is good.
WELLNESS_COLUMNS: list[tuple[str, Callable[[dict[str, Any]], Any], Callable[[Any], str]]] = [
    ("CTL fitness", lambda d: d.get("ctl"), one),
    ("ATL fatigue", lambda d: d.get("atl"), one),
    (
        "form",
        lambda d: (
            (d["ctl"] - d["atl"]) if num(d.get("ctl")) is not None and num(d.get("atl")) is not None else None
        ),
        one,
    ),
    ("ramp", lambda d: d.get("rampRate"), one),
    ("HRV ms", lambda d: d.get("hrv"), whole),
    ("rest bpm", lambda d: d.get("restingHR"), whole),
    ("sleep h:mm", lambda d: d.get("sleepSecs"), hmm),
    ("sleep score", lambda d: d.get("sleepScore"), whole),
    ("kg", lambda d: d.get("weight"), one),
    ("soreness", lambda d: d.get("soreness"), whole),
    ("fatigue", lambda d: d.get("fatigue"), whole),
    ("stress", lambda d: d.get("stress"), whole),
    ("mood", lambda d: d.get("mood"), whole),
    ("motivation", lambda d: d.get("motivation"), whole),
]
WELLNESS_SHOWN_KEYS = frozenset(
    {"id", "ctl", "atl", "rampRate", "hrv", "restingHR", "sleepSecs", "sleepScore", "weight"}
    | {"soreness", "fatigue", "stress", "mood", "motivation", "updated"}
)
_STRUCT_KEYS = {
    "CTL fitness": "ctl",
    "ATL fatigue": "atl",
    "form": "form",
    "ramp": "ramp_rate",
    "HRV ms": "hrv_ms",
    "rest bpm": "resting_hr_bpm",
    "sleep h:mm": "sleep_s",
    "sleep score": "sleep_score",
    "kg": "weight_kg",
    "soreness": "soreness",
    "fatigue": "fatigue",
    "stress": "stress",
    "mood": "mood",
    "motivation": "motivation",
}


def _extra_value(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), default=str)
    return " ".join(str(value).split())


def _wellness_cell(get: Callable[[dict[str, Any]], Any], fmt: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda day: fmt(num(get(day)))


def wellness_extras(day: dict[str, Any]) -> dict[str, Any]:
    """Every other non-null field of a day (for include_all_fields)."""
    return {
        k: v
        for k, v in day.items()
        if k not in WELLNESS_SHOWN_KEYS and v is not None and v is not False and v != []
    }


def wellness_day(day: dict[str, Any], include_all_fields: bool) -> dict[str, Any]:
    """One day as a compact dict for structured output."""
    out: dict[str, Any] = {"date": str(day.get("id"))}
    for title, get, _ in WELLNESS_COLUMNS:
        value = num(get(day))
        if value is not None:
            out[_STRUCT_KEYS[title]] = round(value, 2)
    if include_all_fields:
        for k, v in wellness_extras(day).items():
            out[k] = v if isinstance(v, str | int | float | bool) else _extra_value(v)
    return out


def format_wellness(
    *,
    athlete_id: str,
    start: date,
    end: date,
    days: Sequence[dict[str, Any]],
    include_all_fields: bool,
    note: str | None = None,
    budget: int = MAX_CHARS,
) -> tuple[Framed, int]:
    """(text, days shown). Days ascending; soreness..motivation are 1-4 where 1 is good."""
    lead = f"Wellness {start} to {end} (athlete {athlete_id}): "
    head = f"{lead}{len(days)} days with data"
    out = [head]
    if note:
        out.append(note)
    if not days:
        out.append("No wellness data in this range.")
        return Framed(head, "\n".join(out[1:])), 0
    columns: list[Column] = [("date", lambda d: str(d.get("id")))]
    columns += [(title, _wellness_cell(get, fmt)) for title, get, fmt in WELLNESS_COLUMNS]
    if include_all_fields:
        columns.append(
            (
                "other",
                lambda d: "; ".join(f"{k}={_extra_value(v)}" for k, v in wellness_extras(d).items()),
            )
        )
    lines = table(days, columns, keep=("date",))
    if {"soreness", "fatigue", "stress", "mood", "motivation"} & set(lines[0].split(" | ")):
        out.append("soreness/fatigue/stress/mood/motivation: 1-4, 1 is good.")

    def hint(kept: int) -> str:
        nxt = date.fromisoformat(str(days[kept]["id"])[:10]) if kept < len(days) else end
        return f"(output cut after {kept} days: call again with start_date={nxt} for the rest)"

    body, shown = clip(lines, budget_for(budget, *out), hint)
    out.extend(body)
    if shown < len(days):  # the first line says the answer is cut
        head = f"{lead}showing {shown} of {len(days)} days with data"
    return Framed(head, "\n".join(out[1:])), shown
