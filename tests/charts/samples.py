"""Sample structured results in the shapes of the analytics tools (issue 9's contract), for
the chart pages to draw: a normal one, one with a forecast, and empty ones."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

START = date(2025, 12, 1)
END = date(2026, 11, 29)
PROVENANCE = {"source": "cache", "fetched_at": "2026-11-29T08:00:00Z", "requests": 0}


def _day(offset: int) -> str:
    return str(START + timedelta(days=offset))


def _fitness_row(day: int) -> dict[str, Any]:
    ctl = 45 + 18 * math.sin(day / 58) + day / 30
    atl = ctl + 14 * math.sin(day / 5)
    return {"date": _day(day), "ctl": round(ctl, 1), "atl": round(atl, 1), "form": round(ctl - atl, 1)}


def fitness(*, forecast_days: int = 0, empty: bool = False) -> dict[str, Any]:
    span = (END - START).days
    points = [] if empty else [_fitness_row(d) for d in range(0, span + 1, 6)]
    forecast = []
    if points:
        last = points[-1]
        ctl, atl = last["ctl"], last["atl"]
        for i in range(1, forecast_days + 1):
            load = 0 if i % 7 == 0 else 70 + 30 * (i % 3)
            ctl += (load - ctl) / 42
            atl += (load - atl) / 7
            forecast.append(
                {
                    "date": str(END + timedelta(days=i)),
                    "ctl": round(ctl, 1),
                    "atl": round(atl, 1),
                    "form": round(ctl - atl, 1),
                    "planned_load": load,
                }
            )
    peak = max(points, key=lambda p: p["ctl"], default=None)
    return {
        "athlete_id": "i12345",
        "start_date": str(START),
        "end_date": str(END),
        "latest": points[-1] if points else None,
        "peak": {"date": peak["date"], "ctl": peak["ctl"]} if peak else None,
        "points": points,
        "ramp_per_week": 1.8 if points else None,
        "forecast": forecast,
        "provenance": PROVENANCE,
    }


def _figures(sessions: int, seed: int) -> dict[str, Any]:
    hours = sessions * (1.1 + 0.3 * math.sin(seed))
    return {
        "sessions": sessions,
        "moving_time_s": round(hours * 3600),
        "distance_km": round(hours * 27.5, 1),
        "elevation_m": round(hours * 310),
        "training_load": round(hours * 62),
    }


def _add(rows: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("sessions", "moving_time_s", "distance_km", "elevation_m", "training_load")
    return {k: round(sum(r[k] for r in rows), 1) for k in keys}


def training_summary(*, group_by: str = "week", empty: bool = False) -> dict[str, Any]:
    count, step = (12, 7) if group_by == "week" else (12, 30)
    first = END - timedelta(days=count * step - 1)
    periods = []
    for i in range(count):
        start = first + timedelta(days=i * step)
        sessions = 0 if empty or i == 4 else 3 + i % 4
        periods.append(
            {"start": str(start), "end": str(start + timedelta(days=step - 1)), **_figures(sessions, i)}
        )
    totals = _add(periods)
    ride = _add([_figures(max(0, p["sessions"] - 2), n) for n, p in enumerate(periods)])
    run = {k: round(totals[k] - ride[k], 1) for k in totals}
    previous_start = first - timedelta(days=count * step)
    return {
        "athlete_id": "i12345",
        "start_date": str(first),
        "end_date": str(END),
        "group_by": group_by,
        "sport": None,
        "totals": totals,
        "by_sport": {} if empty else {"Ride": ride, "Run": run},
        "periods": periods,
        "previous": {
            "start": str(previous_start),
            "end": str(first - timedelta(days=1)),
            **_figures(0 if empty else 40, 99),
        },
        "provenance": PROVENANCE,
    }


def intensity(*, empty: bool = False) -> dict[str, Any]:
    seconds = [] if empty else [41000, 52000, 9000, 5200, 3100, 1200, 400]
    total = sum(seconds)
    zones = [{"zone": f"Z{i + 1}", "seconds": s, "share": round(s / total, 4)} for i, s in enumerate(seconds)]
    weekly = (
        []
        if empty
        else [
            {
                "start": str(END - timedelta(days=7 * (8 - w) - 1)),
                "end": str(END - timedelta(days=7 * (7 - w))),
                "low": 0.0 if w == 3 else 0.7 + 0.02 * w,
                "moderate": 0.0 if w == 3 else 0.1,
                "high": 0.0 if w == 3 else 0.2 - 0.02 * w,
            }
            for w in range(8)
        ]
    )
    return {
        "athlete_id": "i12345",
        "start_date": str(END - timedelta(days=55)),
        "end_date": str(END),
        "sport": "Ride",
        "metric": "power",
        "zones": zones,
        "polarization": {"low": 0.0, "moderate": 0.0, "high": 0.0, "index": None}
        if empty
        else {"low": 0.78, "moderate": 0.08, "high": 0.14, "index": 2.31},
        "weekly": weekly,
        "provenance": PROVENANCE,
    }


def tool_result(
    structured: dict[str, Any] | None, text: str = "(the text answer)", *, error: bool = False
) -> dict[str, Any]:
    """A CallToolResult as it travels in `ui/notifications/tool-result` (JSON by alias)."""
    result: dict[str, Any] = {"content": [{"type": "text", "text": text}], "isError": error}
    if structured is not None:
        result["structuredContent"] = structured
    return result
