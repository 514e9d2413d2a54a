"""The athlete profile (`WithSportSettings`) of a synthetic athlete."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from intervals_mcp.fake.gear import BIKE, SHOES
from intervals_mcp.fake.shapes import ATHLETE_KEYS, SPORT_SETTINGS_KEYS
from intervals_mcp.fake.timefmt import iso_utc

TIMEZONE = "Europe/London"
POWER_ZONES = [55, 75, 90, 105, 120, 150, 999]
POWER_ZONE_NAMES = [
    "Active Recovery", "Endurance", "Tempo", "Threshold", "VO2 Max", "Anaerobic", "Neuromuscular",
]
HR_ZONE_NAMES = [
    "Recovery", "Aerobic", "Tempo", "SubThreshold", "SuperThreshold", "Aerobic Capacity",
    "Anaerobic",
]
_NAMES = [
    ("Alex", "Rider", "M"), ("Sam", "Keller", "F"), ("Jo", "Marsh", "F"), ("Chris", "Dale", "M"),
    ("Robin", "Hale", "M"), ("Kim", "Frost", "F"),
]
_CITIES = [("Leeds", "England"), ("York", "England"), ("Sheffield", "England")]


@dataclass(frozen=True, slots=True)
class Physiology:
    """The numbers activities are generated from."""

    ftp: int
    weight: float
    lthr: int
    max_hr: int
    resting_hr: int
    run_threshold_speed: float  # m/s
    swim_threshold_speed: float  # m/s
    w_prime: int
    p_max: int


def make_physiology(rng: random.Random) -> Physiology:
    lthr = rng.randint(160, 172)
    return Physiology(
        ftp=rng.randint(230, 300),
        weight=round(rng.uniform(64.0, 80.0), 1),
        lthr=lthr,
        max_hr=lthr + rng.randint(16, 22),
        resting_hr=rng.randint(44, 52),
        run_threshold_speed=round(rng.uniform(3.6, 4.3), 6),
        swim_threshold_speed=round(rng.uniform(1.15, 1.45), 6),
        w_prime=rng.randint(16000, 24000),
        p_max=rng.randint(800, 1100),
    )


def _hr_zones(lthr: int, max_hr: int) -> list[int]:
    return [round(lthr * f) for f in (0.81, 0.89, 0.94, 1.0, 1.03, 1.06)] + [max_hr]


def _sport_settings(
    athlete_id: str, phys: Physiology, created: str, updated: str
) -> list[dict[str, Any]]:
    common = {
        "athlete_id": athlete_id, "warmup_time": 1200, "cooldown_time": 600,
        "hr_load_type": "HRSS", "gap_model": "NONE", "elevation_correction": "AUTO",
        "load_order": "POWER_HR_PACE", "tiz_order": "POWER_HR_PACE",
        "workout_order": "POWER_HR_PACE", "interval_display": "POWER_HR_PACE",
        "created": created, "updated": updated, "other": False, "hr_zone_names": HR_ZONE_NAMES,
        "use_laps_for_power_intervals": False, "keep_all_laps_for_power_intervals": False,
        "power_intervals_start_locked": False, "use_gap_zone_times": False,
        "extract_workouts": True, "ignore_velocity": False,
        "update_activity_name_from_workout": False, "use_distance_for_intervals": False,
    }
    ride = {
        **common, "id": 110001, "types": ["Ride", "VirtualRide", "GravelRide", "MountainBikeRide"],
        "ftp": phys.ftp, "w_prime": phys.w_prime, "p_max": phys.p_max,
        "power_zones": POWER_ZONES, "power_zone_names": POWER_ZONE_NAMES,
        "sweet_spot_min": 84, "sweet_spot_max": 97, "power_spike_threshold": 30,
        "ftp_est_min_secs": 300, "lthr": phys.lthr, "max_hr": phys.max_hr,
        "hr_zones": _hr_zones(phys.lthr, phys.max_hr),
        "mmp_model": {"type": "MORTON_3P", "criticalPower": round(phys.ftp * 0.97),
                      "wPrime": phys.w_prime, "pMax": phys.p_max, "inputPointIndexes": None,
                      "ftp": phys.ftp},
        "display": {"color": "#0863b2", "color2": "#0a76d5", "colorScheme": "LOAD",
                    "showLoad": True},
        "iseFTPSupported": True,
    }
    run = {
        **common, "id": 110002, "types": ["Run", "VirtualRun", "TrailRun"],
        "lthr": phys.lthr + 4, "max_hr": phys.max_hr + 4,
        "hr_zones": _hr_zones(phys.lthr + 4, phys.max_hr + 4),
        "threshold_pace": phys.run_threshold_speed, "pace_units": "MINS_KM",
        "pace_zones": [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0], "pace_load_type": "RUN",
        "gap_model": "STRAVA_RUN", "iseFTPSupported": False,
    }
    swim = {
        **common, "id": 110003, "types": ["Swim", "OpenWaterSwim"], "lthr": phys.lthr - 8,
        "max_hr": phys.max_hr - 8, "hr_zones": _hr_zones(phys.lthr - 8, phys.max_hr - 8),
        "threshold_pace": phys.swim_threshold_speed, "pace_units": "SECS_100M",
        "pace_zones": [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0], "pace_load_type": "SWIM",
        "iseFTPSupported": False,
    }
    other = {
        **common, "id": 110004, "types": ["WeightTraining", "Walk", "Yoga", "Hike", "Workout"],
        "lthr": phys.lthr, "max_hr": phys.max_hr, "hr_zones": _hr_zones(phys.lthr, phys.max_hr),
        "other": True, "iseFTPSupported": False,
    }
    return [dict.fromkeys(SPORT_SETTINGS_KEYS) | s for s in (ride, run, swim, other)]


def make_athlete(
    rng: random.Random, athlete_id: str, phys: Physiology, first_day: date, today: date,
    timezone: str = TIMEZONE,
) -> dict[str, Any]:
    """A full `WithSportSettings` payload: every declared key, nulls where unknown."""
    first, last, sex = rng.choice(_NAMES)
    city, state = rng.choice(_CITIES)
    activated = datetime(first_day.year, first_day.month, first_day.day, 10, 11, 12, tzinfo=UTC)
    created = iso_utc(activated)
    updated = iso_utc(activated + timedelta(days=rng.randint(30, 300), seconds=rng.randint(0, 86000)))
    birth_year = today.year - rng.randint(28, 52)
    values: dict[str, Any] = {
        "id": athlete_id, "name": f"{first} {last}", "firstname": first, "lastname": last,
        "sex": sex, "city": city, "state": state, "country": "United Kingdom",
        "timezone": timezone, "locale": "en", "measurement_preference": "meters",
        "weight_pref_lb": False, "fahrenheit": False, "wind_speed": "KMH", "rain": "MM",
        "weight": phys.weight, "icu_weight": phys.weight, "icu_resting_hr": phys.resting_hr,
        "icu_date_of_birth": f"{birth_year}-03-14", "email": f"{first.lower()}@example.com",
        "visibility": "PRIVATE", "status": "ACTIVE", "icu_activated": created,
        "icu_last_seen": iso_utc(datetime(today.year, today.month, today.day, 6, 1, 44, tzinfo=UTC)),
        "icu_permission": "WRITE", "icu_coach": False, "icu_admin": False,
        "icu_type_settings": [{"type": t, "ctlFactor": 1.0, "atlFactor": 1.0}
                              for t in ("Ride", "Run", "Swim")],
        "icu_form_as_percent": False, "icu_mmp_days": 42, "icu_wellness_prompt": False,
        "icu_wellness_keys": ["weight", "restingHR", "hrv", "sleepSecs", "sleepScore",
                              "soreness", "fatigue", "stress", "mood", "motivation"],
        "icu_track_menstrual_cycle": False, "activity_rpe_prompt": True,
        "icu_garmin_health": True, "icu_garmin_training": True,
        "icu_garmin_sync_activities": True, "icu_garmin_download_wellness": True,
        "icu_garmin_upload_workouts": True, "strava_authorized": True,
        "strava_sync_activities": True, "strava_allowed": True, "plan": "SUPPORTER",
        "plan_expires": iso_utc(datetime(today.year + 1, 1, 1, tzinfo=UTC)), "beta_user": False,
        "has_password": True, "icu_email_verified": True, "height": 178.0, "height_units": "CM",
        "currency": "GBP", "date_format": "dd/MM/yyyy", "time_format": "HH:mm",
        "bikes": [BIKE | {"distance": 0.0}], "shoes": [SHOES | {"distance": 0.0}],
        "sportSettings": _sport_settings(athlete_id, phys, created, updated),
        "custom_items": [],
    }
    return dict.fromkeys(ATHLETE_KEYS) | values
