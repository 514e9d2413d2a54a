"""The athlete's context as compact text: the profile (thresholds and zones per sport), gear and
custom items; and the profile lookups other formatters use (% FTP, zone names)."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from intervals_mcp.analysis.streams import numbers, zone_bounds
from intervals_mcp.server.formatting.core import MAX_CHARS, Framed, hmm, mss, num, one, whole
from intervals_mcp.server.formatting.tables import fit_table, table
from intervals_mcp.server.schemas_athlete import (
    CustomItemRow,
    GearRow,
    SportProfile,
    ZoneRow,
    custom_item_row,
    gear_row,
)

# pace_units -> (metres one pace is given per, how it is written)
PACE_UNITS: dict[str, tuple[float, str]] = {
    "MINS_KM": (1000.0, "/km"),
    "MINS_MILE": (1609.344, "/mi"),
    "SECS_100M": (100.0, "/100m"),
    "SECS_100Y": (91.44, "/100y"),
    "SECS_500M": (500.0, "/500m"),
}
CONTENT_CHARS = 1500  # of a custom item's content shown in text


def sport_settings_for(profile: dict[str, Any] | None, activity_type: str | None) -> dict[str, Any] | None:
    """The athlete's sport settings covering `activity_type` (Ride covers VirtualRide, ...)."""
    if not profile or not activity_type:
        return None
    for settings in profile.get("sportSettings") or []:
        if isinstance(settings, dict) and activity_type in (settings.get("types") or []):
            return settings
    return None


def pace_text(speed_ms: Any, units: str | None) -> str:
    """A speed in m/s as the athlete's pace, like 4:05/km ('' when unknown)."""
    speed = num(speed_ms)
    if speed is None or speed <= 0:
        return ""
    metres, suffix = PACE_UNITS.get(units or "", PACE_UNITS["MINS_KM"])
    return f"{mss(metres / speed)}{suffix}"


def _zones(bounds: Sequence[float], names: Sequence[Any], *, pct: Sequence[float] = ()) -> list[ZoneRow]:
    rows = []
    for i, bound in enumerate(bounds):
        top = i == len(bounds) - 1
        rows.append(
            ZoneRow(
                name=str(names[i]) if i < len(names) and names[i] else f"Z{i + 1}",
                low=bounds[i - 1] if i else None,
                high=None if top else bound,
                high_pct=None if top or i >= len(pct) else pct[i],
            )
        )
    return rows


def sport_profile(settings: dict[str, Any]) -> SportProfile:
    """One sport's thresholds and zone boundaries, from its sport settings."""
    ftp = num(settings.get("ftp"))
    speed = num(settings.get("threshold_pace"))
    units = settings.get("pace_units") if isinstance(settings.get("pace_units"), str) else None
    power_pct = numbers(settings.get("power_zones"))
    pace_pct = numbers(settings.get("pace_zones"))
    pace_bounds = [round(speed * p / 100.0, 3) for p in pace_pct] if speed else []
    return SportProfile(
        types=[t for t in settings.get("types") or [] if isinstance(t, str)],
        ftp_w=ftp,
        lthr_bpm=num(settings.get("lthr")),
        max_hr_bpm=num(settings.get("max_hr")),
        threshold_speed_ms=speed,
        threshold_pace=pace_text(speed, units) or None,
        pace_units=units,
        power_zones_w=_zones(
            zone_bounds(ftp, power_pct), settings.get("power_zone_names") or [], pct=power_pct
        )
        if ftp
        else [],
        hr_zones_bpm=_zones(numbers(settings.get("hr_zones")), settings.get("hr_zone_names") or []),
        pace_zones_ms=_zones(pace_bounds, settings.get("pace_zone_names") or [], pct=pace_pct),
    )


def _pace_of(speed: float, units: str | None) -> str:
    return pace_text(speed, units)


def _zone_line(label: str, zones: Sequence[ZoneRow], show: Any, below: str = "≤", above: str = ">") -> str:
    """'Z1 Recovery ≤134, Z2 Aerobic 134-147, ..., Z7 >181': bounds as the zones give them."""
    parts = []
    for z in zones:
        if z.low is None:
            span = f"{below}{show(z.high)}" if z.high is not None else "all"
        elif z.high is None:
            span = f"{above}{show(z.low)}"
        else:
            span = f"{show(z.low)}-{show(z.high)}"
        parts.append(f"{z.name} {span}")
    return f"  {label}: " + ", ".join(parts)


