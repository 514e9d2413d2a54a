"""What the code knows about each cached resource, in one registry.

A windowed resource (activities, wellness days, calendar events) is listed upstream by date
window and cached in its own table. Its `ResourceSpec` says everything the other layers need:
the table, how a payload becomes the indexed columns, the id's type, which API client method
lists it (and which fetches one record), how many days one request may cover, the order its
rows are answered in, and which tables hold records that go with one of its rows.

An extra (an activity's intervals, streams or messages) is fetched per parent record and
re-fetched when the parent's change markers move (messages also with age); `ExtraSpec` says
where it lives.

A document is an athlete-level answer that is not a dated record (curves, gear, custom items,
the athletes a key follows): one row per athlete, kind and query, re-fetched after its time to
live or, for those that sum activities, when a newer activity lands; `DocumentSpec` says how.

Client methods are named here, not imported: the database layer imports nothing above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Table

from intervals_mcp.db.columns import (
    JSONDict,
    activity_columns,
    event_columns,
    wellness_columns,
    zone_time_rows,
)
from intervals_mcp.db.models import (
    Activity,
    ActivityIntervals,
    ActivityMessages,
    ActivityStreams,
    ActivityZoneTime,
    ApiToken,
    AthleteDocument,
    AthleteProfile,
    CacheGeneration,
    Event,
    SyncCoverage,
    WellnessDay,
)

Resource = Literal["activities", "wellness", "events"]
RESOURCES: tuple[Resource, ...] = ("activities", "wellness", "events")


def table_of(model: Any) -> Table:
    table: Table = model.__table__
    return table


# The records, an activity's extras, athlete-wide documents, and the cache's own bookkeeping.
ACTIVITIES, WELLNESS, EVENTS = map(table_of, (Activity, WellnessDay, Event))
INTERVALS, STREAMS, MESSAGES, ZONE_TIMES = map(
    table_of, (ActivityIntervals, ActivityStreams, ActivityMessages, ActivityZoneTime)
)
DOCUMENTS_TABLE, PROFILES = map(table_of, (AthleteDocument, AthleteProfile))
COVERAGE, TOKENS, GENERATION = map(table_of, (SyncCoverage, ApiToken, CacheGeneration))


@dataclass(frozen=True)
class Cascade:
    """Rows of `table` whose `column` names a record of the parent: deleted with it."""

    table: Table
    column: str


@dataclass(frozen=True)
class Children:
    """Rows of `table` derived from a record's payload (by `rows(payload, columns)`), keyed by
    the record's id in `column`: written with the record whenever its payload changes, and
    deleted with it (list the same table among the cascades)."""

    table: Table
    column: str
    rows: Callable[[JSONDict, JSONDict], list[JSONDict]]


@dataclass(frozen=True)
class Detail:
    """How one record is fetched by its id."""

    method: str  # IntervalsClient method
    takes_athlete: bool = True  # whether its path names the athlete too


@dataclass(frozen=True)
class ResourceSpec:
    name: Resource
    noun: str  # one record, for sentences: "activity", "wellness day", "event"
    plural: str  # many, for sentences: "activities", "wellness data", "calendar events"
    table: Table
    columns: Callable[[JSONDict], JSONDict]  # payload -> indexed columns (raises ValueError)
    list_method: str  # IntervalsClient method: (athlete_id, oldest, newest) -> list
    order: tuple[ColumnElement[Any], ...]  # the order rows are answered in
    id_type: type[str] | type[int] = str
    detail: Detail | None = None  # how one record is fetched, if it can be
    owner_key: str | None = None  # payload key naming the athlete a record belongs to
    window_days: int = 366  # most days one list request covers
    cascades: tuple[Cascade, ...] = ()
    children: Children | None = None

    def key(self, record_id: str | int) -> str | int:
        """A record id as this table stores it."""
        return self.id_type(record_id)


Extra = Literal["intervals", "streams", "messages"]


@dataclass(frozen=True)
class ExtraSpec:
    """Per-record extras: fetched by the parent's id, keyed by (athlete, parent id)."""

    name: Extra
    parent: Resource
    table: Table
    parent_column: str
    fetch_method: str  # IntervalsClient method: (parent id) -> dict, or a list (see listed_as)
    listed_as: str | None = None  # a list answer is stored as {listed_as: [...]}
    ages: bool = False  # also stale after the freshness policy's time for the parent's day


