"""Structured results of the tools (each model, plus `provenance`, is a tool's outputSchema).

Pure: the builders turn API payload dicts into compact typed rows. The text the model reads is
rendered by `formatting`; these models carry the same facts for programs. Where the answer came
from (`Provenance`) changes from call to call, so the tool templates add it to every result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

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


def rows_schema(what: str, fields: str | type[BaseModel] | type[DataclassInstance]) -> WithJsonSchema:
    """A list of rows published as an array of objects, the fields named in its description.

    A client validating structured output walks every value the schema types; for a table of
    rows that is most of the cost of an answer, and the row types guarantee nothing the server
    does not already check (pydantic validates every row against its model before sending).
    """
    if isinstance(fields, str):
        names = fields
    elif issubclass(fields, BaseModel):
        names = ", ".join(fields.model_fields)
    else:
        names = ", ".join(f.name for f in dataclass_fields(fields))
    return WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "object"},
            "description": f"One object per {what}: {names}. A value the data lacks is null.",
        }
    )


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _int(value: Any) -> int | None:
    num = _num(value)
    return None if num is None else round(num)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _text(value: Any) -> str | None:
    """Any value but null as text (an id sent as a number or a string)."""
    return None if value is None else str(value)


def _day(value: Any) -> str | None:
    """The YYYY-MM-DD of a local timestamp."""
    stamp = _str(value)
    return stamp[:10] if stamp else None


_READS: dict[Any, Callable[[Any], Any]] = {str | None: _str, int | None: _int, float | None: _num, str: str}
"""How a payload value is read, by the field's type: text, a whole number, a number, or (a
required id) anything as text."""


@dataclass(frozen=True, init=False)
class From:
    """Where a `PayloadRow` field is read: the payload's `keys`, the next one only when the one
    before reads as nothing (`a or b`), each read by `read` (default: by the field's type)."""

    keys: tuple[str, ...]
    read: Callable[[Any], Any] | None

    def __init__(self, *keys: str, read: Callable[[Any], Any] | None = None) -> None:
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "read", read)


class PayloadRow(BaseModel):
    """A row read from an API payload dict by `from_payload`: each field from the payload key
    of its name, or as its `From` says; a value of the wrong type reads as null."""

    @classmethod
    def from_payload(cls, p: dict[str, Any], **given: Any) -> Self:
        """The row of payload `p`; `given` are fields the caller works out itself."""
        values = dict(given)
        for name, field in cls.model_fields.items():
            if name in given:
                continue
            where = next((m for m in field.metadata if isinstance(m, From)), From(name))
            read = where.read or _READS[field.annotation]
            value = read(p.get(where.keys[0]))
            for key in where.keys[1:]:
                value = value or read(p.get(key))
            values[name] = value
        return cls(**values)


class AthleteAnswer(BaseModel):
    """What an answer about one athlete starts with: whose it is."""

    athlete_id: str


class RangeAnswer(AthleteAnswer):
    """What an answer about a range of an athlete's days starts with: whose, which days."""

    start_date: str
    end_date: str


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


# Fields several payload rows read alike.
MovingTime = Annotated[OptFloat, From("moving_time", "elapsed_time")]
Distance = Annotated[OptFloat, From("distance")]
TrainingLoad = Annotated[OptFloat, From("icu_training_load")]
Intensity = Annotated[OptFloat, From("intensity")]
AvgWatts = Annotated[OptFloat, From("average_watts")]
AvgHr = Annotated[OptFloat, From("average_heartrate")]


class ActivitySummary(PayloadRow):
    id: str
    start_local: Annotated[OptStr, From("start_date_local")] = None
    type: OptStr = None
    name: OptStr = None
    moving_time_s: Annotated[OptInt, From("moving_time", "elapsed_time")] = None
    distance_m: Distance = None
    training_load: TrainingLoad = None
    avg_watts: Annotated[OptFloat, From("icu_average_watts", "average_watts")] = None
    avg_hr: AvgHr = None


class ActivitiesResult(RangeAnswer):
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


class IntervalRow(PayloadRow):
    id: OptInt = None
    type: OptStr = None
    label: OptStr = None
    group_id: OptStr = None
    start_s: Annotated[OptFloat, From("start_time")] = None
    duration_s: MovingTime = None
    avg_watts: AvgWatts = None
    max_watts: OptFloat = None
    intensity_pct: Intensity = None
    avg_hr: AvgHr = None
    avg_cadence: Annotated[OptFloat, From("average_cadence")] = None


class IntervalGroupRow(PayloadRow):
    id: str
    count: OptInt = None
    duration_s: MovingTime = None
    avg_watts: AvgWatts = None
    intensity_pct: Intensity = None
    avg_hr: AvgHr = None


class IntervalsResult(BaseModel):
    activity_id: str
    intervals: Annotated[
        list[IntervalRow], rows_schema("interval (times in seconds, power in watts)", IntervalRow)
    ]
    groups: Annotated[list[IntervalGroupRow], rows_schema("group of similar intervals", IntervalGroupRow)]


class WellnessResult(RangeAnswer):
    days_shown: int
    days_total: int
    note: OptStr = None
    days: Annotated[
        list[dict[str, Scalar]],
        rows_schema("day, oldest first", "'date' plus the fields that have data (numbers or strings)"),
    ]


class EventSummary(PayloadRow):
    id: OptInt = None
    date: Annotated[OptStr, From("start_date_local", read=_day)] = None
    category: OptStr = None
    type: OptStr = None
    name: OptStr = None
    moving_time_s: Annotated[OptInt, From("moving_time")] = None
    distance_m: Distance = None
    training_load: TrainingLoad = None


class EventsResult(RangeAnswer):
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


activity_summary = ActivitySummary.from_payload
interval_row = IntervalRow.from_payload
interval_group_row = IntervalGroupRow.from_payload
event_summary = EventSummary.from_payload


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


class MessageRow(PayloadRow):
    id: OptInt = None
    created: OptStr = None
    author: Annotated[OptStr, From("name", "athlete_id")] = None
    type: OptStr = None
    content: OptStr = None


class MessagesResult(BaseModel):
    activity_id: str
    messages: Annotated[list[MessageRow], rows_schema("message, oldest first", MessageRow)]


message_row = MessageRow.from_payload
