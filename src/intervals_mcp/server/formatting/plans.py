"""Plan adherence, activity search and the cache's status: text and structured results."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from intervals_mcp.analysis.adherence import Adherence
from intervals_mcp.analysis.cache import CacheStatus
from intervals_mcp.analysis.search import SearchItem, Similar
from intervals_mcp.server.formatting.core import Framed, cell, hmm, utc_minute
from intervals_mcp.server.formatting.figures import framed, head, listed, plural, r1, thousands
from intervals_mcp.server.formatting.tables import DATE
from intervals_mcp.server.schemas_analysis import (
    CacheStatusResult,
    FoundActivity,
    Gap,
    MissedRow,
    PlanAdherenceResult,
    ResourceCacheRow,
    UnplannedRow,
    span_of,
)

MISSED_NAMED = 8
UNPLANNED_NAMED = 4
UNPLANNED_LISTED = 100  # rows of `unplanned` in the structured result (all are counted)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def adherence_answer(
    a: Adherence,
    start: date,
    end: date,
    athlete_id: str,
    activities: int,
    note: str | None,
    command: str | None,
) -> tuple[Framed, PlanAdherenceResult]:
    first = head(
        "Plan adherence",
        start,
        end,
        athlete_id,
        plural(a.planned, "planned workout"),
        plural(activities, "activity", "activities"),
    )
    lines = [note or ""]
    if a.planned:
        hidden = (
            f" ({a.hidden_completed} done as Strava-hidden activities, their load unknown and left out)"
            if a.hidden_completed
            else ""
        )
        lines.append(
            f"Done {a.completed} of {a.planned} planned workouts, missed {len(a.missed)}; compliance "
            f"{_pct(a.compliance_pct) or 'unknown (no planned load)'}: done load {thousands(a.done_load)} of "
            f"{thousands(a.planned_load)} planned, each capped at its plan{hidden}."
        )
    else:
        lines.append("No planned workouts (category WORKOUT) in this range up to today.")
    if a.missed:
        named = [f"{m.date} {m.name or '(no name)'}" for m in a.missed]
        lines.append(f"Missed: {listed(named, MISSED_NAMED)}.")
    if a.unplanned:
        kinds = Counter(u.type or "Strava-hidden" for u in a.unplanned)
        newest = [f"{u.date} {u.name or u.type or '?'} ({u.id})" for u in reversed(a.unplanned)]
        lines.append(
            f"Unplanned: {len(a.unplanned)} activities ("
            + ", ".join(f"{k} {n}" for k, n in kinds.most_common())
            + f"); newest: {listed(newest, UNPLANNED_NAMED)}."
        )
    weeks = [w for w in a.weeks if w.planned or w.unplanned]
    columns = [
        ("week of", lambda w: str(w.start)),
        ("planned", lambda w: str(w.planned)),
        ("done", lambda w: str(w.completed)),
        ("missed", lambda w: str(w.missed)),
        ("unplanned", lambda w: str(w.unplanned)),
        ("load done/planned", lambda w: f"{thousands(w.done_load)}/{thousands(w.planned_load)}"),
        ("%", lambda w: _pct(w.compliance_pct)),
    ]
    text = framed(first, lines, weeks if len(weeks) > 1 else [], columns, "ask for a shorter range")
    result = PlanAdherenceResult(
        athlete_id=athlete_id,
        start_date=str(start),
        end_date=str(end),
        records=a.planned + activities,
        note=note,
        sync_command=command,
        planned=a.planned,
        completed=a.completed,
        missed=[MissedRow(date=str(m.date), name=m.name) for m in a.missed],
        unplanned=[
            UnplannedRow(id=u.id, date=str(u.date), type=u.type, name=u.name)
            for u in a.unplanned[-UNPLANNED_LISTED:]
        ],
        unplanned_count=len(a.unplanned),
        compliance_pct=r1(a.compliance_pct),
        planned_load=round(a.planned_load, 1),
        done_load=round(a.done_load, 1),
        hidden_completed=a.hidden_completed,
        weekly=[
            replace(
                w,
                planned_load=round(w.planned_load, 1),
                done_load=round(w.done_load, 1),
                compliance_pct=r1(w.compliance_pct),
            )
            for w in a.weeks
        ],
    )
    return text, result


# --- search -------------------------------------------------------------------------------------


def found(item: SearchItem, similarity: float | None = None) -> FoundActivity:
    return FoundActivity(
        id=item.id,
        date=str(item.date),
        type=item.type,
        name=item.name,
        moving_time_s=None if item.moving_time_s is None else round(item.moving_time_s),
        distance_km=None if item.distance_m is None else round(item.distance_m / 1000, 2),
        training_load=r1(item.training_load),
        avg_watts=None if item.power_w is None else round(item.power_w),
        intensity=r1(item.intensity),
        similarity=None if similarity is None else round(similarity, 2),
    )


SEARCH_COLUMNS = [
    ("id", lambda r: r.id),
    DATE,
    ("sport", lambda r: r.type or ""),
    ("name", lambda r: cell(r.name or "")[:40]),
    ("time h:mm", lambda r: hmm(r.moving_time_s)),
    ("km", lambda r: "" if r.distance_km is None else f"{r.distance_km:.1f}"),
    ("load", lambda r: thousands(r.training_load)),
    ("W", lambda r: "" if r.avg_watts is None else f"{r.avg_watts:.0f}"),
    ("IF%", lambda r: "" if r.intensity is None else f"{r.intensity:.0f}"),
    ("like", lambda r: "" if r.similarity is None else f"{r.similarity:.2f}"),
]


def search_text(first: str, lines: Sequence[str], rows: Sequence[FoundActivity]) -> Framed:
    return framed(first, lines, rows, SEARCH_COLUMNS, "ask with a smaller limit or narrower filters")


def similar_rows(similar: Sequence[Similar]) -> list[FoundActivity]:
    return [found(s.item, s.distance) for s in similar]


# --- the cache's status -------------------------------------------------------------------------


def cache_row(
    status: CacheStatus | None, resource: str, rows: int, hidden: int, command: str | None
) -> ResourceCacheRow:
    """One resource's row; `status` None: nothing of it is cached (`command` fetches it)."""
    if status is None:
        return ResourceCacheRow(
            resource=resource,
            rows=rows,
            strava_hidden=hidden,
            gaps=[],
            gap_days=0,
            stale_days=0,
            sync_command=command,
        )
    return ResourceCacheRow(
        resource=resource,
        cached_from=None if status.cached is None else str(status.cached.start),
        cached_to=None if status.cached is None else str(status.cached.end),
        rows=rows,
        strava_hidden=hidden,
        gaps=[Gap(**span_of(g)) for g in status.gaps],
        gap_days=status.gap_days,
        stale_days=status.stale_days,
        last_fetch=None if status.last_fetch is None else status.last_fetch.isoformat(timespec="seconds"),
        sync_command=status.sync_command,
    )


