"""Writing the calendar: planned workouts (their text checked before it is sent), notes, deletes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from intervals_mcp.errors import InputError
from intervals_mcp.server.event_draft import EventDraft, draft_event, workout_text
from intervals_mcp.server.formatting.events import EVENT_COLUMNS
from intervals_mcp.server.formatting.tables import table
from intervals_mcp.server.formatting.writes import compose, event_label, finding_line, lint_refusal
from intervals_mcp.server.inputs import parse_event_id
from intervals_mcp.server.schemas import event_summary
from intervals_mcp.server.toolspec import EventId
from intervals_mcp.server.write_inputs import (
    EVENT,
    EVENT_CATEGORIES,
    NEEDS_SPORT,
    choice,
    event_day,
    ranged_fields,
    require_range,
    text_arg,
)
from intervals_mcp.server.write_schemas import (
    DeleteEventsResult,
    EventWriteResult,
    LintFinding,
    PlannedRequest,
)
from intervals_mcp.server.write_template import WriteAnswer, WriteView, write_tool
from intervals_mcp.sync.write_requests import Written
from intervals_mcp.workouts import compare_with_platform, describe_platform, preview_lines

Sport = Annotated[
    str | None,
    Field(
        description="Sport: Ride, Run, Swim, VirtualRide, TrailRun, WeightTraining, ... Needed for a new "
        "workout or race; it decides how the workout text is read."
    ),
]
Name = Annotated[str, Field(description="The event's title on the calendar.")]
TargetEvent = Annotated[
    int | str | None,
    Field(description="Id of the event to update (get_events lists them); leave out to create one."),
]
Day = Annotated[
    str | None,
    Field(description="The event's day, YYYY-MM-DD, athlete-local; default today for a new event."),
]
WorkoutText = Annotated[
    str | None,
    Field(
        description="The workout in Intervals.icu workout text, one step per line, e.g. 'Warmup\\n- 10m "
        "55%\\n\\n3x\\n- 5m 105%\\n- 3m 55%\\n\\nCooldown\\n- 10m 50%' (see the tool description); for "
        "other categories, plain text."
    ),
]
WorkoutDoc = Annotated[
    dict[str, Any] | None,
    Field(
        description="Or the workout as structured steps, rendered to workout text: {'description': 'prose', "
        "'steps': [{'duration': 900, 'power': {'value': 55, 'units': '%ftp'}, 'warmup': true}, {'reps': "
        "3, 'steps': [{'distance': 400, 'pace': {'value': 95, 'units': '%pace'}}, ...]}]}. Durations in "
        "seconds, distances in metres; not together with description."
    ),
]
MovingTime = Annotated[
    int | None,
    Field(description="Planned moving time in seconds, for an event without steps (steps give their own)."),
]
Distance = Annotated[float | None, Field(description="Planned distance in metres.")]
Category = Annotated[
    str | None,
    Field(
        description="WORKOUT (default for a new event), RACE_A, RACE_B, RACE_C, NOTE, HOLIDAY, SICK, "
        "INJURED, ..."
    ),
]
Indoor = Annotated[bool | None, Field(description="Done indoors (trainer, treadmill, pool).")]
Color = Annotated[str | None, Field(description="Calendar colour, like #ff9900.")]
NoteText = Annotated[str | None, Field(description="The note's text.")]
RangeStart = Annotated[str, Field(description="First day to clear, YYYY-MM-DD, athlete-local (inclusive).")]
RangeEnd = Annotated[str, Field(description="Last day to clear, YYYY-MM-DD, athlete-local (inclusive).")]
Categories = Annotated[
    list[str] | None,
    Field(
        description="Only events of these categories (WORKOUT, NOTE, RACE_A, ...); default every category."
    ),
]


async def _save(
    view: WriteView,
    *,
    name: str,
    event_id: int | str | None,
    start_date: str | None,
    text: str | None,
    category: str | None,
    sport: str | None,
    extra: dict[str, Any],
) -> WriteAnswer:
    """Create or update one event: checked, linted, then sent through the write service."""
    eid = parse_event_id(event_id) if event_id is not None else None
    existing = (await view.writes.event(view.athlete, eid)).payload if eid is not None else None
    given = choice("category", category, EVENT_CATEGORIES) if category else None
    kind = given or (str(existing.get("category")) if existing else "WORKOUT")
    sport = text_arg("workout_type", sport)
    if existing is None and kind in NEEDS_SPORT and sport is None:
        raise InputError(
            f"Give workout_type (Ride, Run, Swim, ...) for a new {kind} event: it decides how "
            "its workout text is read."
        )
    draft = draft_event(
        athlete_id=view.athlete.id,
        name=str(text_arg("name", name, required=True)),
        day=event_day(start_date, view.today) if existing is None or start_date else None,
        text=text,
        fields={"category": given or (kind if existing is None else None), "type": sport, **extra},
        category=kind,
        sport=sport or (existing.get("type") if existing else None),
        creating=existing is None,
        profile=view.athlete.profile,
    )
    if draft.errors:
        raise InputError(lint_refusal(draft.findings))
    written = await view.writes.save_event(view.athlete, draft.body, eid, dry_run=view.dry_run)
    return _event_answer(view, draft, written, created_before=eid is None and written.planned.method == "PUT")


def _event_answer(
    view: WriteView, draft: EventDraft, written: Written, *, created_before: bool
) -> WriteAnswer:
    planned, payload = written.planned, written.payload
    event = event_summary(payload if payload is not None else draft.body)
    updating = planned.method == "PUT"
    action = "dry_run" if not written.sent else "updated" if updating else "created"
    who = f"for athlete {view.athlete.id}: {event_label(event)}"
    if not written.sent:
        head = f"Would {'update' if updating else 'create'} an event {who}."
    else:
        head = f"{action.capitalize()} event {event.id} {who}."
    summary, workout = draft.summary, draft.workout
    preview = preview_lines(workout, summary) if workout is not None and summary is not None else []
    platform = describe_platform(payload) if payload is not None and summary is not None else None
    warnings = compare_with_platform(summary, payload) if payload is not None and summary is not None else []
    ext = draft.body.get("external_id") or (payload or {}).get("external_id")
    notes = [
        "A call with the same athlete, day, name and text made this event before: it was updated, not "
        "duplicated."
        if created_before
        else None,
        platform,
        *warnings,
        written.cache_note,
    ]
    text = compose(
        head,
        dry_run=not written.sent,
        request=(planned.method, planned.path, planned.body),
        blocks=[
            ("Steps as we read them", preview),
            ("Lint warnings", [finding_line(f) for f in draft.warnings]),
        ],
        notes=notes,
    )
    return WriteAnswer(
        text,
        EventWriteResult(
            athlete_id=view.athlete.id,
            action=action,
            sent=written.sent,
            request=PlannedRequest(method=planned.method, path=f"/{planned.path}", body=planned.body),
            cache_note=written.cache_note,
            event_id=event.id,
            external_id=str(ext) if ext else None,
            event=event if payload is not None else None,
            lint=[LintFinding(**f.to_dict()) for f in draft.findings],
            preview=preview,
            platform=platform,
            warnings=warnings,
        ),
    )


@write_tool(result=EventWriteResult)
async def add_or_update_event(
    view: WriteView,
    *,
    workout_type: Sport = None,
    name: Name,
    event_id: TargetEvent = None,
    start_date: Day = None,
    workout_doc: WorkoutDoc = None,
    moving_time: MovingTime = None,
    distance: Distance = None,
    description: WorkoutText = None,
    category: Category = None,
    indoor: Indoor = None,
) -> WriteAnswer:
    """Create a calendar event (a planned workout unless category says otherwise) or, with
    event_id, update one; answers what Intervals.icu stored and what it parsed from the text.

    Workout text, one step per line: `- 10m 55%`, `- 2m30s 105%`, `- 400mtr 95% Pace`. Durations
    `45m`, `1h30m`, `30s`: `m` is MINUTES, so distances are `400mtr` or `2.5km`. Targets need
    units: `90%` (of FTP), `250w`, `Z2`, `95% Pace`, `Z2 HR`, `95% LTHR`; runs and swims need a
    pace or HR target to get any load. Repeats: a line `3x` above the steps, with a blank line
    before and after the block; no nested repeats. `Warmup` / `Cooldown` lines head their steps.
    The full rules: the resource intervals://guides/workout-text.
    The text is checked first: errors refuse the write (each with its line and the fix), warnings
    are shown, with our reading of the steps, total time and a load estimated from the athlete's
    thresholds. A new event carries an external_id made from its athlete, day, name and text, so
    the same call repeated (after a lost answer) updates that event instead of adding another."""
    return await _save(
        view,
        name=name,
        event_id=event_id,
        start_date=start_date,
        text=workout_text(description, workout_doc),
        category=category,
        sport=workout_type,
        extra={"indoor": indoor, **ranged_fields({"moving_time": moving_time, "distance": distance}, EVENT)},
    )


@write_tool(result=EventWriteResult)
async def add_or_update_note(
    view: WriteView,
    *,
    name: Name,
    description: NoteText = None,
    start_date: Day = None,
    color: Color = None,
    event_id: TargetEvent = None,
) -> WriteAnswer:
    """Create a note on the calendar (a NOTE event: text, no training) or, with event_id, update
    one. Calling again with the same athlete, day, name and text finds that note instead of
    adding another."""
    return await _save(
        view,
        name=name,
        event_id=event_id,
        start_date=start_date,
        text=text_arg("description", description),
        category="NOTE",
        sport=None,
        extra={"color": text_arg("color", color)},
    )


def _deleted_answer(view: WriteView, head: str, rows: list[dict[str, Any]], written: Written) -> WriteAnswer:
    events = [event_summary(p) for p in rows]
    listing = table(events, EVENT_COLUMNS, keep=("id", "date")) if events else []
    planned = written.planned
    counted = (written.payload or {}).get("eventsDeleted")
    text = compose(
        head,
        dry_run=not written.sent and bool(rows),
        request=(planned.method, planned.path, planned.body),
        blocks=[("Events", listing)],
        notes=[written.cache_note],
    )
    return WriteAnswer(
        text,
        DeleteEventsResult(
            athlete_id=view.athlete.id,
            action="deleted" if written.sent or written.existing else "dry_run" if rows else "unchanged",
            sent=written.sent,
            request=PlannedRequest(method=planned.method, path=f"/{planned.path}", body=planned.body),
            cache_note=written.cache_note,
            events=events,
            deleted=counted if isinstance(counted, int) else (len(rows) if written.sent else None),
        ),
    )


@write_tool(result=DeleteEventsResult, destructive=True)
async def delete_event(view: WriteView, *, event_id: EventId) -> WriteAnswer:
    """Delete one calendar event by id (get_events lists them). In safe mode, the default, only
    today's and future events can be deleted; the answer says how to allow more."""
    eid = parse_event_id(event_id)
    row = await view.writes.event(view.athlete, eid)
    label = event_label(event_summary(row.payload))
    view.guard_past(row.local_date, f"Event {eid} ({label})")
    written = await view.writes.delete_event(view.athlete, eid, dry_run=view.dry_run)
    if not written.sent:
        head = f"Would delete event {eid} of athlete {view.athlete.id}: {label}."
    elif written.existing:
        head = f"Event {eid} ({label}) was already gone from Intervals.icu; the cache has dropped it too."
    else:
        head = f"Deleted event {eid} of athlete {view.athlete.id}: {label}."
    return _deleted_answer(view, head, [row.payload], written)


