"""Pure parsing and checking of command-line arguments: each failure is one usage sentence."""

from __future__ import annotations

from datetime import date, timedelta

from intervals_mcp.config import ATHLETE_ID_RE, normalize_athlete_id
from intervals_mcp.errors import InputError

RESOURCES: tuple[str, ...] = ("activities", "wellness", "events")
DEFAULT_HISTORY_DAYS = 365
# A default sync also brings in the calendar this far ahead: planned workouts and races.
EVENTS_AHEAD_DAYS = 90
MAX_HISTORY_DAYS = 366 * 30


def parse_day(value: str, option: str) -> date:
    """A `YYYY-MM-DD` date, or an InputError naming the option."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"{option} {value!r} is not a date: give it as YYYY-MM-DD, for example 2026-01-31."
        ) from None


def parse_resources(value: str | None) -> list[str]:
    """`activities,wellness` -> the named resources in canonical order; all when None."""
    if value is None or not value.strip():
        return list(RESOURCES)
    names = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [name for name in names if name not in RESOURCES]
    if unknown:
        raise InputError(
            f"--only names unknown resource(s) {', '.join(unknown)}: choose from {', '.join(RESOURCES)}."
        )
    return [name for name in RESOURCES if name in names]


def parse_athletes(value: str | None, athlete_id: str | None) -> list[str] | None:
    """`--athletes all` -> ["all"]; `i1,12345` -> ["i1", "i12345"]; None when not given (then
    `--athlete-id`, or ATHLETE_ID, names the one athlete)."""
    if value is None:
        return None
    if athlete_id is not None:
        raise InputError("Give either --athlete-id or --athletes, not both.")
    if value.strip().lower() == "all":
        return ["all"]
    ids = [normalize_athlete_id(part) for part in value.split(",") if part.strip()]
    bad = [i for i in ids if not ATHLETE_ID_RE.match(i) or i == "0"]
    if not ids or bad:
        raise InputError(
            f"--athletes {value!r} is not `all` or a comma list of athlete ids like i12345,i67890."
        )
    return list(dict.fromkeys(ids))


def resolve_range(
    *, since: str | None, days: int | None, until: str | None, today: date
) -> tuple[date, date]:
    """The inclusive date range a sync covers, from --since/--days/--until."""
    if since is not None and days is not None:
        raise InputError("Give either --since or --days, not both.")
    end = parse_day(until, "--until") if until is not None else today
    if days is not None:
        if days < 1 or days > MAX_HISTORY_DAYS:
            raise InputError(f"--days must be between 1 and {MAX_HISTORY_DAYS}, not {days}.")
        start = end - timedelta(days=days - 1)
    elif since is not None:
        start = parse_day(since, "--since")
    else:
        start = end - timedelta(days=DEFAULT_HISTORY_DAYS - 1)
    if end < start:
        raise InputError(f"--until {end.isoformat()} is before --since {start.isoformat()}: swap them.")
    if (end - start).days + 1 > MAX_HISTORY_DAYS:
        raise InputError(f"The range is longer than {MAX_HISTORY_DAYS} days: give a later --since.")
    return start, end


def events_until(*, until: str | None, today: date) -> date | None:
    """How far ahead events are synced: EVENTS_AHEAD_DAYS past today, unless --until was given."""
    return today + timedelta(days=EVENTS_AHEAD_DAYS) if until is None else None
