"""The fixed demo athlete in data/demo_athlete/, its dates shifted so its data ends "today".

The files are the API's own JSON shapes (athlete.json, activities.json, wellness.json,
events.json) plus meta.json: the day the data was written for (`anchor_today`) and the starting
fitness. `write_demo_athlete` regenerates them from the synthetic generator.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from intervals_mcp.fake.generate import generate_athlete
from intervals_mcp.fake.store import FakeStore
from intervals_mcp.fake.timefmt import iso_local, iso_utc, iso_utc_z, parse_utc

# In a checkout the canonical files are the repository's data/ (three levels above this
# package); a built wheel carries the same files as intervals_mcp/_data (see pyproject.toml).
_CHECKOUT_DIR = Path(__file__).resolve().parents[3] / "data" / "demo_athlete"
_WHEEL_DIR = Path(__file__).resolve().parents[1] / "_data" / "demo_athlete"
DEFAULT_DIR = _CHECKOUT_DIR if _CHECKOUT_DIR.is_dir() else _WHEEL_DIR
_FILES = ("meta.json", "athlete.json", "activities.json", "wellness.json", "events.json")
_SHIFTED = {
    "activities": ("start_date_local", "start_date", "created", "icu_sync_date", "analyzed"),
    "wellness": ("id", "updated"),
    "events": ("start_date_local", "end_date_local", "updated", "plan_applied"),
}


def shift_text(value: Any, delta: timedelta) -> Any:
    """Move a date or timestamp string by `delta`, keeping its exact format."""
    if not isinstance(value, str) or not value:
        return value
    if len(value) == 10:
        return (date.fromisoformat(value) + delta).isoformat()
    if value.endswith("Z"):
        return iso_utc_z(parse_utc(value) + delta)
    if "+" in value[19:] or value[19:].startswith("."):
        return iso_utc(parse_utc(value) + delta)
    return iso_local(datetime.fromisoformat(value) + delta)


def shift_payload(payload: dict[str, Any], keys: tuple[str, ...], delta: timedelta) -> dict[str, Any]:
    return payload | {k: shift_text(payload[k], delta) for k in keys if k in payload}


def load_demo_athlete(today: date | None = None, data_dir: Path | None = None) -> FakeStore:
    """The demo athlete with every date moved so the history ends on `today` (default: today)."""
    folder = data_dir or DEFAULT_DIR
    missing = [name for name in _FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"The demo athlete data is missing from {folder} ({', '.join(missing)}); "
            "run from a source checkout or pass data_dir pointing at data/demo_athlete."
        )
    meta, athlete, activities, wellness, events = (
        json.loads((folder / name).read_text(encoding="utf-8")) for name in _FILES)
    delta = (today or date.today()) - date.fromisoformat(meta["anchor_today"])
    return FakeStore(
        athlete,
        [shift_payload(a, _SHIFTED["activities"], delta) for a in activities],
        [shift_payload(w, _SHIFTED["wellness"], delta) for w in wellness],
        [shift_payload(e, _SHIFTED["events"], delta) for e in events],
        today=date.fromisoformat(meta["anchor_today"]) + delta,
        fitness_start=(float(meta["fitness_start"][0]), float(meta["fitness_start"][1])),
    )


def _dump_rows(rows: list[dict[str, Any]]) -> str:
    """One record per line: small diffs, still one JSON array."""
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n]\n"


def write_demo_athlete(folder: Path, *, seed: int = 2024, days: int = 75,
                       today: date = date(2026, 1, 31)) -> None:
    """Regenerate the demo files (the synthetic generator, `days` of history up to `today`)."""
    store = generate_athlete(seed=seed, years=days / 365, today=today, athlete_id="i12345")
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"anchor_today": today.isoformat(), "fitness_start": list(store.fitness_start),
            "seed": seed, "days": days}
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (folder / "athlete.json").write_text(json.dumps(store.athlete, indent=2) + "\n",
                                         encoding="utf-8")
    ordered = sorted(store.activities.values(), key=lambda a: a["start_date_local"])
    (folder / "activities.json").write_text(_dump_rows(ordered), encoding="utf-8")
    (folder / "wellness.json").write_text(
        _dump_rows([store.wellness[k] for k in sorted(store.wellness)]), encoding="utf-8")
    events = sorted(store.events.values(), key=lambda e: (e["start_date_local"], e["id"]))
    (folder / "events.json").write_text(_dump_rows(events), encoding="utf-8")
