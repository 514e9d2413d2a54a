"""A coach's view: the athletes a key follows, and the roster's state, as compact text.

`athlete_state` turns one athlete's cached payloads into the `analysis.roster` input; the rule
the roster is ordered by lives there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from intervals_mcp.analysis.adherence import DoneActivity, PlannedEvent, plan_adherence
from intervals_mcp.analysis.periods import week_start
from intervals_mcp.analysis.roster import AthleteState, flags, latest_fitness
from intervals_mcp.analysis.wellness import baseline, below_band
from intervals_mcp.db.columns import is_strava_stub, local_date_of
from intervals_mcp.server.formatting.core import Framed, num, one, whole
from intervals_mcp.server.formatting.tables import table
from intervals_mcp.server.schemas_athlete import AthleteRow, RosterRow


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _id(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _dated(p: dict[str, Any]) -> dict[str, Any] | None:
    """What a planned event and a done activity read alike from their payloads: id, local date,
    name, type and load (None without an id or a date)."""
    day = local_date_of(p.get("start_date_local"))
    if day is None or p.get("id") is None:
        return None
    name, kind, load = _text(p.get("name")), _text(p.get("type")), num(p.get("icu_training_load"))
    return {"id": str(p["id"]), "date": day, "name": name, "type": kind, "load": load}


def planned_event(p: dict[str, Any]) -> PlannedEvent | None:
    read = _dated(p)
    if read is None:
        return None
    category, paired = str(p.get("category") or ""), _id(p.get("paired_activity_id"))
    return PlannedEvent(**read, category=category, paired_activity_id=paired)


def done_activity(p: dict[str, Any]) -> DoneActivity | None:
    read = _dated(p)
    if read is None:
        return None
    paired = _id(p.get("paired_event_id"))
    return DoneActivity(**read, paired_event_id=paired, is_strava_stub=is_strava_stub(p))


def athlete_state(
    athlete_id: str,
    name: str | None,
    today: date,
    wellness: Sequence[dict[str, Any]],
    activities: Sequence[dict[str, Any]],
    events: Sequence[dict[str, Any]],
) -> AthleteState:
    """One athlete's state from their cached wellness (60 days), activities (28 days) and this
    week's events."""
    days = [
        (d, num(w.get("ctl")), num(w.get("atl")), num(w.get("rampRate")))
        for w in wellness
        if (d := local_date_of(w.get("id"))) is not None
    ]
    fitness = latest_fitness(days, today)
    hrv = {
        d: v
        for w in wellness
        if (d := local_date_of(w.get("id"))) is not None and (v := num(w.get("hrv"))) is not None
    }
    done = [a for a in (done_activity(p) for p in activities) if a is not None and a.date <= today]
    last = max(done, key=lambda a: a.date, default=None)
    planned = [e for e in (planned_event(p) for p in events) if e is not None]
    monday = week_start(today)
    adherence = plan_adherence(planned, [a for a in done if a.date >= monday], monday, today, today)
    about = None
    if last is not None:
        about = (
            "Strava-hidden activity"
            if last.is_strava_stub
            else ": ".join(x for x in (last.type, last.name) if x)
        )
    return AthleteState(
        athlete_id=athlete_id,
        name=name,
        today=today,
        form=fitness[1] - fitness[2] if fitness else None,
        ctl=fitness[1] if fitness else None,
        atl=fitness[2] if fitness else None,
        ramp=fitness[3] if fitness else None,
        fitness_date=fitness[0] if fitness else None,
        hrv=baseline(hrv, today) if hrv else None,
        last_activity=last.date if last else None,
        last_activity_about=about or None,
        planned=adherence.planned,
        missed=adherence.missed,
    )


def roster_row(rank: int, s: AthleteState) -> RosterRow:
    hrv = s.hrv
    return RosterRow(
        rank=rank,
        athlete_id=s.athlete_id,
        name=s.name,
        flags=flags(s),
        as_of=str(s.today),
        form=s.form,
        ctl=s.ctl,
        atl=s.atl,
        ramp=s.ramp,
        hrv_recent=hrv.recent_mean if hrv else None,
        hrv_baseline=hrv.baseline_mean if hrv else None,
        hrv_vs_baseline_pct=hrv.recent_vs_baseline_pct if hrv else None,
        hrv_low=hrv is not None and below_band(hrv),
        last_activity_date=str(s.last_activity) if s.last_activity else None,
        last_activity=s.last_activity_about,
        days_since_activity=s.idle_days,
        planned_this_week=s.planned,
        missed_this_week=[f"{m.date} {m.name or '(unnamed)'}" for m in s.missed],
        error=s.error,
    )


ROSTER_COLUMNS = [
    ("#", lambda r: str(r.rank)),
    ("athlete", lambda r: f"{r.athlete_id} {r.name or ''}".strip()),
    ("form", lambda r: whole(r.form)),
    ("ramp", lambda r: one(r.ramp)),
    ("HRV vs base", lambda r: "" if r.hrv_vs_baseline_pct is None else f"{r.hrv_vs_baseline_pct:+.0f}%"),
    (
        "last activity",
        lambda r: (
            ""
            if r.last_activity_date is None
            else f"{r.last_activity_date} ({r.days_since_activity}d) {r.last_activity or ''}".strip()[:50]
        ),
    ),
    ("missed", lambda r: f"{len(r.missed_this_week)}/{r.planned_this_week}" if r.planned_this_week else ""),
    ("attention", lambda r: r.error or "; ".join(r.flags) or "-"),
]


def format_roster(owner: str, rows: Sequence[RosterRow], rule: str) -> Framed:
    noun = "athlete" if len(rows) == 1 else "athletes"
    head = f"Roster of {owner}'s key: {len(rows)} {noun}, who needs attention first"
    body = table(rows, ROSTER_COLUMNS, keep=("attention",)) if rows else ["No athletes."]
    return Framed(
        head, "\n".join([*body, f"Order: {rule}.", "missed = missed/planned sessions this week (Monday on)."])
    )


ATHLETE_COLUMNS = [
    ("id", lambda a: a.id + (" (key owner)" if a.key_owner else "")),
    ("name", lambda a: a.name or ""),
    ("time zone", lambda a: a.timezone or ""),
    ("place", lambda a: ", ".join(x for x in (a.city, a.country) if x)),
]


def format_athletes(owner: str, rows: Sequence[AthleteRow]) -> Framed:
    head = f"Athletes this API key can read: {len(rows)} ({owner} owns the key)"
    return Framed(
        head,
        "\n".join(
            [
                *table(rows, ATHLETE_COLUMNS),
                "Pass an id as athlete_id to any tool; get_roster_status compares them all.",
            ]
        ),
    )
