"""Athlete profile and activity endpoints."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from intervals_mcp.fake import messages
from intervals_mcp.fake.edits import activity_changes
from intervals_mcp.fake.http import (
    OLDEST_MISSING,
    STRAVA_BLOCKED,
    ApiError,
    access_of,
    activity_holder,
    bool_param,
    check_athlete,
    int_param,
    json_object,
    list_param,
    parse_moment,
    project,
    world_of,
)
from intervals_mcp.fake.shapes import ATHLETE_WITH_TAGS_KEYS, STRAVA_NOTE
from intervals_mcp.fake.store import FakeStore, NotFound, is_strava

# Words that are other endpoints under /activities/ and must not be read as activity ids.
_NOT_IDS = frozenset({"search", "search-full", "interval-search"})


def stub(activity: dict[str, Any]) -> dict[str, Any]:
    """The five-key `Hidden` object the service lists for Strava-sourced activities."""
    return {"id": activity["id"], "icu_athlete_id": activity["icu_athlete_id"],
            "start_date_local": activity["start_date_local"], "source": "STRAVA",
            "_note": STRAVA_NOTE}


def listed(activity: dict[str, Any]) -> dict[str, Any]:
    return stub(activity) if is_strava(activity) else activity


def readable(request: Request) -> tuple[FakeStore, dict[str, Any]]:
    """The path's activity and its athlete's store, as detail endpoints see it: 404 when
    missing, 403 when another athlete's the key may not see, 422 when Strava-sourced."""
    activity_id = request.path_params["id"]
    store = activity_holder(request, activity_id)
    activity = store.get_activity(activity_id)
    if is_strava(activity):
        raise ApiError(422, STRAVA_BLOCKED)
    return store, activity


def _with_intervals(store: FakeStore, activity: dict[str, Any]) -> dict[str, Any]:
    dto = store.get_intervals(activity["id"])
    return activity | {"icu_intervals": dto["icu_intervals"], "icu_groups": dto["icu_groups"]}


async def get_athlete(request: Request) -> JSONResponse:
    store = check_athlete(request)
    with store.lock:
        return JSONResponse(store.athlete)


async def list_athletes(request: Request) -> JSONResponse:
    """`GET /athletes`: the key's owner, then everyone it coaches or follows (`AthleteWithTags`)."""
    world = world_of(request)
    out = []
    for athlete_id in access_of(request).visible():
        store = world.store(athlete_id)
        with store.lock:
            athlete = store.athlete
            out.append({k: athlete.get(k) for k in ATHLETE_WITH_TAGS_KEYS})
    return JSONResponse(out)


async def list_sport_settings(request: Request) -> JSONResponse:
    store = check_athlete(request, "athleteId")
    with store.lock:
        return JSONResponse(store.athlete.get("sportSettings") or [])


async def list_activities(request: Request) -> JSONResponse:
    store = check_athlete(request)
    oldest_raw = request.query_params.get("oldest")
    if not oldest_raw:
        raise ApiError(422, OLDEST_MISSING)
    oldest = parse_moment(oldest_raw, end_of_day=False)
    newest_raw = request.query_params.get("newest")
    newest = (parse_moment(newest_raw, end_of_day=True) if newest_raw
              else parse_moment(store.today.isoformat(), end_of_day=True))
    limit = int_param(request, "limit")
    fields = list_param(request, "fields")
    found = store.list_activities(oldest, newest, limit)
    return JSONResponse([project(listed(a), fields) for a in found])


async def get_activities(request: Request) -> JSONResponse:
    store = check_athlete(request, "athleteId")
    ids = [i.strip() for i in request.path_params["ids"].split(",") if i.strip()]
    if any(i in _NOT_IDS for i in ids):
        raise HTTPException(404)  # another endpoint the fake does not serve: Spring's 404
    intervals = bool_param(request, "intervals")
    out = []
    for activity_id in ids:
        try:
            activity = store.get_activity(activity_id)
        except NotFound:
            continue
        if is_strava(activity):
            out.append(stub(activity))
        else:
            out.append(_with_intervals(store, activity) if intervals else activity)
    return JSONResponse(out)


async def get_activity(request: Request) -> JSONResponse:
    store, activity = readable(request)
    if bool_param(request, "intervals"):
        activity = _with_intervals(store, activity)
    return JSONResponse(activity)


async def get_intervals(request: Request) -> JSONResponse:
    store, activity = readable(request)
    return JSONResponse(store.get_intervals(activity["id"]))


async def get_streams(request: Request) -> JSONResponse:
    store, activity = readable(request)
    return JSONResponse(store.get_streams(activity["id"], list_param(request, "types")))


async def list_messages(request: Request) -> JSONResponse:
    store, activity = readable(request)
    return JSONResponse(messages.list_messages(store, activity, int_param(request, "sinceId"),
                                               int_param(request, "limit")))


async def post_message(request: Request) -> JSONResponse:
    store, activity = readable(request)
    body = await json_object(request)
    author = world_of(request).store(access_of(request).owner).athlete
    return JSONResponse(messages.post_message(store, activity, author, body))


async def put_activity(request: Request) -> JSONResponse:
    """PUT /activity/{id}: a partial update (see edits.py); answers the whole Activity."""
    store = activity_holder(request, request.path_params["id"])
    body = await json_object(request)
    activity = store.get_activity(request.path_params["id"])
    return JSONResponse(store.update_activity(activity["id"],
                                              **activity_changes(store, activity, body)))
