"""Reading one step line: what each token is, where the label ends, and the step it makes.

Every rule cites WORKOUT_TEXT.md (the sourced reference in /work/shared/intervals-api) by section.
"""

from __future__ import annotations

import re

from intervals_mcp.workouts.model import (
    PACE_DENOMINATORS,
    ZONE_UNITS,
    Field,
    Step,
    StepScan,
    Target,
    Token,
)

_DASH = "[-\u2010-\u2015]"  # hyphen, en and em dashes read as ranges (§2, RGW-TOK)
_NUM = r"\d+(?:\.\d+)?"

# §1: h/m/s combinable (`1h45m`, `2m30s`, `0m10s`); bare `m` is always minutes.
_HMS = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$", re.IGNORECASE)
_M_S = re.compile(r"^(?P<m>\d+)m(?P<s>\d+)$", re.IGNORECASE)  # `1m30` = 90 s (§1, F1163)
_APOSTROPHE = re.compile(r"^(?:(?P<m>\d+)')?(?:(?P<s>\d+)\")?$")  # `5'`, `1'30"` (§1, FQG/DOM, not live)
# §1: metres are `mtr`, also `km`, `mi`, `yrd`.
_DISTANCE = re.compile(rf"^(?P<n>{_NUM})(?P<u>mtr|km|mi|yrd)$", re.IGNORECASE)
_METRES_PER = {"mtr": 1.0, "km": 1000.0, "mi": 1609.344, "yrd": 0.9144}
# §7 / §8 lint 1: spellings the platform does not read as durations.
_TIME_WORDS = r"(?:min|mins|minute|minutes|sec|secs|second|seconds)"
_BAD_DURATION = re.compile(rf"^{_NUM}{_TIME_WORDS}$", re.IGNORECASE)
_TIME_WORD = re.compile(rf"^{_TIME_WORDS}$", re.IGNORECASE)
# §2 targets.
_PERCENT = re.compile(rf"^(?P<a>{_NUM})(?:{_DASH}(?P<b>{_NUM}))?%$")
_WATTS = re.compile(rf"^(?P<a>{_NUM})w?(?:{_DASH}(?P<b>{_NUM}))?w$", re.IGNORECASE)
_ZONE = re.compile(rf"^z(?P<a>[1-7])(?:{_DASH}z?(?P<b>[1-7]))?$", re.IGNORECASE)
_PACE = re.compile(
    rf"^(?P<a>\d+:\d\d)(?:{_DASH}(?P<b>\d+:\d\d))?(?:/(?P<d>[a-z0-9]+))?$", re.IGNORECASE
)
_CADENCE = re.compile(rf"^(?P<a>\d+)(?:{_DASH}(?P<b>\d+))?rpm$", re.IGNORECASE)
_BPM = re.compile(rf"^\d+(?:{_DASH}\d+)?bpm$", re.IGNORECASE)  # §2: HH-WS only, unconfirmed
_BARE = re.compile(rf"^{_NUM}(?:{_DASH}{_NUM})?$")
_OPTION = re.compile(r"^(?P<k>power|hr|pace|intensity)=(?P<v>\S+)$", re.IGNORECASE)  # §2 extras
_REPEAT = re.compile(r"^\d+x$", re.IGNORECASE)

# §2: the word after a % or zone says what it is a percentage/zone of.
_PERCENT_OF: dict[str, tuple[Field, str]] = {
    "hr": ("hr", "%hr"), "lthr": ("hr", "%lthr"), "pace": ("pace", "%pace"), "mmp": ("power", "%mmp"),
}
_ZONE_OF: dict[str, tuple[Field, str]] = {"hr": ("hr", "hr_zone"), "pace": ("pace", "pace_zone")}
_FLAGS = frozenset({"freeride", "maxeffort", "hidepower"})  # §2 (MV flags; `freeride` per FQG/DOM)
# Tokens that leave the label open (§4: the label ends at the first number+unit or target token).
_LABEL_KINDS = frozenset({"word", "bare_number", "repeat", "ramp"})
_FLAG_KINDS = frozenset({"flag", "lap"})
# §4 (RGW-TOK `TRAILING_TARGET`): a word *ending* in number+unit (`<40%`) ends the label at the digit.
_TRAILING = re.compile(r"(?<![\d.])\d+(?:%|w|h|s|min|mtr|mi|km|rpm|m)$", re.IGNORECASE)


