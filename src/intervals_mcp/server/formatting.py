"""Pure formatters: API payload dicts in, compact honest text out (no I/O, no clock).

Token-lean: a table with one line per row, only the columns that have data, units a person
reads (h:mm, km, W, bpm), local dates. Every list says its range, how many rows it shows of how
many, and where the data came from. Strava stubs are counted and named, never padded.

Where the data came from changes from call to call ("fresh from Intervals.icu", then "cached
at ..."), while the rest of an answer depends only on the records and the arguments. So the
formatters return a `Framed` text without the provenance, and `Framed.say(provenance)` puts
it in its place; what they keep within the budget never depends on the provenance (a fixed
`PROVENANCE_ALLOWANCE` is set aside for it), so one body serves every provenance.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from intervals_mcp.server.schemas import (
    ActivitySummary,
    Provenance,
    activity_summary,
    event_summary,
    interval_group_row,
    interval_row,
    is_strava_stub,
)

MAX_CHARS = 12_000
"""Budget for one tool answer; longer output is cut with a hint on how to get the rest."""

PROVENANCE_ALLOWANCE = 500
"""Characters of every budget set aside for the provenance sentence, whatever it says this time
(`provenance_text` never says more; the longest real one is ~400: a gap note and a refresh error
quoting the upstream's 200-character message)."""

FRESH_WITHIN = timedelta(minutes=2)
MAX_LISTED_STUB_DATES = 10

# --- small value formatters ------------------------------------------------------------------


def num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def hmm(seconds: Any) -> str:
    """7412 -> '2:03' (hours:minutes)."""
    s = num(seconds)
    if s is None:
        return ""
    minutes = round(s / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def mss(seconds: Any) -> str:
    """245 -> '4:05' (minutes:seconds); 3725 -> '1:02:05'."""
    s = num(seconds)
    if s is None:
        return ""
    total = round(s)
    h, rest = divmod(total, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def whole(value: Any) -> str:
    v = num(value)
    return "" if v is None else f"{v:.0f}"


def one(value: Any) -> str:
    v = num(value)
    return "" if v is None else f"{v:.1f}"


def is_swim(sport: str | None) -> bool:
    return bool(sport) and "swim" in str(sport).lower()


def distance(meters: Any, sport: str | None) -> str:
    """Kilometres with one decimal; swims in metres."""
    m = num(meters)
    if m is None or m <= 0:
        return ""
    return f"{m:.0f}m" if is_swim(sport) else f"{m / 1000:.1f}km"


def local_minute(stamp: Any) -> str:
    """'2026-10-12T07:31:05' -> '2026-10-12 07:31' (athlete-local, as the API sends it)."""
    if not isinstance(stamp, str) or len(stamp) < 10:
        return ""
    return stamp[:16].replace("T", " ") if len(stamp) >= 16 else stamp[:10]


def utc_minute(moment: datetime | None) -> str:
    if moment is None:
        return "an unknown time"
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def cell(text: str) -> str:
    """A table cell: one line, no column separator inside."""
    if "|" not in text and text.isprintable() and "  " not in text and text.strip(" ") == text:
        return text  # already one clean line (most cells: numbers, dates, names)
    return " ".join(text.split()).replace("|", "/")


# --- provenance ------------------------------------------------------------------------------


def provenance_text(prov: Provenance, now: datetime) -> str:
    """'fresh from Intervals.icu' / 'cached at … UTC' / '…; could not refresh: <why>'.

    At most PROVENANCE_ALLOWANCE characters (a refresh error too long for it is cut with '…')."""
    as_of = datetime.fromisoformat(prov.as_of) if prov.as_of else None
    gap = "" if prov.complete else " (some days in this range were never fetched)"
    if prov.refresh_error:
        said = f"cached at {utc_minute(as_of)}{gap}; could not refresh: {prov.refresh_error}"
        return said if len(said) <= PROVENANCE_ALLOWANCE else said[: PROVENANCE_ALLOWANCE - 1] + "…"
    if prov.source == "upstream":
        if as_of is None or now - as_of <= FRESH_WITHIN:
            return "fresh from Intervals.icu"
        return f"refreshed from Intervals.icu; older days cached at {utc_minute(as_of)}"
    return f"cached at {utc_minute(as_of)}{gap}"


@dataclass(frozen=True, slots=True)
class Framed:
    """An answer's text less its provenance: `say(p)` is '<head>; <p>.' and then `rest` on the
    following lines. Unsourced text (`sourced=False`, e.g. a Strava stub) is said as it is."""

    head: str
    rest: str = ""
    sourced: bool = True
    shown: int | None = None  # table rows actually shown, when the table was cut to fit

    def say(self, provenance: str) -> str:
        head = f"{self.head}; {provenance}." if self.sourced else self.head
        return f"{head}\n{self.rest}" if self.rest else head


def budget_for(budget: int, *before: str) -> int:
    """What remains of `budget` for a table after the provenance allowance and the lines
    `before` it (each with its newline)."""
    return budget - PROVENANCE_ALLOWANCE - len("; .") - sum(len(line) + 1 for line in before)


# --- tables ----------------------------------------------------------------------------------

Column = tuple[str, Callable[[Any], str]]


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


# --- activities ------------------------------------------------------------------------------


ACTIVITY_COLUMNS: list[Column] = [
    ("id", lambda a: a.id),
    ("local start", lambda a: local_minute(a.start_local)),
    ("sport", lambda a: a.type or ""),
    ("name", lambda a: (a.name or "(unnamed)")[:48]),
    ("time h:mm", lambda a: hmm(a.moving_time_s)),
    ("dist", lambda a: distance(a.distance_m, a.type)),
    ("load", lambda a: whole(a.training_load)),
    ("avg W", lambda a: whole(a.avg_watts)),
    ("avg bpm", lambda a: whole(a.avg_hr)),
]


def split_activities(
    payloads: Sequence[dict[str, Any]], include_unnamed: bool
) -> tuple[list[ActivitySummary], list[str], int]:
    """(listable summaries newest first, Strava stub start times, unnamed skipped)."""
    listed: list[ActivitySummary] = []
    stubs: list[str] = []
    unnamed = 0
    for p in payloads:
        if is_strava_stub(p):
            stubs.append(local_minute(p.get("start_date_local")) or str(p.get("id")))
            continue
        summary = activity_summary(p)
        if summary.name is None and not include_unnamed:
            unnamed += 1
            continue
        listed.append(summary)
    listed.sort(key=lambda a: a.start_local or "", reverse=True)
    stubs.sort(reverse=True)
    return listed, stubs, unnamed


def strava_line(stubs: Sequence[str]) -> str:
    if not stubs:
        return ""
    shown = ", ".join(stubs[:MAX_LISTED_STUB_DATES])
    more = f" and {len(stubs) - MAX_LISTED_STUB_DATES} more" if len(stubs) > MAX_LISTED_STUB_DATES else ""
    noun = "activity is" if len(stubs) == 1 else "activities are"
    return (
        f"{len(stubs)} Strava-sourced {noun} hidden by Strava's API terms "
        f"(no details via the API): {shown}{more}."
    )


def format_activities(
    *,
    athlete_id: str,
    start: date,
    end: date,
    listed: Sequence[ActivitySummary],
    total: int,
    stubs: Sequence[str],
    unnamed_skipped: int,
    note: str | None = None,
    budget: int = MAX_CHARS,
) -> Framed:
    """The activity list: header line, optional notes, compact table, hints."""
    head = (
        f"Activities {start} to {end} (athlete {athlete_id}), newest first: "
        f"showing {len(listed)} of {total}"
    )
    out = [head]
    if note:
        out.append(note)
    if strava := strava_line(stubs):
        out.append(strava)
    if unnamed_skipped:
        out.append(
            f"{unnamed_skipped} unnamed activit{'y' if unnamed_skipped == 1 else 'ies'} skipped "
            "(include_unnamed=true lists them)."
        )
    if not listed:
        out.append("No activities to list in this range.")
        return Framed(head, "\n".join(out[1:]))

    def hint(kept: int) -> str:
        # The first row not shown decides: its day again (some of that day may repeat), so
        # nothing between the cut and the next call is skipped.
        first_unshown = listed[kept].start_local if kept < len(listed) else None
        until = first_unshown[:10] if first_unshown else str(end)
        return f"(output cut at {kept} rows: call again with end_date={until} for older ones)"

    rows, kept = clip(table(listed, ACTIVITY_COLUMNS, keep=("id",)), budget_for(budget, *out), hint)
    out.extend(rows)
    if len(listed) < total:
        out.append(f"{total - len(listed)} older in range not shown: raise limit or narrow the dates.")
    if kept < len(listed):
        out[0] = head = head.replace(f"showing {len(listed)} of", f"showing {kept} of", 1)
    return Framed(head, "\n".join(out[1:]), shown=kept)


# --- one activity ----------------------------------------------------------------------------


def _fact_pairs(p: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(label, text, raw value) for each key fact present in the payload."""
    sport = p.get("type")
    ftp = num(p.get("icu_ftp"))
    intensity = num(p.get("icu_intensity"))
    ctl, atl = num(p.get("icu_ctl")), num(p.get("icu_atl"))
    avg_w = num(p.get("icu_average_watts")) or num(p.get("average_watts"))
    np_w = num(p.get("icu_weighted_avg_watts"))
    facts: list[tuple[str, str, Any]] = [
        ("name", str(p.get("name") or ""), p.get("name")),
        ("sport", str(sport or ""), sport),
        ("start (local)", local_minute(p.get("start_date_local")), p.get("start_date_local")),
        ("moving time h:mm", hmm(p.get("moving_time")), p.get("moving_time")),
        ("elapsed time h:mm", hmm(p.get("elapsed_time")), p.get("elapsed_time")),
        ("distance", distance(p.get("distance"), sport), p.get("distance")),
        ("elevation gain m", whole(p.get("total_elevation_gain")), p.get("total_elevation_gain")),
        ("avg power W", whole(avg_w), avg_w),
        ("normalized power W", whole(np_w), np_w),
        ("intensity factor", f"{intensity / 100:.2f}" if intensity else "", intensity),
        ("FTP W", whole(ftp), ftp),
        ("avg HR bpm", whole(p.get("average_heartrate")), p.get("average_heartrate")),
        ("max HR bpm", whole(p.get("max_heartrate")), p.get("max_heartrate")),
        ("avg cadence rpm", whole(p.get("average_cadence")), p.get("average_cadence")),
        ("training load", whole(p.get("icu_training_load")), p.get("icu_training_load")),
        ("TRIMP", whole(p.get("trimp")), p.get("trimp")),
        ("calories kcal", whole(p.get("calories")), p.get("calories")),
        ("CTL after (fitness)", one(ctl), ctl),
        ("ATL after (fatigue)", one(atl), atl),
        ("RPE 1-10", whole(p.get("icu_rpe")), p.get("icu_rpe")),
        ("feel 1-5", whole(p.get("feel")), p.get("feel")),
        ("device", str(p.get("device_name") or ""), p.get("device_name")),
        ("source", str(p.get("source") or ""), p.get("source")),
        ("trainer", "yes" if p.get("trainer") else "", p.get("trainer") or None),
        ("intervals", "; ".join(map(str, p.get("interval_summary") or [])), None),
        ("description", " ".join(str(p.get("description") or "").split())[:600], None),
    ]
    return [(label, text, raw) for label, text, raw in facts if text]


def activity_facts(p: dict[str, Any]) -> dict[str, str | int | float | bool | None]:
    """The key facts as a flat dict for structured output."""
    out: dict[str, str | int | float | bool | None] = {}
    for label, text, raw in _fact_pairs(p):
        out[label] = raw if isinstance(raw, str | int | float | bool) else text
    return out


def format_activity(p: dict[str, Any]) -> Framed:
    if is_strava_stub(p):
        return Framed(strava_detail(str(p.get("id")), p.get("start_date_local")), sourced=False)
    facts = "\n".join(f"{label}: {text}" for label, text, _ in _fact_pairs(p))
    return Framed(f"Activity {p.get('id')}", facts)


def strava_detail(activity_id: str, start_local: Any) -> str:
    when = local_minute(start_local)
    return (
        f"Activity {activity_id}{' (' + when + ')' if when else ''} is Strava-sourced: "
        "Strava's API terms keep its details, intervals and streams out of the Intervals.icu API."
    )


# --- intervals -------------------------------------------------------------------------------

INTERVAL_COLUMNS: list[Column] = [
    ("#", lambda r: "" if r.id is None else str(r.id)),
    ("type", lambda r: r.type or ""),
    ("label", lambda r: r.label or r.group_id or ""),
    ("start", lambda r: mss(r.start_s)),
    ("dur m:ss", lambda r: mss(r.duration_s)),
    ("avg W", lambda r: whole(r.avg_watts)),
    ("max W", lambda r: whole(r.max_watts)),
    ("int %", lambda r: whole(r.intensity_pct)),
    ("avg bpm", lambda r: whole(r.avg_hr)),
    ("rpm", lambda r: whole(r.avg_cadence)),
]

GROUP_COLUMNS: list[Column] = [
    ("group", lambda g: g.id),
    ("count", lambda g: "" if g.count is None else str(g.count)),
    ("dur m:ss", lambda g: mss(g.duration_s)),
    ("avg W", lambda g: whole(g.avg_watts)),
    ("int %", lambda g: whole(g.intensity_pct)),
    ("avg bpm", lambda g: whole(g.avg_hr)),
]


def format_intervals(activity_id: str, dto: dict[str, Any], budget: int = MAX_CHARS) -> Framed:
    rows = [interval_row(i) for i in dto.get("icu_intervals") or [] if isinstance(i, dict)]
    groups = [interval_group_row(g) for g in dto.get("icu_groups") or [] if isinstance(g, dict)]
    head = f"Intervals of activity {activity_id}: {len(rows)} intervals, {len(groups)} groups"
    if not rows:
        return Framed(head, "Intervals.icu found no intervals in this activity.")
    body, _ = clip(
        table(rows, INTERVAL_COLUMNS),
        budget_for(budget, head) - 400,  # 400 for the groups
        lambda kept: f"(cut after {kept} of {len(rows)} intervals)",
    )
    out = list(body)
    if groups:
        out.append("Groups of similar intervals:")
        out.extend(table(groups, GROUP_COLUMNS, keep=("group",)))
    return Framed(head, "\n".join(out))


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
    head = f"Wellness {start} to {end} (athlete {athlete_id}): {len(days)} days with data"
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
    return Framed(head, "\n".join(out[1:])), shown


# --- events ----------------------------------------------------------------------------------

EVENT_COLUMNS: list[Column] = [
    ("id", lambda e: "" if e.id is None else str(e.id)),
    ("date", lambda e: e.date or ""),
    ("category", lambda e: e.category or ""),
    ("sport", lambda e: e.type or ""),
    ("name", lambda e: (e.name or "")[:48]),
    ("time h:mm", lambda e: hmm(e.moving_time_s)),
    ("dist", lambda e: distance(e.distance_m, e.type)),
    ("load", lambda e: whole(e.training_load)),
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
    head = f"Calendar events {start} to {end} (athlete {athlete_id}): {len(rows)}"
    after = [note] if note else []
    if not rows:
        return Framed(head, "\n".join(["No events in this range.", *after])), 0

    def hint(kept: int) -> str:
        nxt = rows[kept].date if kept < len(rows) else str(end)
        return f"(output cut after {kept} events: call again with start_date={nxt} for the rest)"

    lines = table(rows, EVENT_COLUMNS, keep=("id", "date"))
    body, shown = clip(lines, budget_for(budget, head, *after), hint)
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
