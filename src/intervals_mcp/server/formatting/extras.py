"""An activity's streams (summarised, never raw) and its messages, as compact text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intervals_mcp.analysis import streams as st
from intervals_mcp.db.columns import parse_timestamp
from intervals_mcp.server.formatting.athlete import sport_settings_for
from intervals_mcp.server.formatting.core import (
    MAX_CHARS,
    Framed,
    budget_for,
    local_minute,
    mss,
    num,
    utc_minute,
)
from intervals_mcp.server.formatting.tables import Column, clip, table
from intervals_mcp.server.schemas import BandRow, MessageRow, StreamRow, message_row

UNITS = {
    "watts": "W",
    "raw_watts": "W",
    "fixed_watts": "W",
    "heartrate": "bpm",
    "cadence": "rpm",
    "distance": "m",
    "altitude": "m",
    "velocity_smooth": "m/s",
    "temp": "°C",
    "torque": "Nm",
    "core_temperature": "°C",
    "skin_temperature": "°C",
    "respiration": "br/min",
    "smo2": "%",
}
POWER = frozenset({"watts", "raw_watts", "fixed_watts"})
CLOCK = "time"  # what the samples are spaced by, not summarised


@dataclass(frozen=True)
class StreamsView:
    rows: list[StreamRow]
    not_recorded: list[str]
    notes: list[str]
    step_s: float


def asked_types(stream_types: str | None) -> list[str] | None:
    """'watts, heartrate' -> ['watts', 'heartrate']; None or blank: every stream."""
    if stream_types is None or not stream_types.strip():
        return None
    return list(dict.fromkeys(t.strip() for t in stream_types.split(",") if t.strip()))


def _bands(
    kind: str, activity: dict[str, Any], settings: dict[str, Any] | None
) -> tuple[list[float], list[Any], str]:
    """(upper bounds, zone names, what they are) for a stream with zones, from the activity's
    own zones (those it was analysed with) and the athlete's zone names."""
    settings = settings or {}
    if kind in POWER:
        ftp = num(activity.get("icu_ftp"))
        bounds = st.zone_bounds(ftp, activity.get("icu_power_zones") or settings.get("power_zones"))
        return (
            bounds,
            settings.get("power_zone_names") or [],
            f"power zones of FTP {ftp:.0f} W" if ftp else "",
        )
    if kind == "heartrate":
        bounds = st.zone_bounds(None, activity.get("icu_hr_zones") or settings.get("hr_zones"))
        return bounds, settings.get("hr_zone_names") or [], "HR zones"
    return [], [], ""


def _row(
    kind: str,
    values: list[float],
    step: float,
    activity: dict[str, Any],
    settings: dict[str, Any] | None,
    series_points: int | None,
) -> StreamRow | None:
    stats = st.stream_stats(values)
    if stats is None:
        return None
    bounds, names, basis = _bands(kind, activity, settings)
    bands = st.time_in_bands(values, bounds, [str(n) for n in names], step) if bounds else []
    series = st.downsample(values, series_points, step) if series_points else None
    p = stats.percentiles
    return StreamRow(
        type=kind,
        unit=UNITS.get(kind),
        samples=stats.samples,
        min=stats.min,
        mean=stats.mean,
        max=stats.max,
        p10=p[10],
        p25=p[25],
        p50=p[50],
        p75=p[75],
        p90=p[90],
        bands_basis=basis or None,
        bands=[
            BandRow(name=b.name, low=b.low, high=b.high, seconds=b.seconds, share_pct=round(b.share * 100, 1))
            for b in bands
        ],
        series_every_s=series.every_s if series else None,
        series=[round(v, 2) for v in series.values] if series else None,
    )