def _number(text: str | None) -> float | None:
    return None if text is None else float(text)


def _band(match: re.Match[str], units: str, scale: float = 1.0) -> Target:
    a, b = _number(match.group("a")), _number(match.group("b"))
    assert a is not None
    if b is None:
        return Target(units=units, value=a * scale)
    return Target(units=units, start=a * scale, end=b * scale)


def _seconds(match: re.Match[str]) -> int | None:
    parts = match.groupdict()
    if all(v is None for v in parts.values()):
        return None
    return sum(int(parts.get(k) or 0) * f for k, f in (("h", 3600), ("m", 60), ("s", 1)))


def _pace_seconds(clock: str | None) -> float | None:
    if clock is None:
        return None
    minutes, seconds = clock.split(":")
    return float(int(minutes) * 60 + int(seconds))


def _target(text: str, field: Field, target: Target) -> Token:
    return Token(text=text, kind="target", target=target, target_field=field)


def classify(word: str, following: str | None = None) -> tuple[Token, int]:
    """What `word` is, and how many words it used (2 when a qualifier such as `Pace` joined it)."""
    lower = word.lower()
    nxt = (following or "").lower()
    pair = f"{word} {following}"
    for pattern in (_HMS, _M_S, _APOSTROPHE):
        match = pattern.match(word)
        seconds = _seconds(match) if match else None
        if match and seconds is not None:
            minutes_only = pattern is _HMS and match.group("m") is not None and not (
                match.group("h") or match.group("s"))
            kind = "apostrophe" if pattern is _APOSTROPHE else "duration"
            return Token(text=word, kind=kind, seconds=seconds, minutes_only=minutes_only), 1
    if match := _DISTANCE.match(word):
        metres = round(float(match.group("n")) * _METRES_PER[match.group("u").lower()], 3)
        return Token(text=word, kind="distance", metres=metres), 1
    if _BAD_DURATION.match(word):
        return Token(text=word, kind="bad_duration"), 1
    if match := _PERCENT.match(word):
        field, units = _PERCENT_OF.get(nxt, ("power", "%ftp"))
        used = 2 if nxt in _PERCENT_OF else 1
        return _target(pair if used == 2 else word, field, _band(match, units)), used
    if match := _WATTS.match(word):
        return _target(word, "power", _band(match, "w")), 1
    if match := _ZONE.match(word):
        field, units = _ZONE_OF.get(nxt, ("power", "power_zone"))
        used = 2 if nxt in _ZONE_OF else 1
        return _target(pair if used == 2 else word, field, _band(match, units)), used
    if match := _PACE.match(word):
        return _pace(word, following, match)
    if match := _CADENCE.match(word):
        return _target(word, "cadence", _band(match, "rpm")), 1
    if _BPM.match(word):
        return Token(text=word, kind="bpm"), 1
    if _BARE.match(word):
        if _TIME_WORD.match(nxt):  # `10 min`: a number then a time word (§8 lint 1)
            return Token(text=pair, kind="bad_duration"), 2
        return Token(text=word, kind="bare_number"), 1
    if match := _OPTION.match(word):
        return Token(text=word, kind="option"), 1
    if lower == "press" and nxt == "lap":  # §1: `Press lap` gates the step on the lap button
        return Token(text=pair, kind="lap"), 2
    if lower in _FLAGS:
        return Token(text=word, kind="flag"), 1
    if lower == "ramp":
        return Token(text=word, kind="ramp"), 1
    if _REPEAT.match(word):
        return Token(text=word, kind="repeat"), 1
    return Token(text=word, kind="word"), 1


