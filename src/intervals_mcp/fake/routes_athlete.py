"""Athlete-level reads and items: best-effort curves, gear, custom items."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intervals_mcp.fake import custom_items as items
from intervals_mcp.fake.curve_sets import (
    Window,
    build_curve,
    matches,
    parse_curve,
    parse_filters,
    sport_family,
)
from intervals_mcp.fake.gear import gear_list
from intervals_mcp.fake.http import ApiError, check_athlete, json_object, list_param, parse_day
from intervals_mcp.fake.routes_activities import listed
from intervals_mcp.fake.store import FakeStore

TYPE_MISSING = "Required request parameter 'type' for method parameter type String is not present"


def _today(request: Request, store: FakeStore) -> date:
    """`newest` (or `now`), else the athlete's today: where relative curves end."""
    raw = request.query_params.get("newest") or request.query_params.get("now")
    return parse_day(raw) if raw else store.today


async def _curves(request: Request, kind: str) -> JSONResponse:
    store = check_athlete(request)
    sport = request.query_params.get("type") or None
    if kind == "power" and not sport:
        raise ApiError(422, TYPE_MISSING)
    if kind == "pace" and not sport:
        sport = "Run"
    filters = parse_filters(request.query_params.getlist("filters"))
    with store.lock:
        activities = sorted(store.activities.values(), key=lambda a: a["start_date_local"])
        athlete = store.athlete
    earliest = (date.fromisoformat(activities[0]["start_date_local"][:10]) if activities
                else store.today)
    windows: list[Window] = [parse_curve(spec, _today(request, store), earliest)
                             for spec in list_param(request, "curves") or ["1y"]]
    family = sport_family(athlete, sport) if sport else None
    chosen = [a for a in activities if matches(a, family, filters)]
    out: list[dict[str, Any]] = []
    cited: set[str] = set()
    for window in windows:
        curve, used = build_curve(kind, window, chosen, filters, athlete.get("icu_weight"), sport)
        out.append(curve)
        cited |= used
    by_id = {a["id"]: a for a in chosen}
    return JSONResponse({"list": out,
                         "activities": {i: listed(by_id[i]) for i in sorted(cited)}})


async def power_curves(request: Request) -> JSONResponse:
    return await _curves(request, "power")


async def hr_curves(request: Request) -> JSONResponse:
    return await _curves(request, "hr")


async def pace_curves(request: Request) -> JSONResponse:
    return await _curves(request, "pace")


async def list_gear(request: Request) -> JSONResponse:
    store = check_athlete(request)
    with store.lock:
        return JSONResponse(gear_list(store.athlete, list(store.activities.values())))


def _item_id(request: Request) -> int:
    value: int = request.path_params["itemId"]
    return value


async def list_custom_items(request: Request) -> JSONResponse:
    return JSONResponse(items.list_items(check_athlete(request)))


async def get_custom_item(request: Request) -> JSONResponse:
    store = check_athlete(request)
    return JSONResponse(items.get_item(store, _item_id(request)))


async def create_custom_item(request: Request) -> JSONResponse:
    store = check_athlete(request)
    body = await json_object(request)
    return JSONResponse(items.create_item(store, body))


async def update_custom_item(request: Request) -> JSONResponse:
    store = check_athlete(request)
    body = await json_object(request)
    return JSONResponse(items.update_item(store, _item_id(request), body))


async def delete_custom_item(request: Request) -> Response:
    store = check_athlete(request)
    items.delete_item(store, _item_id(request))
    return Response(status_code=200)
