"""Structured results of the athlete-level and coaching tools: profile, curves, gear, custom
items, the athletes a key follows and the roster (each model, plus `provenance`, is a tool's
outputSchema). Pure, like `schemas`: builders turn payload dicts into compact typed rows."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from intervals_mcp.server.schemas import (
    AthleteAnswer,
    Distance,
    From,
    OptFloat,
    OptInt,
    OptStr,
    PayloadRow,
    _text,
    rows_schema,
)

# --- profile ----------------------------------------------------------------------------------


class ZoneRow(BaseModel):
    name: str
    low: OptFloat = None
    high: OptFloat = Field(default=None, description="Upper bound; null for the open top zone.")
    high_pct: OptFloat = Field(default=None, description="The upper bound as % of the threshold, if set so.")


class SportProfile(BaseModel):
    types: list[str]
    ftp_w: OptFloat = None
    lthr_bpm: OptFloat = None
    max_hr_bpm: OptFloat = None
    threshold_speed_ms: OptFloat = None
    threshold_pace: OptStr = Field(default=None, description="Threshold pace in the athlete's units.")
    pace_units: OptStr = None
    power_zones_w: Annotated[list[ZoneRow], rows_schema("power zone (W)", ZoneRow)] = Field(
        default_factory=list
    )
    hr_zones_bpm: Annotated[list[ZoneRow], rows_schema("HR zone (bpm)", ZoneRow)] = Field(
        default_factory=list
    )
    pace_zones_ms: Annotated[list[ZoneRow], rows_schema("pace zone (speed, m/s)", ZoneRow)] = Field(
        default_factory=list
    )


class ProfileResult(AthleteAnswer):
    name: OptStr = None
    timezone: OptStr = None
    weight_kg: OptFloat = None
    resting_hr_bpm: OptFloat = None
    sports: Annotated[list[SportProfile], rows_schema("sport's settings", SportProfile)]


# --- curves -----------------------------------------------------------------------------------


class CurvePoint(BaseModel):
    secs: OptInt = None
    distance_m: OptFloat = None
    value: float = Field(description="Best W (power), bpm (hr), or seconds to cover distance_m (pace).")
    activity_id: OptStr = None
    date: OptStr = None
    watts_per_kg: OptFloat = None
    pct_of_threshold: OptFloat = Field(default=None, description="% of FTP (power) or of LTHR (hr).")
    pace: OptStr = None


class CurveRow(BaseModel):
    id: str
    label: OptStr = None
    start: OptStr = None
    end: OptStr = None
    points: Annotated[list[CurvePoint], rows_schema("point", CurvePoint)]
    missing: list[float] = Field(default_factory=list, description="Asked points the curve has no value for.")


class CurvesResult(AthleteAnswer):
    kind: str
    activity_type: str
    indoor_outdoor: OptStr = None
    curves: Annotated[list[CurveRow], rows_schema("curve", CurveRow)]


# --- gear and custom items --------------------------------------------------------------------


class GearRow(PayloadRow):
    id: Annotated[OptStr, From("id", read=_text)] = None
    type: OptStr = None
    name: OptStr = None
    distance_m: Distance = None
    time_s: Annotated[OptFloat, From("time")] = None
    activities: OptInt = None
    retired: OptStr = None
    purchased: OptStr = None


class GearResult(AthleteAnswer):
    gear: Annotated[list[GearRow], rows_schema("gear", GearRow)]


gear_row = GearRow.from_payload


class CustomItemRow(PayloadRow):
    id: OptInt = None
    type: OptStr = Field(
        default=None, description="FITNESS_CHART, TRACE_CHART, ACTIVITY_FIELD, INPUT_FIELD, ZONES, ..."
    )
    name: OptStr = None
    visibility: OptStr = Field(default=None, description="PRIVATE, FOLLOWERS or PUBLIC.")
    description: OptStr = None
    updated: OptStr = Field(default=None, description="When it was last changed (an ISO date-time).")


class CustomItemsResult(AthleteAnswer):
    items: Annotated[list[CustomItemRow], rows_schema("custom item", CustomItemRow)]


class CustomItemResult(AthleteAnswer):
    item: CustomItemRow
    content: dict[str, Any] | None = Field(
        default=None, description="The item's content, as Intervals.icu keeps it."
    )


custom_item_row = CustomItemRow.from_payload


# --- coaches ----------------------------------------------------------------------------------


class AthleteRow(PayloadRow):
    id: str
    name: OptStr = None
    timezone: OptStr = None
    city: OptStr = None
    country: OptStr = None
    key_owner: bool = False


class AthletesResult(BaseModel):
    key_owner: str
    athletes: Annotated[list[AthleteRow], rows_schema("athlete, the key's owner first", AthleteRow)]


def athlete_row(p: dict[str, Any], owner: str) -> AthleteRow:
    return AthleteRow.from_payload(p, key_owner=str(p.get("id")) == owner)


class RosterRow(BaseModel):
    rank: int
    athlete_id: str
    name: OptStr = None
    flags: list[str] = Field(default_factory=list, description="Why they need attention, worst first.")
    as_of: OptStr = Field(default=None, description="The athlete's local today.")
    form: OptFloat = Field(default=None, description="CTL - ATL of the latest day with both.")
    ctl: OptFloat = None
    atl: OptFloat = None
    ramp: OptFloat = Field(default=None, description="Intervals.icu's ramp rate (CTL change over 7 days).")
    hrv_recent: OptFloat = None
    hrv_baseline: OptFloat = None
    hrv_vs_baseline_pct: OptFloat = None
    hrv_low: bool = False
    last_activity_date: OptStr = None
    last_activity: OptStr = None
    days_since_activity: OptInt = None
    planned_this_week: int = 0
    missed_this_week: list[str] = Field(
        default_factory=list, description="Missed planned sessions: date name."
    )
    error: OptStr = Field(default=None, description="Why this athlete could not be read, if so.")


class RosterResult(BaseModel):
    key_owner: str
    rule: str = Field(description="How the athletes are ordered.")
    athletes: Annotated[list[RosterRow], rows_schema("athlete, who needs attention first", RosterRow)]
