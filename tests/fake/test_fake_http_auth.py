"""Authentication, athlete ids and the service's error bodies, over real HTTP."""

from __future__ import annotations

import base64
from datetime import datetime

import httpx
import pytest
from fake_support import ATHLETE, KEY

from intervals_mcp.fake import FakeIntervals


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_missing_credentials_get_401_with_challenge(shared_fake: FakeIntervals) -> None:
    response = httpx.get(f"{shared_fake.base_url}/athlete/0")
    assert response.status_code == 401
    assert response.json() == {"status": 401, "error": "Unauthorized"}
    assert response.headers["www-authenticate"].startswith("Basic")


def test_empty_password_gets_401(shared_fake: FakeIntervals) -> None:
    response = httpx.get(f"{shared_fake.base_url}/athlete/0", headers=_basic("API_KEY", ""))
    assert response.status_code == 401


@pytest.mark.parametrize(
    "headers",
    [
        _basic("API_KEY", "wrong-key"),
        _basic(ATHLETE, KEY),  # the athlete id as user name: a classic mistake
        {"Authorization": f"Bearer {KEY}"},  # an API key is not a bearer token
    ],
    ids=["wrong-key", "wrong-user", "bearer"],
)
def test_wrong_credentials_get_403_access_denied(
    shared_fake: FakeIntervals, headers: dict[str, str]
) -> None:
    response = httpx.get(f"{shared_fake.base_url}/athlete/0", headers=headers)
    assert response.status_code == 403
    assert response.json() == {"status": 403, "error": "Access denied"}


def test_athlete_zero_and_own_id_are_the_same_athlete(ro: httpx.Client) -> None:
    by_zero = ro.get("/athlete/0")
    by_id = ro.get(f"/athlete/{ATHLETE}")
    assert by_zero.status_code == by_id.status_code == 200
    assert by_zero.json() == by_id.json()
    assert by_id.json()["id"] == ATHLETE


@pytest.mark.parametrize(
    "path",
    ["/athlete/i999", "/athlete/i999/activities?oldest=2026-01-01", "/athlete/i999/wellness",
     "/athlete/i999/events", "/athlete/i999/sport-settings", "/athlete/2049151/events/1"],
)
def test_foreign_athlete_gets_403(ro: httpx.Client, path: str) -> None:
    response = ro.get(path)
    assert response.status_code == 403
    assert response.json() == {"status": 403, "error": "Access denied"}


def test_unknown_path_gets_spring_style_404(ro: httpx.Client) -> None:
    response = ro.get("/athlete/0/fitness")
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"timestamp", "status", "error", "path"}
    assert body["status"] == 404 and body["error"] == "Not Found"
    assert body["path"] == "/api/v1/athlete/0/fitness"
    assert datetime.fromisoformat(body["timestamp"]).utcoffset() is not None


def test_csv_extension_is_not_served(ro: httpx.Client) -> None:
    assert ro.get("/athlete/0/wellness.csv").status_code == 404


def test_wrong_method_gets_405(ro: httpx.Client) -> None:
    response = ro.delete("/athlete/0/activities?oldest=2026-01-01")
    assert response.status_code == 405
    assert response.json()["status"] == 405
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize(
    "path", ["/activity/i1", "/activity/i1/intervals", "/activity/i1/streams", "/athlete/0/events/1",
             "/athlete/0/wellness/2001-01-01"],
)
def test_missing_entity_gets_short_404(ro: httpx.Client, path: str) -> None:
    response = ro.get(path)
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"status", "error"} and body["status"] == 404
    assert body["error"]


def test_api_key_not_in_repr(fake: FakeIntervals) -> None:
    assert KEY not in repr(fake)
