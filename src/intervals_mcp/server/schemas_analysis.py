"""Structured results of the analytics tools (issue 9's contract: the key names are fixed).

Each model, plus `provenance`, is a tool's outputSchema. The chart pages (`server/charts/`)
draw `get_fitness_trend`, `get_training_summary` and `get_intensity_distribution` from these
shapes. Figures are rounded for reading (seconds whole, kilometres and loads to 0.1, shares to
0.0001); nothing is padded: a value the data lacks is null.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Protocol

from pydantic import BaseModel, Field

from intervals_mcp.analysis.adherence import AdherenceWeek
from intervals_mcp.server.schemas import AthleteAnswer, OptFloat, OptInt, OptStr, RangeAnswer, rows_schema


class Spanned(RangeAnswer):
    """What every analytics answer says about itself: whose, which days, how many records,
    and what it leaves out (with the sync command that completes it)."""

    records: int = Field(description="Cached records the figures were computed from.")
    note: OptStr = Field(default=None, description="What the answer leaves out, and why.")
    sync_command: OptStr = Field(
        default=None, description="The `intervals-mcp sync` command that fetches the days not cached."
    )


class DaySpan(BaseModel):
    """A row about a span of days (a week, a gap): its first and last day, YYYY-MM-DD."""

    start: str
    end: str


class Spell(Protocol):
    """What a `DaySpan` is made from: anything with a first and a last day."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


def span_of(spell: Spell) -> dict[str, str]:
    """The `DaySpan` fields of `spell`."""
    return {"start": str(spell.start), "end": str(spell.end)}


class DatedActivity(BaseModel):
    """A row naming one activity: its id, local date, type and name."""

    id: str
    date: str
    type: OptStr = None
    name: OptStr = None


# --- get_training_summary -----------------------------------------------------------------------


class Figures(BaseModel):
    sessions: int = Field(description="Activities summed (Strava-hidden ones are not).")
    moving_time_s: int
    distance_km: float
    elevation_m: float
    training_load: float
    strava_hidden: int = Field(default=0, description="Strava-hidden activities: counted, not summed.")


class PeriodFigures(Figures):
    start: str
    end: str


class HiddenActivity(BaseModel):
    date: str
    id: str


class TrainingSummaryResult(Spanned):
    group_by: str
    sport: OptStr = Field(description="The activity type filtered on (Ride includes VirtualRide); null: all.")
    totals: Figures
    by_sport: dict[str, Figures] = Field(description="Per Intervals.icu activity type, most time first.")
    periods: Annotated[list[PeriodFigures], rows_schema("period, oldest first", PeriodFigures)]
    previous: PeriodFigures = Field(description="The same figures for the equally long span just before.")
    strava_hidden: Annotated[list[HiddenActivity], rows_schema("Strava-hidden activity", HiddenActivity)]


# --- get_fitness_trend --------------------------------------------------------------------------


class FitnessRow(BaseModel):
    date: str
    ctl: float
    atl: float
    form: float


class PeakRow(BaseModel):
    date: str
    ctl: float


class ForecastRow(FitnessRow):
    planned_load: float


class FitnessTrendResult(Spanned):
    latest: FitnessRow | None = Field(
        description="Intervals.icu's values on end_date (or the last day before)."
    )
    peak: PeakRow | None = Field(description="The highest CTL in the range.")
    points: Annotated[
        list[FitnessRow], rows_schema("day (at most 60, the peak and the last kept)", FitnessRow)
    ]
    ramp_per_week: OptFloat = Field(description="Average CTL change per 7 days over the range.")
    forecast_days: int
    forecast: Annotated[
        list[ForecastRow], rows_schema("forecast day (an estimate, at most 60 kept)", ForecastRow)
    ]
    forecast_note: OptStr = None


# --- get_wellness_trends ------------------------------------------------------------------------


class BaselineRow(BaseModel):
    recent_mean: OptFloat = None
    baseline_mean: OptFloat = None
    baseline_sd: OptFloat = None
    recent_vs_baseline: OptFloat = None
    recent_vs_baseline_pct: OptFloat = None
    recent_days: int = Field(description="Recent days with a value.")
    baseline_days: int = Field(description="Baseline days with a value.")


class LoadMeans(BaseModel):
    recent_mean: float = Field(description="Mean daily training load of the recent days (rest days count 0).")
    baseline_mean: float = Field(description="Mean daily training load of the baseline days.")


