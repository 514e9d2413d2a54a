"""Lint Intervals.icu workout text before it is written: each finding says what is wrong and what to write.

Rules (id: source in WORKOUT_TEXT.md), severities as given below:
- metres_as_minutes: §1, §7 — `NNNm` with N >= 100 is minutes (error on runs and swims).
- duration_format: §1, §8 lint 1 — `10min`, `30sec`, `10 min` are not durations.
- unverified_form: §1, §2 — `5'`/`30"` durations and `145bpm` targets are not confirmed to work.
- multiple_durations: §1, §8 lint 4 — two time/distance tokens on one step.
- dropped_step: §1 — a `-` line with no or a zero duration is dropped (lint_blocks).
- missing_unit: §7, §8 lints 5-6 — `- 10m 75`, `95-105`, `ramp 50-75` lack `%`.
- prose_target: §2, §7, §8 lint 9 — `Threshold`, `CSS`, `5K`, `easy`, `MAP`… are dropped as targets.
- pace_form: §2, §8 lint 10 — an absolute pace needs `Pace` after it; `/100mtr`, `/100yrd` are dropped.
- target_order: §7, §8 lint 13 — a target before the duration (and it erases the label, §4).
- inline_repeat: §3 — `- 3x 1m 80%` is not a documented repeat form.
- repeat_blank_lines, nested_repeat, prose_repeat_header: §3 (lint_blocks).
- header_spelling, section_gap: §4, §8 (lint_blocks).
- no_load_target: §5, §8 lint 8 — a run or swim step without a pace or HR target gets no load.
- missing_target: §7 `bare_rest`, §8 lint 7 — a ride step with no intensity target.
- swim_pace_without_threshold: §5, §8 lint 17 — swim pace targets need the athlete's CSS.
- missing_threshold: §8 lint 17 — %FTP/W, %LTHR/HR zones, %HR, run %Pace without the anchor.
- top_zone: §2, §8 lint 18 — the top zone resolves to a midpoint with its open 999 % bound.
"""

from __future__ import annotations

import re

from intervals_mcp.workouts.lint_blocks import dropped_rule, repeat_rules, section_rules
from intervals_mcp.workouts.model import (
    Finding,
    Line,
    SportFamily,
    Step,
    Thresholds,
    Token,
    sport_family,
)
from intervals_mcp.workouts.parser import parse_workout
from intervals_mcp.workouts.render import format_duration
from intervals_mcp.workouts.thresholds_lint import threshold_rules

# §2/§7/§8 lint 9: words authors use as targets that the platform drops.
_PROSE_TARGETS = frozenset({"threshold", "css", "5k", "10k", "marathon", "mp", "easy", "map", "%map"})
_SUGGEST: dict[SportFamily, str] = {
    "run": "`95% Pace`, `Z4 Pace` or `95% LTHR`", "swim": "`100% Pace` or `Z3 Pace`",
    "ride": "`95%` (of FTP) or `Z4`", "other": "`95%`, `Z2 HR` or `95% Pace`",
}
_MEASURES = frozenset({"duration", "distance", "apostrophe"})
_INLINE_REPEAT = re.compile(r"^\s*-\s*\d+\s*x\b", re.IGNORECASE)


def _bad_duration(token: Token, tokens: tuple[Token, ...], number: int) -> Finding:
    """§1/§8 lint 1; when the step has a real duration too, `10min` only ends the label (RGW-FX)."""
    real = next((t.text for t in tokens if t.kind in _MEASURES), None)
    if real is not None:
        return Finding("duration_format", number, "warning",
                       f"`{token.text}` is not read as a duration (this step lasts `{real}`) and it erases"
                       " the step's label; keep numbers with units out of labels.")
    amount = float(re.sub(r"[^\d.].*$", "", token.text) or 0)
    per = 1 if token.text.lower().lstrip("0123456789. ").startswith("s") else 60
    return Finding("duration_format", number, "error",
                   f"`{token.text}` is not read as a duration; write `{format_duration(round(amount * per))}`"
                   " (`m` is minutes, `s` seconds).")


