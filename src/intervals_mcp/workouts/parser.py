"""Parse Intervals.icu workout text (an event's `description`) into a typed step tree.

The model follows WORKOUT_TEXT.md: §1 step lines, §3 repeat blocks, §4 headers and prose. It reads
text the way the platform was measured to read it, so a mistake in the text shows up here the way
it would upstream (a `400m` step is 400 minutes long); `lint.py` then says what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from intervals_mcp.workouts.model import Item, Line, Repeat, Step, Workout
from intervals_mcp.workouts.tokens import scan_step

# §3: any non-step line ending in `<digits>x` is a repeat header (RGW-TOK `matchRepeatHeader`).
REPEAT_HEADER = re.compile(r"(\d+)\s*x$", re.IGNORECASE)
# §4: `Warmup` / `Cooldown` flag the steps below them up to the next blank line [live]; the
# spaced and hyphenated spellings are in RGW-P's table only [unconfirmed] (lint warns on them).
SECTION_HEADERS = {
    "warmup": "warmup", "warm up": "warmup", "warm-up": "warmup",
    "cooldown": "cooldown", "cool down": "cooldown", "cool-down": "cooldown",
}


def repeat_count(line: str) -> int | None:
    """The reps of a repeat header line (`Main Set 4x` -> 4), or None if it is not one (§3)."""
    stripped = line.strip()
    if stripped.startswith("-"):
        return None
    match = REPEAT_HEADER.search(stripped)
    if not match:
        return None
    reps = int(match.group(1))
    return reps if reps > 0 else None


@dataclass
class _Block:
    """What a blank line closes: a repeat block, or a Warmup/Cooldown section (§3, §4)."""

    section: str | None = None
    repeat: Repeat | None = None
    steps: list[Step] = field(default_factory=list)


class _Builder:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.notes: list[str] = []
        self.lines: list[Line] = []
        self.block: _Block | None = None

    def close(self) -> None:
        block, self.block = self.block, None
        # An empty repeat block adds nothing (RGW-P `closeBlock`).
        if block and block.repeat and block.steps:
            self.items.append(replace(block.repeat, steps=tuple(block.steps)))

    def step(self, number: int, raw: str) -> None:
        body = raw.strip()[1:]  # §1: `-` with or without a following space
        scan = scan_step(body, number)
        step = scan.step
        if step is None:  # §1: no readable duration/distance, or zero: silently dropped
            self.lines.append(Line(number, raw, "dropped", scan=scan))
            return
        self.lines.append(Line(number, raw, "step", scan=scan))
        block = self.block
        if block and block.repeat:
            block.steps.append(step)
        elif block and block.section:
            warmup = block.section == "warmup"
            self.items.append(replace(step, warmup=warmup, cooldown=not warmup))
        else:
            self.items.append(step)

    def other(self, number: int, raw: str) -> None:
        text = raw.strip()
        reps = repeat_count(text)
        self.close()
        if reps is not None:
            self.lines.append(Line(number, raw, "repeat", reps=reps))
            self.block = _Block(repeat=Repeat(reps=reps, steps=(), text=text, line=number))
            return
        section = SECTION_HEADERS.get(" ".join(text.lower().split()))
        if section is not None:
            self.lines.append(Line(number, raw, "section"))
            self.block = _Block(section=section)
            return
        self.lines.append(Line(number, raw, "prose"))  # §4: prose makes no step, numbers or not
        self.notes.append(text)


def parse_workout(text: str) -> Workout:
    """Parse workout text into steps, repeat blocks, prose notes and classified lines.

    Never raises: text the platform would not read as steps ends up as prose or dropped lines,
    which the linter reports. Line numbers are 1-based.
    """
    builder = _Builder()
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            builder.close()  # §3/§4: a blank line ends a repeat block and a section
            builder.lines.append(Line(number, raw, "blank"))
        elif stripped.startswith("-"):
            builder.step(number, raw)
        else:
            builder.other(number, raw)
    builder.close()
    return Workout(items=tuple(builder.items), notes=tuple(builder.notes), lines=tuple(builder.lines))


def flat_steps(items: tuple[Item, ...]) -> list[tuple[Step, int]]:
    """Each step with how many times it runs (its block's reps, or 1)."""
    out: list[tuple[Step, int]] = []
    for item in items:
        if isinstance(item, Repeat):
            out.extend((step, item.reps) for step in item.steps)
        else:
            out.append((item, 1))
    return out
