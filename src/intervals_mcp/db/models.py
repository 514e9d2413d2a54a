"""The cache tables (SQLModel), one per resource, plus per-day sync coverage.

Every table is keyed by athlete as well as by id, so a coach's athletes never mix. Each holds
the columns queries filter or sort on and the full API payload as JSON: nothing upstream sent is
lost, and a new upstream field needs no migration. Changing a table here needs an Alembic
migration (see alembic.ini for the autogenerate command) and a new `HEAD_REVISION` in
engine.py; tests check that models, migrations and that constant agree.

Timestamps (`datetime` fields) use SQLModel's `UTCDateTime`: stored as UTC, read back aware
UTC (SQLite itself keeps no offset). Local wall-clock times (`start_date_local`) and local dates
are stored naive, exactly as the athlete's calendar says.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, DateTime, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

PAYLOAD_TYPE = JSON().with_variant(JSONB(), "postgresql")
"""JSON text on SQLite, binary JSONB on PostgreSQL (parsed once, indexable)."""


def _payload() -> Any:
    return Field(sa_type=PAYLOAD_TYPE, nullable=False)


def _local(*, nullable: bool = False) -> Any:
    # A wall-clock time in the athlete's timezone: stored naive, exactly as upstream sent it.
    return Field(default=None, sa_type=DateTime(timezone=False), nullable=nullable)


class CachedAnswer(SQLModel):
    """What every table of upstream answers holds besides its own keys and columns: the athlete
    it belongs to (the first key), the full payload as JSON, the payload's digest (whether a
    re-fetch changed anything) and when it was fetched (writes never go backwards in time).
    Its columns come first in the model; a table's order on disk is its migrations'."""

    athlete_id: str = Field(primary_key=True)
    payload_hash: str
    fetched_at: datetime
    payload: dict[str, Any] = _payload()


class Activity(CachedAnswer, table=True):
    """An activity as returned by the list endpoint (full object, or a 5-key Strava stub)."""

    __tablename__: ClassVar[Any] = "activities"
    __table_args__ = (
        Index("ix_activities_athlete_date", "athlete_id", "local_date"),
        Index("ix_activities_athlete_start", "athlete_id", "start_date_local"),
        Index("ix_activities_athlete_type_date", "athlete_id", "type", "local_date"),
        # Covers the totals the analytics tools sum per day (migration 0004): SQLite answers
        # them from the index alone, never reading the rows (their payloads lie in between).
        Index(
            "ix_activities_totals",
            "athlete_id",
            "local_date",
            "type",
            "is_strava_stub",
            "moving_time",
            "distance",
            "elevation_gain",
            "training_load",
        ),
    )

    id: str = Field(primary_key=True)
    local_date: date
    start_date_local: datetime = _local()
    type: str | None = None
    name: str | None = None
    source: str | None = None
    is_strava_stub: bool = False
    icu_sync_date: datetime | None = None
    analyzed: datetime | None = None
    # Totals summaries need without parsing payloads (added in migration 0002).
    moving_time: int | None = None
    distance: float | None = None
    training_load: float | None = None
    # What the analytics tools filter, sum and sort on (added in migration 0004).
    elevation_gain: float | None = None
    average_watts: float | None = None
    intensity: float | None = None
    paired_event_id: int | None = Field(default=None, sa_type=BigInteger)
    description: str | None = None


class WellnessDay(CachedAnswer, table=True):
    """One wellness record; upstream its id is the local date "YYYY-MM-DD"."""

    __tablename__: ClassVar[Any] = "wellness"
    __table_args__ = (
        Index("ix_wellness_athlete_date", "athlete_id", "local_date"),
        # Covers the values the analytics tools read per day (migration 0004).
        Index(
            "ix_wellness_values",
            "athlete_id",
            "local_date",
            "ctl",
            "atl",
            "hrv",
            "resting_hr",
            "sleep_secs",
            "weight",
        ),
    )

    id: str = Field(primary_key=True)
    local_date: date
    updated: datetime | None = None
    # Intervals.icu's own fitness and the athlete's readings (added in migration 0004).
    ctl: float | None = None
    atl: float | None = None
    hrv: float | None = None
    resting_hr: float | None = None
    sleep_secs: float | None = None
    weight: float | None = None


class Event(CachedAnswer, table=True):
    """A calendar event: planned workout, note, race, target …"""

    __tablename__: ClassVar[Any] = "events"
    __table_args__ = (
        Index("ix_events_athlete_date", "athlete_id", "local_date"),
        Index("ix_events_athlete_category_date", "athlete_id", "category", "local_date"),
    )

    # Event ids are int32 upstream today; 64 bits so a future id can never overflow the column.
    id: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False})
    local_date: date
    start_date_local: datetime = _local()
    end_date_local: datetime | None = _local(nullable=True)
    category: str | None = None
    type: str | None = None
    name: str | None = None
    updated: datetime | None = None
    # The plan's load and the activity it was done as (added in migration 0004).
    training_load: float | None = None
    paired_activity_id: str | None = None


class ActivityExtra(CachedAnswer):
    """What every per-activity extra table holds: the extra of one activity, with the activity's
    change markers it was fetched under, kept as the exact strings upstream sent (when the
    activity's markers move, the extra is stale)."""

    activity_id: str = Field(primary_key=True)
    icu_sync_date: str | None = None
    analyzed: str | None = None


class ActivityIntervals(ActivityExtra, table=True):
    """The intervals of one activity (the IntervalsDTO)."""

    __tablename__: ClassVar[Any] = "activity_intervals"


class ActivityStreams(ActivityExtra, table=True):
    """The streams of one activity (`{"streams": [...]}`, upstream's list kept whole); added in
    migration 0006."""

    __tablename__: ClassVar[Any] = "activity_streams"


class ActivityMessages(ActivityExtra, table=True):
    """The messages (comments) of one activity (`{"messages": [...]}`); besides the markers,
    they go stale with time, as new comments move no marker. Added in migration 0006."""

    __tablename__: ClassVar[Any] = "activity_messages"


class AthleteDocument(CachedAnswer, table=True):
    """One athlete-level answer of upstream that is not a dated record: curves, gear, custom
    items, the athletes a key follows. `kind` names it (see resources.DOCUMENTS), `key` the
    query it answers (e.g. the curves and filters asked), `marker` what it was fetched under
    (the newest activity it could include). Added in migration 0006."""

    __tablename__: ClassVar[Any] = "athlete_documents"

    kind: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    marker: str | None = None


class ActivityZoneTime(SQLModel, table=True):
    """Seconds one activity spent in one zone of one metric (power, hr, pace): the child rows
    of an activity, rewritten whenever its payload changes (added in migration 0004).

    The activity's date and type are repeated here so time in zones over a span is one
    aggregate over the covering index, with no join.
    """

    __tablename__: ClassVar[Any] = "activity_zone_times"
    __table_args__ = (
        Index(
            "ix_zone_times_totals", "athlete_id", "metric", "local_date", "type", "zone", "seconds"
        ),
    )

    athlete_id: str = Field(primary_key=True)
    activity_id: str = Field(primary_key=True)
    metric: str = Field(primary_key=True)  # power | hr | pace
    zone: str = Field(primary_key=True)  # Z1, Z2, ... and SS (sweet spot) for power
    local_date: date
    type: str | None = None
    seconds: float


class AthleteProfile(CachedAnswer, table=True):
    """The athlete object with sportSettings (FTP, LTHR, zones per sport), stored under its
    real id (never `0`); refreshed daily."""

    __tablename__: ClassVar[Any] = "athlete_profiles"

    name: str | None = None
    timezone: str | None = None
    # Set on the athlete that `0` (the API key's owner) resolved to, so a restart with
    # ATHLETE_ID=0 and Intervals.icu unreachable still knows whose cache to read.
    key_owner: bool = False


class SyncCoverage(SQLModel, table=True):
    """One covered day of one resource: upstream was asked about that day at `fetched_at`."""

    __tablename__: ClassVar[Any] = "sync_coverage"

    athlete_id: str = Field(primary_key=True)
    resource: str = Field(primary_key=True)
    day: date = Field(primary_key=True)
    fetched_at: datetime


class ApiToken(SQLModel, table=True):
    """A bearer token for streamable HTTP: only its SHA-256 digest is kept, never the token.

    `athletes` is "all" or a comma list of athlete ids the token's requests may read or write.
    """

    __tablename__: ClassVar[Any] = "api_tokens"

    name: str = Field(primary_key=True)
    token_hash: str = Field(unique=True)
    athletes: str
    created_at: datetime


class CacheGeneration(SQLModel, table=True):
    """One row whose `value` every write transaction bumps (PostgreSQL): the cross-process
    "someone committed" signal the answer memo keys on. SQLite has `PRAGMA data_version`."""

    __tablename__: ClassVar[Any] = "cache_generation"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    value: int = Field(sa_type=BigInteger)


class RequestBudget(SQLModel, table=True):
    """A token bucket shared by every process using one Intervals.icu key (PostgreSQL): `key`
    is a digest of the upstream address and the API key (never the key), `tokens` what is left
    at `updated` (seconds since the epoch, the database's clock)."""

    __tablename__: ClassVar[Any] = "request_budgets"

    key: str = Field(primary_key=True)
    tokens: float
    updated: float


TABLES = (
    Activity,
    WellnessDay,
    Event,
    ActivityIntervals,
    ActivityStreams,
    ActivityMessages,
    ActivityZoneTime,
    AthleteDocument,
    AthleteProfile,
    SyncCoverage,
    ApiToken,
    CacheGeneration,
    RequestBudget,
)
