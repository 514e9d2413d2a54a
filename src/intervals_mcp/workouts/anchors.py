"""The athlete's anchors for one sport, read from the athlete object Intervals.icu returns (pure).

`sportSettings` holds one entry per group of activity `types` (API_NOTES §3): `ftp` W (and
`indoor_ftp`), `lthr`/`max_hr` bpm, `threshold_pace` as a speed in m/s, and zone upper bounds
(`power_zones` % of FTP, `hr_zones` bpm, `pace_zones` % of threshold pace).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intervals_mcp.workouts.model import Thresholds


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value)


def _zones(value: Any) -> tuple[float, ...] | None:
    if not isinstance(value, list) or not value:
        return None
    numbers = [_number(v) for v in value]
    return None if any(n is None for n in numbers) else tuple(n for n in numbers if n is not None)


def sport_settings(profile: Mapping[str, Any], sport: str | None) -> Mapping[str, Any] | None:
    """The `sportSettings` entry whose `types` list `sport`, if any."""
    for entry in profile.get("sportSettings") or []:
        if isinstance(entry, Mapping) and sport and sport in (entry.get("types") or []):
            return entry
    return None


def thresholds_from_profile(
    profile: Mapping[str, Any] | None, sport: str | None, *, indoor: bool = False
) -> Thresholds | None:
    """The anchors for `sport` from an athlete object; None when the profile is unknown (so the
    rules that need anchors do not run), empty anchors when the sport has no settings.

    Indoors, `indoor_ftp` stands in for `ftp` when the athlete set one (our choice: it is the FTP
    Intervals.icu shows for trainer rides).
    """
    if profile is None:
        return None
    entry = sport_settings(profile, sport)
    if entry is None:
        return Thresholds(sport=sport)
    ftp = _number(entry.get("indoor_ftp")) if indoor else None
    return Thresholds(
        sport=sport,
        ftp=ftp or _number(entry.get("ftp")),
        lthr=_number(entry.get("lthr")),
        max_hr=_number(entry.get("max_hr")),
        threshold_pace_m_per_s=_number(entry.get("threshold_pace")),
        power_zones=_zones(entry.get("power_zones")),
        hr_zones=_zones(entry.get("hr_zones")),
        pace_zones=_zones(entry.get("pace_zones")),
    )
