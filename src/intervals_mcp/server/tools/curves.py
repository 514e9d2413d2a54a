"""Best-effort curves: power (the seed's tool, same arguments), and its siblings for heart rate
and pace. Siblings rather than a `kind` argument: their points differ (durations for power and
heart rate, distances for pace), W/kg exists only for power, and a model looking for "best 5k"
or "max HR for 20 minutes" finds the tool by its name.

Each curve set is one cached document per athlete, sport, curves and filter, re-fetched when a
newer activity of that sport lands (or after the history time to live); the durations or
distances asked are read from it, so asking for others costs no request.

The three share their arguments but for the points (and W/kg), so each is declared by
`_curve_tool`: its name, kind, description and those differences.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Sequence
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
from intervals_mcp.server.toolspec import EndDate, StartDate, ToolSpec, param
from intervals_mcp.sync.asks import DocumentAsk
from intervals_mcp.words import shown

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
            f"activity_type {shown(value)} is not an Intervals.icu activity type: use Ride, Run, Swim, ..."
        )
    return sport


def _where(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    where = value.strip().lower()
    if where not in ("indoor", "outdoor"):
        raise InputError(
            f"indoor_outdoor {shown(value)} is not indoor or outdoor: give one of them, or leave it out."
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


def _points(args: dict[str, Any]) -> list[float]:
    """The durations or distances asked (each once, in the order given), or the defaults."""
    if "distances" not in args:
        chosen: Sequence[float] = args["durations"] or fmt.DEFAULT_DURATIONS
    elif "Swim" in _sport(args["activity_type"]):
        chosen = args["distances"] or fmt.DEFAULT_SWIM_DISTANCES
    else:
        chosen = args["distances"] or fmt.DEFAULT_RUN_DISTANCES
    return list(dict.fromkeys(float(d) for d in chosen))


CURVE_ARGUMENTS = (
    param("indoor_outdoor", IndoorOutdoor, None),
    param("start_date", CurveStart, None),
    param("end_date", EndDate, None),
    param("this_season", ThisSeason, True),
    param("last_season", LastSeason, True),
)


def _curve_tool(
    name: str,
    kind: str,
    noun: str,
    doc: str,
    *,
    sport: str,
    points: inspect.Parameter,
    normalised: bool = False,
) -> ToolSpec:
    """One curve tool. Its arguments: activity_type (default `sport`), the `points` asked
    (durations or distances), the arguments every curve tool takes, and (`normalised`, power)
    include_normalised."""

    def build(view: AthleteView, **args: Any) -> Body:
        return _answer(view, kind, args, _points(args), args.get("include_normalised", False))

    own = [param("activity_type", Sport, sport), points, *CURVE_ARGUMENTS]
    if normalised:
        own.append(param("include_normalised", Normalised, True))
    view = inspect.Parameter("view", inspect.Parameter.POSITIONAL_ONLY, annotation=AthleteView)
    build.__signature__ = inspect.Signature([view, *own], return_annotation=Body)  # type: ignore[attr-defined]
    build.__name__ = build.__qualname__ = name
    build.__doc__ = doc
    declare = athlete_tool(documents(_curves_ask(kind)), result=CurvesResult, domain="athlete", noun=noun)
    return declare(build)


get_athlete_power_curves = _curve_tool(
    "get_athlete_power_curves",
    "power",
    "power curves",
    """Best power (W, W/kg, % FTP) for set durations this season, last season or a date range,
    with the activity that set each. Use for power PBs and comparing seasons.""",
    sport="Ride",
    points=param("durations", Durations, None),
    normalised=True,
)
get_athlete_hr_curves = _curve_tool(
    "get_athlete_hr_curves",
    "hr",
    "heart-rate curves",
    """Highest heart rate held (bpm, % LTHR) for set durations, per season or date range.""",
    sport="Ride",
    points=param("durations", Durations, None),
)
get_athlete_pace_curves = _curve_tool(
    "get_athlete_pace_curves",
    "pace",
    "pace curves",
    """Fastest time and pace for set distances (runs, swims), per season or date range. Use
    for best 5k, 10k or 400 m efforts.""",
    sport="Run",
    points=param("distances", Distances, None),
)

TOOLS = (get_athlete_power_curves, get_athlete_hr_curves, get_athlete_pace_curves)
