"""Activities: the list of a date range, one activity's facts, and its intervals."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from intervals_mcp.server import formatting as fmt
from intervals_mcp.server.answers import Body
from intervals_mcp.server.schemas import (
    ActivitiesResult,
    ActivityDetailsResult,
    IntervalsResult,
    interval_group_row,
    interval_row,
)
from intervals_mcp.server.templates import ACTIVITY, INTERVALS, body, range_tool, record_tool
from intervals_mcp.server.toolspec import RangeView, RecordView

MAX_LIMIT = 200

Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="Most activities to list (newest first).")]
IncludeUnnamed = Annotated[
    bool, Field(description="Also list activities that have no name (skipped by default).")
]


@range_tool("activities", default_days=(-30, 0), result=ActivitiesResult, domain="activities")
def get_activities(view: RangeView, limit: Limit = 10, include_unnamed: IncludeUnnamed = False) -> Body:
    """List activities in a date range (default: the last 30 days), newest first, one line each:
    id, local start, sport, name, moving time h:mm, distance (km; swims in m), training load,
    average power W, average HR bpm. Columns without data are left out. Strava-imported
    activities are counted but hidden by Strava's API terms. Use an id with
    get_activity_details or get_activity_intervals."""
    listed, stubs, unnamed = fmt.split_activities(view.payloads, include_unnamed)
    text = fmt.format_activities(
        athlete_id=view.athlete.id,
        start=view.start,
        end=view.end,
        listed=listed,
        limit=limit,
        max_limit=MAX_LIMIT,
        stubs=stubs,
        unnamed_skipped=unnamed,
        note=view.note,
    )
    shown = text.shown or 0
    return body(
        text,
        ActivitiesResult(
            athlete_id=view.athlete.id,
            start_date=str(view.start),
            end_date=str(view.end),
            shown=shown,
            total=len(listed),
            strava_hidden=stubs,
            unnamed_skipped=unnamed,
            note=view.note,
            activities=listed[:shown],
        ),
    )


@record_tool(ACTIVITY, result=ActivityDetailsResult, domain="activities")
def get_activity_details(view: RecordView) -> Body:
    """One activity's key facts, only those present: sport, local start, moving/elapsed time
    h:mm, distance, elevation gain m, power (avg, normalized, intensity factor, FTP) W, HR
    (avg, max) bpm, training load, TRIMP, CTL/ATL after, RPE, feel, device, source, description."""
    facts = fmt.activity_facts(view.payload)
    return body(
        fmt.format_activity(view.payload), ActivityDetailsResult(activity_id=str(view.record_id), facts=facts)
    )


@record_tool(INTERVALS, result=IntervalsResult, domain="activities")
def get_activity_intervals(view: RecordView) -> Body:
    """The intervals Intervals.icu detected in one activity, one line each: type (WORK or
    RECOVERY), label, start and duration m:ss, average and max power W, intensity % of FTP,
    average HR bpm, cadence rpm; then groups of similar intervals (e.g. 3 x 240s@280w)."""
    dto = view.payload
    return body(
        fmt.format_intervals(str(view.record_id), dto),
        IntervalsResult(
            activity_id=str(view.record_id),
            intervals=[interval_row(i) for i in dto.get("icu_intervals") or [] if isinstance(i, dict)],
            groups=[interval_group_row(g) for g in dto.get("icu_groups") or [] if isinstance(g, dict)],
        ),
    )


TOOLS = (get_activities, get_activity_details, get_activity_intervals)
