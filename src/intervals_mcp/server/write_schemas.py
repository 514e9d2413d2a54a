"""Structured results of the write tools (each model is a write tool's outputSchema).

Every write says what it sent (or, on a dry run, would send: `request`), whether it sent it,
what Intervals.icu answered (the record as stored upstream), and a `cache_note` when the local
cache could not follow. Writes carry no provenance: they always go to Intervals.icu.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from intervals_mcp.server.schemas import AthleteAnswer, EventSummary, OptInt, OptStr, ScalarMap, rows_schema


class PlannedRequest(BaseModel):
    method: str = Field(description="HTTP method: POST, PUT or DELETE.")
    path: str = Field(description="Path under the API base URL, like /athlete/i12345/events.")
    body: Any = Field(default=None, description="The JSON body, exactly as sent (null: none).")


class LintFinding(BaseModel):
    rule: str
    line: int
    severity: str = Field(description="'error' (the write is refused) or 'warning'.")
    message: str


class WriteResult(AthleteAnswer):
    action: str = Field(
        description="What happened: created, updated, deleted, posted, unchanged (already there, "
        "nothing sent) or dry_run (nothing sent)."
    )
    sent: bool = Field(description="Whether a write request was sent to Intervals.icu.")
    request: PlannedRequest = Field(description="The write request, as sent or as it would be sent.")
    cache_note: OptStr = Field(
        default=None, description="Set when the local cache could not follow the write."
    )


class EventWriteResult(WriteResult):
    event_id: OptInt = None
    external_id: OptStr = Field(default=None, description="The content-derived id a created event carries.")
    event: EventSummary | None = Field(default=None, description="The event as Intervals.icu stored it.")
    lint: Annotated[list[LintFinding], rows_schema("lint finding", LintFinding)] = Field(default_factory=list)
    preview: list[str] = Field(
        default_factory=list, description="Our reading of the workout text: one line per step, then totals."
    )
    platform: OptStr = Field(default=None, description="What Intervals.icu parsed: steps, time, load.")
    warnings: list[str] = Field(
        default_factory=list, description="Where Intervals.icu's parse disagrees with ours."
    )


class DeleteEventsResult(WriteResult):
    events: Annotated[list[EventSummary], rows_schema("event deleted (or to delete)", EventSummary)]
    deleted: OptInt = Field(default=None, description="How many Intervals.icu says it deleted.")


class RecordWriteResult(WriteResult):
    record_id: str = Field(description="The date (wellness), activity id, or item id written.")
    changed: ScalarMap = Field(
        default_factory=dict, description="The fields written, as Intervals.icu now stores them."
    )


class MessageWriteResult(WriteResult):
    activity_id: str
    message_id: OptInt = None


class CustomItemWriteResult(WriteResult):
    item_id: OptInt = None
    name: OptStr = None
    type: OptStr = None
