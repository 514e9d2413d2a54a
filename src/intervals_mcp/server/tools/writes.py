"""Writing wellness days, activities (their own fields and comments) and custom items."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from intervals_mcp.errors import InputError
from intervals_mcp.server.formatting.writes import changed_fields, compose, fields_line
from intervals_mcp.server.inputs import check_activity_id, parse_day
from intervals_mcp.server.toolspec import ActivityId
from intervals_mcp.server.write_inputs import ACTIVITY, WELLNESS, custom_item_fields, ranged_fields, text_arg
from intervals_mcp.server.write_schemas import (
    CustomItemWriteResult,
    MessageWriteResult,
    PlannedRequest,
    RecordWriteResult,
)
from intervals_mcp.server.write_template import WriteAnswer, WriteView, write_tool
from intervals_mcp.sync.write_requests import Planned, Written


def _scale(low: int, high: int, what: str) -> Any:
    return Field(
        default=None,
        description=f"{what}, {low} to {high}.",
        json_schema_extra={"minimum": low, "maximum": high},
    )


Day = Annotated[str, Field(description="The day, YYYY-MM-DD, athlete-local (today or earlier).")]
NewName = Annotated[str | None, Field(description="New name.")]
NewDescription = Annotated[str | None, Field(description="New description.")]
OneToFour = "1 (good) to 4 (bad)"


def _request(planned: Planned) -> PlannedRequest:
    return PlannedRequest(method=planned.method, path=f"/{planned.path}", body=planned.body)


def _said(written: Written, done: str, would: str) -> str:
    return done if written.sent else would


def _record_answer(
    view: WriteView, head: str, record_id: str, written: Written, sent: dict[str, Any]
) -> WriteAnswer:
    changed = changed_fields(sent, written.payload)
    planned = written.planned
    text = compose(
        f"{head}: {fields_line(changed)}.",
        dry_run=not written.sent,
        request=(planned.method, planned.path, planned.body),
        notes=[written.cache_note],
    )
    return WriteAnswer(
        text,
        RecordWriteResult(
            athlete_id=view.athlete.id,
            action="updated" if written.sent else "dry_run",
            sent=written.sent,
            request=_request(planned),
            cache_note=written.cache_note,
            record_id=record_id,
            changed=changed,
        ),
    )


@write_tool(result=RecordWriteResult)
async def update_wellness(
    view: WriteView,
    *,
    date: Day,
    weight: Annotated[float | None, _scale(20, 400, "Body weight in kg")] = None,
    resting_hr: Annotated[int | None, _scale(20, 150, "Resting heart rate in bpm")] = None,
    hrv: Annotated[float | None, _scale(1, 400, "Heart-rate variability (rMSSD) in ms")] = None,
    sleep_hours: Annotated[float | None, _scale(0, 24, "Hours slept")] = None,
    sleep_score: Annotated[float | None, _scale(0, 100, "Sleep score")] = None,
    soreness: Annotated[int | None, _scale(1, 4, f"Soreness, {OneToFour}")] = None,
    fatigue: Annotated[int | None, _scale(1, 4, f"Fatigue, {OneToFour}")] = None,
    stress: Annotated[int | None, _scale(1, 4, f"Stress, {OneToFour}")] = None,
    mood: Annotated[int | None, _scale(1, 4, f"Mood, {OneToFour}")] = None,
    motivation: Annotated[int | None, _scale(1, 4, f"Motivation, {OneToFour}")] = None,
    injury: Annotated[int | None, _scale(1, 4, f"Injury, {OneToFour}")] = None,
    comments: Annotated[str | None, Field(description="A comment on the day.")] = None,
) -> WriteAnswer:
    """Record wellness for one day: weight, resting HR, HRV, sleep, sleep score, soreness,
    fatigue, stress, mood, motivation, injury, comments. Only the values given change; each is
    checked against its range first (the 1-4 scales run from 1, good, to 4, bad)."""
    day = parse_day(date, "date")
    if day is None:
        raise InputError("Give date (YYYY-MM-DD, like 2026-11-24): the day whose wellness to record.")
    if day > view.today:
        raise InputError(
            f"date {day} is after today ({view.today}): wellness is recorded for today or earlier."
        )
    numbers = {
        "weight": weight,
        "resting_hr": resting_hr,
        "hrv": hrv,
        "sleep_hours": sleep_hours,
        "sleep_score": sleep_score,
        "soreness": soreness,
        "fatigue": fatigue,
        "stress": stress,
        "mood": mood,
        "motivation": motivation,
        "injury": injury,
    }
    fields = ranged_fields(numbers, WELLNESS)
    if (comment := text_arg("comments", comments)) is not None:
        fields["comments"] = comment
    if not fields:
        raise InputError("Give at least one value to record (weight, resting_hr, hrv, sleep_hours, ...).")
    written = await view.writes.update_wellness(view.athlete, day, fields, dry_run=view.dry_run)
    head = _said(written, "Recorded", "Would record") + f" wellness of {day} for athlete {view.athlete.id}"
    return _record_answer(view, head, day.isoformat(), written, fields)


@write_tool(result=RecordWriteResult)
async def update_activity(
    view: WriteView,
    *,
    activity_id: ActivityId,
    name: NewName = None,
    description: NewDescription = None,
    rpe: Annotated[
        int | None, _scale(1, 10, "Perceived exertion (RPE), 1 (very easy) to 10 (maximal)")
    ] = None,
    feel: Annotated[int | None, _scale(1, 5, "How it felt, 1 (strong) to 5 (weak)")] = None,
    commute: Annotated[bool | None, Field(description="Whether it was a commute.")] = None,
    trainer: Annotated[bool | None, Field(description="Whether it was on a trainer (indoors).")] = None,
    gear_id: Annotated[str | None, Field(description="Id of the bike or shoes used, like b1234567.")] = None,
) -> WriteAnswer:
    """Edit one of the athlete's activities: name, description, RPE (1-10), feel (1-5), commute,
    trainer, gear. Only the values given change; another athlete's activity is refused."""
    aid = check_activity_id(activity_id)
    fields: dict[str, Any] = ranged_fields({"rpe": rpe, "feel": feel}, ACTIVITY)
    for key, value in (
        ("name", text_arg("name", name)),
        ("description", text_arg("description", description)),
    ):
        if value is not None:
            fields[key] = value
    fields.update({k: v for k, v in (("commute", commute), ("trainer", trainer)) if v is not None})
    if (gear := text_arg("gear_id", gear_id)) is not None:
        fields["gear"] = {"id": gear}
    if not fields:
        raise InputError(
            "Give at least one value to change (name, description, rpe, feel, commute, trainer, gear_id)."
        )
    written = await view.writes.update_activity(view.athlete, aid, fields, dry_run=view.dry_run)
    head = _said(written, "Updated", "Would update") + f" activity {aid} of athlete {view.athlete.id}"
    return _record_answer(view, head, aid, written, fields)


