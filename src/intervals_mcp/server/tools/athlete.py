"""The athlete as a whole: profile (thresholds, zones, time zone), gear and custom items."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from intervals_mcp.errors import NotFoundError
from intervals_mcp.server.answers import Body
from intervals_mcp.server.athlete_templates import AthleteView, Call, Found, athlete_tool, documents
from intervals_mcp.server.formatting import athlete as fmt
from intervals_mcp.server.formatting.core import num
from intervals_mcp.server.schemas_athlete import (
    CustomItemResult,
    CustomItemsResult,
    GearResult,
    ProfileResult,
)
from intervals_mcp.server.templates import body
from intervals_mcp.sync.asks import DocumentAsk
from intervals_mcp.sync.reports import Freshness


async def _profile(call: Call) -> Found:
    """The cached athlete (refreshed daily, or now with `refresh`)."""
    athlete = call.athlete
    if call.refresh:
        services = call.services
        athlete = await services.athletes.resolve(athlete.id, services.sync.client_for(True), refresh=True)
    at = athlete.fetched_at
    fetched = 1 if at is not None and at >= call.began else 0
    digest = at.isoformat() if at is not None else None
    return Found(
        digest, athlete.profile or {"id": athlete.id}, [Freshness("profile", None, None, fetched, at)]
    )


@athlete_tool(_profile, result=ProfileResult, domain="athlete", noun="athlete profile")
def get_athlete_profile(view: AthleteView) -> Body:
    """The athlete's name, time zone, weight and, per sport, FTP, LTHR, max HR, threshold pace
    and zone boundaries. Use before judging efforts against thresholds or zones."""
    profile = view.payload
    text, sports = fmt.format_profile(view.athlete.id, profile)
    tz = profile.get("timezone")
    name = profile.get("name")
    return body(
        text,
        ProfileResult(
            athlete_id=view.athlete.id,
            name=name if isinstance(name, str) else None,
            timezone=tz if isinstance(tz, str) else None,
            weight_kg=num(profile.get("icu_weight")) or num(profile.get("weight")),
            resting_hr_bpm=num(profile.get("icu_resting_hr")),
            sports=sports,
        ),
    )


@athlete_tool(documents(lambda call: DocumentAsk("gear")), result=GearResult, domain="athlete", noun="gear")
def get_gear_list(view: AthleteView) -> Body:
    """The athlete's gear (bikes, shoes, ...) with distance, moving time and activity count each."""
    text, rows = fmt.format_gear(view.athlete.id, view.payload.get("gear") or [])
    return body(text, GearResult(athlete_id=view.athlete.id, gear=rows))


CUSTOM_ITEMS = documents(lambda call: DocumentAsk("custom_items"))


@athlete_tool(CUSTOM_ITEMS, result=CustomItemsResult, domain="athlete", noun="custom items")
def get_custom_items(view: AthleteView) -> Body:
    """The athlete's custom items (charts, custom fields, zones, ...): id, type, name."""
    text, rows = fmt.format_custom_items(view.athlete.id, view.payload.get("items") or [])
    return body(text, CustomItemsResult(athlete_id=view.athlete.id, items=rows))


ItemId = Annotated[int, Field(description="Custom item id as listed by get_custom_items.")]


@athlete_tool(CUSTOM_ITEMS, result=CustomItemResult, domain="athlete", noun="custom items")
def get_custom_item_by_id(view: AthleteView, item_id: ItemId) -> Body:
    """One custom item with its content (chart definition, field settings, ...)."""
    items: list[Any] = view.payload.get("items") or []
    item = next((i for i in items if isinstance(i, dict) and i.get("id") == item_id), None)
    if item is None:
        raise NotFoundError(
            f"There is no custom item {item_id} for athlete {view.athlete.id}: get_custom_items lists them."
        )
    text, row = fmt.format_custom_item(item)
    content = item.get("content")
    return body(
        text,
        CustomItemResult(
            athlete_id=view.athlete.id, item=row, content=content if isinstance(content, dict) else None
        ),
    )


TOOLS = (get_athlete_profile, get_gear_list, get_custom_items, get_custom_item_by_id)