def _pace(word: str, following: str | None, match: re.Match[str]) -> tuple[Token, int]:
    """§2: an absolute pace counts only with the word `Pace` after it and a known denominator."""
    denominator = (match.group("d") or "").lower()
    if denominator and denominator not in PACE_DENOMINATORS:
        return Token(text=word, kind="bad_pace_unit"), 1  # `/100mtr`, `/100yrd` are dropped [live]
    if (following or "").lower() != "pace":
        return Token(text=word, kind="pace_no_word"), 1
    units = f"secs/{denominator}" if denominator else "secs"
    a, b = _pace_seconds(match.group("a")), _pace_seconds(match.group("b"))
    target = Target(units=units, value=a) if b is None else Target(units=units, start=a, end=b)
    return _target(f"{word} {following}", "pace", target), 2


def scan_step(body: str, line: int = 0) -> StepScan:
    """Read the text after a step's `-`: label, tokens, and the step (None when the platform drops it).

    §4: leading words that are not number+unit or target tokens form the label; a zone token
    ending the label erases it. §2: of several targets of one kind, the last wins. §1: a line with
    no duration or distance, or a zero one, is dropped; two time tokens are added together.
    """
    words = body.split()
    label: list[str] = []
    tokens: list[Token] = []
    label_open, cleared = True, False
    i = 0
    while i < len(words):
        token, used = classify(words[i], words[i + 1] if i + 1 < len(words) else None)
        trailing = _TRAILING.search(words[i]) if label_open and token.kind == "word" else None
        if trailing and trailing.start() > 0:
            label.append(words[i][: trailing.start()])
            words[i] = words[i][trailing.start():]
            continue
        i += used
        if label_open and token.kind in _LABEL_KINDS:
            label.append(token.text)
            continue
        if label_open and token.kind not in _FLAG_KINDS:
            label_open = False
            cleared = token.target is not None and token.target.units in ZONE_UNITS
        tokens.append(token)
    text = None if cleared or not label else " ".join(label)
    return StepScan(label=text, label_cleared=cleared, tokens=tuple(tokens),
                    step=_build(tokens, text, line))


def _build(tokens: list[Token], text: str | None, line: int) -> Step | None:
    seconds = [t.seconds for t in tokens if t.kind in {"duration", "apostrophe"} and t.seconds is not None]
    metres = [t.metres for t in tokens if t.kind == "distance" and t.metres is not None]
    duration = sum(seconds) if seconds else None
    distance = sum(metres) if metres else None
    if not duration and not distance:
        return None
    targets: dict[str, Target] = {}
    ramp = False
    averages: dict[str, str] = {}
    intensity = None
    for index, token in enumerate(tokens):
        if token.target is not None and token.target_field is not None:
            targets[token.target_field] = token.target
        elif token.kind == "ramp":
            after = tokens[index + 1] if index + 1 < len(tokens) else None
            ramp = ramp or bool(after and after.target and after.target.is_range)
        elif token.kind == "option":
            key, value = token.text.split("=", 1)
            if key.lower() == "intensity":
                intensity = value.lower()
            else:
                averages[key.lower()] = value
    for key, value in averages.items():
        if key in targets:
            old = targets[key]
            targets[key] = Target(old.units, old.value, old.start, old.end, average=value)
    flags = {t.text.lower() for t in tokens if t.kind == "flag"}
    return Step(
        duration=duration or None, distance=distance or None, text=text,
        power=targets.get("power"), hr=targets.get("hr"), pace=targets.get("pace"),
        cadence=targets.get("cadence"), ramp=ramp, freeride="freeride" in flags,
        maxeffort="maxeffort" in flags, hidepower="hidepower" in flags,
        until_lap_press=any(t.kind == "lap" for t in tokens), intensity=intensity, line=line,
    )
