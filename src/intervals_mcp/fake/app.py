"""The fake's Starlette application: the route table and the service's error bodies.

Every route here must exist (path and method) in the official OpenAPI document; a test checks
that by walking `routes`. Path extensions (`wellness{ext}`, `events{format}`, `streams{ext}`,
`gear{ext}`, `power-curves{ext}` …) take the bare and the `.json` form.
"""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from intervals_mcp.fake import routes_activities as act
from intervals_mcp.fake import routes_athlete as ath
from intervals_mcp.fake import routes_calendar as cal
from intervals_mcp.fake.errors import BadJson, Invalid, NotFound
from intervals_mcp.fake.http import ApiError, error_response
from intervals_mcp.fake.store import FakeStore
from intervals_mcp.fake.timefmt import iso_utc
from intervals_mcp.fake.world import FakeWorld, as_world

API = "/api/v1"


class JsonExtension(Convertor[str]):
    """`""` or `".json"` after a path segment, as in `/wellness{ext}`."""

    regex = r"(?:\.json)?"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("icu_json_ext", JsonExtension())

routes = [
    Route(f"{API}/athletes", act.list_athletes, methods=["GET"]),
    Route(f"{API}/athlete/{{id}}", act.get_athlete, methods=["GET"]),
    Route(f"{API}/athlete/{{athleteId}}/sport-settings", act.list_sport_settings, methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/activities", act.list_activities, methods=["GET"]),
    Route(f"{API}/athlete/{{athleteId}}/activities/{{ids}}", act.get_activities, methods=["GET"]),
    Route(f"{API}/activity/{{id}}", act.get_activity, methods=["GET"]),
    Route(f"{API}/activity/{{id}}", act.put_activity, methods=["PUT"]),
    Route(f"{API}/activity/{{id}}/intervals", act.get_intervals, methods=["GET"]),
    Route(f"{API}/activity/{{id}}/streams{{ext:icu_json_ext}}", act.get_streams, methods=["GET"]),
    Route(f"{API}/activity/{{id}}/messages", act.list_messages, methods=["GET"]),
    Route(f"{API}/activity/{{id}}/messages", act.post_message, methods=["POST"]),
    Route(f"{API}/athlete/{{id}}/power-curves{{ext:icu_json_ext}}", ath.power_curves,
          methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/hr-curves{{ext:icu_json_ext}}", ath.hr_curves, methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/pace-curves{{ext:icu_json_ext}}", ath.pace_curves,
          methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/gear{{ext:icu_json_ext}}", ath.list_gear, methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/custom-item", ath.list_custom_items, methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/custom-item", ath.create_custom_item, methods=["POST"]),
    Route(f"{API}/athlete/{{id}}/custom-item/{{itemId:int}}", ath.get_custom_item,
          methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/custom-item/{{itemId:int}}", ath.update_custom_item,
          methods=["PUT"]),
    Route(f"{API}/athlete/{{id}}/custom-item/{{itemId:int}}", ath.delete_custom_item,
          methods=["DELETE"]),
    Route(f"{API}/athlete/{{id}}/wellness{{ext:icu_json_ext}}", cal.list_wellness, methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/wellness/{{date}}", cal.get_wellness, methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/wellness/{{date}}", cal.put_wellness, methods=["PUT"]),
    Route(f"{API}/athlete/{{id}}/wellness", cal.put_wellness_record, methods=["PUT"]),
    Route(f"{API}/athlete/{{id}}/wellness-bulk", cal.put_wellness_bulk, methods=["PUT"]),
    Route(f"{API}/athlete/{{id}}/events{{format:icu_json_ext}}", cal.list_events, methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/events", cal.create_event, methods=["POST"]),
    Route(f"{API}/athlete/{{id}}/events", cal.delete_events, methods=["DELETE"]),
    Route(f"{API}/athlete/{{id}}/events/bulk", cal.create_events, methods=["POST"]),
    Route(f"{API}/athlete/{{id}}/events/bulk-delete", cal.delete_events_bulk, methods=["PUT"]),
    Route(f"{API}/athlete/{{id}}/events/{{eventId:int}}", cal.get_event, methods=["GET"]),
    Route(f"{API}/athlete/{{id}}/events/{{eventId:int}}", cal.put_event, methods=["PUT"]),
    Route(f"{API}/athlete/{{id}}/events/{{eventId:int}}", cal.delete_event, methods=["DELETE"]),
]


def spring_error(status: int, error: str, path: str) -> dict[str, object]:
    """Spring Boot's default error body, as the service sends for unknown paths."""
    return {"timestamp": iso_utc(datetime.now(UTC)), "status": status, "error": error,
            "path": path}


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message)


async def _not_found(request: Request, exc: Exception) -> Response:
    return error_response(404, str(exc))


async def _invalid(request: Request, exc: Exception) -> Response:
    return error_response(422, str(exc))


async def _bad_json(request: Request, exc: Exception) -> Response:
    return error_response(400, f"JSON parse error: {exc}")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONResponse(spring_error(exc.status_code, exc.detail, request.url.path),
                        status_code=exc.status_code, headers=exc.headers)


def build_app(target: FakeWorld | FakeStore, key: str = "test-key") -> Starlette:
    """The routes over a world (or one athlete's store, reachable with `key`)."""
    app = Starlette(routes=routes, exception_handlers={
        ApiError: _api_error, NotFound: _not_found, Invalid: _invalid, BadJson: _bad_json,
        HTTPException: _http_error})
    app.state.world = as_world(target, key)
    return app
