"""Activity lists, one activity, and its intervals, as compact text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from intervals_mcp.db.columns import is_strava_stub
from intervals_mcp.server.formatting.core import (
    MAX_CHARS,
    Framed,
    distance,
    hmm,
    local_minute,
    mss,
    num,
    one,
    whole,
)
from intervals_mcp.server.formatting.tables import (
    AVG_HR,
    AVG_POWER,
    DISTANCE,
    DURATION,
    INTENSITY,
    LOAD,
    MOVING_TIME,
    SPORT,
    Column,
    fit_table,
    table,
)
from intervals_mcp.server.schemas import ActivitySummary, activity_summary, interval_group_row, interval_row
from intervals_mcp.words import plural

MAX_LISTED_STUB_DATES = 10
HINT_ALLOWANCE = 160  # the line saying what is not shown

# --- activities ------------------------------------------------------------------------------


ACTIVITY_COLUMNS: list[Column] = [
    ("id", lambda a: a.id),
    ("local start", lambda a: local_minute(a.start_local)),
    SPORT,
    ("name", lambda a: (a.name or "(unnamed)")[:48]),
    MOVING_TIME,
    DISTANCE,
    LOAD,
    AVG_POWER,
    AVG_HR,
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
    limit: int,
    max_limit: int,
    stubs: Sequence[str],
    unnamed_skipped: int,
    note: str | None = None,
    budget: int = MAX_CHARS,
) -> Framed:
    """The activity list: header line, optional notes, compact table, and one line saying what
    is not shown and how to get it.

    `listed` is every listable activity of the range, newest first; at most `limit` rows are
    shown, fewer when the answer's size budget cuts the table. `Framed.shown` is what was shown.
    """
    total = len(listed)
    head = f"Activities {start} to {end} (athlete {athlete_id}), newest first: showing {{}} of {total}"
    out = [head]
    if note:
        out.append(note)
    if strava := strava_line(stubs):
        out.append(strava)
    if unnamed_skipped:
        out.append(
            f"{plural(unnamed_skipped, 'unnamed activity', 'unnamed activities')} skipped "
            "(include_unnamed=true lists them)."
        )
    if not listed:
        out.append("No activities to list in this range.")
        return Framed(head.format(0), "\n".join(out[1:]), shown=0)
    wanted = listed[:limit]

    def not_shown(kept: int) -> str:
        # The first row not shown decides: its day again (some of that day may repeat), so
        # nothing between the cut and the next call is skipped.
        first_unshown = listed[kept].start_local
        until = first_unshown[:10] if first_unshown else str(end)
        cut_by_size = kept < len(wanted)
        why = "the answer's size limit" if cut_by_size else f"limit={limit}"
        more = "" if cut_by_size or limit >= max_limit else f"raise limit (up to {max_limit}) or "
        return (
            f"{total - kept} older in range not shown ({why}): {more}call again with "
            f"end_date={until} for older ones."
        )

    rows, kept = fit_table(
        wanted, ACTIVITY_COLUMNS, not_shown, budget=budget, before=out, keep=("id",), reserve=HINT_ALLOWANCE
    )
    out.extend(rows)
    if kept == len(wanted) < total:
        out.append(not_shown(kept))
    return Framed(head.format(kept), "\n".join(out[1:]), shown=kept)


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
    DURATION,
    AVG_POWER,
    ("max W", lambda r: whole(r.max_watts)),
    INTENSITY,
    AVG_HR,
    ("rpm", lambda r: whole(r.avg_cadence)),
]

GROUP_COLUMNS: list[Column] = [
    ("group", lambda g: g.id),
    ("count", lambda g: "" if g.count is None else str(g.count)),
    DURATION,
    AVG_POWER,
    INTENSITY,
    AVG_HR,
]


def format_intervals(activity_id: str, dto: dict[str, Any], budget: int = MAX_CHARS) -> Framed:
    rows = [interval_row(i) for i in dto.get("icu_intervals") or [] if isinstance(i, dict)]
    groups = [interval_group_row(g) for g in dto.get("icu_groups") or [] if isinstance(g, dict)]
    counts = f"{plural(len(rows), 'interval')}, {plural(len(groups), 'group')}"
    head = f"Intervals of activity {activity_id}: {counts}"
    if not rows:
        return Framed(head, "Intervals.icu found no intervals in this activity.")
    cut = f"(cut after {{}} of {len(rows)} intervals)"
    # 400 characters kept for the groups
    body, _ = fit_table(rows, INTERVAL_COLUMNS, cut.format, budget=budget, before=[head], reserve=400)
    out = list(body)
    if groups:
        out.append("Groups of similar intervals:")
        out.extend(table(groups, GROUP_COLUMNS, keep=("group",)))
    return Framed(head, "\n".join(out))
