"""One synthetic activity payload (full `Activity` key set) with plausible numbers per sport."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from intervals_mcp.fake.details import interval_summary, plan_segments
from intervals_mcp.fake.gear import default_gear
from intervals_mcp.fake.profile import POWER_ZONES, TIMEZONE, Physiology
from intervals_mcp.fake.shapes import ACTIVITY_KEYS
from intervals_mcp.fake.timefmt import iso_local, iso_utc, iso_utc_z

_BASE: dict[str, Any] = dict.fromkeys(ACTIVITY_KEYS) | {
    "sub_type": "NONE", "trainer": False, "commute": False, "race": False,
    "device_watts": False, "has_heartrate": True, "icu_ignore_time": False,
    "icu_ignore_power": False, "icu_ignore_hr": False, "ignore_velocity": False,
    "ignore_pace": False, "use_elevation_correction": False, "has_weather": False,
    "has_segments": False, "use_gap_zone_times": False, "icu_intervals_edited": False,
    "lock_intervals": False, "tiz_order": "POWER_HR_PACE", "hr_load_type": "HRSS",
    "file_type": "fit", "file_sport_index": 0, "gap_model": "NONE",
}

_NAMES = {
    "Ride": {"easy": "Morning Endurance", "mid": "Sweet Spot Ride", "hard": "Threshold Intervals"},
    "VirtualRide": {"easy": "Zwift - Endurance", "mid": "Zwift - Sweet Spot 3x12",
                    "hard": "Zwift - VO2 5x4"},
    "Run": {"easy": "Easy Run", "mid": "Tempo Run", "hard": "Track Intervals"},
    "Swim": {"easy": "Pool Swim", "mid": "CSS Swim", "hard": "Swim Intervals"},
}


@dataclass(frozen=True, slots=True)
class Session:
    sport: str
    start_local: datetime
    duration: int  # seconds of moving time
    intensity: float  # IF (fraction of threshold)
    strava: bool = False


def _level(intensity: float) -> str:
    return "hard" if intensity >= 0.9 else "mid" if intensity >= 0.78 else "easy"


def _zone_times(moving: int, intensity: float, rng: random.Random) -> list[dict[str, Any]]:
    centre = min(6, int(intensity * 100 // 17))
    weights = [math.exp(-abs(i - centre) * 1.2) * rng.uniform(0.7, 1.3) for i in range(7)]
    total = sum(weights)
    secs = [round(moving * w / total) for w in weights]
    out: list[dict[str, Any]] = [{"id": f"Z{i + 1}", "secs": s} for i, s in enumerate(secs)]
    out.append({"id": "SS", "secs": round(secs[2] * 0.6 + secs[3] * 0.4)})
    return out


def _hr_zone_times(moving: int, intensity: float, rng: random.Random) -> list[int]:
    centre = min(6, max(0, int((intensity - 0.5) * 8)))
    weights = [math.exp(-abs(i - centre) * 1.5) * rng.uniform(0.7, 1.3) for i in range(7)]
    total = sum(weights)
    return [round(moving * w / total) for w in weights]


def make_activity(
    rng: random.Random, activity_id: str, athlete_id: str, session: Session, phys: Physiology,
    timezone: str = TIMEZONE,
) -> dict[str, Any]:
    """A full Activity payload; Strava-sourced ones are stored whole and served as stubs.

    `session.start_local` is wall time in the athlete's `timezone` (an IANA name)."""
    sport, moving, ifactor = session.sport, session.duration, session.intensity
    hours = moving / 3600
    elapsed = moving + rng.randint(0, max(60, moving // 12))
    start_utc = session.start_local.replace(tzinfo=ZoneInfo(timezone))
    created = start_utc + timedelta(seconds=elapsed + rng.randint(300, 2400),
                                    milliseconds=rng.randint(0, 999))
    analyzed = created + timedelta(milliseconds=rng.randint(1500, 4000))
    avg_hr = round(phys.lthr * (0.68 + 0.28 * ifactor) + rng.uniform(-4, 4))
    a: dict[str, Any] = dict(_BASE)
    a.update({
        "id": activity_id, "icu_athlete_id": athlete_id, "type": sport, "timezone": timezone,
        "start_date_local": iso_local(session.start_local), "start_date": iso_utc_z(start_utc),
        "name": _NAMES.get(sport, {}).get(_level(ifactor)) or {
            "WeightTraining": "Strength", "Walk": "Evening Walk", "Yoga": "Yoga"}.get(sport, sport),
        "source": "STRAVA" if session.strava else "GARMIN_CONNECT",
        "external_id": str(rng.randint(10**10, 10**11 - 1)),
        "device_name": "Garmin Edge 840" if "Ride" in sport else "Garmin Forerunner 965",
        "moving_time": moving, "elapsed_time": elapsed, "icu_recording_time": elapsed - 5,
        "average_heartrate": avg_hr,
        "max_heartrate": min(phys.max_hr, avg_hr + rng.randint(12, 30)),
        "athlete_max_hr": phys.max_hr, "lthr": phys.lthr, "icu_resting_hr": phys.resting_hr,
        "icu_weight": phys.weight, "icu_hr_zones": [round(phys.lthr * f) for f in (
            0.81, 0.89, 0.94, 1.0, 1.03, 1.06)] + [phys.max_hr],
        "icu_hr_zone_times": _hr_zone_times(moving, ifactor, rng),
        "icu_intensity": round(ifactor * 100, 5), "icu_rpe": max(1, min(10, round(ifactor * 9))),
        "feel": rng.choice([None, 1, 2, 2, 3, 3, 4]),
        "trimp": round(hours * 60 * (avg_hr - phys.resting_hr) / (phys.max_hr - phys.resting_hr)
                       * 1.9 * math.exp(1.67 * 0.6), 4),
        "strain_score": round(hours * ifactor * 70, 2), "icu_warmup_time": 1200,
        "icu_cooldown_time": 600, "created": iso_utc(created), "icu_sync_date": iso_utc(analyzed),
        "analyzed": iso_utc(analyzed), "group": f"{rng.getrandbits(32):08x}",
        "stream_types": ["time", "heartrate"],
    })
    load = round(hours * ifactor**2 * 100)
    if sport in ("Ride", "VirtualRide"):
        indoor = sport == "VirtualRide"
        vi = rng.uniform(1.01, 1.05) if indoor else rng.uniform(1.04, 1.15)
        np_watts = phys.ftp * ifactor
        avg_watts = round(np_watts / vi)
        speed = rng.uniform(8.5, 10.0) if indoor else 5.5 + ifactor * 3.5 + rng.uniform(-0.6, 0.6)
        distance = round(speed * moving, 1)
        joules = avg_watts * moving
        climb = 0.0 if indoor else round(distance / 1000 * rng.uniform(3, 16), 1)
        a.update({
            "trainer": indoor, "device_watts": True, "distance": distance,
            "icu_distance": distance, "average_speed": round(speed, 3), "pace": round(speed, 3),
            "max_speed": round(speed * rng.uniform(1.5, 2.1), 3),
            "total_elevation_gain": climb, "total_elevation_loss": climb,
            "coasting_time": 0 if indoor else round(moving * rng.uniform(0.05, 0.12)),
            "average_cadence": round(rng.uniform(82, 93), 4), "icu_ftp": phys.ftp,
            "icu_w_prime": phys.w_prime, "p_max": phys.p_max, "icu_average_watts": avg_watts,
            "icu_weighted_avg_watts": round(np_watts), "icu_variability_index": round(vi, 7),
            "icu_efficiency_factor": round(np_watts / avg_hr, 6),
            "icu_power_hr": round(avg_watts / avg_hr, 7), "icu_joules": joules,
            "icu_joules_above_ftp": round(joules * max(0.0, ifactor - 0.75) * 0.2),
            "calories": round(joules / 1000 * 1.05), "icu_training_load": load,
            "power_load": load, "hr_load": round(load * rng.uniform(0.75, 0.95)),
            "decoupling": round(rng.uniform(-1, 7), 4), "icu_zone_times": _zone_times(
                moving, ifactor, rng), "icu_power_zones": POWER_ZONES,
            "icu_sweet_spot_min": 84, "icu_sweet_spot_max": 97, "icu_power_spike_threshold": 30,
            "icu_rolling_ftp": phys.ftp, "icu_rolling_ftp_delta": 0,
            "icu_pm_ftp": round(phys.ftp * 0.98), "icu_pm_cp": round(phys.ftp * 0.96),
            "icu_pm_w_prime": phys.w_prime, "icu_pm_p_max": phys.p_max,
            "polarization_index": round(rng.uniform(0.6, 1.1), 2),
            "carbs_used": round(joules / 1000 * 0.2 * (0.5 + ifactor)),
            "icu_lap_count": max(1, moving // 1800),
            "device_name": "ZWIFT" if indoor else "Garmin Edge 840",
            "source": "STRAVA" if session.strava else "ZWIFT" if indoor else "GARMIN_CONNECT",
            "power_meter": None if indoor else "Favero Assioma DUO",
            "stream_types": ["time", "watts", "heartrate", "cadence", "distance",
                             "velocity_smooth"] + ([] if indoor else ["altitude", "latlng",
                                                                      "temp"]),
            "has_weather": not indoor,
        })
        if not indoor:
            a.update({"average_temp": round(rng.uniform(4, 24), 1),
                      "average_weather_temp": round(rng.uniform(4, 22), 1),
                      "average_wind_speed": round(rng.uniform(1, 8), 1),
                      "prevailing_wind_deg": rng.randint(0, 359),
                      "average_altitude": round(rng.uniform(60, 200), 1),
                      "min_altitude": 61.2, "max_altitude": round(rng.uniform(150, 420), 1)})
    elif sport in ("Run", "Swim"):
        threshold = phys.run_threshold_speed if sport == "Run" else phys.swim_threshold_speed
        speed = threshold * ifactor
        distance = round(speed * moving, 1)
        cadence = round(rng.uniform(82, 92), 4) if sport == "Run" else None
        a.update({
            "distance": distance, "icu_distance": distance, "average_speed": round(speed, 3),
            "pace": round(speed, 3), "max_speed": round(speed * rng.uniform(1.2, 1.5), 3),
            "gap": round(speed * rng.uniform(0.99, 1.03), 3) if sport == "Run" else None,
            "threshold_pace": threshold, "icu_training_load": load, "pace_load": load,
            "hr_load": round(load * rng.uniform(0.8, 1.05)),
            "pace_load_type": "RUN" if sport == "Run" else "SWIM",
            "pace_zones": [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0],
            "pace_zone_times": _hr_zone_times(moving, ifactor, rng),
            "calories": round(hours * (600 if sport == "Run" else 500) * ifactor),
            "average_cadence": cadence,
            "average_stride": round(speed * 60 / (2 * cadence), 3) if cadence else None,
            "gap_model": "STRAVA_RUN" if sport == "Run" else "NONE",
            "stream_types": ["time", "heartrate", "distance", "velocity_smooth"]
            + (["cadence", "altitude", "latlng"] if sport == "Run" else []),
        })
        if sport == "Swim":
            a.update({"pool_length": 25.0, "lengths": round(distance / 25),
                      "device_name": "Garmin Forerunner 965"})
    else:
        a.update({
            "icu_training_load": max(3, round(load * 0.8)), "hr_load": max(3, round(load * 0.8)),
            "calories": round(hours * 300), "kg_lifted": round(rng.uniform(2000, 6000), 1)
            if sport == "WeightTraining" else None,
        })
    a["gear"] = default_gear(sport)
    a["session_rpe"] = a["icu_rpe"] * round(moving / 60)
    a["interval_summary"] = interval_summary(a, plan_segments(a))
    return a
