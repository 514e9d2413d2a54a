"""Pure transforms: an Intervals.icu API payload (a dict) -> the indexed column values we store.

No SQL here and no I/O: every function takes a payload and returns plain values, so they can be
unit-tested directly. The full payload is always stored as well; these columns only exist so
queries can filter and sort without parsing JSON.

A payload that cannot be placed in the cache (no id, no usable date) raises `ValueError` with
a sentence naming the field: that is an upstream data problem the caller decides how to report.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

JSONDict = dict[str, Any]

# Keys that must never be written to the cache (the athlete object can carry its API key).
SECRET_KEYS = frozenset({"icu_api_key", "api_key"})


def parse_timestamp(value: object) -> datetime | None:
    """An API timestamp as an aware UTC datetime, or None when absent or not a timestamp.

    Accepts "2026-04-16T05:10:24.107+00:00", "2021-01-01T15:14:22.925+0000",
    "2026-10-12T06:31:05Z"; a timestamp without an offset is taken as UTC. Anything else
    (None, `true` as some clients model `analyzed`, garbage) gives None: a marker we cannot read
    only makes the row look changed, it must not stop a sync.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return to_utc(parsed)


def to_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already (SQLite hands those back)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_local_datetime(value: object) -> datetime | None:
    """A local wall-clock time like "2026-10-12T07:31:05" as a naive datetime (offset dropped)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            return datetime.combine(date.fromisoformat(value.strip()[:10]), datetime.min.time())
        except ValueError:
            return None
    return parsed.replace(tzinfo=None)


def local_date_of(value: object) -> date | None:
    """The local date of "2026-10-12T07:31:05" or "2026-10-12", or None."""
    if not isinstance(value, str) or len(value.strip()) < 10:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def marker(value: object) -> str | None:
    """A change marker (`icu_sync_date`, `analyzed`) exactly as sent, for exact comparison."""
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value)


def canonical_json(payload: JSONDict) -> str:
    """The payload as JSON with sorted keys, so equal payloads give equal text."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def text_hash(text: str) -> str:
    """A short digest of JSON text: tells whether a re-fetched row really changed."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def payload_hash(payload: JSONDict) -> str:
    """The digest of the payload's canonical JSON (equal payloads, equal digests)."""
    return text_hash(canonical_json(payload))


def is_strava_stub(payload: JSONDict) -> bool:
    """Strava-sourced activities come back as empty stubs: source STRAVA and no sport type."""
    return payload.get("source") == "STRAVA" and not payload.get("type")


