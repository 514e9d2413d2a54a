"""Activities: the list of a date range, one activity's facts, its intervals, streams and messages."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from intervals_mcp.analysis.streams import MAX_SERIES_POINTS
from intervals_mcp.server import formatting as fmt
from intervals_mcp.server.answers import Body
from intervals_mcp.server.formatting import extras
from intervals_mcp.server.schemas import (
    ActivitiesResult,
    ActivityDetailsResult,
    IntervalsResult,
    MessagesResult,
    StreamsResult,
    interval_group_row,
    interval_row,
)
from intervals_mcp.server.templates import (
    ACTIVITY,
    INTERVALS,
    MESSAGES,
    STREAMS,
    body,
    range_tool,
    record_tool,
)
from intervals_mcp.server.toolspec import RangeView, RecordView

MAX_LIMIT = 200

Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description="Most activities to list (newest first).")]
IncludeUnnamed = Annotated[
    bool, Field(description="Also list activities that have no name (skipped by default).")
]


@range_tool("activities", default_days=(-30, 0), result=ActivitiesResult, domain="activities")
def get_activities(view: RangeView, limit: Limit = 10, include_unnamed: IncludeUnnamed = False) -> Body:
    """List activities in a date range (default: the last 30 days), newest first: id, start,
    sport, name, time, distance, load, power, HR. Strava-imported ones are counted but hidden by
    Strava's API terms. Use an id with get_activity_details, _intervals or _streams."""
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
    """One activity's key facts, those present: sport, start, time, distance, climbing, power
    (avg, normalized, IF, FTP), HR, load, TRIMP, CTL/ATL after, RPE, feel, device, notes."""
    facts = fmt.activity_facts(view.payload)
    return body(
        fmt.format_activity(view.payload), ActivityDetailsResult(activity_id=str(view.record_id), facts=facts)
    )


@record_tool(INTERVALS, result=IntervalsResult, domain="activities")
def get_activity_intervals(view: RecordView) -> Body:
    """The intervals Intervals.icu detected in one activity (work/recovery, start, duration,
    power, % FTP, HR, cadence) and groups of similar ones (e.g. 3 x 240s@280w)."""
    dto = view.payload
    return body(
        fmt.format_intervals(str(view.record_id), dto),
        IntervalsResult(
            activity_id=str(view.record_id),
            intervals=[interval_row(i) for i in dto.get("icu_intervals") or [] if isinstance(i, dict)],
            groups=[interval_group_row(g) for g in dto.get("icu_groups") or [] if isinstance(g, dict)],
        ),
    )


StreamTypes = Annotated[
    str | None,
    Field(description="Comma list, e.g. watts,heartrate; default every stream the activity has."),
]
IncludeSeries = Annotated[bool, Field(description="Also give each stream as a downsampled series.")]
MaxPoints = Annotated[
    int, Field(ge=2, le=MAX_SERIES_POINTS, description="Most points per series (bucket means).")
]


@record_tool(STREAMS, result=StreamsResult, domain="activities")
def get_activity_streams(
    view: RecordView,
    stream_types: StreamTypes = None,
    include_series: IncludeSeries = False,
    max_points: MaxPoints = 100,
) -> Body:
    """Summarise one activity's recorded streams (power, HR, cadence, speed, altitude, ...): per
    stream min, mean, max, percentiles and time in power/HR zones; a downsampled series on
    request. Use for how an effort was distributed within one activity."""
    summary = extras.summarize_streams(
        view.payload,
        extras.asked_types(stream_types),
        max_points if include_series else None,
        view.athlete.profile,
    )
    activity_id = str(view.record_id)
    return body(
        extras.format_streams(activity_id, view.payload, summary),
        StreamsResult(
            activity_id=activity_id,
            step_s=summary.step_s,
            streams=summary.rows,
            not_recorded=summary.not_recorded,
            notes=summary.notes,
        ),
    )


@record_tool(MESSAGES, result=MessagesResult, domain="activities")
def get_activity_messages(view: RecordView) -> Body:
    """The comments (messages) on one activity, oldest first: when, who, what."""
    text, rows = extras.format_messages(str(view.record_id), view.payload)
    return body(text, MessagesResult(activity_id=str(view.record_id), messages=rows))


TOOLS = (
    get_activities,
    get_activity_details,
    get_activity_intervals,
    get_activity_streams,
    get_activity_messages,
)
