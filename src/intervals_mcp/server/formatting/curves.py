"""Best-effort curves (power, heart rate, pace) at the durations or distances asked, as text.

A curve holds a point only where Intervals.icu has one: an asked duration (seconds) matches
exactly, an asked distance within half a metre (1609.34 is a mile); anything else is listed as
missing rather than read off a neighbour, which would understate (or overstate) the best.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from intervals_mcp.server.formatting.athlete import pace_text
from intervals_mcp.server.formatting.core import Framed, mss, num, whole
from intervals_mcp.server.formatting.tables import table
from intervals_mcp.server.schemas_athlete import CurvePoint, CurveRow

DEFAULT_DURATIONS: tuple[int, ...] = (5, 15, 30, 60, 120, 300, 600, 1200, 3600)  # the seed's
DEFAULT_RUN_DISTANCES: tuple[float, ...] = (400.0, 1000.0, 1609.34, 5000.0, 10000.0, 21097.5, 42195.0)
DEFAULT_SWIM_DISTANCES: tuple[float, ...] = (100.0, 200.0, 400.0, 800.0, 1500.0)
DISTANCE_TOLERANCE_M = 0.5
UNIT = {"power": "W", "hr": "bpm", "pace": "s"}


def duration_label(secs: float) -> str:
    """5 -> '5s', 90 -> '1m30s', 3600 -> '1h'."""
    total = round(secs)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return "".join(f"{v}{u}" for v, u in ((h, "h"), (m, "m"), (s, "s")) if v) or "0s"


def distance_label(metres: float) -> str:
    return f"{metres:.0f}m" if metres < 1000 else f"{round(metres / 1000, 2):g}km"


def _index(xs: Sequence[Any], x: float, pace: bool) -> int | None:
    for i, value in enumerate(xs):
        v = num(value)
        if v is not None and (abs(v - x) <= DISTANCE_TOLERANCE_M if pace else v == x):
            return i
    return None


def _at(values: Any, i: int) -> Any:
    return values[i] if isinstance(values, list) and i < len(values) else None


def curve_row(
    curve: dict[str, Any],
    kind: str,
    points: Sequence[float],
    activities: dict[str, Any],
    *,
    threshold: float | None,
    include_normalised: bool,
    pace_units: str | None,
) -> CurveRow:
    """One curve at the asked points; `threshold` is FTP (power) or LTHR (hr) for a % column."""
    pace = kind == "pace"
    xs = curve.get("distance" if pace else "secs") or []
    rows, missing = [], []
    for x in points:
        i = _index(xs, x, pace)
        value = num(_at(curve.get("values"), i)) if i is not None else None
        if i is None or value is None:
            missing.append(x)
            continue
        activity_id = _at(curve.get("activity_id"), i)
        found = activities.get(str(activity_id)) if activity_id else None
        start = found.get("start_date_local") if isinstance(found, dict) else None
        wkg = num(_at(curve.get("watts_per_kg"), i)) if kind == "power" and include_normalised else None
        rows.append(
            CurvePoint(
                secs=None if pace else round(x),
                distance_m=x if pace else None,
                value=value,
                activity_id=str(activity_id) if activity_id else None,
                date=start[:10] if isinstance(start, str) else None,
                watts_per_kg=wkg,
                pct_of_threshold=round(value / threshold * 100, 1) if threshold and not pace else None,
                pace=pace_text(x / value, pace_units) or None if pace and value > 0 else None,
            )
        )
    return CurveRow(
        id=str(curve.get("id") or ""),
        label=curve.get("label") if isinstance(curve.get("label"), str) else None,
        start=str(curve.get("start_date_local") or "")[:10] or None,
        end=str(curve.get("end_date_local") or "")[:10] or None,
        points=rows,
        missing=missing,
    )


def _columns(kind: str) -> list[tuple[str, Any]]:
    pace = kind == "pace"
    columns: list[tuple[str, Any]] = [
        (
            "distance" if pace else "duration",
            (lambda p: distance_label(p.distance_m)) if pace else (lambda p: duration_label(p.secs)),
        ),
    ]
    if pace:
        columns += [("time", lambda p: mss(p.value)), ("pace", lambda p: p.pace or "")]
    else:
        columns.append((UNIT[kind], lambda p: whole(p.value)))
        columns.append(("W/kg", lambda p: "" if p.watts_per_kg is None else f"{p.watts_per_kg:.2f}"))
        columns.append(("% FTP" if kind == "power" else "% LTHR", lambda p: whole(p.pct_of_threshold)))
    columns += [("activity", lambda p: p.activity_id or ""), ("date", lambda p: p.date or "")]
    return columns


def format_curves(
    athlete_id: str, kind: str, activity_type: str, where: str | None, rows: Sequence[CurveRow]
) -> Framed:
    name = {"power": "Power", "hr": "Heart-rate", "pace": "Pace"}[kind]
    about = activity_type + (f", {where} only" if where else "")
    head = (
        f"{name} curves of athlete {athlete_id} ({about}): {len(rows)} curve{'' if len(rows) == 1 else 's'}"
    )
    lines: list[str] = []
    label = distance_label if kind == "pace" else duration_label
    for row in rows:
        span = f" ({row.start} to {row.end})" if row.start and row.end else ""
        lines.append(f"{row.label or row.id}{span}:")
        lines += table(row.points, _columns(kind)) if row.points else ["no efforts recorded"]
        if row.missing and row.points:
            lines.append("no value at " + ", ".join(label(x) for x in row.missing))
    if not rows:
        lines.append("Intervals.icu returned no curve for this selection.")
    return Framed(head, "\n".join(lines))
