"""Time in zones over many activities, a three-zone model and the polarization index.

Zone labels are Intervals.icu's: power from `icu_zone_times` ids (`Z1`…`Z7`); heart rate and
pace by position in `icu_hr_zone_times` / `pace_zone_times` (`Z1` for the first entry).

Decisions:
- Sweet spot (`SS` in `icu_zone_times`) overlaps Z3 and Z4 (it is a band of 84-97% FTP that
  cuts across them), so adding it would count those seconds twice. It is left out of the zones
  and the shares and reported apart as `sweet_spot_seconds`. Any other id that is not `Z<n>`
  is ignored the same way.
- Three-zone model, one rule for every setup with four or more zones (Intervals.icu's 7-zone
  power and HR defaults, 6- and 5-zone custom setups alike): low = Z1-Z2, moderate = Z3,
  high = Z4 and above. With exactly three zones they map one to one; with fewer there is no
  three-zone model (None).
- Polarization index (Treff et al. 2019, Front. Physiol. 10:707):
  PI = log10((low / moderate) * high * 100), with the three shares as fractions of 1.
  moderate = 0 would divide by zero: it is taken as 0.01 (1%), the substitute we recall the
  paper giving for that case (the paper could not be re-read here: treat this as our choice);
  high = 0 or low = 0 make the logarithm undefined: PI is None. `polarized` is PI > 2.00 (the
  paper's threshold) with low > high > moderate.
- An activity counts as "without zone times" when the metric's array is missing, empty or all
  zeros (Strava stubs, strength sessions, rides without a power meter).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

from intervals_mcp.analysis.periods import bucket, check_span, split_periods
from intervals_mcp.errors import InputError
from intervals_mcp.words import shown

Metric = Literal["power", "hr", "pace"]
METRICS: tuple[str, ...] = get_args(Metric)
# The payload field each metric's zone times come from.
ZONE_FIELDS: dict[str, str] = {"power": "icu_zone_times", "hr": "icu_hr_zone_times",
                               "pace": "pace_zone_times"}
SWEET_SPOT = "SS"
MODERATE_FLOOR = 0.01
_ZONE_ID = re.compile(r"^Z(\d+)$")


@dataclass(frozen=True, slots=True)
class ActivityZones:
    """One activity's seconds per zone label (empty: no zone times), plus sweet spot seconds.

    It may stand for several activities of one day already summed (the database sums them in
    SQL): `activities` says how many, all with zone times or all without.
    """

    date: date
    zones: tuple[tuple[str, float], ...]
    sweet_spot_seconds: float = 0.0
    activities: int = 1

    @property
    def total(self) -> float:
        return sum(seconds for _, seconds in self.zones)


@dataclass(frozen=True, slots=True)
class ZoneShare:
    zone: str
    seconds: float
    share: float


@dataclass(frozen=True, slots=True)
class Polarization:
    low: float  # shares, fractions of 1
    moderate: float
    high: float
    index: float | None
    polarized: bool


@dataclass(frozen=True, slots=True)
class WeekShares:
    start: date
    end: date
    seconds: float
    polarization: Polarization | None  # None: no zone time that week or fewer than 3 zones


@dataclass(frozen=True, slots=True)
class IntensityDistribution:
    metric: Metric
    zones: tuple[ZoneShare, ...]
    total_seconds: float
    sweet_spot_seconds: float
    polarization: Polarization | None
    weeks: tuple[WeekShares, ...]
    with_zones: int  # activities that had zone times
    without_zones: int  # activities counted but without zone times


def check_metric(metric: str | None) -> Metric:
    """`metric` checked (case-insensitive); power when None."""
    value = (metric or "power").strip().lower()
    names: dict[str, Metric] = {"power": "power", "hr": "hr", "pace": "pace"}
    if value not in names:
        raise InputError(f"metric {shown(metric)} is unknown: use power, hr or pace.")
    return names[value]


def _seconds(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def parse_zone_times(metric: Metric, raw: Any, day: date) -> ActivityZones:
    """An activity's zone times from the payload value of ZONE_FIELDS[metric].

    Power: a list of `{"id": "Z1", "secs": 1320}`; heart rate and pace: a list of seconds by
    position. Anything else (None, a stub, malformed entries) gives no zones.
    """
    zones: list[tuple[str, float]] = []
    sweet_spot = 0.0
    if isinstance(raw, list):
        for position, entry in enumerate(raw, start=1):
            if metric != "power":
                zones.append((f"Z{position}", _seconds(entry)))
            elif isinstance(entry, dict):
                label = str(entry.get("id", ""))
                if label == SWEET_SPOT:
                    sweet_spot += _seconds(entry.get("secs"))
                elif _ZONE_ID.match(label):
                    zones.append((label, _seconds(entry.get("secs"))))
    return ActivityZones(day, tuple(zones), sweet_spot)


def zone_number(label: str) -> int:
    match = _ZONE_ID.match(label)
    if match is None:
        raise ValueError(f"not a zone label: {label!r}")
    return int(match.group(1))


def sum_zones(activities: Sequence[ActivityZones]) -> dict[str, float]:
    """Seconds per zone label over the activities, in zone order."""
    totals: dict[str, float] = {}
    for activity in activities:
        for label, seconds in activity.zones:
            totals[label] = totals.get(label, 0.0) + seconds
    return dict(sorted(totals.items(), key=lambda item: zone_number(item[0])))


def shares(totals: dict[str, float]) -> list[ZoneShare]:
    """Each zone's seconds and share of the total (shares are 0 when the total is 0)."""
    whole = sum(totals.values())
    return [ZoneShare(z, s, s / whole if whole > 0 else 0.0) for z, s in totals.items()]


