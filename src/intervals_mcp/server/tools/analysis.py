"""Analytics over the cached history: training totals, time in zones, fitness and wellness trends.

Each tool answers a question about a span in one call, from SQL aggregates over the cache
(`db/analytics_queries.py`) and the pure `analysis` package: what the list tools would need
dozens of calls and tens of thousands of characters for. The sport rule is
`analysis.sports`: `Ride` includes VirtualRide, GravelRide, MountainBikeRide, TrackRide and
Cyclocross; `Run` includes VirtualRun and TrailRun; any other type matches only itself.
Three of them point at a chart page (an MCP App, `server/charts/`) through their `_meta`.

The database modules are imported inside the tools, so `serve` starts without SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import Field

from intervals_mcp.analysis.fitness import fitness_trend
from intervals_mcp.analysis.periods import Period, check_group_by, previous_span
from intervals_mcp.analysis.sports import normalize_sport, sport_types
from intervals_mcp.analysis.summary import summarize_training
from intervals_mcp.analysis.wellness import BASELINE_DAYS, wellness_trends
from intervals_mcp.analysis.zones import check_metric, intensity_distribution
from intervals_mcp.server.answers import Body
from intervals_mcp.server.charts import CHARTS
from intervals_mcp.server.compute import Span
from intervals_mcp.server.formatting.fitness import fitness_answer, wellness_answer
from intervals_mcp.server.formatting.training import intensity_answer, summary_answer
from intervals_mcp.server.schemas_analysis import (
    FitnessTrendResult,
    IntensityResult,
    TrainingSummaryResult,
    WellnessTrendsResult,
)
from intervals_mcp.server.templates import body, compute_tool
from intervals_mcp.server.toolspec import ComputeView

Sport = Annotated[
    str | None,
    Field(
        description="Intervals.icu activity type, e.g. Ride, Run, Swim, WeightTraining; Ride includes "
        "VirtualRide, GravelRide and MountainBikeRide, Run includes VirtualRun and TrailRun. Default: all."
    ),
]
GroupBy = Annotated[
    str | None,
    Field(
        description="week, month, year or none. Default by span: up to 14 days none, up to 92 days "
        "week, up to 2 years month, else year."
    ),
]
Metric = Annotated[str, Field(description="power, hr (heart rate) or pace zones.")]
ForecastDays = Annotated[
    int,
    Field(
        ge=0,
        le=365,
        description="Days past end_date to project fitness from the planned workouts' load (an "
        "estimate), e.g. the days to race day; 0 for none.",
    ),
]


def _check_summary(start: date, end: date, args: Mapping[str, Any]) -> None:
    normalize_sport(args.get("sport"))
    check_group_by(args.get("group_by"), start, end)


def _check_zones(_start: date, _end: date, args: Mapping[str, Any]) -> None:
    normalize_sport(args.get("sport"))
    check_metric(args.get("metric"))


def _with_previous(start: date, end: date, _today: date, _args: Mapping[str, Any]) -> Span:
    return previous_span(start, end).start, end


def _with_baseline(start: date, end: date, _today: date, _args: Mapping[str, Any]) -> Span:
    return min(start, end - timedelta(days=BASELINE_DAYS - 1)), end


def _planned_ahead(_start: date, end: date, today: date, args: Mapping[str, Any]) -> Span | None:
    days = int(args.get("forecast_days") or 0)
    return (min(end, today), end + timedelta(days=days)) if days > 0 else None


@compute_tool(
    {"activities": _with_previous},
    default_days=(-27, 0),
    result=TrainingSummaryResult,
    domain="analysis",
    check=_check_summary,
    meta=CHARTS["get_training_summary"].tool_meta,
)
async def get_training_summary(view: ComputeView, group_by: GroupBy = None, sport: Sport = None) -> Body:
    """Training totals over a span (default: the last 4 weeks): sessions, moving time, distance,
    climbing and load, overall, per sport and per week, month or year, beside the equally long
    span before. Use it instead of adding up get_activities: months or years in one call, from
    the cache. Strava-hidden activities are counted and named, never summed."""
    from intervals_mcp.db import analytics_queries as aq

    before = previous_span(view.start, view.end).start
    rows = await aq.daily_totals(view.reader, view.athlete.id, before, view.end, sport_types(sport))
    rows += await aq.strava_stubs(view.reader, view.athlete.id, before, view.end)
    summary = summarize_training(rows, view.start, view.end, group_by, sport)
    return body(*summary_answer(summary, view.athlete.id, view.note, view.sync_command))


@compute_tool(
    ("activities",),
    default_days=(-55, 0),
    result=IntensityResult,
    domain="analysis",
    check=_check_zones,
    meta=CHARTS["get_intensity_distribution"].tool_meta,
)
async def get_intensity_distribution(
    view: ComputeView, sport: Sport = None, metric: Metric = "power"
) -> Body:
    """Time in power, heart-rate or pace zones over a span (default: the last 8 weeks), summed
    from every activity's zone times: each zone's time and share, the three-zone split with the
    polarization index, and the split week by week. Use it for "how polarized is my training",
    instead of reading activities one by one. Activities without zone times are counted apart."""
    from intervals_mcp.db import analytics_queries as aq

    kind = check_metric(metric)
    days = await aq.zone_days(view.reader, view.athlete.id, view.start, view.end, kind, sport_types(sport))
    found = intensity_distribution(kind, days, view.start, view.end)
    span = Period(view.start, view.end)
    return body(
        *intensity_answer(found, span, view.athlete.id, normalize_sport(sport), view.note, view.sync_command)
    )


@compute_tool(
    {"wellness": lambda start, end, _today, _args: (start, end), "events": _planned_ahead},
    default_days=(-364, 0),
    result=FitnessTrendResult,
    domain="analysis",
    meta=CHARTS["get_fitness_trend"].tool_meta,
)
async def get_fitness_trend(view: ComputeView, forecast_days: ForecastDays = 0) -> Body:
    """Fitness (CTL), fatigue (ATL) and form over a span (default: the last year): the values on
    end_date, the peak, the ramp per week and at most 60 points, all Intervals.icu's own; with
    forecast_days, our estimate of where they go from the planned workouts (e.g. on race day).
    Use it instead of reading get_wellness_data day by day."""
    from intervals_mcp.db import analytics_queries as aq

    days = await aq.fitness_days(view.reader, view.athlete.id, view.start, view.end)
    planned: dict[date, float] = {}
    if forecast_days > 0:
        ahead = view.end + timedelta(days=forecast_days)
        planned = await aq.planned_load(view.reader, view.athlete.id, view.start, ahead)
    trend = fitness_trend(days, view.start, view.end, forecast_days, planned)
    text, result = fitness_answer(
        trend, view.start, view.end, view.athlete.id, forecast_days, view.note, view.sync_command
    )
    return body(text, result)


@compute_tool(
    {"wellness": _with_baseline, "activities": _with_baseline},
    default_days=(-59, 0),
    result=WellnessTrendsResult,
    domain="analysis",
)
async def get_wellness_trends(view: ComputeView) -> Body:
    """HRV, resting HR and sleep of the last 7 days against the athlete's 60-day baseline (both
    ending end_date, default today), with flags when HRV is below or resting HR above the
    baseline band, the weight trend over the span and the training load beside them. Use it for
    "am I recovering", instead of reading get_wellness_data day by day."""
    from intervals_mcp.db import analytics_queries as aq

    first = min(view.start, view.end - timedelta(days=BASELINE_DAYS - 1))
    days = await aq.wellness_days(view.reader, view.athlete.id, first, view.end)
    load = await aq.daily_load(view.reader, view.athlete.id, first, view.end)
    trends = wellness_trends(days, view.start, view.end, load)
    return body(*wellness_answer(trends, view.start, view.athlete.id, view.note, view.sync_command))


TOOLS = (get_training_summary, get_fitness_trend, get_wellness_trends, get_intensity_distribution)
