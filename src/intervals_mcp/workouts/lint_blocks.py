"""Lint rules about the shape of the text: repeat blocks, section headers, dropped lines.

Each rule cites WORKOUT_TEXT.md; `lint.py` gathers these with the per-step rules.
"""

from __future__ import annotations

from intervals_mcp.workouts.model import Finding, Line

_CANONICAL_SECTIONS = {"warmup", "cooldown"}


def _after(lines: tuple[Line, ...], index: int) -> Line | None:
    return lines[index + 1] if index + 1 < len(lines) else None


def _block_end(lines: tuple[Line, ...], index: int) -> Line | None:
    """The first line after the repeat header at `index` that is neither a step nor a dropped step."""
    for line in lines[index + 1:]:
        if line.kind not in {"step", "dropped"}:
            return line
    return None


def repeat_rules(lines: tuple[Line, ...]) -> list[Finding]:
    """§3: blank lines around every repeat block; no repeat inside a repeat; no prose ending in `Nx`."""
    findings: list[Finding] = []
    for index, line in enumerate(lines):
        if line.kind != "repeat":
            continue
        header = line.text.strip()
        before = lines[index - 1] if index else None
        after = _after(lines, index)
        nested = before is not None and before.kind == "repeat"
        if before is not None and nested:
            findings.append(Finding(
                "nested_repeat", line.number, "error",
                f"`{header}` directly under `{before.text.strip()}` makes a repeat inside a repeat, which"
                " Intervals.icu does not support; write the outer repetitions out as separate blocks."))
        elif before is not None and before.kind != "blank":
            findings.append(Finding(
                "repeat_blank_lines", line.number, "error",
                f"Put a blank line before `{header}`: without blank lines around a repeat block"
                " Intervals.icu may run it only once or pull in the lines around it."))
        if after is None or after.kind in {"blank", "prose", "section"}:
            if not nested:
                findings.append(Finding(
                    "prose_repeat_header", line.number, "warning",
                    f"`{header}` ends in `{line.reps}x`, so Intervals.icu reads it as a repeat with no"
                    " steps; put the steps right below it, or end a note some other way (`… 3 times`)."))
            continue
        end = _block_end(lines, index)
        if end is not None and end.kind in {"prose", "section"}:
            findings.append(Finding(
                "repeat_blank_lines", end.number, "error",
                f"Put a blank line between the `{header}` block and `{end.text.strip()}`: without it"
                " Intervals.icu may run the block only once."))
    return findings


def section_rules(lines: tuple[Line, ...]) -> list[Finding]:
    """§4: `Warmup`/`Cooldown` one word, directly above the steps they flag."""
    findings: list[Finding] = []
    for index, line in enumerate(lines):
        if line.kind != "section":
            continue
        name = line.text.strip()
        word = "Warmup" if "warm" in name.lower() else "Cooldown"
        if name.lower() not in _CANONICAL_SECTIONS:
            findings.append(Finding(
                "header_spelling", line.number, "warning",
                f"Write the header `{name}` as `{word}`: only the one-word form is confirmed to mark"
                " the steps below it."))
        after = _after(lines, index)
        if after is None or after.kind != "step":
            findings.append(Finding(
                "section_gap", line.number, "warning",
                f"`{name}` flags only the steps directly below it, and none follow; put its steps on"
                " the next lines with no blank line in between."))
    return findings


def dropped_rule(line: Line) -> Finding | None:
    """§1: a `-` line with no readable duration or distance, or a zero one, is silently dropped."""
    scan = line.scan
    if scan is None:
        return None
    kinds = {token.kind for token in scan.tokens}
    if "bad_duration" in kinds or "apostrophe" in kinds:
        return None  # the duration rules already say what to write
    if any(token.kind == "duration" and token.seconds == 0 for token in scan.tokens):
        return Finding("dropped_step", line.number, "error",
                       "Intervals.icu drops a step with a zero duration; give it a real duration such"
                       " as `- 5m 50%`, or delete the line.")
    if any(token.target is not None for token in scan.tokens):
        return Finding("dropped_step", line.number, "error",
                       "This step has no duration or distance, so Intervals.icu drops it; start it"
                       " with one, such as `- 10m 55%` or `- 400mtr Z2 Pace`.")
    return Finding("dropped_step", line.number, "warning",
                   "This line starts with `-` but has no duration, so Intervals.icu drops it; give it"
                   " one (`- 5m 50%`), or remove the `-` to keep it as a note.")