def _duration_rules(tokens: tuple[Token, ...], number: int, family: SportFamily) -> list[Finding]:
    findings: list[Finding] = []
    for token in tokens:
        if token.kind == "duration" and token.minutes_only and token.seconds and token.seconds >= 6000:
            n = token.seconds // 60
            if family in {"run", "swim"}:
                findings.append(Finding(
                    "metres_as_minutes", number, "error",
                    f"`{token.text}` is {n} minutes to Intervals.icu, not metres; write `{n}mtr` or"
                    f" `{n / 1000:g}km` for a distance (a 2,500 m swim written `2500m` became a 41-hour"
                    " workout)."))
            else:
                findings.append(Finding(
                    "metres_as_minutes", number, "warning",
                    f"`{token.text}` is read as {n} minutes, not metres; write `{n}mtr` for a distance,"
                    f" or `{format_duration(token.seconds)}` if you meant the time."))
        elif token.kind == "bad_duration":
            findings.append(_bad_duration(token, tokens, number))
        elif token.kind == "apostrophe":
            findings.append(Finding(
                "unverified_form", number, "warning",
                f"`{token.text}` is a duration form not confirmed to work on Intervals.icu; write"
                f" `{format_duration(token.seconds or 0)}`."))
    measures = [f"`{t.text}`" for t in tokens if t.kind in _MEASURES]
    if len(measures) > 1:
        findings.append(Finding(
            "multiple_durations", number, "warning",
            f"This step has {len(measures)} durations or distances ({', '.join(measures)}), which"
            " Intervals.icu adds together; keep exactly one and keep numbers with units out of the label."))
    return findings


def _kept(step: Step | None, token: Token) -> bool:
    """Whether this target token is the one the step keeps (§2: the last of a kind wins)."""
    kept = getattr(step, token.target_field) if step is not None and token.target_field else None
    mine = token.target
    return kept is not None and mine is not None and (kept.units, kept.value, kept.start, kept.end) == (
        mine.units, mine.value, mine.start, mine.end)


def _early_target(token: Token, tokens: tuple[Token, ...], first_measure: int, number: int,
                  step: Step | None) -> Finding:
    """§7/§8 lint 13: a target before the duration; §4: it erases the label; §2: a later one wins."""
    if _kept(step, token):
        better = f"- {tokens[first_measure].text} {token.text}"
        return Finding("target_order", number, "warning",
                       f"Write the duration before the target (`{better}`); a target first is not the"
                       " documented order and erases the step's label.")
    return Finding("target_order", number, "warning",
                   f"`{token.text}` before the duration is ignored (a later target of its kind wins) but"
                   " erases the step's label; remove it, or keep zone names out of labels.")


def _target_rules(tokens: tuple[Token, ...], number: int, step: Step | None,
                  family: SportFamily) -> list[Finding]:
    findings: list[Finding] = []
    has_target = step is not None and step.has_intensity_target
    first_measure = next((i for i, t in enumerate(tokens) if t.kind in _MEASURES), None)
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        if token.kind == "bare_number" and (
            not has_target or (previous is not None and (previous.kind in _MEASURES | {"ramp"}))
        ):
            findings.append(Finding(
                "missing_unit", number, "error",
                f"`{token.text}` has no unit, so Intervals.icu ignores it as a target; write"
                f" `{token.text}%` for % of FTP, or `{token.text}% Pace` / `{token.text}% LTHR`."))
        elif token.kind == "word" and token.text.lower().strip(".,;:!()") in _PROSE_TARGETS:
            word = token.text.strip(".,;:!()")
            after_percent = previous is not None and previous.target is not None and word.lower() == "map"
            if after_percent and previous is not None and _kept(step, previous):
                findings.append(Finding(
                    "prose_target", number, "warning",
                    f"`{previous.text} {word}` is read as {previous.text} of FTP, since Intervals.icu"
                    " does not know MAP; convert it to % of FTP or watts."))
            elif not has_target and not after_percent:
                findings.append(Finding(
                    "prose_target", number, "error",
                    f"`{word}` is not a target Intervals.icu reads, so this step gets no target and no"
                    f" load; write a number instead, such as {_SUGGEST[family]}."))
        elif token.kind == "pace_no_word":
            findings.append(Finding(
                "pace_form", number, "error",
                f"`{token.text}` is dropped without the word `Pace` after it; write `{token.text} Pace`."))
        elif token.kind == "bad_pace_unit":
            findings.append(Finding(
                "pace_form", number, "error",
                f"`{token.text}` uses a distance unit Intervals.icu drops in paces; write `/km`, `/mi`,"
                " `/100m` or `/100y` followed by `Pace` (`1:45/100m Pace`)."))
        elif token.kind == "bpm":
            findings.append(Finding(
                "unverified_form", number, "warning",
                f"`{token.text}` is not a confirmed target form; write `Z2 HR` or a `% LTHR` target."))
        elif token.target is not None and first_measure is not None and index < first_measure:
            findings.append(_early_target(token, tokens, first_measure, number, step))
    return findings


