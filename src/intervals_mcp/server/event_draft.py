"""A calendar event write, drafted before anything is sent (pure).

The draft holds the request body (only the fields given, for an update; every field plus an
`external_id` derived from the content, for a create), the workout text it carries (given as
Intervals.icu workout text in `description`, or as the seed project's `workout_doc`, rendered to
that text deterministically), and what our own parser makes of a WORKOUT's text: the lint
findings, the steps, and totals with a load estimated from the athlete's thresholds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from intervals_mcp.errors import InputError
from intervals_mcp.server.write_inputs import text_arg
from intervals_mcp.sync.write_requests import external_id
from intervals_mcp.workouts import (
    Finding,
    Workout,
    WorkoutSummary,
    lint_workout,
    parse_workout,
    render_workout_doc,
    summarize,
    thresholds_from_profile,
)


@dataclass(frozen=True)
class EventDraft:
    body: dict[str, Any]
    category: str | None  # the event's category once written (given, or the existing one's)
    findings: tuple[Finding, ...] = ()
    workout: Workout | None = None
    summary: WorkoutSummary | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def workout_text(description: str | None, workout_doc: Mapping[str, Any] | None) -> str | None:
    """The text to send: `description` as given, or `workout_doc` rendered (never both)."""
    text = text_arg("description", description)
    if workout_doc is None:
        return text
    if text is not None:
        raise InputError(
            "Give the workout either as description (Intervals.icu workout text) or as workout_doc, not "
            "both; put any prose in workout_doc's own description."
        )
    return render_workout_doc(workout_doc)


def draft_event(
    *,
    athlete_id: str,
    name: str,
    day: date | None,
    text: str | None,
    fields: Mapping[str, Any],
    category: str | None,
    sport: str | None,
    creating: bool,
    profile: Mapping[str, Any] | None,
) -> EventDraft:
    """The body of a create (`creating`: with the content's `external_id`) or of an update,
    plus the lint and totals of a WORKOUT's text.

    `fields` are the other API fields to send (category, type, indoor, color, moving_time,
    distance; None values are left out); `category` and `sport` are the event's once written
    (for an update, the existing event's where not given), which decide how its text is read.
    """
    body: dict[str, Any] = {"name": name, **{k: v for k, v in fields.items() if v is not None}}
    if day is not None:
        body["start_date_local"] = f"{day.isoformat()}T00:00:00"
    if text is not None:
        body["description"] = text
    if creating and day is not None:
        body["external_id"] = external_id(athlete_id, day, name, text or "")
    if category != "WORKOUT" or text is None:
        return EventDraft(body, category)
    thresholds = thresholds_from_profile(profile, sport, indoor=bool(fields.get("indoor")))
    workout = parse_workout(text)
    return EventDraft(
        body,
        category,
        tuple(lint_workout(text, sport, thresholds)),
        workout,
        summarize(workout, thresholds),
    )
