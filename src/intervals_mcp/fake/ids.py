"""Record ids that never clash between the athletes of one fake, as on the live service.

Generated history: each athlete id owns a block of id space (`id_block`), so two generated
athletes never share an activity or event id; the default athlete `i12345` keeps block 0, so its
ids are what they always were. Records created while the fake runs (new events, activities,
messages, custom items) take ids from process-wide counters above every generated block.
"""

from __future__ import annotations

import threading
import zlib

DEFAULT_ATHLETE_ID = "i12345"
BLOCKS = 899

# Generated ids: base + block * spacing (+ the generator's own offsets within the block).
NATIVE_ACTIVITY_BASE, NATIVE_ACTIVITY_SPACING = 40_000_000, 1_000_000
STRAVA_ACTIVITY_BASE, STRAVA_ACTIVITY_SPACING = 10_000_000_000, 1_000_000_000
EVENT_BASE, EVENT_SPACING = 80_000_000, 100_000
CUSTOM_ITEM_BASE, CUSTOM_ITEM_SPACING = 10_000, 10

# Runtime ids start above every generated block.
_RUNTIME_EVENT = 500_000_000
_RUNTIME_ACTIVITY = 990_000_000
_RUNTIME_MESSAGE = 7_000_000_000
_RUNTIME_CUSTOM_ITEM = 300_000

_lock = threading.Lock()
_next: dict[str, int] = {"event": _RUNTIME_EVENT + 1, "activity": _RUNTIME_ACTIVITY + 1,
                         "message": _RUNTIME_MESSAGE + 1, "custom_item": _RUNTIME_CUSTOM_ITEM + 1}


def id_block(athlete_id: str) -> int:
    """The athlete's block of generated id space: 0 for the default athlete, else 1..BLOCKS."""
    if athlete_id == DEFAULT_ATHLETE_ID:
        return 0
    return zlib.crc32(athlete_id.encode()) % BLOCKS + 1


def new_id(kind: str, floor: int = 0) -> int:
    """A fresh id of `kind` (event, activity, message, custom_item), unique in this process
    and at least `floor` (callers pass one above the largest id they already hold)."""
    with _lock:
        value = max(_next[kind], floor)
        _next[kind] = value + 1
        return value


def new_activity_id() -> str:
    return f"i{new_id('activity')}"
