"""Each lint rule fires on text with its trap and stays quiet on the text written as it advises."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from intervals_mcp.workouts import Finding, Thresholds, lint_workout

RUN = Thresholds(sport="Run", lthr=170, max_hr=190, threshold_pace_m_per_s=4.0)
SWIM_WITH_CSS = Thresholds(sport="Swim", lthr=160, threshold_pace_m_per_s=1.2)
SWIM_NO_CSS = Thresholds(sport="Swim", lthr=160)
RIDE = Thresholds(sport="Ride", ftp=250, lthr=165, max_hr=185,
                  power_zones=(55, 75, 90, 105, 120, 150, 999))


class Case(NamedTuple):
    rule: str
    line: int
    severity: str
    sport: str
    thresholds: Thresholds | None
    bad: str
    good: str


CASES = [
    Case("metres_as_minutes", 1, "error", "Swim", SWIM_WITH_CSS, "- 2500m 90% Pace", "- 2500mtr 90% Pace"),
    Case("metres_as_minutes", 1, "error", "Run", RUN, "- 800m 5:00/km Pace", "- 0.8km 5:00/km Pace"),
    Case("metres_as_minutes", 1, "warning", "Ride", RIDE, "- 100m 60%", "- 1h40m 60%"),
    Case("duration_format", 1, "error", "Ride", RIDE, "- 10min 55%", "- 10m 55%"),
    Case("duration_format", 1, "error", "Ride", RIDE, "- 30 sec 120%", "- 30s 120%"),
    Case("duration_format", 1, "warning", "Ride", RIDE, "- 20min effort 20m 290w", "- Effort 20m 290w"),
    Case("unverified_form", 1, "warning", "Ride", RIDE, "- 5' 55%", "- 5m 55%"),
    Case("unverified_form", 1, "warning", "Run", RUN, "- 10m 145bpm", "- 10m Z2 HR"),
    Case("multiple_durations", 1, "warning", "Ride", RIDE, "- best 60s 1m 300w", "- best effort 1m 300w"),
    Case("dropped_step", 2, "error", "Ride", RIDE, "- 5m 50%\n- Cool Down 0s",
         "- 5m 50%\n- Cool Down 5m 40%"),
    Case("dropped_step", 1, "error", "Ride", RIDE, "- Sprint 150%", "- Sprint 10s 150%"),
    Case("dropped_step", 2, "warning", "Ride", RIDE, "- 5m 50%\n--- notes ---", "- 5m 50%\n\nnotes"),
    Case("missing_unit", 1, "error", "Ride", RIDE, "- 10m 75", "- 10m 75%"),
    Case("missing_unit", 1, "error", "Ride", RIDE, "- 10m 95-105", "- 10m 95-105%"),
    Case("missing_unit", 1, "error", "Ride", RIDE, "- 10m ramp 50-75", "- 10m ramp 50-75%"),
    Case("prose_target", 1, "error", "Run", RUN, "- 25m Threshold Pace", "- 25m 100% Pace"),
    Case("prose_target", 1, "error", "Swim", SWIM_WITH_CSS, "- 200mtr CSS", "- 200mtr 100% Pace"),
    Case("prose_target", 1, "error", "Run", RUN, "- 3km marathon pace", "- 3km Z3 Pace"),
    Case("prose_target", 1, "error", "Run", RUN, "- 20m easy", "- 20m Z2 Pace"),
    Case("prose_target", 1, "warning", "Ride", RIDE, "- 3m 90% MAP", "- 3m 110%"),
    Case("pace_form", 1, "error", "Run", RUN, "- 10m 5:00/km", "- 10m 5:00/km Pace"),
    Case("pace_form", 1, "error", "Swim", SWIM_WITH_CSS, "- 400mtr 1:45/100mtr Pace",
         "- 400mtr 1:45/100m Pace"),
    Case("target_order", 1, "warning", "Ride", RIDE, "- Z5 3m", "- 3m Z5"),
    Case("target_order", 1, "warning", "Ride", RIDE, "- Z6 1m 315w-385w", "- VO2 1m 315w-385w"),
    Case("inline_repeat", 1, "warning", "Ride", RIDE, "- 3x 1m 80%", "3x\n- 1m 80%"),
    Case("repeat_blank_lines", 2, "error", "Ride", RIDE, "- 10m 50%\n3x\n- 1m 120%\n- 1m 50%\n\n- 10m 50%",
         "- 10m 50%\n\n3x\n- 1m 120%\n- 1m 50%\n\n- 10m 50%"),
    Case("repeat_blank_lines", 5, "error", "Ride", RIDE, "- 10m 50%\n\n3x\n- 1m 120%\nCooldown\n- 10m 50%",
         "- 10m 50%\n\n3x\n- 1m 120%\n\nCooldown\n- 10m 50%"),
    Case("nested_repeat", 2, "error", "Ride", RIDE, "2x\n3x\n- 1m 120%\n- 1m 50%",
         "3x\n- 1m 120%\n- 1m 50%\n\n3x\n- 1m 120%\n- 1m 50%"),
    Case("prose_repeat_header", 1, "warning", "Ride", RIDE, "Hold the power, 3x\n\n- 10m 50%",
         "Hold the power three times\n\n- 10m 50%"),
    Case("header_spelling", 1, "warning", "Ride", RIDE, "Warm up\n- 10m 50%", "Warmup\n- 10m 50%"),
    Case("section_gap", 1, "warning", "Ride", RIDE, "Cooldown\n\n- 10m 50%", "Cooldown\n- 10m 50%"),
    Case("no_load_target", 1, "warning", "Run", RUN, "- 10m Z2", "- 10m Z2 Pace"),
    Case("no_load_target", 1, "warning", "Swim", SWIM_WITH_CSS, "- 400mtr", "- 400mtr Z2 HR"),
    Case("no_load_target", 1, "warning", "Run", RUN, "- 5m 80rpm", "- 5m 75% LTHR"),
    Case("missing_target", 1, "warning", "Ride", RIDE, "- 20s", "- 20s 40% intensity=rest"),
    Case("missing_target", 1, "warning", "VirtualRide", RIDE, "- 20s", "- 20s freeride"),
    Case("swim_pace_without_threshold", 1, "error", "Swim", SWIM_NO_CSS, "- 400mtr 95% Pace",
         "- 400mtr Z2 HR"),
    Case("missing_threshold", 1, "warning", "Run", Thresholds(sport="Run"), "- 10m 90% LTHR",
         "- 10m 5:00/km Pace"),
    Case("missing_threshold", 1, "warning", "Ride", Thresholds(sport="Ride"), "- 10m 200w", "- 10m freeride"),
    Case("top_zone", 1, "warning", "Ride", RIDE, "- 1m Z7", "- 1m 160%"),
]


def at(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}:{c.bad.splitlines()[0]}")
def test_rule_fires_on_the_trap(case: Case) -> None:
    found = at(lint_workout(case.bad, case.sport, case.thresholds), case.rule)
    assert [(f.line, f.severity) for f in found] == [(case.line, case.severity)]
    message = found[0].message
    assert message.endswith(".") and message.count(". ") == 0, "one sentence"
    assert "`" in message, "says what to write"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}:{c.good.splitlines()[0]}")
def test_rule_is_quiet_on_the_advised_text(case: Case) -> None:
    assert at(lint_workout(case.good, case.sport, case.thresholds), case.rule) == []


def test_every_documented_rule_has_a_case() -> None:
    import intervals_mcp.workouts.lint as lint

    documented = {line.split(":")[0].strip("- ").strip() for line in (lint.__doc__ or "").splitlines()
                  if line.startswith("- ")}
    rules = {rule.strip() for entry in documented for rule in entry.split(",")}
    assert rules == {c.rule for c in CASES}


def test_messages_follow_what_the_platform_keeps() -> None:
    # §2: `- Under — 82% MAP 2m 324w` keeps 324 W, so the MAP percentage misleads nobody (RGW-FX);
    # `- Z6 1m 315w-385w` keeps the watts, so moving Z6 after the duration is not the advice.
    assert at(lint_workout("- Under — 82% MAP 2m 324w", "Ride", RIDE), "prose_target") == []
    (order,) = at(lint_workout("- Z6 1m 315w-385w", "Ride", RIDE), "target_order")
    assert "is ignored" in order.message
    # Strength sessions have no targets and need none.
    assert lint_workout("- Squats 20m\n- Mobility 10m", "WeightTraining") == []


def test_canonical_workouts_are_clean() -> None:
    ride = "Threshold session\n\nWarmup\n- 10m ramp 50-70%\n\nMain Set 4x\n- 4m 105%\n- 3m 55%\n\n" \
           "- 20m 65% 90rpm\n\nCooldown\n- 8m 50%\n"
    run = "Warmup\n- 2km Z2 Pace\n\n5x\n- 400mtr 5:00/km Pace\n- 90s 60% Pace\n\nCooldown\n- 10m Z1 HR\n"
    swim = "- 400mtr Z2 Pace\n\n8x\n- 100mtr 100% Pace\n- 20s 50% Pace\n\n- 200mtr Z1 HR\n"
    assert lint_workout(ride, "Ride", RIDE) == []
    assert lint_workout(run, "Run", RUN) == []
    assert lint_workout(swim, "Swim", SWIM_WITH_CSS) == []


def test_threshold_rules_need_thresholds_and_fire_once() -> None:
    text = "- 400mtr 95% Pace\n- 400mtr 90% Pace\n"
    assert at(lint_workout(text, "Swim", None), "swim_pace_without_threshold") == []
    assert len(at(lint_workout(text, "Swim", SWIM_NO_CSS), "swim_pace_without_threshold")) == 1


def test_findings_are_in_line_order_errors_first() -> None:
    findings = lint_workout("- Z5 3m\n- 10min easy\n- 2500m\n", "Run", RUN)
    assert [f.line for f in findings] == sorted(f.line for f in findings)
    line2 = [f.severity for f in findings if f.line == 2]
    assert line2 == sorted(line2, key=lambda s: s != "error")
    assert findings[0].to_dict().keys() == {"rule", "line", "severity", "message"}
