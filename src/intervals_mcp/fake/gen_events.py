"""Synthetic calendar events: workouts paired with past activities, planned ones, notes, races."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from intervals_mcp.fake.shapes import EVENT_EXTRA_KEYS, EVENT_KEYS
from intervals_mcp.fake.timefmt import day_start, iso_utc
from intervals_mcp.fake.workouts import Thresholds, thresholds_for, workout_fields

_CSS = "- 10m 70% Pace\n\n8x\n- 1m40s 100% Pace\n- 20s 50% Pace\n\n- 5m 60% Pace"
# (name, description) in Intervals.icu's native workout text, per sport and effort level
# (WORKOUT_TEXT.md §8: runs and swims carry `Pace` targets, or they would load nothing).
TEMPLATES: dict[str, dict[str, list[tuple[str, str]]]] = {
    "Ride": {
        "easy": [("Endurance 2h", "- 10m 55%\n- 1h40m 68%\n- 10m 50%"),
                 ("Recovery Spin", "- 45m 50%")],
        "mid": [("Sweet Spot 3x12", "- 15m 55%\n\n3x\n- 12m 90%\n- 5m 55%\n\n- 10m 50%"),
                ("Tempo 2x20", "- 15m 60%\n\n2x\n- 20m 82%\n- 5m 55%\n\n- 10m 50%")],
        "hard": [("VO2 5x4", "- 15m 60%\n\n5x\n- 4m 115%\n- 4m 50%\n\n- 10m 50%"),
                 ("Threshold 2x20", "- 15m 60%\n\n2x\n- 20m 97%\n- 5m 55%\n\n- 10m 50%")],
    },
    "Run": {
        "easy": [("Easy 45", "- 45m 72% Pace"), ("Long Run", "- 1h40m 75% Pace")],
        "mid": [("Tempo 3x10",
                 "- 15m 70% Pace\n\n3x\n- 10m 90% Pace\n- 3m 65% Pace\n\n- 10m 65% Pace")],
        "hard": [("Track 6x800",
                  "- 15m 70% Pace\n\n6x\n- 3m 108% Pace\n- 2m 60% Pace\n\n- 10m 65% Pace")],
    },
    "Swim": {
        "easy": [("Easy Swim", "- 40m 75% Pace")],
        "mid": [("CSS 8x100", _CSS)],
        "hard": [("CSS 8x100", _CSS)],
    },
}
NOTES = [("Rest day", "Mobility only"), ("Travel", "Away for work, hotel gym only"),
         ("Massage", None), ("Bike service", "Drop the bike at the shop")]
_BLANK: dict[str, Any] = dict.fromkeys(EVENT_KEYS + EVENT_EXTRA_KEYS)


def blank_event(event_id: int, athlete_id: str) -> dict[str, Any]:
    """A full Event payload with the defaults the live service fills in."""
    return _BLANK | {
        "id": event_id, "athlete_id": athlete_id, "sub_type": "NONE", "indoor": False,
        "not_on_fitness_chart": False, "show_as_note": False, "show_on_ctl_line": True,
        "for_week": False, "athlete_cannot_edit": False, "hide_from_athlete": False,
        "structure_read_only": False, "entered": False, "created_by_id": athlete_id,
        "calendar_id": 15501,
    }


def workout_event(
    event_id: int, athlete_id: str, day: date, sport: str, template: tuple[str, str],
    thresholds: Thresholds, updated: datetime,
) -> dict[str, Any]:
    name, description = template
    event = blank_event(event_id, athlete_id) | {
        "start_date_local": day_start(day), "category": "WORKOUT", "type": sport, "name": name,
        "description": description, "indoor": sport.startswith("Virtual"),
        "updated": iso_utc(updated),
    }
    return event | workout_fields(description, sport, thresholds)


def note_event(
    event_id: int, athlete_id: str, day: date, rng: random.Random, updated: datetime
) -> dict[str, Any]:
    name, description = rng.choice(NOTES)
    return blank_event(event_id, athlete_id) | {
        "start_date_local": day_start(day), "category": "NOTE", "name": name,
        "description": description, "not_on_fitness_chart": True, "show_on_ctl_line": False,
        "updated": iso_utc(updated),
    }


def race_event(
    event_id: int, athlete_id: str, day: date, category: str, name: str, updated: datetime
) -> dict[str, Any]:
    return blank_event(event_id, athlete_id) | {
        "start_date_local": day_start(day), "category": category, "type": "Ride", "name": name,
        "moving_time": 14400 if category == "RACE_A" else 7200,
        "distance": 140000.0 if category == "RACE_A" else 80000.0,
        "icu_training_load": 260 if category == "RACE_A" else 150, "updated": iso_utc(updated),
    }


def level_of(intensity: float) -> str:
    return "hard" if intensity >= 0.9 else "mid" if intensity >= 0.78 else "easy"


def plan_future(
    rng: random.Random, athlete: dict[str, Any], today: date, next_id: int
) -> list[dict[str, Any]]:
    """Planned workouts for four weeks, weekly notes and a couple of races up to ~6 months out."""
    events: list[dict[str, Any]] = []
    athlete_id = athlete["id"]

    def stamp() -> datetime:
        back = timedelta(days=rng.randint(1, 14), seconds=rng.randint(0, 86399))
        return datetime(today.year, today.month, today.day, 6, tzinfo=UTC) - back

    for offset in range(0, 29):
        day = today + timedelta(days=offset)
        if day.weekday() == 0:
            continue
        sport = rng.choices(["Ride", "Run", "Swim"], weights=[5, 3, 1])[0]
        level = rng.choices(["easy", "mid", "hard"], weights=[5, 3, 2])[0]
        events.append(workout_event(next_id + len(events), athlete_id, day, sport,
                                    rng.choice(TEMPLATES[sport][level]),
                                    thresholds_for(athlete, sport), stamp()))
    for offset in range(3, 60, 9):
        events.append(note_event(next_id + len(events), athlete_id,
                                 today + timedelta(days=offset), rng, stamp()))
    races = [("RACE_B", rng.randint(40, 55), "Spring Classic"),
             ("RACE_A", rng.randint(150, 175), "Summer Gran Fondo")]
    for category, offset, name in races:
        events.append(race_event(next_id + len(events), athlete_id,
                                 today + timedelta(days=offset), category, name, stamp()))
    return events
