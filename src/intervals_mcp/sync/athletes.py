"""The athlete behind a call, resolved once: their real id, time zone and profile.

`0` (the API key's owner) resolves to the owner's real id through `GET /athlete/0`, and
everything is stored and shown under that id, so `ATHLETE_ID=0` and the real id share one
cache. "Today" is the athlete's Intervals.icu time zone, not this machine's: a server in UTC
serving a Sydney athlete would otherwise be a day off. The athlete object is cached (refreshed
daily) and kept in memory, so resolving costs nothing on the warm path.

When Intervals.icu cannot be reached, the cached athlete answers (however old); with none
cached, an explicit id is used as given with this machine's zone, while `0` cannot be known
and the error is raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from intervals_mcp.db import queries, writes
from intervals_mcp.db.columns import JSONDict
from intervals_mcp.errors import STOPS_A_SYNC, AuthenticationError, InvalidResponseError, UpstreamError

if TYPE_CHECKING:
    from intervals_mcp.api.client import IntervalsClient
    from intervals_mcp.db.engine import Database
    from intervals_mcp.db.reader import CacheReader

log = logging.getLogger(__name__)

PROFILE_TTL = timedelta(days=1)
RETRY_AFTER = timedelta(minutes=10)
"""After a failed refresh, the cached (or assumed) athlete is used this long before trying again,
so an unreachable Intervals.icu costs each call one wait, not two."""
KEY_OWNER = "0"


def zone_of(name: str | None) -> tzinfo | None:
    """The IANA zone Intervals.icu names (None when absent or unknown to this machine)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@dataclass(frozen=True)
class Athlete:
    """One athlete as every call sees them."""

    id: str  # the real id, never "0"
    timezone: str | None = None
    name: str | None = None
    profile: JSONDict | None = None  # the athlete object with sportSettings, when known
    fetched_at: datetime | None = None

    def today(self, now: datetime) -> date:
        """The athlete's calendar day at `now` (this machine's zone when theirs is unknown)."""
        zone = zone_of(self.timezone)
        return now.astimezone(zone).date() if zone else now.astimezone().date()


def _athlete(row: queries.ProfileRow) -> Athlete:
    return Athlete(row.athlete_id, row.timezone, row.name, row.payload, row.fetched_at)


class Athletes:
    """Resolves the athlete ids calls name; one per service."""

    def __init__(self, db: Database, reader: CacheReader, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._reader = reader
        self._clock = clock
        self._known: dict[str, Athlete] = {}
        self._retry_at: dict[str, datetime] = {}

    def _fresh(self, athlete: Athlete | None) -> bool:
        at = athlete.fetched_at if athlete else None
        return at is not None and self._clock() - at < PROFILE_TTL

    def _waiting(self, given: str) -> bool:
        """Whether a failed refresh of `given` is too recent to try again."""
        retry_at = self._retry_at.get(given)
        return retry_at is not None and self._clock() < retry_at

    async def resolve(
        self, given: str, client: IntervalsClient, *, refresh: bool = False, fail_fast: bool = False
    ) -> Athlete:
        """The athlete `given` names ("0" or "i123"), fetched when not cached or a day old.

        fail_fast (a sync): a failure every request would meet (`STOPS_A_SYNC`) is raised
        instead of answering with the cached or assumed athlete."""
        known = self._known.get(given)
        if known is not None and not refresh and (self._fresh(known) or self._waiting(given)):
            return known
        row = await (
            queries.key_owner(self._reader) if given == KEY_OWNER else queries.profile(self._reader, given)
        )
        cached = _athlete(row) if row is not None else None
        if cached is not None and not refresh and self._fresh(cached):
            self._known[given] = cached
            return cached
        try:
            athlete = await self._fetch(given, client)
        except AuthenticationError:
            raise
        except UpstreamError as exc:
            if (cached is None and given == KEY_OWNER) or (fail_fast and isinstance(exc, STOPS_A_SYNC)):
                raise
            using = "the cached one" if cached else "this machine's time zone"
            log.warning("Could not fetch athlete %s, using %s: %s", given, using, exc)
            self._known[given] = cached or Athlete(given)
            self._retry_at[given] = self._clock() + RETRY_AFTER
            return self._known[given]
        self._known[given] = self._known[athlete.id] = athlete
        self._retry_at.pop(given, None)
        return athlete

    async def _fetch(self, given: str, client: IntervalsClient) -> Athlete:
        fetched_at = self._clock()
        payload = await client.get_athlete(given)
        try:
            athlete_id = await writes.save_profile(
                self._db, payload, fetched_at, key_owner=given == KEY_OWNER
            )
        except ValueError as exc:
            raise InvalidResponseError(
                f"Intervals.icu sent an athlete the cache cannot use ({exc}); try again later."
            ) from None
        row = await queries.profile(self._reader, athlete_id)
        if row is None:  # pragma: no cover - just written
            raise InvalidResponseError()
        return _athlete(row)

    def forget(self) -> None:
        self._known.clear()
        self._retry_at.clear()
