"""Best-effort curves: power (the seed's tool, same arguments), and its siblings for heart rate
and pace. Siblings rather than a `kind` argument: their points differ (durations for power and
heart rate, distances for pace), W/kg exists only for power, and a model looking for "best 5k"
or "max HR for 20 minutes" finds the tool by its name.

Each curve set is one cached document per athlete, sport, curves and filter, re-fetched when a
newer activity of that sport lands (or after the history time to live); the durations or
distances asked are read from it, so asking for others costs no request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import Field

from intervals_mcp.analysis.sports import sport_family, sport_types
from intervals_mcp.errors import InputError
from intervals_mcp.server.answers import Body
from intervals_mcp.server.athlete_templates import AthleteView, Call, athlete_tool, documents
from intervals_mcp.server.formatting import curves as fmt
from intervals_mcp.server.formatting.athlete import sport_settings_for
from intervals_mcp.server.formatting.core import num
from intervals_mcp.server.inputs import parse_day
from intervals_mcp.server.schemas_athlete import CurvesResult
from intervals_mcp.server.templates import body
from intervals_mcp.server.toolspec import EndDate, StartDate
from intervals_mcp.sync.asks import DocumentAsk

MAX_POINTS = 40

Sport = Annotated[str, Field(description="Activity type, e.g. Ride, Run, Swim (Ride includes VirtualRide).")]
Durations = Annotated[
    list[Annotated[int, Field(ge=1, le=86_400)]] | None,
    Field(max_length=MAX_POINTS, description="Seconds, e.g. [5, 60, 300, 1200]; default 5 s to 1 h."),
]
Distances = Annotated[
    list[Annotated[float, Field(gt=0, le=1_000_000)]] | None,
    Field(
        max_length=MAX_POINTS,
        description="Metres, e.g. [1000, 5000]; default 400 m to marathon (swims 100-1500 m).",
    ),
]
IndoorOutdoor = Annotated[str | None, Field(description="'indoor' or 'outdoor' only; default both.")]
ThisSeason = Annotated[bool, Field(description="Include this season's curve.")]
LastSeason = Annotated[bool, Field(description="Include last season's curve.")]
Normalised = Annotated[bool, Field(description="Also give W/kg.")]
CurveStart = Annotated[StartDate, Field(description="With end_date: also a curve of this date range.")]


def _curves_ask(kind: str) -> Callable[[Call], DocumentAsk]:
    def ask(call: Call) -> DocumentAsk:
        args = call.args
        sport = _sport(args["activity_type"])
        curves = [name for name, on in (("s0", args["this_season"]), ("s1", args["last_season"])) if on]
        start, end = parse_day(args["start_date"], "start_date"), parse_day(args["end_date"], "end_date")
        if (start is None) != (end is None):
            raise InputError("Give both start_date and end_date for a date-range curve, or neither.")
        if start is not None and end is not None:
            if start > end:
                raise InputError(f"start_date {start} is after end_date {end}: give the earlier date first.")
            curves.append(f"r.{start}.{end}")
        if not curves:
            raise InputError(
                "Choose at least one curve: this_season, last_season, or start_date with end_date."
            )
        where = _where(args["indoor_outdoor"])
        filters = json.dumps([{"field_id": "indoor", "value": where, "id": 1}]) if where else None
        today = call.athlete.today(call.began)
        family = sport_family(sport)
        return DocumentAsk(
            "curves",
            # Seasons are relative to the athlete's year: a new year names new curves.
            key=f"{kind}|{sport}|{','.join(curves)}|{where or ''}|{today.year}",
            params={
                "kind": kind,
                "sport": sport,
                "curves": ",".join(curves),
                "filters": filters,
                "now": today,
            },
            sports=sport_types(family) if family else None,
        )

    return ask


def _sport(value: str) -> str:
    from intervals_mcp.analysis.sports import normalize_sport

    try:
        sport = normalize_sport(value)
    except InputError:
        sport = None
    if sport is None:
        raise InputError(
            f"activity_type {value!r} is not an Intervals.icu activity type: use Ride, Run, Swim, ..."
        )
    return sport


def _where(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    where = value.strip().lower()
    if where not in ("indoor", "outdoor"):
        raise InputError(
            f"indoor_outdoor {value!r} is not indoor or outdoor: give one of them, or leave it out."
        )
    return where


def _answer(
    view: AthleteView, kind: str, args: dict[str, Any], points: list[float], normalised: bool
) -> Body:
    payload = view.payload
    sport = _sport(args["activity_type"])
    settings = sport_settings_for(view.athlete.profile, sport) or {}
    threshold = (
        num(settings.get("ftp")) if kind == "power" else num(settings.get("lthr")) if kind == "hr" else None
    )
    units = settings.get("pace_units") if isinstance(settings.get("pace_units"), str) else None
    activities = payload.get("activities") if isinstance(payload.get("activities"), dict) else {}
    rows = [
        fmt.curve_row(
            c,
            kind,
            points,
            activities or {},
            threshold=threshold,
            include_normalised=normalised,
            pace_units=units,
        )
        for c in payload.get("list") or []
        if isinstance(c, dict)
    ]
    where = _where(args["indoor_outdoor"])
    return body(
        fmt.format_curves(view.athlete.id, kind, sport, where, rows),
        CurvesResult(
            athlete_id=view.athlete.id, kind=kind, activity_type=sport, indoor_outdoor=where, curves=rows
        ),
    )


def _durations(durations: list[int] | None) -> list[float]:
    return [float(d) for d in dict.fromkeys(durations or fmt.DEFAULT_DURATIONS)]


@athlete_tool(documents(_curves_ask("power")), result=CurvesResult, domain="athlete", noun="power curves")
def get_athlete_power_curves(
    view: AthleteView,
    activity_type: Sport = "Ride",
    durations: Durations = None,
    indoor_outdoor: IndoorOutdoor = None,
    start_date: CurveStart = None,
    end_date: EndDate = None,
    this_season: ThisSeason = True,
    last_season: LastSeason = True,
    include_normalised: Normalised = True,
) -> Body:
    """Best power (W, W/kg, % FTP) for set durations this season, last season or a date range,
    with the activity that set each. Use for power PBs and comparing seasons."""
    args = {"activity_type": activity_type, "indoor_outdoor": indoor_outdoor}
    return _answer(view, "power", args, _durations(durations), include_normalised)


@athlete_tool(documents(_curves_ask("hr")), result=CurvesResult, domain="athlete", noun="heart-rate curves")
def get_athlete_hr_curves(
    view: AthleteView,
    activity_type: Sport = "Ride",
    durations: Durations = None,
    indoor_outdoor: IndoorOutdoor = None,
    start_date: CurveStart = None,
    end_date: EndDate = None,
    this_season: ThisSeason = True,
    last_season: LastSeason = True,
) -> Body:
    """Highest heart rate held (bpm, % LTHR) for set durations, per season or date range."""
    args = {"activity_type": activity_type, "indoor_outdoor": indoor_outdoor}
    return _answer(view, "hr", args, _durations(durations), False)


@athlete_tool(documents(_curves_ask("pace")), result=CurvesResult, domain="athlete", noun="pace curves")
def get_athlete_pace_curves(
    view: AthleteView,
    activity_type: Sport = "Run",
    distances: Distances = None,
    indoor_outdoor: IndoorOutdoor = None,
    start_date: CurveStart = None,
    end_date: EndDate = None,
    this_season: ThisSeason = True,
    last_season: LastSeason = True,
) -> Body:
    """Fastest time and pace for set distances (runs, swims), per season or date range. Use
    for best 5k, 10k or 400 m efforts."""
    sport = _sport(activity_type)
    default = fmt.DEFAULT_SWIM_DISTANCES if "Swim" in sport else fmt.DEFAULT_RUN_DISTANCES
    chosen = distances or default
    args = {"activity_type": activity_type, "indoor_outdoor": indoor_outdoor}
    return _answer(view, "pace", args, list(dict.fromkeys(float(d) for d in chosen)), False)


TOOLS = (get_athlete_power_curves, get_athlete_hr_curves, get_athlete_pace_curves)
