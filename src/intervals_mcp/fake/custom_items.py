"""Custom items (charts, custom fields, zones …), kept in the profile's `custom_items` list.

The live service returns them with the athlete (`GET /athlete/{id}`) and under
`/athlete/{id}/custom-item`; both read the same list here. Writes check what the service is
known to refuse: a missing name or type on create, an unknown `type` or `visibility`, and for
field items a `content.type` other than numeric/text/select or a `content.aggregate` other than
MIN/SUM/MAX/AVERAGE (the seed project's documented pitfalls).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from intervals_mcp.fake.ids import new_id
from intervals_mcp.fake.shapes import CUSTOM_ITEM_KEYS
from intervals_mcp.fake.store import FakeStore, Invalid, NotFound
from intervals_mcp.fake.timefmt import iso_utc

ITEM_TYPES = frozenset({
    "FITNESS_CHART", "FITNESS_TABLE", "TRACE_CHART", "INPUT_FIELD", "ACTIVITY_FIELD",
    "INTERVAL_FIELD", "ACTIVITY_STREAM", "ACTIVITY_CHART", "ACTIVITY_HISTOGRAM",
    "ACTIVITY_HEATMAP", "ACTIVITY_MAP", "ACTIVITY_PANEL", "ZONES",
})
VISIBILITIES = frozenset({"PRIVATE", "FOLLOWERS", "PUBLIC"})
FIELD_ITEMS = frozenset({"INPUT_FIELD", "ACTIVITY_FIELD", "INTERVAL_FIELD"})
FIELD_TYPES = frozenset({"numeric", "text", "select"})
AGGREGATES = frozenset({"MIN", "SUM", "MAX", "AVERAGE"})
_WRITABLE = frozenset({"type", "visibility", "name", "description", "image", "content", "index",
                       "hide_script"})


def make_item(item_id: int, athlete_id: str, index: int, fields: dict[str, Any],
              updated: datetime) -> dict[str, Any]:
    """A full CustomItem payload."""
    return dict.fromkeys(CUSTOM_ITEM_KEYS) | {
        "id": item_id, "athlete_id": athlete_id, "visibility": "PRIVATE", "content": {},
        "usage_count": 0, "index": index, "hide_script": False,
    } | fields | {"updated": iso_utc(updated)}


def default_items(athlete_id: str, first_id: int, updated: datetime) -> list[dict[str, Any]]:
    """The generator's two items: a wellness input field and a fitness chart."""
    return [
        make_item(first_id, athlete_id, 0, {
            "type": "INPUT_FIELD", "name": "Leg freshness",
            "description": "How fresh the legs feel, 1 (dead) to 10 (flying)",
            "content": {"code": "LegFreshness", "type": "numeric", "aggregate": "AVERAGE",
                        "min": 1, "max": 10}}, updated),
        make_item(first_id + 1, athlete_id, 1, {
            "type": "FITNESS_CHART", "name": "Load vs HRV",
            "content": {"plots": [{"field": "ctl"}, {"field": "hrv"}], "days": 90}}, updated),
    ]


def check_item(body: dict[str, Any], *, creating: bool) -> None:
    if creating and not str(body.get("name") or "").strip():
        raise Invalid("name is required")
    if creating and not body.get("type"):
        raise Invalid("type is required")
    if body.get("type") is not None and body["type"] not in ITEM_TYPES:
        raise Invalid(f"Unknown custom item type [{body['type']}]")
    if body.get("visibility") is not None and body["visibility"] not in VISIBILITIES:
        raise Invalid(f"Unknown visibility [{body['visibility']}]")
    content = body.get("content")
    if content is not None and not isinstance(content, dict):
        raise Invalid("content must be a JSON object")
    if body.get("type") in FIELD_ITEMS and content:
        if content.get("type") is not None and content["type"] not in FIELD_TYPES:
            raise Invalid(f"Invalid field type [{content['type']}]: use numeric, text or select")
        if content.get("aggregate") is not None and content["aggregate"] not in AGGREGATES:
            raise Invalid(f"Invalid aggregate [{content['aggregate']}]: "
                          "use MIN, SUM, MAX or AVERAGE")


def _items(store: FakeStore) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] | None = store.athlete.get("custom_items")
    if items is None:
        items = store.athlete["custom_items"] = []
    return items


def list_items(store: FakeStore) -> list[dict[str, Any]]:
    with store.lock:
        return sorted((dict(i) for i in _items(store)), key=lambda i: (i.get("index") or 0, i["id"]))


def get_item(store: FakeStore, item_id: int) -> dict[str, Any]:
    with store.lock:
        for item in _items(store):
            if item["id"] == item_id:
                return dict(item)
    raise NotFound(f"Custom item {item_id} not found")


def create_item(store: FakeStore, body: dict[str, Any]) -> dict[str, Any]:
    """POST: a new item with a server id; the answer is a `NewCustomItem`."""
    check_item(body, creating=True)
    with store.lock:
        items = _items(store)
        fields = {k: v for k, v in body.items() if k in _WRITABLE}
        floor = max((i["id"] for i in items), default=0) + 1
        item = make_item(new_id("custom_item", floor), store.athlete_id, len(items), fields,
                         store.now())
        items.append(item)
        return dict(item) | {"required_items_created": []}


def update_item(store: FakeStore, item_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """PUT: merge the known fields; bumps `updated`."""
    with store.lock:
        old = get_item(store, item_id)
        check_item(old | body, creating=False)
        new = old | {k: v for k, v in body.items() if k in _WRITABLE} | {
            "updated": iso_utc(store.now())}
        items = _items(store)
        items[[i["id"] for i in items].index(item_id)] = new
        return dict(new)


def delete_item(store: FakeStore, item_id: int) -> None:
    with store.lock:
        items = _items(store)
        kept = [i for i in items if i["id"] != item_id]
        if len(kept) == len(items):
            raise NotFound(f"Custom item {item_id} not found")
        items[:] = kept
