"""Wellness: daily fitness, fatigue, form, HRV, sleep, weight and how the athlete feels."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from intervals_mcp.server import formatting as fmt
from intervals_mcp.server.answers import Body
from intervals_mcp.server.schemas import WellnessResult
from intervals_mcp.server.templates import body, range_tool
from intervals_mcp.server.toolspec import RangeView

IncludeAll = Annotated[
    bool, Field(description="Also show every other recorded field (SpO2, steps, comments, ...).")
]


@range_tool("wellness", default_days=(-30, 0), result=WellnessResult, domain="wellness")
def get_wellness_data(view: RangeView, include_all_fields: IncludeAll = False) -> Body:
    """Daily wellness in a date range (default: the last 30 days), oldest first: CTL (fitness),
    ATL (fatigue), form (CTL - ATL), ramp, HRV, resting HR, sleep, weight, and soreness,
    fatigue, stress, mood, motivation on a 1-4 scale where 1 is good."""
    days = view.payloads
    text, shown = fmt.format_wellness(
        athlete_id=view.athlete.id,
        start=view.start,
        end=view.end,
        days=days,
        include_all_fields=include_all_fields,
        note=view.note,
    )
    return body(
        text,
        WellnessResult(
            athlete_id=view.athlete.id,
            start_date=str(view.start),
            end_date=str(view.end),
            days_shown=shown,
            days_total=len(days),
            note=view.note,
            days=[fmt.wellness_day(d, include_all_fields) for d in days[:shown]],
        ),
    )


TOOLS = (get_wellness_data,)