def _of_activity(
    name: Extra, table: Table, fetch_method: str, *, listed_as: str | None = None, ages: bool = False
) -> ExtraSpec:
    """An extra of one activity, keyed by its `activity_id`."""
    return ExtraSpec(name, "activities", table, "activity_id", fetch_method, listed_as=listed_as, ages=ages)


EXTRAS: dict[str, ExtraSpec] = {
    "intervals": _of_activity("intervals", INTERVALS, "get_activity_intervals"),
    # Streams are big (a value per second per stream): fetched once per change marker, all the
    # activity has at once, so any later choice of streams is answered from the cache.
    "streams": _of_activity("streams", STREAMS, "get_activity_streams", listed_as="streams"),
    # A new comment moves none of the activity's markers: messages also age like its day.
    "messages": _of_activity(
        "messages", MESSAGES, "list_activity_messages", listed_as="messages", ages=True
    ),
}


def _extras_of(parent: Resource) -> tuple[Cascade, ...]:
    """Where the extras of a record of `parent` are kept: they go when the record goes."""
    return tuple(Cascade(e.table, e.parent_column) for e in EXTRAS.values() if e.parent == parent)


# The list endpoints have no paging: one request returns the whole window. A year of activities
# is ~1.3 a day x ~4.6 KB each ≈ 2.2 MB; 120 days keeps one response near 0.7 MB, small enough
# to parse quickly and to retry cheaply, while five years still take only ~16 requests.
# Wellness (~1 small record a day) and events (a few a week) are an order of magnitude lighter,
# so a whole year fits comfortably in one response.
SPECS: dict[Resource, ResourceSpec] = {
    "activities": ResourceSpec(
        name="activities", noun="activity", plural="activities",
        table=ACTIVITIES, columns=activity_columns, list_method="list_activities",
        order=(ACTIVITIES.c.start_date_local.desc(), ACTIVITIES.c.id.desc()),
        detail=Detail("get_activity", takes_athlete=False),
        owner_key="icu_athlete_id",
        window_days=120,
        cascades=(*_extras_of("activities"), Cascade(ZONE_TIMES, "activity_id")),
        children=Children(ZONE_TIMES, "activity_id", zone_time_rows),
    ),
    "wellness": ResourceSpec(
        name="wellness", noun="wellness day", plural="wellness data",
        table=WELLNESS, columns=wellness_columns, list_method="list_wellness",
        order=(WELLNESS.c.local_date,),
    ),
    "events": ResourceSpec(
        name="events", noun="event", plural="calendar events",
        table=EVENTS, columns=event_columns, list_method="list_events",
        order=(EVENTS.c.start_date_local, EVENTS.c.id),
        detail=Detail("get_event"),
        id_type=int,
    ),
}


def spec_of(name: str) -> ResourceSpec:
    """The spec of a resource by name, or a ValueError naming the ones there are."""
    try:
        return SPECS[name]  # type: ignore[index]
    except KeyError:
        raise ValueError(f"Unknown resource {name!r}: use {', '.join(RESOURCES)}.") from None


Document = Literal["curves", "gear", "custom_items", "athletes"]
Lifetime = Literal["recent", "history", "day"]


@dataclass(frozen=True)
class DocumentSpec:
    """An athlete-level document: which client method fetches it and how long it stays fresh.

    `lifetime`: "recent" and "history" are the freshness policy's two times to live, "day" one
    day. `follows_activities`: it sums activities (curves, gear totals), so it is also stale
    once a newer activity (of the asked sport) is cached than the one it was fetched under.
    """

    name: Document
    noun: str  # for sentences: "power curves", "gear", ...
    fetch_method: str  # IntervalsClient method: (athlete id, **params), or (**params) if not per_athlete
    lifetime: Lifetime
    follows_activities: bool = False
    per_athlete: bool = True  # False: the API key's (GET /athletes), stored under its owner
    listed_as: str | None = None  # a list answer is stored as {listed_as: [...]}
    table: Table = DOCUMENTS_TABLE


DOCUMENTS: dict[Document, DocumentSpec] = {
    "curves": DocumentSpec("curves", "curves", "get_curves", "history", follows_activities=True),
    "gear": DocumentSpec("gear", "gear", "list_gear", "day", follows_activities=True, listed_as="gear"),
    "custom_items": DocumentSpec(
        "custom_items", "custom items", "list_custom_items", "recent", listed_as="items"
    ),
    "athletes": DocumentSpec(
        "athletes", "athlete list", "list_athletes", "day", per_athlete=False, listed_as="athletes"
    ),
}
