"""A deterministic synthetic athlete: years of training, daily wellness, a calendar.

Everything comes from one `random.Random(seed)`, so a seed and a `today` always give the same
athlete. About 40 activities per 30 days (someone doing doubles), ~3% of them Strava-sourced.
"""

from __future__ import annotations

import dataclasses
import math
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from intervals_mcp.fake.custom_items import default_items
from intervals_mcp.fake.fitness import fitness_series
from intervals_mcp.fake.gear import stamp_distances
from intervals_mcp.fake.gen_activities import Session, make_activity
from intervals_mcp.fake.gen_events import (
    TEMPLATES,
    level_of,
    note_event,
    plan_future,
    race_event,
    workout_event,
)
from intervals_mcp.fake.ids import (
    CUSTOM_ITEM_BASE,
    CUSTOM_ITEM_SPACING,
    DEFAULT_ATHLETE_ID,
    EVENT_BASE,
    EVENT_SPACING,
    NATIVE_ACTIVITY_BASE,
    NATIVE_ACTIVITY_SPACING,
    STRAVA_ACTIVITY_BASE,
    STRAVA_ACTIVITY_SPACING,
    id_block,
)
from intervals_mcp.fake.profile import TIMEZONE, Physiology, make_athlete, make_physiology
from intervals_mcp.fake.shapes import WELLNESS_KEYS
from intervals_mcp.fake.store import FakeStore
from intervals_mcp.fake.timefmt import iso_utc, parse_utc
from intervals_mcp.fake.workouts import thresholds_for

STRAVA_SHARE = 0.03
PAIRED_SHARE = 0.45
# Sessions per day: 0..3 with these weights give ~1.4 a day, ~40 per 30 days.
_SESSIONS = ([0, 1, 2, 3], [9, 43, 42, 6])
_FIRST = (["Ride", "VirtualRide", "Run", "Swim"], [4, 2, 4, 2])
_SECOND = (["Run", "WeightTraining", "VirtualRide", "Swim", "Walk", "Yoga"], [3, 3, 2, 2, 1, 1])
_DURATION = {"Ride": (3600, 14400), "VirtualRide": (2700, 5400), "Run": (1800, 6000),
             "Swim": (1800, 3600), "WeightTraining": (1800, 3600), "Walk": (1800, 4200),
             "Yoga": (1800, 3600)}


def _intensity(rng: random.Random, sport: str) -> float:
    if sport in ("WeightTraining", "Walk", "Yoga"):
        return rng.uniform(0.45, 0.65)
    roll = rng.random()
    if roll < 0.6:
        return rng.uniform(0.6, 0.76)
    if roll < 0.85:
        return rng.uniform(0.78, 0.89)
    return rng.uniform(0.9, 1.0)


def _sessions_for(rng: random.Random, day: date, week: int) -> list[Session]:
    count = rng.choices(*_SESSIONS)[0]
    if week % 4 == 3 and count > 1:  # recovery week
        count -= 1
    winter = day.month in (11, 12, 1, 2)
    sessions: list[Session] = []
    starts = [time(rng.randint(6, 8), rng.randint(0, 59), rng.randint(0, 59)),
              time(rng.randint(17, 19), rng.randint(0, 59), rng.randint(0, 59)),
              time(rng.randint(12, 13), rng.randint(0, 59), rng.randint(0, 59))]
    for n in range(count):
        sport = rng.choices(*(_FIRST if n == 0 else _SECOND))[0]
        if sport == "Ride" and winter and rng.random() < 0.6:
            sport = "VirtualRide"
        low, high = _DURATION[sport]
        if sport == "Ride" and day.weekday() >= 5:
            low = 7200
        intensity = _intensity(rng, sport)
        duration = rng.randint(low, high)
        if intensity >= 0.9:
            duration = min(duration, 5400)
        sessions.append(Session(
            sport=sport, start_local=datetime.combine(day, starts[n]), duration=duration,
            intensity=round(intensity, 4), strava=rng.random() < STRAVA_SHARE,
        ))
    return sorted(sessions, key=lambda s: s.start_local)


