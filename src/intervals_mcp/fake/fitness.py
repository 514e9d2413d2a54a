"""Fitness (CTL), fatigue (ATL) and ramp rate from daily training loads.

Intervals.icu's model: exponentially weighted averages of daily load with 42- and 7-day time
constants; ramp rate is the change in CTL over the last 7 days. Pure functions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

CTL_DAYS = 42
ATL_DAYS = 7
_CTL_K = 1.0 - math.exp(-1.0 / CTL_DAYS)
_ATL_K = 1.0 - math.exp(-1.0 / ATL_DAYS)


@dataclass(frozen=True, slots=True)
class DayFitness:
    load: float
    ctl: float
    atl: float
    ramp_rate: float


def fitness_series(
    loads: Mapping[date, float],
    first: date,
    last: date,
    start: tuple[float, float] = (0.0, 0.0),
) -> dict[date, DayFitness]:
    """CTL/ATL after each day from `first` to `last` inclusive, starting from `start` = (ctl, atl)."""
    ctl, atl = start
    history: list[float] = []
    out: dict[date, DayFitness] = {}
    day = first
    while day <= last:
        load = loads.get(day, 0.0)
        ctl += (load - ctl) * _CTL_K
        atl += (load - atl) * _ATL_K
        week_ago = history[-7] if len(history) >= 7 else start[0]
        out[day] = DayFitness(
            load=load,
            ctl=round(ctl, 5),
            atl=round(atl, 5),
            ramp_rate=round(ctl - week_ago, 5),
        )
        history.append(ctl)
        day += timedelta(days=1)
    return out