def format_profile(athlete_id: str, profile: dict[str, Any]) -> tuple[Framed, list[SportProfile]]:
    """Name, time zone, weight; per sport FTP, LTHR, max HR, threshold pace and zones."""
    weight = num(profile.get("icu_weight")) or num(profile.get("weight"))
    facts = [
        profile.get("name") or "(no name)",
        f"time zone {profile.get('timezone') or 'unknown'}",
        *([f"weight {one(weight)} kg"] if weight else []),
        *(
            [f"resting HR {whole(profile.get('icu_resting_hr'))} bpm"]
            if num(profile.get("icu_resting_hr"))
            else []
        ),
    ]
    head = f"Athlete {athlete_id}: " + ", ".join(str(f) for f in facts)
    sports = [sport_profile(s) for s in profile.get("sportSettings") or [] if isinstance(s, dict)]
    lines = []
    for sp in sports:
        figures = [
            *(
                [
                    f"FTP {whole(sp.ftp_w)} W"
                    + (f" ({sp.ftp_w / weight:.2f} W/kg)" if weight and sp.ftp_w else "")
                ]
                if sp.ftp_w
                else []
            ),
            *([f"threshold pace {sp.threshold_pace}"] if sp.threshold_pace else []),
            *([f"LTHR {whole(sp.lthr_bpm)} bpm"] if sp.lthr_bpm else []),
            *([f"max HR {whole(sp.max_hr_bpm)} bpm"] if sp.max_hr_bpm else []),
        ]
        lines.append(f"{', '.join(sp.types) or 'Other'}: {', '.join(figures) or 'no thresholds set'}")
        if sp.power_zones_w:
            lines.append(_zone_line("power zones W", sp.power_zones_w, whole))
        if sp.hr_zones_bpm:
            lines.append(_zone_line("HR zones bpm", sp.hr_zones_bpm, whole))
        if sp.pace_zones_ms:
            show = functools.partial(_pace_of, units=sp.pace_units)
            lines.append(_zone_line("pace zones", sp.pace_zones_ms, show, "slower than ", "faster than "))
    return Framed(head, "\n".join(lines)), sports


# --- gear -------------------------------------------------------------------------------------


GEAR_COLUMNS = [
    ("id", lambda g: g.id or ""),
    ("type", lambda g: g.type or ""),
    ("name", lambda g: (g.name or "")[:40]),
    ("km", lambda g: one(g.distance_m / 1000) if g.distance_m is not None else ""),
    ("time h:mm", lambda g: hmm(g.time_s)),
    ("activities", lambda g: whole(g.activities)),
    ("retired", lambda g: g.retired or ""),
]


def format_gear(athlete_id: str, items: Sequence[dict[str, Any]]) -> tuple[Framed, list[GearRow]]:
    rows = [gear_row(g) for g in items if isinstance(g, dict)]
    rows.sort(key=lambda g: (g.retired is not None, g.type or "", -(g.distance_m or 0.0)))
    head = f"Gear of athlete {athlete_id}: {len(rows)} item{'' if len(rows) == 1 else 's'}"
    if not rows:
        return Framed(head, "No gear is recorded on Intervals.icu."), rows
    return Framed(head, "\n".join(table(rows, GEAR_COLUMNS))), rows


# --- custom items -----------------------------------------------------------------------------


ITEM_COLUMNS = [
    ("id", lambda i: whole(i.id)),
    ("type", lambda i: i.type or ""),
    ("name", lambda i: (i.name or "")[:40]),
    ("visibility", lambda i: i.visibility or ""),
    ("description", lambda i: (i.description or "")[:60]),
]


def format_custom_items(
    athlete_id: str, items: Sequence[dict[str, Any]], budget: int = MAX_CHARS
) -> tuple[Framed, list[CustomItemRow]]:
    rows = [custom_item_row(i) for i in items if isinstance(i, dict)]
    head = f"Custom items of athlete {athlete_id}: {len(rows)}"
    if not rows:
        return Framed(head, "No custom items (charts, fields, zones) are set up."), rows
    cut = f"(cut after {{}} of {len(rows)} items; use get_custom_item_by_id)"
    body, shown = fit_table(rows, ITEM_COLUMNS, cut.format, budget=budget, before=[head])
    return Framed(
        head, "\n".join(body) + "\nUse an id with get_custom_item_by_id for its content.", shown=shown
    ), rows


def format_custom_item(item: dict[str, Any]) -> tuple[Framed, CustomItemRow]:
    row = custom_item_row(item)
    head = f"Custom item {whole(row.id)}: {row.type or '?'} {row.name or '(no name)'!r}"
    lines = [f"visibility: {row.visibility}"] if row.visibility else []
    if row.description:
        lines.append(f"description: {row.description}")
    if row.updated:
        lines.append(f"updated: {row.updated}")
    content = item.get("content")
    if content:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        cut = len(text) > CONTENT_CHARS
        lines.append(f"content{' (cut)' if cut else ''}: {text[:CONTENT_CHARS]}")
    return Framed(head, "\n".join(lines)), row
