"""Per-activity intervals (`IntervalsDTO`) and streams, derived deterministically from the activity.

Nothing here is stored up front: both are rebuilt on demand from the activity payload and a
random generator seeded by the activity id, so five years of history cost nothing until asked.
Streams are sampled every STREAM_STEP seconds (the live service samples every second); interval
`start_index`/`end_index` index these streams, so the two stay consistent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from intervals_mcp.fake.shapes import INTERVAL_GROUP_KEYS, INTERVAL_KEYS, STREAM_KEYS

STREAM_STEP = 10
POWER_SPORTS = frozenset({"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"})
PACE_SPORTS = frozenset({"Run", "VirtualRun", "TrailRun", "Swim", "OpenWaterSwim"})
_BASE_LAT, _BASE_LNG = 53.80068, -1.54912


@dataclass(frozen=True, slots=True)
class Segment:
    secs: int
    pct: float  # of threshold (power for rides, speed for runs/swims, effort otherwise)
    kind: str  # "WORK" | "RECOVERY"
    label: str | None
    group: int | None  # segments with the same group number are repeats of one set


def _fmt_duration(secs: int) -> str:
    h, rest = divmod(secs, 3600)
    m = rest // 60
    return f"{h}h{m:02d}m" if h else f"{m}m"


def plan_segments(activity: dict[str, Any]) -> list[Segment]:
    """The activity's structure: warmup, work (maybe repeated), cooldown; sums to moving_time."""
    total = int(activity.get("moving_time") or 0)
    sport = activity.get("type") or ""
    rng = random.Random(f"plan:{activity['id']}")
    intensity = (activity.get("icu_intensity") or 65.0) / 100
    if total < 1500 or (sport not in POWER_SPORTS and sport not in PACE_SPORTS):
        return [Segment(max(total, STREAM_STEP), intensity, "WORK", None, None)]
    warm = min(900, total // 7) // STREAM_STEP * STREAM_STEP
    cool = min(600, total // 10) // STREAM_STEP * STREAM_STEP
    middle = total - warm - cool
    segments = [Segment(warm, 0.55, "RECOVERY", "Warmup", None)]
    if intensity >= 0.8:
        reps, work, rest, pct = rng.choice(
            [(3, 720, 300, 0.90), (2, 1200, 300, 0.95), (5, 240, 240, 1.15), (4, 480, 240, 1.02)]
        )
        while reps > 1 and reps * (work + rest) > middle:
            reps -= 1
        work = min(work, middle // (reps + 1))
        for rep in range(reps):
            segments.append(Segment(work, pct, "WORK", None, 1))
            if rep < reps - 1:
                segments.append(Segment(rest, 0.5, "RECOVERY", None, None))
        rest_of_middle = middle - reps * work - (reps - 1) * rest
        if rest_of_middle > 0:
            segments.append(Segment(rest_of_middle, 0.66, "WORK", None, None))
    else:
        segments.append(Segment(middle, intensity, "WORK", None, None))
    segments.append(Segment(cool, 0.5, "RECOVERY", "Cooldown", None))
    return [s for s in segments if s.secs > 0]


def interval_summary(activity: dict[str, Any], segments: list[Segment]) -> list[str]:
    ftp = activity.get("icu_ftp")
    out: list[str] = []
    seen: set[int] = set()
    for seg in segments:
        if seg.kind != "WORK" or (seg.group is not None and seg.group in seen):
            continue
        count = sum(1 for s in segments if s.group == seg.group) if seg.group is not None else 1
        if seg.group is not None:
            seen.add(seg.group)
        target = f"{round(ftp * seg.pct)}w" if ftp else f"{round(seg.pct * 100)}%"
        out.append(f"{count}x {_fmt_duration(seg.secs)} {target}")
    return out


def _interval_values(
    activity: dict[str, Any], seg: Segment, start: int, rng: random.Random
) -> dict[str, Any]:
    ftp = activity.get("icu_ftp")
    lthr = activity.get("lthr") or 165
    weight = activity.get("icu_weight") or 72.0
    hr = round(min(lthr * (0.7 + 0.28 * seg.pct), (activity.get("athlete_max_hr") or 190) - 3))
    speed = (activity.get("average_speed") or 0.0) * (0.8 + 0.3 * seg.pct)
    values: dict[str, Any] = {
        "start_index": start // STREAM_STEP, "end_index": (start + seg.secs) // STREAM_STEP,
        "start_time": start, "end_time": start + seg.secs, "moving_time": seg.secs,
        "elapsed_time": seg.secs, "type": seg.kind, "label": seg.label,
        "intensity": round(seg.pct * 100),
        "training_load": round(seg.secs / 3600 * seg.pct**2 * 100, 1),
        "average_heartrate": hr, "min_heartrate": hr - rng.randint(8, 20),
        "max_heartrate": hr + rng.randint(3, 12), "decoupling": round(rng.uniform(-2, 6), 3),
        "strain_score": round(seg.secs / 3600 * seg.pct * 60, 2),
    }
    if activity.get("distance"):
        values |= {"distance": round(speed * seg.secs, 1), "average_speed": round(speed, 3),
                   "min_speed": 0.0, "max_speed": round(speed * 1.4, 3)}
    if ftp and activity.get("type") in POWER_SPORTS:
        watts = round(ftp * seg.pct)
        zone = 1 + sum(1 for z in (55, 75, 90, 105, 120, 150) if seg.pct * 100 > z)
        joules = watts * seg.secs
        values |= {
            "average_watts": watts, "min_watts": round(watts * 0.5),
            "max_watts": round(watts * rng.uniform(1.2, 1.6)),
            "weighted_average_watts": round(watts * rng.uniform(1.0, 1.04)),
            "average_watts_kg": round(watts / weight, 2), "max_watts_kg": round(watts * 1.4 / weight, 2),
            "joules": joules, "joules_above_ftp": max(0, (watts - ftp) * seg.secs),
            "w5s_variability": round(rng.uniform(0.02, 0.15), 3), "zone": zone,
            "zone_min_watts": round(ftp * [0, 55, 75, 90, 105, 120, 150][zone - 1] / 100) + 1,
            "zone_max_watts": round(ftp * [55, 75, 90, 105, 120, 150, 999][zone - 1] / 100),
            "average_cadence": round(rng.uniform(82, 95), 1), "min_cadence": 0,
            "max_cadence": rng.randint(100, 120), "wbal_start": activity.get("icu_w_prime"),
            "wbal_end": activity.get("icu_w_prime"),
            "average_torque": round(watts / (2 * 3.14159 * 88 / 60), 1),
        }
    return values


def build_intervals(activity: dict[str, Any]) -> dict[str, Any]:
    """A full `IntervalsDTO` for a (non-Strava) activity."""
    rng = random.Random(f"intervals:{activity['id']}")
    segments = plan_segments(activity)
    intervals: list[dict[str, Any]] = []
    groups: dict[int, list[dict[str, Any]]] = {}
    start = 0
    for number, seg in enumerate(segments, start=1):
        values = _interval_values(activity, seg, start, rng)
        if seg.group is not None:
            target = values.get("average_watts") or values["intensity"]
            unit = "w" if "average_watts" in values else "%"
            values["group_id"] = f"{seg.secs}s@{target}{unit}"
            groups.setdefault(seg.group, []).append(values)
        intervals.append(dict.fromkeys(INTERVAL_KEYS) | values | {"id": number})
        start += seg.secs
    icu_groups = []
    for members in groups.values():
        first = members[0]
        avg = {k: first[k] for k in first if k in INTERVAL_GROUP_KEYS and k not in {
            "end_index", "start_time", "end_time", "type", "label"}}
        icu_groups.append(dict.fromkeys(INTERVAL_GROUP_KEYS) | avg | {
            "id": first["group_id"], "count": len(members)})
    return {"id": activity["id"], "analyzed": activity.get("analyzed"),
            "icu_intervals": intervals, "icu_groups": icu_groups}


_VALUE_TYPES = {"time": "java.lang.Integer", "watts": "java.lang.Integer",
                "heartrate": "java.lang.Integer", "cadence": "java.lang.Integer"}


def _stream(kind: str, data: list[Any], data2: list[Any] | None = None) -> dict[str, Any]:
    return dict.fromkeys(STREAM_KEYS) | {
        "type": kind, "data": data, "data2": data2,
        "valueType": _VALUE_TYPES.get(kind, "java.lang.Float"), "valueTypeIsArray": False,
        "custom": False, "allNull": False,
    }


def build_streams(activity: dict[str, Any], types: list[str] | None = None) -> list[dict[str, Any]]:
    """The activity's streams (those in `stream_types`), optionally only the requested `types`."""
    rng = random.Random(f"streams:{activity['id']}")
    available = list(activity.get("stream_types") or [])
    wanted = [t for t in available if types is None or t in types]
    ftp = activity.get("icu_ftp") or 0
    lthr = activity.get("lthr") or 165
    base_speed = activity.get("average_speed") or 0.0
    cols: dict[str, list[Any]] = {k: [] for k in (
        "time", "watts", "heartrate", "cadence", "distance", "altitude", "velocity_smooth",
        "lat", "lng", "temp")}
    t, dist, alt, hr = 0, 0.0, 60.0 + rng.uniform(0, 80), 90.0
    lat, lng = _BASE_LAT, _BASE_LNG
    for seg in plan_segments(activity):
        for _ in range(max(1, seg.secs // STREAM_STEP)):
            speed = max(0.0, base_speed * (0.8 + 0.3 * seg.pct) * rng.uniform(0.9, 1.1))
            hr += (lthr * (0.7 + 0.28 * seg.pct) - hr) * 0.3 + rng.uniform(-2, 2)
            dist += speed * STREAM_STEP
            alt = max(0.0, alt + rng.uniform(-3, 3))
            lat += speed * STREAM_STEP / 111_000 * 0.7
            lng += speed * STREAM_STEP / 66_000 * 0.7
            cols["time"].append(t)
            cols["watts"].append(round(ftp * seg.pct * rng.uniform(0.85, 1.15)))
            cols["heartrate"].append(round(hr))
            cols["cadence"].append(round(rng.uniform(80, 95)))
            cols["distance"].append(round(dist, 1))
            cols["altitude"].append(round(alt, 1))
            cols["velocity_smooth"].append(round(speed, 3))
            cols["lat"].append(round(lat, 5))
            cols["lng"].append(round(lng, 5))
            cols["temp"].append(round(14 + rng.uniform(-1, 1), 1))
            t += STREAM_STEP
    out = []
    for kind in wanted:
        if kind == "latlng":
            out.append(_stream(kind, cols["lat"], cols["lng"]))
        elif kind in cols:
            out.append(_stream(kind, cols[kind]))
    return out
