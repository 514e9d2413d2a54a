"""Totals and load estimates, expected figures worked out by hand from the formulas' definitions."""

from __future__ import annotations

import pytest

from intervals_mcp.workouts import Thresholds, parse_workout, summarize

RIDE = Thresholds(sport="Ride", ftp=250)
RUN = Thresholds(sport="Run", lthr=170, max_hr=190, threshold_pace_m_per_s=4.0)


def load(text: str, thresholds: Thresholds | None) -> float:
    value = summarize(parse_workout(text), thresholds).load
    assert value is not None
    return value


def test_steady_power_step() -> None:
    summary = summarize(parse_workout("- 60m 80%"), RIDE)
    assert (summary.duration_s, summary.step_count, summary.distance_m) == (3600, 1, 0)
    assert summary.load == pytest.approx(1 * 0.8**2 * 100)
    assert summary.intensity == pytest.approx(0.8)
    assert summary.basis == ("FTP",)


def test_watts_use_ftp() -> None:
    assert load("- 30m 200w", RIDE) == pytest.approx(0.5 * (200 / 250) ** 2 * 100)


def test_percent_targets_need_no_ftp_on_a_ride() -> None:
    assert load("- 60m 80%", Thresholds(sport="Ride")) == pytest.approx(64)
    assert summarize(parse_workout("- 30m 200w"), Thresholds(sport="Ride")).load is None


def test_repeats_expand_and_use_normalised_power() -> None:
    summary = summarize(parse_workout("3x\n- 10m 100%\n- 10m 50%\n"), RIDE)
    assert (summary.duration_s, summary.step_count) == (3600, 6)
    # NP without smoothing: 4th root of the time-weighted mean of IF^4; the 30 s smoothing only
    # softens the five transitions.
    np_if = ((1.0**4 + 0.5**4) / 2) ** 0.25
    assert summary.load == pytest.approx(1 * np_if**2 * 100, rel=0.02)
    assert summary.load > 1 * (1.0**2 + 0.5**2) / 2 * 100  # more than a per-step IF^2 sum


def test_ramp_is_integrated() -> None:
    # mean of IF^4 over a linear 50 % -> 100 % ramp = (1^5 - 0.5^5) / (5 x 0.5)
    np_if = ((1 - 0.5**5) / 2.5) ** 0.25
    assert load("- 10m ramp 50-100%", RIDE) == pytest.approx(600 / 3600 * np_if**2 * 100, rel=0.02)


def test_power_zone_is_the_zone_midpoint() -> None:
    # §2: `-Z2 2h` at FTP 281 carried load 85 on the platform; Z2 of [55, 75, ...] -> 65 %.
    zones = Thresholds(sport="Ride", ftp=281, power_zones=(55, 75, 90, 105, 120, 150, 999))
    assert load("-Z2 2h", zones) == pytest.approx(2 * 0.65**2 * 100)
    assert summarize(parse_workout("-Z2 2h"), RIDE).load is None  # no zones known


def test_heart_rate_targets() -> None:
    assert load("- 60m 90% LTHR", RUN) == pytest.approx(81)
    assert load("- 60m 80% HR", RUN) == pytest.approx((0.8 * 190 / 170) ** 2 * 100)
    zones = Thresholds(sport="Run", lthr=168, hr_zones=(137, 151, 158, 168, 173, 178, 188))
    assert load("- 60m Z2 HR", zones) == pytest.approx(((137 + 151) / 2 / 168) ** 2 * 100)


def test_distance_steps_are_timed_by_pace() -> None:
    summary = summarize(parse_workout("- 5km 100% Pace"), RUN)
    assert summary.duration_s == 1250 and summary.estimated_s == 1250  # 5000 m at 4.0 m/s
    assert summary.distance_m == 5000 and summary.has_distance_steps
    assert summary.load == pytest.approx(1250 / 3600 * 100)
    absolute = summarize(parse_workout("- 1km 5:00/km Pace"), RUN)
    assert absolute.duration_s == 300
    assert absolute.load == pytest.approx(300 / 3600 * (1000 / 300 / 4.0) ** 2 * 100)


def test_distance_steps_without_a_pace() -> None:
    bare = Thresholds(sport="Run")
    untimed = summarize(parse_workout("- 1km Z2 Pace\n- 10m 90% LTHR"), bare)
    assert untimed.untimed_distance_m == 1000 and untimed.duration_s == 600
    # An absolute pace times the step even with no threshold, but gives no load.
    timed = summarize(parse_workout("- 1km 5:00/km Pace"), bare)
    assert (timed.duration_s, timed.load) == (300, None)


def test_swim_pace_uses_css() -> None:
    swim = Thresholds(sport="Swim", threshold_pace_m_per_s=1.2)
    summary = summarize(parse_workout("8x\n- 100mtr 95% Pace\n- 20s 50% Pace\n"), swim)
    assert summary.distance_m == 800
    assert summary.duration_s == round(8 * (100 / (1.2 * 0.95) + 20))
    assert summary.step_count == 16


def test_untargeted_time_adds_no_load() -> None:
    summary = summarize(parse_workout("- 10m\n- 10m 50%"), RIDE)
    assert (summary.duration_s, summary.unloaded_s) == (1200, 600)
    assert summary.load == pytest.approx(600 / 3600 * 0.5**2 * 100)


def test_run_prefers_pace_over_power() -> None:
    both = Thresholds(sport="Run", ftp=300, threshold_pace_m_per_s=4.0)
    assert load("- 60m 90% Pace 300w", both) == pytest.approx(0.9**2 * 100)


def test_nothing_resolvable() -> None:
    summary = summarize(parse_workout("- 20m easy"), None)
    assert (summary.load, summary.intensity, summary.duration_s) == (None, None, 1200)