@write_tool(result=DeleteEventsResult, destructive=True)
async def delete_events_by_date_range(
    view: WriteView, *, start_date: RangeStart, end_date: RangeEnd, category: Categories = None
) -> WriteAnswer:
    """Delete every calendar event of a date range (optionally only some categories) in one
    request; dry_run lists exactly what would go. In safe mode, the default, the range must
    start today or later."""
    start, end = require_range(start_date, end_date)
    view.guard_range(start, end)
    wanted = {choice("category", c, EVENT_CATEGORIES) for c in category} if category else None
    rows = [
        r
        for r in await view.writes.events_in(view.athlete, start, end)
        if wanted is None or r.payload.get("category") in wanted
    ]
    written = await view.writes.delete_events(view.athlete, [int(r.id) for r in rows], dry_run=view.dry_run)
    which = f"athlete {view.athlete.id}'s events {start} to {end}" + (
        f" ({', '.join(sorted(wanted))})" if wanted else ""
    )
    if not rows:
        head = f"No events to delete: {which} holds none."
    elif not written.sent:
        head = f"Would delete {len(rows)} of {which}."
    else:
        head = f"Deleted {len(rows)} of {which}."
    return _deleted_answer(view, head, [r.payload for r in rows], written)


TOOLS = (add_or_update_event, add_or_update_note, delete_event, delete_events_by_date_range)