def _load_rules(step: Step, number: int, family: SportFamily, thresholds: Thresholds | None) -> list[Finding]:
    if family in {"run", "swim"}:
        run_power = family == "run" and thresholds is not None and bool(thresholds.ftp)
        if step.pace or step.hr or (run_power and step.power):
            return []
        if step.power and step.power.units == "power_zone":
            zone = f"Z{step.power.value or step.power.start:.0f}"
            message = (f"`{zone}` on a {family} is read as a power zone, which gives no load; write"
                       f" `{zone} Pace` or `{zone} HR`.")
        else:
            message = (f"This {family} step has no pace or heart-rate target, so Intervals.icu computes"
                       f" no load for it; add one such as {_SUGGEST[family]}.")
        return [Finding("no_load_target", number, "warning", message)]
    if family != "ride" or step.has_intensity_target or step.freeride:
        return []  # strength, yoga… steps need no target
    return [Finding("missing_target", number, "warning",
                    "This step has no power, heart-rate or pace target, so it adds no load and a device"
                    " shows no target; add one such as `50%` (and `intensity=rest` for a rest).")]


def _step_findings(line: Line, family: SportFamily, thresholds: Thresholds | None) -> list[Finding]:
    scan = line.scan
    if scan is None:
        return []
    findings = _duration_rules(scan.tokens, line.number, family)
    findings += _target_rules(scan.tokens, line.number, scan.step, family)
    if _INLINE_REPEAT.match(line.text):
        findings.append(Finding(
            "inline_repeat", line.number, "warning",
            "Put the repeat count on a line of its own above the steps it repeats (`3x`), with a blank"
            " line before and after the block; `- 3x …` is not a documented form."))
    if scan.step is None:
        dropped = dropped_rule(line)
        return findings + ([dropped] if dropped else [])
    if not any(f.rule in {"prose_target", "missing_unit"} and f.severity == "error" for f in findings):
        findings += _load_rules(scan.step, line.number, family, thresholds)  # else already said
    return findings


def lint_workout(text: str, sport: str | None = None, thresholds: Thresholds | None = None) -> list[Finding]:
    """Findings for workout text, in line order (errors before warnings on a line).

    `sport` is the event type (`Ride`, `Run`, `Swim`…; defaults to `thresholds.sport`). Rules that
    need the athlete's anchors (threshold pace, FTP, LTHR, zones) run only when `thresholds` is given.
    """
    workout = parse_workout(text)
    family = sport_family(sport or (thresholds.sport if thresholds else None))
    findings = repeat_rules(workout.lines) + section_rules(workout.lines)
    for line in workout.lines:
        findings += _step_findings(line, family, thresholds)
    if thresholds is not None:
        findings += threshold_rules(workout.lines, family, thresholds)
    return sorted(findings, key=lambda f: (f.line, f.severity != "error", f.rule))