def scrub_secrets(payload: JSONDict) -> JSONDict:
    """A copy of the payload without keys that hold API keys, at any depth."""
    return {k: _scrub(v) for k, v in payload.items() if k not in SECRET_KEYS}


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return scrub_secrets(value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _int(value: object) -> int | None:
    number = _number(value)
    return None if number is None else round(number)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _first_number(payload: JSONDict, *keys: str) -> float | None:
    """The first of `keys` holding a number."""
    return next((n for n in (_number(payload.get(k)) for k in keys) if n is not None), None)


def _event_id(value: object) -> int | None:
    """An event id (an integer, or digits as text); anything else is no id."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _require_id(payload: JSONDict, what: str) -> object:
    value = payload.get("id")
    if value is None or value == "":
        raise ValueError(f"The {what} payload has no id, so it cannot be cached.")
    return value


def _paired_activity(value: object) -> str | None:
    """An activity id as the activities table keys it (text), from text or a bare number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def _start(payload: JSONDict, record: str) -> JSONDict:
    """The local date and wall-clock start of a dated record (`record` names it in the error)."""
    start = parse_local_datetime(payload.get("start_date_local"))
    if start is None:
        raise ValueError(f"{record} has no readable start_date_local, so it cannot be cached.")
    return {"local_date": start.date(), "start_date_local": start}


Reader = Callable[[object], object]
Fields = Mapping[str, tuple[str, Reader]]  # column -> (payload key, how its value is read)


def _read(payload: JSONDict, fields: Fields) -> JSONDict:
    """The columns `fields` declares, each read from its payload key."""
    return {column: read(payload.get(key)) for column, (key, read) in fields.items()}


# The columns read straight from one payload field each (ids and dates are read apart).
ACTIVITY_FIELDS: Fields = {
    "type": ("type", _text),
    "name": ("name", _text),
    "source": ("source", _text),
    "icu_sync_date": ("icu_sync_date", parse_timestamp),
    "analyzed": ("analyzed", parse_timestamp),
    "moving_time": ("moving_time", _int),
    "distance": ("distance", _number),
    "training_load": ("icu_training_load", _number),
    "elevation_gain": ("total_elevation_gain", _number),
    "intensity": ("icu_intensity", _number),
    "paired_event_id": ("paired_event_id", _event_id),
    "description": ("description", _text),
}
WELLNESS_FIELDS: Fields = {
    "updated": ("updated", parse_timestamp),
    "ctl": ("ctl", _number),
    "atl": ("atl", _number),
    "hrv": ("hrv", _number),
    "resting_hr": ("restingHR", _number),
    "sleep_secs": ("sleepSecs", _number),
    "weight": ("weight", _number),
}
EVENT_FIELDS: Fields = {
    "end_date_local": ("end_date_local", parse_local_datetime),
    "category": ("category", _text),
    "type": ("type", _text),
    "name": ("name", _text),
    "updated": ("updated", parse_timestamp),
    "training_load": ("icu_training_load", _number),
    "paired_activity_id": ("paired_activity_id", _paired_activity),
}
PROFILE_FIELDS: Fields = {"name": ("name", _text), "timezone": ("timezone", _text)}


def activity_columns(payload: JSONDict) -> JSONDict:
    """Columns of an activity (full object or Strava stub) from the list or detail endpoint."""
    activity_id = str(_require_id(payload, "activity"))
    return {
        "id": activity_id,
        **_start(payload, f"Activity {activity_id}"),
        **_read(payload, ACTIVITY_FIELDS),
        "is_strava_stub": is_strava_stub(payload),
        "average_watts": _first_number(payload, "icu_average_watts", "average_watts"),
    }


# The payload field each metric's zone times come from (Intervals.icu's names).
ZONE_FIELDS = {"power": "icu_zone_times", "hr": "icu_hr_zone_times", "pace": "pace_zone_times"}
_POWER_ZONE = re.compile(r"^(Z\d+|SS)$")


def zone_time_rows(payload: JSONDict, values: JSONDict | None = None) -> list[JSONDict]:
    """An activity's seconds per zone, one row per (metric, zone), for `activity_zone_times`.

    Power zone times are `{"id": "Z1", "secs": 1320}` entries: zones `Z<n>` and the sweet spot
    `SS` are kept, any other id is not a zone. Heart rate and pace zone times are seconds by
    position, labelled `Z1`, `Z2`, ... as Intervals.icu labels its zones. An entry that is not
    a number counts as 0 s. A Strava stub, or an activity without zone times, has no rows.
    `values` are the activity's columns when the caller has them already.
    """
    if is_strava_stub(payload):
        return []
    values = values if values is not None else activity_columns(payload)
    common = {"activity_id": values["id"], "local_date": values["local_date"], "type": values["type"]}
    rows: dict[tuple[str, str], float] = {}
    for metric, field in ZONE_FIELDS.items():
        raw = payload.get(field)
        if not isinstance(raw, list):
            continue
        for position, entry in enumerate(raw, start=1):
            if metric == "power":
                label = str(entry.get("id", "")) if isinstance(entry, dict) else ""
                if not _POWER_ZONE.match(label):
                    continue
                seconds = _number(entry.get("secs")) if isinstance(entry, dict) else None
            else:
                label, seconds = f"Z{position}", _number(entry)
            key = (metric, label)
            rows[key] = rows.get(key, 0.0) + (seconds or 0.0)
    return [{**common, "metric": m, "zone": z, "seconds": s} for (m, z), s in rows.items()]


def wellness_columns(payload: JSONDict) -> JSONDict:
    """Columns of a wellness day; its id is the local date "YYYY-MM-DD"."""
    raw_id = _require_id(payload, "wellness")
    day = local_date_of(raw_id)
    if day is None:
        raise ValueError(f"Wellness id {raw_id!r} is not a date, so it cannot be cached.")
    return {"id": day.isoformat(), "local_date": day, **_read(payload, WELLNESS_FIELDS)}


def event_columns(payload: JSONDict) -> JSONDict:
    """Columns of a calendar event (planned workout, note, race …); its id is an integer."""
    raw_id = _require_id(payload, "event")
    try:
        event_id = int(str(raw_id))
    except ValueError:
        raise ValueError(f"Event id {raw_id!r} is not an integer, so it cannot be cached.") from None
    return {"id": event_id, **_start(payload, f"Event {event_id}"), **_read(payload, EVENT_FIELDS)}


def as_payload(answer: object, listed_as: str | None, what: str) -> JSONDict:
    """An upstream answer as the JSON object a payload column stores: an object as it is, a
    list as `{listed_as: [...]}` (nothing dropped). ValueError when it is neither."""
    if listed_as is not None and isinstance(answer, list):
        return {listed_as: answer}
    if listed_as is None and isinstance(answer, dict):
        return answer
    expected = "list" if listed_as else "object"
    raise ValueError(f"The {what} answer is a {type(answer).__name__}, not the {expected} expected")


def profile_columns(payload: JSONDict) -> JSONDict:
    """Columns of the athlete object (with sportSettings)."""
    return _read(payload, PROFILE_FIELDS)
