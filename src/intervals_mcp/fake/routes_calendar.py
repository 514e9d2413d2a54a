"""Wellness and calendar (event) endpoints."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intervals_mcp.fake.edits import wellness_values
from intervals_mcp.fake.http import (
    ApiError,
    access_of,
    bool_param,
    check_athlete,
    int_param,
    json_list,
    json_object,
    list_param,
    parse_day,
    project,
)
from intervals_mcp.fake.store import EVENT_CATEGORIES, FakeStore


async def list_wellness(request: Request) -> JSONResponse:
    store = check_athlete(request)
    oldest = request.query_params.get("oldest")
    newest = request.query_params.get("newest")
    records = store.list_wellness(parse_day(oldest) if oldest else None,
                                  parse_day(newest) if newest else None)
    fields = list_param(request, "fields")
    return JSONResponse([project(r, fields) for r in records])


async def get_wellness(request: Request) -> JSONResponse:
    store = check_athlete(request)
    day = parse_day(request.path_params["date"])
    return JSONResponse(store.get_wellness(day))


def _wellness_body(store: FakeStore, body: dict[str, Any]) -> dict[str, Any]:
    """A wellness body checked as the service checks it: 422 unknown field, 400 bad value."""
    store.check_wellness_fields(body)
    return wellness_values(body)


async def put_wellness(request: Request) -> JSONResponse:
    """PUT /wellness/{date}: only the fields sent change (-1 or null clears one)."""
    store = check_athlete(request)
    day = parse_day(request.path_params["date"])
    body = _wellness_body(store, await json_object(request))
    return JSONResponse(store.update_wellness(day, **body))


async def put_wellness_record(request: Request) -> JSONResponse:
    """PUT /wellness: the same, the day given as the body's `id`."""
    store = check_athlete(request)
    body = await json_object(request)
    if not body.get("id"):
        raise ApiError(422, "id is required: the day of the record (YYYY-MM-DD)")
    day = parse_day(str(body["id"]))
    return JSONResponse(store.update_wellness(day, **_wellness_body(store, body)))


async def put_wellness_bulk(request: Request) -> Response:
    store = check_athlete(request)
    records = await json_list(request)
    with store.lock:  # all or nothing, like one transaction
        days = [parse_day(str(r.get("id") or "")) for r in records]
        checked = [_wellness_body(store, record) for record in records]
        for day, record in zip(days, checked, strict=True):
            store.update_wellness(day, **record)
    return Response(status_code=200)


async def list_events(request: Request) -> JSONResponse:
    store = check_athlete(request)
    oldest_raw = request.query_params.get("oldest")
    oldest = parse_day(oldest_raw) if oldest_raw else store.today
    newest_raw = request.query_params.get("newest")
    newest = parse_day(newest_raw) if newest_raw else oldest + timedelta(days=6)
    categories = list_param(request, "category")
    unknown = [c for c in categories or [] if c not in EVENT_CATEGORIES]
    if unknown:
        raise ApiError(422, f"Unknown event category [{unknown[0]}]")
    found = store.list_events(oldest, newest, frozenset(categories) if categories else None,
                              int_param(request, "limit"))
    return JSONResponse(found)


def _event_id(request: Request) -> int:
    value: int = request.path_params["eventId"]
    return value


async def get_event(request: Request) -> JSONResponse:
    store = check_athlete(request)
    return JSONResponse(store.get_event(_event_id(request)))


async def put_event(request: Request) -> JSONResponse:
    store = check_athlete(request)
    body = await json_object(request)
    return JSONResponse(store.update_event(_event_id(request), **body))


async def delete_event(request: Request) -> JSONResponse:
    """DELETE one event (`others`/`notBefore`, for events added together, are not modelled)."""
    store = check_athlete(request)
    store.delete_event(_event_id(request))
    return JSONResponse({})


def _owner(request: Request) -> str:
    return access_of(request).owner


async def create_event(request: Request) -> JSONResponse:
    store = check_athlete(request)
    body = await json_object(request)
    (event,) = store.write_events([body], upsert_on_uid=bool_param(request, "upsertOnUid"),
                                  created_by=_owner(request))
    return JSONResponse(event)


async def create_events(request: Request) -> JSONResponse:
    store = check_athlete(request)
    bodies = await json_list(request)
    return JSONResponse(store.write_events(
        bodies, upsert=bool_param(request, "upsert"),
        upsert_on_uid=bool_param(request, "upsertOnUid"),
        update_plan_applied=bool_param(request, "updatePlanApplied"),
        created_by=_owner(request)))


async def delete_events_bulk(request: Request) -> JSONResponse:
    store = check_athlete(request)
    doomed = await json_list(request)
    return JSONResponse({"eventsDeleted": store.delete_doomed(doomed)})


def _required(request: Request, name: str, java_type: str) -> str:
    value = request.query_params.get(name)
    if not value:
        raise ApiError(422, f"Required request parameter '{name}' for method parameter type "
                            f"{java_type} is not present")
    return value


async def delete_events(request: Request) -> Response:
    """DELETE /events?oldest&newest&category&createdById: a range, no body in the answer."""
    store = check_athlete(request)
    oldest = parse_day(_required(request, "oldest", "String"))
    _required(request, "category", "List")
    categories = list_param(request, "category") or []
    unknown = [c for c in categories if c not in EVENT_CATEGORIES]
    if unknown:
        raise ApiError(422, f"Unknown event category [{unknown[0]}]")
    newest_raw = request.query_params.get("newest")
    store.delete_range(oldest, parse_day(newest_raw) if newest_raw else None,
                       frozenset(categories), request.query_params.get("createdById") or None)
    return Response(status_code=200)