def _wellness_day(
    rng: random.Random, day: date, phys: Physiology, fit: Any, updated: datetime, ftp: int
) -> dict[str, Any]:
    fatigue_push = max(0.0, fit.atl - fit.ctl)
    record = dict.fromkeys(WELLNESS_KEYS) | {
        "id": day.isoformat(), "ctl": fit.ctl, "atl": fit.atl, "rampRate": fit.ramp_rate,
        "ctlLoad": fit.load, "atlLoad": fit.load, "updated": iso_utc(updated),
        "sportInfo": [{"type": "Ride", "eftp": round(ftp * rng.uniform(0.97, 1.02), 5),
                       "wPrime": float(phys.w_prime), "pMax": float(phys.p_max)}],
        "tempWeight": False, "tempRestingHR": False,
        "steps": rng.randint(3000, 14000),
    }
    if rng.random() < 0.92:  # the watch was worn overnight
        record |= {
            "restingHR": round(phys.resting_hr + fatigue_push / 8 + rng.uniform(-2, 2)),
            "hrv": round(max(25.0, 68 - fatigue_push / 2 + rng.gauss(0, 6)), 1),
            "hrvSDNN": round(rng.uniform(60, 95), 1),
            "sleepSecs": rng.randint(21600, 30600), "sleepScore": float(rng.randint(55, 95)),
            "avgSleepingHR": float(phys.resting_hr + rng.randint(2, 6)),
            "respiration": round(rng.uniform(13.5, 16.0), 1),
            "readiness": float(max(20, min(99, round(75 - fatigue_push + rng.gauss(0, 8))))),
        }
    if rng.random() < 0.6:
        record["weight"] = round(phys.weight + rng.uniform(-0.8, 0.8), 1)
    if rng.random() < 0.35:  # the athlete answered the morning questions
        strain = 1 if fatigue_push < 5 else 2 if fatigue_push < 15 else 3
        record |= {
            "soreness": min(4, strain + rng.randint(0, 1)), "fatigue": min(4, strain + rng.randint(0, 1)),
            "stress": rng.randint(1, 3), "mood": rng.randint(1, 3), "motivation": rng.randint(1, 3),
            "sleepQuality": rng.randint(1, 3),
        }
    return record


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"Unknown time zone {timezone!r}; give an IANA name such as "
                         "'Europe/Brussels'.") from None


