"""Wellness and calendar (event) endpoints."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from intervals_mcp.fake.http import (
    ApiError,
    bool_param,
    check_athlete,
    int_param,
    json_list,
    json_object,
    list_param,
    parse_day,
    project,
)
from intervals_mcp.fake.store import EVENT_CATEGORIES, Invalid, NotFound


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
    try:
        return JSONResponse(store.get_wellness(day))
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None


async def put_wellness(request: Request) -> JSONResponse:
    store = check_athlete(request)
    day = parse_day(request.path_params["date"])
    body = await json_object(request)
    try:
        return JSONResponse(store.update_wellness(day, **body))
    except Invalid as exc:
        raise ApiError(422, str(exc)) from None


async def put_wellness_bulk(request: Request) -> Response:
    store = check_athlete(request)
    records = await json_list(request)
    with store.lock:  # all or nothing, like one transaction
        try:
            days = [parse_day(str(r.get("id") or "")) for r in records]
            for record in records:
                store.check_wellness_fields(record)
        except Invalid as exc:
            raise ApiError(422, str(exc)) from None
        for day, record in zip(days, records, strict=True):
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
    try:
        return JSONResponse(store.get_event(_event_id(request)))
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None


async def put_event(request: Request) -> JSONResponse:
    store = check_athlete(request)
    body = await json_object(request)
    try:
        return JSONResponse(store.update_event(_event_id(request), **body))
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None
    except Invalid as exc:
        raise ApiError(422, str(exc)) from None


async def delete_event(request: Request) -> JSONResponse:
    store = check_athlete(request)
    try:
        store.delete_event(_event_id(request))
    except NotFound as exc:
        raise ApiError(404, str(exc)) from None
    return JSONResponse({})


async def create_event(request: Request) -> JSONResponse:
    store = check_athlete(request)
    body = await json_object(request)
    try:
        return JSONResponse(store.add_event(body))
    except Invalid as exc:
        raise ApiError(422, str(exc)) from None


async def create_events(request: Request) -> JSONResponse:
    store = check_athlete(request)
    bodies = await json_list(request)
    upsert = bool_param(request, "upsert")
    with store.lock:  # validate everything before creating anything
        try:
            for body in bodies:
                existing = store.find_event_by_external_id(body["external_id"]) if (
                    upsert and body.get("external_id")) else None
                store.check_event(body, creating=existing is None)
            out = []
            for body in bodies:
                existing = store.find_event_by_external_id(body["external_id"]) if (
                    upsert and body.get("external_id")) else None
                out.append(store.update_event(existing, **body) if existing is not None
                           else store.add_event(body))
        except Invalid as exc:
            raise ApiError(422, str(exc)) from None
    return JSONResponse(out)


async def delete_events_bulk(request: Request) -> JSONResponse:
    store = check_athlete(request)
    doomed = await json_list(request)
    deleted = 0
    with store.lock:
        for item in doomed:
            event_id = item.get("id")
            if event_id is None and item.get("external_id"):
                event_id = store.find_event_by_external_id(str(item["external_id"]))
            if isinstance(event_id, int) and event_id in store.events:
                store.delete_event(event_id)
                deleted += 1
    return JSONResponse({"eventsDeleted": deleted})
