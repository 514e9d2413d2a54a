"""The shared parts of the pure formatters: API payload dicts in, compact honest text out (no I/O, no clock).

Token-lean: a table with one line per row, only the columns that have data, units a person
reads (h:mm, km, W, bpm), local dates. Every list says its range, how many rows it shows of how
many, and where the data came from. Strava stubs are counted and named, never padded.

Where the data came from changes from call to call ("fresh from Intervals.icu", then "cached
at ..."), while the rest of an answer depends only on the records and the arguments. So the
formatters return a `Framed` text without the provenance, and `Framed.say(provenance)` puts
it in its place; what they keep within the budget never depends on the provenance (a fixed
`PROVENANCE_ALLOWANCE` is set aside for it), so one body serves every provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from intervals_mcp.server.schemas import Provenance

MAX_CHARS = 12_000
"""Budget for one tool answer; longer output is cut with a hint on how to get the rest."""

PROVENANCE_ALLOWANCE = 500
"""Characters of every budget set aside for the provenance sentence, whatever it says this time
(`provenance_text` never says more; the longest real one is ~400: a gap note and a refresh error
quoting the upstream's 200-character message)."""

FRESH_WITHIN = timedelta(minutes=2)

# --- small value formatters ------------------------------------------------------------------


def num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def hmm(seconds: Any) -> str:
    """7412 -> '2:03' (hours:minutes)."""
    s = num(seconds)
    if s is None:
        return ""
    minutes = round(s / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def mss(seconds: Any) -> str:
    """245 -> '4:05' (minutes:seconds); 3725 -> '1:02:05'."""
    s = num(seconds)
    if s is None:
        return ""
    total = round(s)
    h, rest = divmod(total, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def whole(value: Any) -> str:
    v = num(value)
    return "" if v is None else f"{v:.0f}"


def one(value: Any) -> str:
    v = num(value)
    return "" if v is None else f"{v:.1f}"


def is_swim(sport: str | None) -> bool:
    return bool(sport) and "swim" in str(sport).lower()


def distance(meters: Any, sport: str | None) -> str:
    """Kilometres with one decimal; swims in metres."""
    m = num(meters)
    if m is None or m <= 0:
        return ""
    return f"{m:.0f}m" if is_swim(sport) else f"{m / 1000:.1f}km"


def local_minute(stamp: Any) -> str:
    """'2026-10-12T07:31:05' -> '2026-10-12 07:31' (athlete-local, as the API sends it)."""
    if not isinstance(stamp, str) or len(stamp) < 10:
        return ""
    return stamp[:16].replace("T", " ") if len(stamp) >= 16 else stamp[:10]


def utc_minute(moment: datetime | None) -> str:
    if moment is None:
        return "an unknown time"
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def cell(text: str) -> str:
    """A table cell: one line, no column separator inside."""
    if "|" not in text and text.isprintable() and "  " not in text and text.strip(" ") == text:
        return text  # already one clean line (most cells: numbers, dates, names)
    return " ".join(text.split()).replace("|", "/")


# --- provenance ------------------------------------------------------------------------------


def provenance_text(prov: Provenance, now: datetime) -> str:
    """'fresh from Intervals.icu' / 'cached at … UTC' / '…; could not refresh: <why>', then what
    upstream sent that could not be stored, if anything.

    At most PROVENANCE_ALLOWANCE characters (a longer one is cut with '…')."""
    said = _source_text(prov, now)
    if prov.skipped:
        said = f"{said}; {prov.skipped}"
    said = said.rstrip(".")
    return said if len(said) <= PROVENANCE_ALLOWANCE else said[: PROVENANCE_ALLOWANCE - 1] + "…"


def _source_text(prov: Provenance, now: datetime) -> str:
    as_of = datetime.fromisoformat(prov.as_of) if prov.as_of else None
    gap = "" if prov.complete else " (some days in this range were never fetched)"
    if prov.refresh_error:
        return f"cached at {utc_minute(as_of)}{gap}; could not refresh: {prov.refresh_error}"
    if prov.source == "upstream":
        if as_of is None or now - as_of <= FRESH_WITHIN:
            return "fresh from Intervals.icu"
        return f"refreshed from Intervals.icu; older days cached at {utc_minute(as_of)}"
    return f"cached at {utc_minute(as_of)}{gap}"


@dataclass(frozen=True, slots=True)
class Framed:
    """An answer's text less its provenance: `say(p)` is '<head>; <p>.' and then `rest` on the
    following lines. Unsourced text (`sourced=False`, e.g. a Strava stub) is said as it is."""

    head: str
    rest: str = ""
    sourced: bool = True
    shown: int | None = None  # table rows actually shown, when the table was cut to fit

    def say(self, provenance: str) -> str:
        head = f"{self.head}; {provenance}." if self.sourced else self.head
        return f"{head}\n{self.rest}" if self.rest else head


def budget_for(budget: int, *before: str) -> int:
    """What remains of `budget` for a table after the provenance allowance and the lines
    `before` it (each with its newline)."""
    return budget - PROVENANCE_ALLOWANCE - len("; .") - sum(len(line) + 1 for line in before)
