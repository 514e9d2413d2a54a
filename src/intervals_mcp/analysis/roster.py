"""A coach's roster: how each athlete stands, and who needs attention first.

The state of one athlete, as of their own local today:
- form: CTL - ATL of the latest wellness day (within the last FORM_DAYS) that has both, with
  Intervals.icu's ramp rate of that day (CTL gained over 7 days);
- HRV against baseline: `wellness.baseline` (7 recent days against 60), low when the recent
  mean is under baseline mean - 1 sd (`wellness.below_band`);
- the last activity (Strava-hidden ones count: they happened);
- this week's missed planned sessions: `adherence.plan_adherence` over Monday..today.

Flags (ours), worst first: form under FORM_HIGH_RISK (Intervals.icu's "high risk" zone),
HRV low, missed sessions this week, no activity for IDLE_DAYS or more, ramp over RAMP_HIGH
CTL per week. Order: more flags first; then lower form (unknown form after known); then
athlete id. An athlete who could not be read comes last, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from intervals_mcp.analysis.adherence import Missed
from intervals_mcp.analysis.periods import week_start
from intervals_mcp.analysis.wellness import BASELINE_DAYS, Baseline, below_band

FORM_HIGH_RISK = -30.0
RAMP_HIGH = 8.0
IDLE_DAYS = 7
FORM_DAYS = 7
ACTIVITY_DAYS = 28  # how far back the last activity is looked for
RULE = (
    "more flags first (form below -30, HRV below baseline, missed sessions this week, no activity "
    "for 7+ days, ramp above 8/week), then lower form, then id; unreadable athletes last"
)


@dataclass(frozen=True, slots=True)
class AthleteState:
    athlete_id: str
    name: str | None
    today: date
    form: float | None = None
    ctl: float | None = None
    atl: float | None = None
    ramp: float | None = None
    fitness_date: date | None = None
    hrv: Baseline | None = None
    last_activity: date | None = None
    last_activity_about: str | None = None  # "Ride: Morning Spin"
    planned: int = 0
    missed: tuple[Missed, ...] = ()
    error: str | None = None

    @property
    def idle_days(self) -> int | None:
        return None if self.last_activity is None else (self.today - self.last_activity).days


def flags(state: AthleteState) -> list[str]:
    """Why this athlete needs attention, worst first (empty: nothing stands out)."""
    if state.error is not None:
        return []
    found = []
    if state.form is not None and state.form < FORM_HIGH_RISK:
        found.append(f"form {state.form:.0f} (high-risk zone, below {FORM_HIGH_RISK:.0f})")
    if state.hrv is not None and below_band(state.hrv):
        pct = state.hrv.recent_vs_baseline_pct
        found.append("HRV below baseline" + (f" ({pct:+.0f}%)" if pct is not None else ""))
    if state.missed:
        found.append(
            f"missed {len(state.missed)} planned session{'s' if len(state.missed) > 1 else ''} this week"
        )
    idle = state.idle_days
    if idle is None or idle >= IDLE_DAYS:
        found.append("no activity recorded recently" if idle is None else f"no activity for {idle} days")
    if state.ramp is not None and state.ramp > RAMP_HIGH:
        found.append(f"ramp {state.ramp:.1f}/week (above {RAMP_HIGH:.0f})")
    return found


def attention_order(states: Sequence[AthleteState]) -> list[AthleteState]:
    """The roster, who needs attention first (see the module rule)."""

    def key(s: AthleteState) -> tuple[int, int, int, float, str]:
        return (
            s.error is not None,
            -len(flags(s)),
            s.form is None,
            s.form if s.form is not None else 0.0,
            s.athlete_id,
        )

    return sorted(states, key=key)


def latest_fitness(
    days: Sequence[tuple[date, float | None, float | None, float | None]], today: date
) -> tuple[date, float, float, float | None] | None:
    """(date, ctl, atl, ramp) of the latest day up to today, within FORM_DAYS, with both
    CTL and ATL; `days` are (date, ctl, atl, ramp)."""
    known = [
        (d, ctl, atl, ramp)
        for d, ctl, atl, ramp in days
        if ctl is not None and atl is not None and d <= today and (today - d).days < FORM_DAYS
    ]
    if not known:
        return None
    d, ctl, atl, ramp = max(known, key=lambda row: row[0])
    assert ctl is not None and atl is not None
    return d, ctl, atl, ramp


def spans(today: date) -> dict[Literal["wellness", "activities", "events"], tuple[date, date]]:
    """The cached ranges one athlete's state is read from, per resource: wellness over the HRV
    baseline's 60 days, activities over ACTIVITY_DAYS, events from this week's Monday."""
    return {
        "wellness": (today - timedelta(days=BASELINE_DAYS - 1), today),
        "activities": (today - timedelta(days=ACTIVITY_DAYS - 1), today),
        "events": (week_start(today), today),
    }
