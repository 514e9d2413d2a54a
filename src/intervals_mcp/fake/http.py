"""Request helpers shared by the fake's routes: errors, access checks, query parsing."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from intervals_mcp.fake.store import FakeStore
from intervals_mcp.fake.world import Access, FakeWorld

# Where the gateway leaves the authenticated key's Access in the ASGI scope.
ACCESS_SCOPE_KEY = "intervals_fake.access"
OLDEST_MISSING = "Required request parameter 'oldest' for method parameter type String is not present"
STRAVA_BLOCKED = "Cannot read Strava activities via the API"


class ApiError(Exception):
    """An error the service answers with its short body `{"status": …, "error": …}`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": status, "error": message}, status_code=status)


def world_of(request: Request) -> FakeWorld:
    world: FakeWorld = request.app.state.world
    return world


def access_of(request: Request) -> Access:
    """The calling key's access (the primary athlete's own when no gateway stood in front)."""
    access = request.scope.get(ACCESS_SCOPE_KEY)
    if isinstance(access, Access):
        return access
    return Access(world_of(request).primary_id)


def check_athlete(request: Request, param: str = "id") -> FakeStore:
    """The athlete the path names (`0`: the key's owner), or 403 unless the key may read it
    (GET) or write it (any other method)."""
    access = access_of(request)
    athlete_id = access.resolve(request.path_params[param])
    store = world_of(request).get(athlete_id)
    if store is None or not access.allows(athlete_id, request.method):
        raise ApiError(403, "Access denied")
    return store


def activity_holder(request: Request, activity_id: str) -> FakeStore:
    """The store holding the activity: 404 if none does, 403 if the key may not see (GET) or
    change (other methods) that athlete, as the live service refuses another's activity."""
    store = world_of(request).holder_of_activity(activity_id)
    if store is None:
        raise ApiError(404, f"Activity {activity_id} not found")
    if not access_of(request).allows(store.athlete_id, request.method):
        raise ApiError(403, "Access denied")
    return store


def parse_day(value: str) -> date:
    """A local date, or the date of a local date-time, as the service accepts in queries."""
    try:
        return date.fromisoformat(value[:10]) if len(value) > 10 else date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, f"Text '{value}' could not be parsed") from None


def parse_moment(value: str, *, end_of_day: bool) -> datetime:
    """A local date-time; a bare date means its start (or, for `newest`, its last second)."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, *((23, 59, 59) if end_of_day else ()))
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise ApiError(422, f"Text '{value}' could not be parsed") from None


def int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise ApiError(
            500,
            "org.springframework.web.method.annotation.MethodArgumentTypeMismatchException: "
            f"Failed to convert value of type 'java.lang.String' to required type "
            f"'java.lang.Integer'; For input string: \"{raw}\"",
        ) from None


def bool_param(request: Request, name: str, default: bool = False) -> bool:
    raw = request.query_params.get(name)
    return default if raw is None else raw.strip().lower() == "true"


def list_param(request: Request, name: str) -> list[str] | None:
    """A list query value, given as one comma list and/or repeated parameters."""
    values = request.query_params.getlist(name)
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def project(payload: dict[str, Any], fields: list[str] | None) -> dict[str, Any]:
    """`fields=`: only the named keys, and null values dropped (as the spec says)."""
    if fields is None:
        return payload
    wanted = set(fields)
    return {k: v for k, v in payload.items() if k in wanted and v is not None}


async def json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(400, "JSON parse error: the request body is not valid JSON") from None


async def json_object(request: Request) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError(400, "JSON parse error: expected a JSON object")
    return body


async def json_list(request: Request) -> list[dict[str, Any]]:
    body = await json_body(request)
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise ApiError(400, "JSON parse error: expected a JSON array of objects")
    return body
