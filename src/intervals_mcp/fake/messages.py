"""Activity messages (comments): a few generated ones, plus whatever clients post.

Generated messages are derived from the activity id (about one activity in seven carries a
comment from its athlete), so they cost nothing until asked and survive copies of the store.
The list is in posting order (ascending id) [inferred: the order is undocumented]; `sinceId`
keeps messages after that id, `limit` (default 100) the first N of those.
"""

from __future__ import annotations

import re
import zlib
from datetime import timedelta
from typing import Any

from intervals_mcp.fake.ids import new_id
from intervals_mcp.fake.shapes import MESSAGE_KEYS
from intervals_mcp.fake.store import FakeStore, Invalid
from intervals_mcp.fake.timefmt import iso_utc, parse_utc

_TEXTS = ("Legs felt heavy from the start.", "Nailed the intervals, felt strong.",
          "Windy out there, held back on the way home.", "Cut it short: rain.",
          "Easy does it, recovery day.", "New best on the long climb!")
_SHARE = 0.15


def _message(message_id: int, author: dict[str, Any], activity_id: str, content: str,
             created: str) -> dict[str, Any]:
    return dict.fromkeys(MESSAGE_KEYS) | {
        "id": message_id, "athlete_id": author["id"], "name": author.get("name"),
        "created": created, "type": "TEXT", "content": content, "activity_id": activity_id,
        "seen": True,
    }


def generated(activity: dict[str, Any], athlete: dict[str, Any]) -> list[dict[str, Any]]:
    """The activity's own generated comments (none for most activities)."""
    roll = zlib.crc32(f"msg:{activity['id']}".encode()) / 2**32
    if roll >= _SHARE or not activity.get("created"):
        return []
    digits = re.sub(r"\D", "", str(activity["id"])) or str(zlib.crc32(activity["id"].encode()))
    created = iso_utc(parse_utc(activity["created"]) + timedelta(minutes=12))
    text = _TEXTS[int(roll / _SHARE * len(_TEXTS)) % len(_TEXTS)]
    return [_message(int(digits) * 4, athlete, activity["id"], text, created)]


def _thread(store: FakeStore, activity: dict[str, Any]) -> list[dict[str, Any]]:
    thread = store.messages.get(activity["id"])
    if thread is None:
        thread = store.messages[activity["id"]] = generated(activity, store.athlete)
    return thread


def list_messages(store: FakeStore, activity: dict[str, Any], since_id: int | None,
                  limit: int | None) -> list[dict[str, Any]]:
    with store.lock:
        thread = [dict(m) for m in _thread(store, activity)
                  if since_id is None or m["id"] > since_id]
    thread.sort(key=lambda m: m["id"])
    return thread[: 100 if limit is None else max(0, limit)]


def post_message(store: FakeStore, activity: dict[str, Any], author: dict[str, Any],
                 body: dict[str, Any]) -> dict[str, Any]:
    """Add a comment by `author` (the key's owner); the answer is a `NewMsg`."""
    content = body.get("content")
    if not isinstance(content, str) or not content.strip():
        raise Invalid("content is required")
    with store.lock:
        message = _message(new_id("message"), author, activity["id"], content,
                           iso_utc(store.now()))
        _thread(store, activity).append(message)
    return {"id": message["id"], "new_chat": None}
