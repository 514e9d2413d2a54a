"""Structured results of the tools (each model, plus `provenance`, is a tool's outputSchema).

Pure: the builders turn API payload dicts into compact typed rows. The text the model reads is
rendered by `formatting`; these models carry the same facts for programs. Where the answer came
from (`Provenance`) changes from call to call, so the tool templates add it to every result.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

Scalar = str | int | float | bool | None

# Optional fields as a JSON-schema type list rather than pydantic's default `anyOf`: the same
# meaning, but a client validating structured output checks one keyword instead of branching
# (it made validation of a 30-row answer several times cheaper).
OptStr = Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]
OptInt = Annotated[int | None, WithJsonSchema({"type": ["integer", "null"]})]
OptFloat = Annotated[float | None, WithJsonSchema({"type": ["number", "null"]})]
ScalarMap = Annotated[
    dict[str, Scalar],
    WithJsonSchema(
        {
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
        }
    ),
]


def rows_schema(what: str, fields: str | type[BaseModel]) -> WithJsonSchema:
    """A list of rows published as an array of objects, the fields named in its description.

    A client validating structured output walks every value the schema types; for a table of
    rows that is most of the cost of an answer, and the row types guarantee nothing the server
    does not already check (pydantic validates every row against its model before sending).
    """
    names = fields if isinstance(fields, str) else ", ".join(fields.model_fields)
    return WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "object"},
            "description": f"One object per {what}: {names}. A value the data lacks is null.",
        }
    )


class Provenance(BaseModel):
    """Where the answer came from."""

    model_config = ConfigDict(frozen=True)  # hashable: part of the key of a memoised answer

    source: Literal["upstream", "cache"] = Field(
        description="'upstream' when fetched from Intervals.icu during this call, else 'cache'."
    )
    as_of: OptStr = Field(default=None, description="Oldest fetch time (UTC, ISO 8601) of the data shown.")
    refresh_error: OptStr = Field(
        default=None, description="Why a refresh failed while the cache answered; null if none."
    )
    complete: bool = Field(default=True, description="False when some days of the range were never fetched.")
    skipped: OptStr = Field(
        default=None,
        description="Records Intervals.icu sent that the cache could not store (no id or date), and why; "
        "null if none.",
    )


class ActivitySummary(BaseModel):
    id: str
    start_local: OptStr = None
    type: OptStr = None
    name: OptStr = None
    moving_time_s: OptInt = None
    distance_m: OptFloat = None
    training_load: OptFloat = None
    avg_watts: OptFloat = None
    avg_hr: OptFloat = None


class ActivitiesResult(BaseModel):
    athlete_id: str
    start_date: str
    end_date: str
    shown: int = Field(description="Activities listed.")
    total: int = Field(description="Listable activities in the range (after the unnamed filter).")
    strava_hidden: list[str] = Field(
        default_factory=list,
        description="Local start times of Strava-sourced activities the API does not expose.",
    )
    unnamed_skipped: int = 0
    note: OptStr = None
    activities: Annotated[
        list[ActivitySummary],
        rows_schema("activity, newest first (times in seconds, distance in metres)", ActivitySummary),
    ]


class ActivityDetailsResult(BaseModel):
    activity_id: str
    facts: ScalarMap = Field(description="Key facts, SI-ish units named in the keys.")


class IntervalRow(BaseModel):
    id: OptInt = None
    type: OptStr = None
    label: OptStr = None
    group_id: OptStr = None
    start_s: OptFloat = None
    duration_s: OptFloat = None
    avg_watts: OptFloat = None
    max_watts: OptFloat = None
    intensity_pct: OptFloat = None
    avg_hr: OptFloat = None
    avg_cadence: OptFloat = None


class IntervalGroupRow(BaseModel):
    id: str
    count: OptInt = None
    duration_s: OptFloat = None
    avg_watts: OptFloat = None
    intensity_pct: OptFloat = None
    avg_hr: OptFloat = None


class IntervalsResult(BaseModel):
    activity_id: str
    intervals: Annotated[
        list[IntervalRow], rows_schema("interval (times in seconds, power in watts)", IntervalRow)
    ]
    groups: Annotated[list[IntervalGroupRow], rows_schema("group of similar intervals", IntervalGroupRow)]


class WellnessResult(BaseModel):
    athlete_id: str
    start_date: str
    end_date: str
    days_shown: int
    days_total: int
    note: OptStr = None
    days: Annotated[
        list[dict[str, Scalar]],
        rows_schema("day, oldest first", "'date' plus the fields that have data (numbers or strings)"),
    ]


class EventSummary(BaseModel):
    id: OptInt = None
    date: OptStr = None
    category: OptStr = None
    type: OptStr = None
    name: OptStr = None
    moving_time_s: OptInt = None
    distance_m: OptFloat = None
    training_load: OptFloat = None


class EventsResult(BaseModel):
    athlete_id: str
    start_date: str
    end_date: str
    shown: int
    total: int
    note: OptStr = None
    events: Annotated[list[EventSummary], rows_schema("event, oldest first", EventSummary)]


class EventDetailsResult(BaseModel):
    event_id: int
    event: EventSummary
    description: OptStr = None
    workout_steps: list[str] = Field(
        default_factory=list, description="The structured workout, one line per step."
    )


# --- builders (pure) -------------------------------------------------------------------------


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _int(value: Any) -> int | None:
    num = _num(value)
    return None if num is None else round(num)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def activity_summary(p: dict[str, Any]) -> ActivitySummary:
    return ActivitySummary(
        id=str(p.get("id")),
        start_local=_str(p.get("start_date_local")),
        type=_str(p.get("type")),
        name=_str(p.get("name")),
        moving_time_s=_int(p.get("moving_time")) or _int(p.get("elapsed_time")),
        distance_m=_num(p.get("distance")),
        training_load=_num(p.get("icu_training_load")),
        avg_watts=_num(p.get("icu_average_watts")) or _num(p.get("average_watts")),
        avg_hr=_num(p.get("average_heartrate")),
    )


def interval_row(p: dict[str, Any]) -> IntervalRow:
    return IntervalRow(
        id=_int(p.get("id")),
        type=_str(p.get("type")),
        label=_str(p.get("label")),
        group_id=_str(p.get("group_id")),
        start_s=_num(p.get("start_time")),
        duration_s=_num(p.get("moving_time")) or _num(p.get("elapsed_time")),
        avg_watts=_num(p.get("average_watts")),
        max_watts=_num(p.get("max_watts")),
        intensity_pct=_num(p.get("intensity")),
        avg_hr=_num(p.get("average_heartrate")),
        avg_cadence=_num(p.get("average_cadence")),
    )


def interval_group_row(p: dict[str, Any]) -> IntervalGroupRow:
    return IntervalGroupRow(
        id=str(p.get("id")),
        count=_int(p.get("count")),
        duration_s=_num(p.get("moving_time")) or _num(p.get("elapsed_time")),
        avg_watts=_num(p.get("average_watts")),
        intensity_pct=_num(p.get("intensity")),
        avg_hr=_num(p.get("average_heartrate")),
    )


def event_summary(p: dict[str, Any]) -> EventSummary:
    start = _str(p.get("start_date_local"))
    return EventSummary(
        id=_int(p.get("id")),
        date=start[:10] if start else None,
        category=_str(p.get("category")),
        type=_str(p.get("type")),
        name=_str(p.get("name")),
        moving_time_s=_int(p.get("moving_time")),
        distance_m=_num(p.get("distance")),
        training_load=_num(p.get("icu_training_load")),
    )


# --- streams and messages ------------------------------------------------------------------


class BandRow(BaseModel):
    name: str
    low: OptFloat = None
    high: OptFloat = Field(default=None, description="Upper bound; null for the open top band.")
    seconds: float
    share_pct: float


class StreamRow(BaseModel):
    type: str
    unit: OptStr = None
    samples: int
    min: float
    mean: float
    max: float
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    bands_basis: OptStr = Field(default=None, description="What the bands are: power zones of FTP 250 W, ...")
    bands: Annotated[list[BandRow], rows_schema("band (bounds in the stream's unit)", BandRow)] = Field(
        default_factory=list
    )
    series_every_s: OptFloat = None
    series: list[float] | None = Field(default=None, description="Bucket means, oldest first (on request).")


class StreamsResult(BaseModel):
    activity_id: str
    step_s: float = Field(description="Seconds one sample stands for.")
    streams: Annotated[list[StreamRow], rows_schema("stream summary", StreamRow)]
    not_recorded: list[str] = Field(
        default_factory=list, description="Streams asked for that the activity lacks."
    )
    notes: list[str] = Field(default_factory=list)


class MessageRow(BaseModel):
    id: OptInt = None
    created: OptStr = None
    author: OptStr = None
    type: OptStr = None
    content: OptStr = None


class MessagesResult(BaseModel):
    activity_id: str
    messages: Annotated[list[MessageRow], rows_schema("message, oldest first", MessageRow)]


def message_row(p: dict[str, Any]) -> MessageRow:
    return MessageRow(
        id=_int(p.get("id")),
        created=_str(p.get("created")),
        author=_str(p.get("name")) or _str(p.get("athlete_id")),
        type=_str(p.get("type")),
        content=_str(p.get("content")),
    )