def generate_athlete(
    seed: int = 7, years: float = 5.0, today: date | None = None,
    athlete_id: str = DEFAULT_ATHLETE_ID, timezone: str = TIMEZONE,
) -> FakeStore:
    """A deterministic athlete with `years` of history ending on `today` (default: today in
    the athlete's `timezone`, an IANA name stored in the profile and on every activity).

    Athletes with different ids never share an activity or event id (see ids.py)."""
    zone = _zone(timezone)
    rng = random.Random(seed)
    today = today or datetime.now(zone).date()
    first = today - timedelta(days=max(1, round(years * 365)) - 1)
    base = make_physiology(rng)
    athlete = make_athlete(rng, athlete_id, base, first, today, timezone)

    activities: list[dict[str, Any]] = []
    block = id_block(athlete_id)
    native_id = NATIVE_ACTIVITY_BASE + block * NATIVE_ACTIVITY_SPACING + rng.randint(0, 99_999)
    strava_id = (STRAVA_ACTIVITY_BASE + block * STRAVA_ACTIVITY_SPACING
                 + rng.randint(0, 10**8))
    day = first
    while day <= today:
        season = math.sin(2 * math.pi * (day.timetuple().tm_yday - 80) / 365)
        growth = (day - first).days / 365 * 3
        phys = dataclasses.replace(base, ftp=round(base.ftp + 12 * season + growth))
        sessions = _sessions_for(rng, day, (day - first).days // 7)
        if day == today:
            sessions = sessions[:1]
        for session in sessions:
            if session.strava:
                strava_id += rng.randint(1_000, 9_000_000)
                activity_id = str(strava_id)
            else:
                native_id += rng.randint(1, 40)
                activity_id = f"i{native_id}"
            activity = make_activity(rng, activity_id, athlete_id, session, phys, timezone)
            if not session.strava and rng.random() < 0.15:
                activity["VO2MaxGarmin"] = float(rng.randint(52, 60))
            activities.append(activity)
        day += timedelta(days=1)

    start = (round(rng.uniform(35, 55), 2), round(rng.uniform(35, 55), 2))
    loads: dict[date, float] = {}
    last_sync: dict[date, str] = {}
    for a in activities:
        d = date.fromisoformat(a["start_date_local"][:10])
        loads[d] = loads.get(d, 0.0) + float(a["icu_training_load"] or 0)
        last_sync[d] = max(last_sync.get(d, ""), a["analyzed"])
    series = fitness_series(loads, first, today, start)
    for a in activities:
        fit = series[date.fromisoformat(a["start_date_local"][:10])]
        a["icu_ctl"], a["icu_atl"] = round(fit.ctl, 2), round(fit.atl, 2)

    stamp_distances(athlete, activities)
    athlete["custom_items"] = default_items(
        athlete_id, CUSTOM_ITEM_BASE + block * CUSTOM_ITEM_SPACING, parse_utc(athlete["icu_activated"]))
    wellness = []
    for d, fit in series.items():
        updated = datetime.combine(d, time(7), tzinfo=UTC) + timedelta(
            seconds=rng.randint(0, 5400), milliseconds=rng.randint(0, 999))
        if d in last_sync:
            updated = max(updated, parse_utc(last_sync[d]) + timedelta(milliseconds=600))
        wellness.append(_wellness_day(rng, d, base, fit, updated, base.ftp))

    first_event = EVENT_BASE + block * EVENT_SPACING
    events = _past_events(rng, athlete, activities, first, today, first_event)
    events += plan_future(rng, athlete, today, first_event + len(events))
    return FakeStore(athlete, activities, wellness, events, today=today, fitness_start=start)


def _past_events(
    rng: random.Random, athlete: dict[str, Any], activities: list[dict[str, Any]], first: date,
    today: date, next_id: int,
) -> list[dict[str, Any]]:
    """Workouts paired with past activities, occasional notes, a race every few months."""
    athlete_id = athlete["id"]
    events: list[dict[str, Any]] = []
    for a in activities:
        sport = "Ride" if a["type"] == "VirtualRide" else a["type"]
        if a["source"] == "STRAVA" or sport not in TEMPLATES or rng.random() > PAIRED_SHARE:
            continue
        d = date.fromisoformat(a["start_date_local"][:10])
        if d >= today:
            continue
        template = rng.choice(TEMPLATES[sport][level_of(a["icu_intensity"] / 100)])
        planned = datetime.combine(d, time(6), tzinfo=UTC) - timedelta(days=rng.randint(1, 10))
        thresholds = thresholds_for(athlete, a["type"])
        if a["icu_ftp"]:  # the FTP of that day, not today's
            thresholds = dataclasses.replace(thresholds, ftp=a["icu_ftp"])
        event = workout_event(next_id + len(events), athlete_id, d, a["type"], template,
                              thresholds, planned)
        event["paired_activity_id"] = a["id"]
        a["paired_event_id"] = event["id"]
        a["name"] = template[0]
        a["compliance"] = round(rng.uniform(80, 105), 1)
        events.append(event)
    d = first + timedelta(days=rng.randint(3, 12))
    while d < today:
        stamp = datetime.combine(d, time(6), tzinfo=UTC) - timedelta(days=rng.randint(1, 5))
        events.append(note_event(next_id + len(events), athlete_id, d, rng, stamp))
        d += timedelta(days=rng.randint(8, 16))
    d = first + timedelta(days=rng.randint(30, 90))
    while d < today:
        category = rng.choice(["RACE_A", "RACE_B", "RACE_C"])
        stamp = datetime.combine(d, time(6), tzinfo=UTC) - timedelta(days=rng.randint(20, 60))
        events.append(race_event(next_id + len(events), athlete_id, d, category,
                                 f"{d.year} {rng.choice(['Classic', 'Gran Fondo', 'Crit'])}",
                                 stamp))
        d += timedelta(days=rng.randint(90, 150))
    return events
