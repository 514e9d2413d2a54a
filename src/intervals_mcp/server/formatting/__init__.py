"""Pure formatters: API payload dicts in, compact honest text out (no I/O, no clock).

`core` holds what every answer shares (value formatters, the provenance sentence, `Framed`,
tables cut to a budget); one module per domain renders its answers.
"""

from intervals_mcp.server.formatting.activities import (
    ACTIVITY_COLUMNS,
    activity_facts,
    format_activities,
    format_activity,
    format_intervals,
    split_activities,
    strava_detail,
    strava_line,
)
from intervals_mcp.server.formatting.core import (
    FRESH_WITHIN,
    MAX_CHARS,
    PROVENANCE_ALLOWANCE,
    Framed,
    budget_for,
    cell,
    distance,
    hmm,
    is_swim,
    local_minute,
    mss,
    num,
    one,
    provenance_text,
    utc_minute,
    whole,
)
from intervals_mcp.server.formatting.events import format_event, format_events, workout_steps
from intervals_mcp.server.formatting.tables import Column, clip, table
from intervals_mcp.server.formatting.wellness import format_wellness, wellness_day, wellness_extras

__all__ = [
    "ACTIVITY_COLUMNS",
    "FRESH_WITHIN",
    "MAX_CHARS",
    "PROVENANCE_ALLOWANCE",
    "Column",
    "Framed",
    "activity_facts",
    "budget_for",
    "cell",
    "clip",
    "distance",
    "format_activities",
    "format_activity",
    "format_event",
    "format_events",
    "format_intervals",
    "format_wellness",
    "hmm",
    "is_swim",
    "local_minute",
    "mss",
    "num",
    "one",
    "provenance_text",
    "split_activities",
    "strava_detail",
    "strava_line",
    "table",
    "utc_minute",
    "wellness_day",
    "wellness_extras",
    "whole",
    "workout_steps",
]