def polarization_index(low: float, moderate: float, high: float) -> float | None:
    """Treff et al.'s PI from three-zone shares (fractions); see the module note on zeros."""
    if low <= 0 or high <= 0:
        return None
    return math.log10(low / max(moderate, MODERATE_FLOOR) * high * 100.0)


def three_zone(totals: dict[str, float]) -> Polarization | None:
    """Low / moderate / high shares and the PI, or None (no time, or fewer than 3 zones)."""
    whole = sum(totals.values())
    count = max((zone_number(z) for z in totals), default=0)
    if whole <= 0 or count < 3:
        return None
    low_top = 1 if count == 3 else 2
    low = sum(s for z, s in totals.items() if zone_number(z) <= low_top) / whole
    moderate = sum(s for z, s in totals.items() if zone_number(z) == low_top + 1) / whole
    high = sum(s for z, s in totals.items() if zone_number(z) > low_top + 1) / whole
    index = polarization_index(low, moderate, high)
    polarized = index is not None and index > 2.0 and low > high > moderate
    return Polarization(low, moderate, high, index, polarized)


def intensity_distribution(
    metric: Metric, activities: Sequence[ActivityZones], start: date, end: date
) -> IntensityDistribution:
    """Everything get_intensity_distribution answers, for activities already sport-filtered.

    Activities outside [start, end] are ignored; weeks are ISO weeks clipped to the span.
    """
    span = check_span(start, end)
    counted = [a for a in activities if a.date in span]
    with_zones = [a for a in counted if a.total > 0]
    totals = sum_zones(with_zones)
    week_spans = split_periods(start, end, "week")
    weeks = []
    for week, members in zip(week_spans, bucket(with_zones, week_spans, lambda a: a.date), strict=True):
        week_totals = sum_zones(members)
        weeks.append(WeekShares(week.start, week.end, sum(week_totals.values()),
                                three_zone(week_totals)))
    return IntensityDistribution(
        metric=metric,
        zones=tuple(shares(totals)),
        total_seconds=sum(totals.values()),
        sweet_spot_seconds=sum(a.sweet_spot_seconds for a in with_zones),
        polarization=three_zone(totals),
        weeks=tuple(weeks),
        with_zones=sum(a.activities for a in with_zones),
        without_zones=sum(a.activities for a in counted if a.total <= 0),
    )

