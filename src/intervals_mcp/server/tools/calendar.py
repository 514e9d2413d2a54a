"""The calendar: planned workouts, races and notes in a range, and one event's workout."""

from __future__ import annotations

from intervals_mcp.server import formatting as fmt
from intervals_mcp.server.answers import Body
from intervals_mcp.server.schemas import EventDetailsResult, EventsResult, event_summary
from intervals_mcp.server.templates import EVENT, body, range_tool, record_tool
from intervals_mcp.server.toolspec import RangeView, RecordView


@range_tool("events", default_days=(0, 30), result=EventsResult, domain="calendar")
def get_events(view: RangeView) -> Body:
    """Calendar events (planned workouts, races, notes) in a date range (default: today and the
    next 30 days), oldest first: id, date, category, sport, name, planned time, distance, load.
    Use an id with get_event_by_id for the workout steps."""
    events = view.payloads
    text, shown = fmt.format_events(
        athlete_id=view.athlete.id, start=view.start, end=view.end, events=events, note=view.note
    )
    return body(
        text,
        EventsResult(
            athlete_id=view.athlete.id,
            start_date=str(view.start),
            end_date=str(view.end),
            shown=shown,
            total=len(events),
            note=view.note,
            events=[event_summary(e) for e in events[:shown]],
        ),
    )


@record_tool(EVENT, result=EventDetailsResult, domain="calendar")
def get_event_by_id(view: RecordView) -> Body:
    """One calendar event: date, category, sport, name, planned time, distance, load,
    intensity, and its workout one step per line (e.g. '- 12:00 90% FTP') or description."""
    payload = view.payload
    text, steps = fmt.format_event(payload)
    description = payload.get("description")
    return body(
        text,
        EventDetailsResult(
            event_id=int(view.record_id),
            event=event_summary(payload),
            description=description if isinstance(description, str) else None,
            workout_steps=steps,
        ),
    )


TOOLS = (get_events, get_event_by_id)