@write_tool(result=MessageWriteResult)
async def add_activity_message(
    view: WriteView,
    *,
    activity_id: ActivityId,
    content: Annotated[str, Field(description="The comment, plain text.")],
) -> WriteAnswer:
    """Comment on one of the athlete's activities (as the API key's owner, e.g. a coach). The
    same words already on the activity are not posted twice, so repeating the call is safe."""
    aid = check_activity_id(activity_id)
    words = str(text_arg("content", content, required=True))
    written = await view.writes.add_message(view.athlete, aid, words, dry_run=view.dry_run)
    message_id = (written.payload or {}).get("id")
    if written.existing:
        head, action = (
            f"Activity {aid} already has this comment (message {message_id}); nothing was sent.",
            "unchanged",
        )
    elif written.sent:
        head, action = f"Posted message {message_id} on activity {aid}.", "posted"
    else:
        head, action = (
            f"Would comment on activity {aid} (unless the same words are there already).",
            "dry_run",
        )
    planned = written.planned
    return WriteAnswer(
        compose(head, dry_run=action == "dry_run", request=(planned.method, planned.path, planned.body)),
        MessageWriteResult(
            athlete_id=view.athlete.id,
            action=action,
            sent=written.sent,
            request=_request(planned),
            activity_id=aid,
            message_id=message_id if isinstance(message_id, int) else None,
        ),
    )