class DayLineRow(BaseModel):
    date: str
    hrv: OptFloat = None
    resting_hr: OptFloat = None
    sleep_hours: OptFloat = None
    training_load: float


class WellnessTrendsResult(Spanned):
    recent_start: str = Field(description="First of the 7 recent days (they end on end_date).")
    baseline_start: str = Field(description="First of the 60 baseline days (they end on end_date).")
    hrv: BaselineRow
    resting_hr: BaselineRow
    sleep_hours: BaselineRow
    hrv_low: bool = Field(description="Recent HRV below the baseline band (mean - 1 sd).")
    resting_hr_high: bool = Field(description="Recent resting HR above the baseline band (mean + 1 sd).")
    flags: list[str]
    weight_trend_kg_per_week: OptFloat = None
    weight_days: int
    training_load: LoadMeans
    days: Annotated[list[DayLineRow], rows_schema("recent day, oldest first", DayLineRow)]


# --- get_intensity_distribution -----------------------------------------------------------------


class ZoneRow(BaseModel):
    zone: str
    seconds: int
    share: float


class PolarizationRow(BaseModel):
    low: float
    moderate: float
    high: float
    index: OptFloat = Field(description="Treff's polarization index; null when undefined.")
    polarized: bool


class WeekZonesRow(DaySpan):
    seconds: int
    low: OptFloat = None
    moderate: OptFloat = None
    high: OptFloat = None
    index: OptFloat = None


class IntensityResult(Spanned):
    sport: OptStr
    metric: str
    zones: Annotated[list[ZoneRow], rows_schema("zone, in zone order", ZoneRow)]
    total_seconds: int
    sweet_spot_seconds: int = Field(description="Power's sweet spot: overlaps Z3-Z4, so not in the zones.")
    polarization: PolarizationRow | None
    weekly: Annotated[list[WeekZonesRow], rows_schema("ISO week (three-zone shares)", WeekZonesRow)]
    activities_with_zones: int
    activities_without_zones: int


# --- get_plan_adherence -------------------------------------------------------------------------


class MissedRow(BaseModel):
    date: str
    name: OptStr = None


class UnplannedRow(DatedActivity):
    pass


class PlanAdherenceResult(Spanned):
    planned: int = Field(description="Planned workouts in the range, not in the future.")
    completed: int
    missed: Annotated[list[MissedRow], rows_schema("missed workout, by date", MissedRow)]
    unplanned: Annotated[list[UnplannedRow], rows_schema("activity without a plan, by date", UnplannedRow)]
    unplanned_count: int
    compliance_pct: OptFloat = Field(description="Done load over planned load (each capped at its plan), %.")
    planned_load: float
    done_load: float
    hidden_completed: int = Field(description="Workouts done as Strava-hidden activities (load unknown).")
    # the weeks as `analysis.adherence` counts them (loads rounded; days said as YYYY-MM-DD)
    weekly: Annotated[list[AdherenceWeek], rows_schema("ISO week", AdherenceWeek)]


# --- search_activities --------------------------------------------------------------------------


class FoundActivity(DatedActivity):
    moving_time_s: OptInt = None
    distance_km: OptFloat = None
    training_load: OptFloat = None
    avg_watts: OptFloat = None
    intensity: OptFloat = None
    similarity: OptFloat = Field(default=None, description="Distance to similar_to (0 = the same).")


class SearchResult(Spanned):
    query: OptStr = None
    sport: OptStr = None
    sort: str
    similar_to: FoundActivity | None = None
    total: int = Field(description="All matches in the range.")
    shown: int
    strava_hidden: int = Field(description="Strava-hidden activities in the range (not searchable).")
    activities: Annotated[list[FoundActivity], rows_schema("activity shown, in sort order", FoundActivity)]


# --- get_cache_status ---------------------------------------------------------------------------


class Gap(DaySpan):
    pass


class ResourceCacheRow(BaseModel):
    resource: str
    cached_from: OptStr = None
    cached_to: OptStr = None
    rows: int
    strava_hidden: int = 0
    gaps: list[Gap]
    gap_days: int
    stale_days: int
    last_fetch: OptStr = None
    sync_command: OptStr = Field(description="The sync command that fills the gaps (or fetches it at all).")


class CacheStatusResult(AthleteAnswer):
    today: str
    resources: list[ResourceCacheRow]
    intervals_rows: int = Field(description="Activities whose intervals are cached.")