def summarize_streams(
    payload: dict[str, Any],
    wanted: list[str] | None,
    series_points: int | None,
    profile: dict[str, Any] | None,
) -> StreamsView:
    """The rows of the streams asked for (every one but time by default) and what was left out."""
    streams = [
        s for s in payload.get("streams") or [] if isinstance(s, dict) and isinstance(s.get("type"), str)
    ]
    by_type = {s["type"]: s for s in streams}
    activity = payload.get("activity") or {}
    settings = sport_settings_for(profile, activity.get("type"))
    step = st.sampling_step(by_type.get("time", {}).get("data"))
    order = wanted if wanted is not None else [t for t in by_type if t != CLOCK]
    rows, notes = [], []
    for kind in order:
        stream = by_type.get(kind)
        if stream is None:
            continue
        if kind == "latlng":
            lat, lng = st.numbers(stream.get("data")), st.numbers(stream.get("data2"))
            if lat and lng:
                notes.append(
                    f"latlng: {len(lat)} GPS points within lat {min(lat):.4f}..{max(lat):.4f}, "
                    f"lng {min(lng):.4f}..{max(lng):.4f}"
                )
            continue
        if stream.get("valueTypeIsArray"):
            notes.append(f"{kind}: array-valued, not summarised")
            continue
        row = _row(kind, st.numbers(stream.get("data")), step, activity, settings, series_points)
        if row is None:
            notes.append(f"{kind}: no values")
        else:
            rows.append(row)
    missing = [] if wanted is None else [t for t in wanted if t not in by_type]
    return StreamsView(rows, missing, notes, step)


def _fig(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:.1f}"


STATS = ("min", "mean", "max", "p10", "p25", "p50", "p75", "p90")  # a StreamRow's figures


def _stat_column(stat: str) -> Column:
    return stat, lambda r: _fig(getattr(r, stat))


STREAM_COLUMNS: list[Column] = [
    ("stream", lambda r: r.type),
    ("unit", lambda r: r.unit or ""),
    ("samples", lambda r: str(r.samples)),
    *(_stat_column(stat) for stat in STATS),
]


def _band_line(row: StreamRow) -> str:
    parts = []
    for b in row.bands:
        span = (
            f"≤{_fig(b.high)}"
            if b.low is None
            else (f">{_fig(b.low)}" if b.high is None else f"{_fig(b.low)}-{_fig(b.high)}")
        )
        parts.append(f"{b.name} {span} {mss(b.seconds)} ({b.share_pct:.0f}%)")
    return f"Time in {row.bands_basis or 'zones'} ({row.unit}): " + ", ".join(parts)


def format_streams(
    activity_id: str, payload: dict[str, Any], view: StreamsView, budget: int = MAX_CHARS
) -> Framed:
    activity = payload.get("activity") or {}
    about = ", ".join(x for x in (activity.get("type"), local_minute(activity.get("start_date_local"))) if x)
    head = (
        f"Streams of activity {activity_id}{f' ({about})' if about else ''}: {len(view.rows)} summarised, "
        f"one sample per {view.step_s:g} s"
    )
    lines = (
        table(view.rows, STREAM_COLUMNS)
        if view.rows
        else ["No stream with values was asked for or recorded."]
    )
    lines += [_band_line(r) for r in view.rows if r.bands]
    if view.not_recorded:
        lines.append(f"Not recorded: {', '.join(view.not_recorded)}.")
    lines += view.notes
    series = [
        f"{r.type} every {r.series_every_s:g} s: {','.join(_fig(v) for v in r.series or [])}"
        for r in view.rows
        if r.series is not None
    ]
    if series:
        lines.append("Series (bucket means, oldest first):")
        kept, _ = clip(
            ["", *series],
            budget_for(budget, head, *lines),
            lambda n: (
                f"(series cut after {n} of {len(series)} streams: ask for fewer stream_types or max_points)"
            ),
        )
        lines += kept[1:]
    return Framed(head, "\n".join(lines))


# --- messages ---------------------------------------------------------------------------------


def format_messages(
    activity_id: str, payload: dict[str, Any], budget: int = MAX_CHARS
) -> tuple[Framed, list[MessageRow]]:
    rows = [message_row(m) for m in payload.get("messages") or [] if isinstance(m, dict)]
    rows = [r for r in rows if r.content is not None or r.type != "TEXT"]
    head = f"Messages on activity {activity_id}: {len(rows)}"
    if not rows:
        return Framed(head, "No one has commented on this activity."), rows
    lines = [
        f"{_when(r.created)} {r.author or '?'}: {' '.join((r.content or f'({r.type})').split())}"
        for r in rows
    ]
    kept, shown = clip(
        ["", *lines], budget_for(budget, head), lambda n: f"(cut after {n} of {len(rows)} messages)"
    )
    return Framed(head, "\n".join(kept[1:]), shown=shown), rows[:shown]


def _when(created: str | None) -> str:
    return utc_minute(parse_timestamp(created)) if created else "(undated)"