ItemName = Annotated[str, Field(description="The item's name.")]
ItemType = Annotated[
    str,
    Field(
        description="FITNESS_CHART, TRACE_CHART, INPUT_FIELD (a wellness field), ACTIVITY_FIELD, "
        "INTERVAL_FIELD, ACTIVITY_STREAM, ACTIVITY_CHART, ACTIVITY_HISTOGRAM, ACTIVITY_HEATMAP, "
        "ACTIVITY_MAP, ACTIVITY_PANEL or ZONES."
    ),
]
ItemContent = Annotated[
    dict[str, Any] | str | None,
    Field(
        description="The item's configuration (a JSON object). For fields, content.type is numeric, text "
        "or select (not 'number') and content.aggregate MIN, SUM, MAX or AVERAGE (not 'AVG')."
    ),
]
Visibility = Annotated[str | None, Field(description="PRIVATE, FOLLOWERS or PUBLIC.")]
ItemId = Annotated[int, Field(description="The custom item's id.")]
About = Annotated[str | None, Field(description="What the item is for.")]


def _item_answer(
    view: WriteView, written: Written, verbs: tuple[str, str], item_id: int | None
) -> WriteAnswer:
    """The answer of a custom item write; `verbs` are the action done and the one a dry run
    would do ("created", "create")."""
    payload = written.payload or {}
    found, kind = payload.get("id", item_id), payload.get("type")
    name = payload.get("name") or (written.planned.body or {}).get("name")
    label = " ".join(
        p for p in ("custom item", str(found) if found is not None else "", repr(name) if name else "") if p
    )
    if written.existing:
        head, action = f"Athlete {view.athlete.id} already has this {label}; nothing was sent.", "unchanged"
    elif written.sent:
        head, action = f"{verbs[0].capitalize()} {label} of athlete {view.athlete.id}.", verbs[0]
    else:
        head, action = f"Would {verbs[1]} {label} of athlete {view.athlete.id}.", "dry_run"
    planned = written.planned
    return WriteAnswer(
        compose(
            head,
            dry_run=action == "dry_run",
            request=(planned.method, planned.path, planned.body),
            notes=[written.cache_note],
        ),
        CustomItemWriteResult(
            athlete_id=view.athlete.id,
            action=action,
            sent=written.sent,
            request=_request(planned),
            cache_note=written.cache_note,
            item_id=found if isinstance(found, int) else None,
            name=name if isinstance(name, str) else None,
            type=kind if isinstance(kind, str) else None,
        ),
    )


@write_tool(result=CustomItemWriteResult)
async def create_custom_item(
    view: WriteView,
    *,
    name: ItemName,
    item_type: ItemType,
    description: About = None,
    content: ItemContent = None,
    visibility: Visibility = None,
) -> WriteAnswer:
    """Create a custom item (a chart, a custom wellness/activity/interval field, zones). One of
    the same name and type already there is not created twice."""
    body = custom_item_fields(
        name=name, item_type=item_type, description=description, content=content, visibility=visibility
    )
    if "name" not in body:
        raise InputError("name is empty: give the custom item a name.")
    written = await view.writes.create_custom_item(view.athlete, body, dry_run=view.dry_run)
    return _item_answer(view, written, ("created", "create"), None)


@write_tool(result=CustomItemWriteResult)
async def update_custom_item(
    view: WriteView,
    *,
    item_id: ItemId,
    name: NewName = None,
    item_type: Annotated[str | None, Field(description="New type (see create_custom_item).")] = None,
    description: About = None,
    content: ItemContent = None,
    visibility: Visibility = None,
) -> WriteAnswer:
    """Change one of the athlete's custom items (a chart, a custom field, zones) by id: only the
    values given change."""
    body = custom_item_fields(
        name=name, item_type=item_type, description=description, content=content, visibility=visibility
    )
    if not body:
        raise InputError(
            "Give at least one value to change (name, item_type, description, content, visibility)."
        )
    written = await view.writes.update_custom_item(view.athlete, item_id, body, dry_run=view.dry_run)
    return _item_answer(view, written, ("updated", "update"), item_id)


@write_tool(result=CustomItemWriteResult, destructive=True)
async def delete_custom_item(view: WriteView, *, item_id: ItemId) -> WriteAnswer:
    """Delete one of the athlete's custom items (a chart, a custom field, zones) by id; this
    server cannot bring it back."""
    written = await view.writes.delete_custom_item(view.athlete, item_id, dry_run=view.dry_run)
    return _item_answer(view, written, ("deleted", "delete"), item_id)


TOOLS = (
    update_wellness,
    update_activity,
    add_activity_message,
    create_custom_item,
    update_custom_item,
    delete_custom_item,
)