def cache_answer(result: CacheStatusResult) -> Framed:
    first = f"Cache of athlete {result.athlete_id} on {result.today} (stored locally; nothing was fetched)"
    lines = []
    for r in result.resources:
        if r.cached_from is None:
            lines.append(f"{r.resource}: nothing cached; `{r.sync_command}` fetches it.")
            continue
        hidden = f" ({r.strava_hidden} Strava-hidden)" if r.strava_hidden else ""
        gaps = (
            "no gaps"
            if not r.gaps
            else f"{plural(len(r.gaps), 'gap')} ({r.gap_days} days): "
            + ", ".join(f"{g.start} to {g.end}" for g in r.gaps[:3])
            + ("; ..." if len(r.gaps) > 3 else "")
        )
        last = utc_minute(None) if r.last_fetch is None else r.last_fetch[:16].replace("T", " ") + " UTC"
        lines.append(
            f"{r.resource}: {r.cached_from} to {r.cached_to}, {r.rows} rows{hidden}; {gaps}; "
            f"{r.stale_days} stale days (refreshed on the next read); last fetched {last}."
            + (f" Fill the gaps: `{r.sync_command}`." if r.sync_command else "")
        )
    lines.append(f"Intervals cached for {plural(result.intervals_rows, 'activity', 'activities')}.")
    return Framed(first + ".", "\n".join(lines), sourced=False)
