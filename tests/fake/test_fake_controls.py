"""The test knobs over real HTTP: latency, rate limit, faults, the request log, upstream edits."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import httpx
import pytest
from fake_support import ATHLETE, KEY, TODAY, client_for

from intervals_mcp.fake import FakeIntervals, Fault, RateLimit, generate_athlete


def test_latency_is_added_to_every_request(fake: FakeIntervals, client: httpx.Client) -> None:
    fake.latency = 0.2
    started = time.monotonic()
    assert client.get("/athlete/0").status_code == 200
    assert time.monotonic() - started >= 0.2
    fake.latency = 0.0
    started = time.monotonic()
    client.get("/athlete/0")
    assert time.monotonic() - started < 0.2


@pytest.mark.parametrize("retry_after", [1.0, None])
def test_rate_limit_answers_429_over_the_burst(
    fake: FakeIntervals, client: httpx.Client, retry_after: float | None
) -> None:
    fake.rate_limit = RateLimit(per_second=1.0, burst=3, retry_after=retry_after)
    responses = [client.get("/athlete/0/sport-settings") for _ in range(5)]
    assert [r.status_code for r in responses[:3]] == [200, 200, 200]
    limited = responses[3]
    assert limited.status_code == 429
    assert limited.json() == {"status": 429, "error": "Too Many Requests"}
    assert limited.headers.get("retry-after") == ("1" if retry_after else None)
    fake.rate_limit = None
    assert client.get("/athlete/0/sport-settings").status_code == 200


def test_default_rate_limit_is_ten_per_second_with_burst_twenty() -> None:
    store = generate_athlete(seed=3, years=0.1, today=TODAY)
    with FakeIntervals(store, api_key=KEY) as fake, client_for(fake) as client:
        assert fake.rate_limit == RateLimit(per_second=10.0, burst=20, retry_after=1.0)
        statuses = [client.get("/athlete/0/sport-settings").status_code for _ in range(40)]
    assert 429 in statuses
    assert statuses[:20] == [200] * 20


def test_status_fault_respects_times_and_methods(fake: FakeIntervals, client: httpx.Client) -> None:
    fake.inject(Fault(kind="status", status=503, times=2, methods=frozenset({"GET"})))
    day = (TODAY - timedelta(days=1)).isoformat()
    put = client.put(f"/athlete/0/wellness/{day}", json={"mood": 2})
    assert put.status_code == 200  # PUT does not match a GET-only fault
    first, second, third = (client.get("/athlete/0") for _ in range(3))
    assert first.status_code == second.status_code == 503
    assert first.json()["error"] == "Service Unavailable" and first.json()["path"] == "/api/v1/athlete/0"
    assert third.status_code == 200
    assert fake.pending_faults == []


def test_fault_path_filter(fake: FakeIntervals, client: httpx.Client) -> None:
    fake.inject(Fault(kind="status", status=500, path_contains="/wellness"))
    assert client.get("/athlete/0").status_code == 200
    assert client.get("/athlete/0/wellness").status_code == 500
    assert client.get("/athlete/0/wellness").status_code == 200


@pytest.mark.parametrize("retry_after", [2.0, None])
def test_rate_limit_fault(fake: FakeIntervals, client: httpx.Client, retry_after: float | None) -> None:
    fake.inject(Fault(kind="rate_limit", retry_after=retry_after))
    response = client.get("/athlete/0")
    assert response.status_code == 429
    assert response.headers.get("retry-after") == ("2" if retry_after else None)


def test_hang_fault_delays_then_answers(fake: FakeIntervals, client: httpx.Client) -> None:
    fake.inject(Fault(kind="hang", seconds=0.3))
    started = time.monotonic()
    assert client.get("/athlete/0").status_code == 200
    assert time.monotonic() - started >= 0.3
    fake.inject(Fault(kind="hang", seconds=30))
    with pytest.raises(httpx.ReadTimeout):
        client.get("/athlete/0", timeout=0.3)


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [("truncated_json", "application/json"), ("invalid_json", "application/json"),
     ("html", "text/html")],
)
def test_broken_body_faults(fake: FakeIntervals, client: httpx.Client, kind: str, content_type: str) -> None:
    fake.inject(Fault(kind=kind))  # type: ignore[arg-type]
    response = client.get("/athlete/0/sport-settings")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    with pytest.raises(ValueError):
        response.json()
    assert client.get("/athlete/0/sport-settings").json()  # next one is fine


def test_reset_fault_drops_the_connection(fake: FakeIntervals, client: httpx.Client) -> None:
    fake.inject(Fault(kind="reset"))
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        client.get("/athlete/0")
    assert fake.requests[-1].status == 0
    assert client.get("/athlete/0").status_code == 200


def test_payload_damage_faults(fake: FakeIntervals, client: httpx.Client) -> None:
    params = {"oldest": (TODAY - timedelta(days=7)).isoformat()}
    clean = client.get("/athlete/0/activities", params=params).json()
    fake.inject(Fault(kind="null_fields", fields=frozenset({"name", "start_date_local"})))
    nulled = client.get("/athlete/0/activities", params=params).json()
    assert [a["id"] for a in nulled] == [a["id"] for a in clean]
    assert all(a["name"] is None and a["start_date_local"] is None for a in nulled)
    fake.inject(Fault(kind="missing_fields"))
    stripped = client.get("/athlete/0/activities", params=params).json()
    assert all(set(a) == {"id"} for a in stripped)


def test_request_log(fake: FakeIntervals, client: httpx.Client) -> None:
    fake.clear_log()
    client.get("/athlete/0/activities", params={"oldest": "2026-11-01", "limit": "3"})
    client.get("/athlete/0/nothing-here")
    log = fake.requests
    assert [(r.method, r.path, r.status) for r in log] == [
        ("GET", "/api/v1/athlete/0/activities", 200), ("GET", "/api/v1/athlete/0/nothing-here", 404)]
    assert log[0].query == {"oldest": "2026-11-01", "limit": "3"}
    assert log[0].at <= log[1].at <= time.monotonic()
    fake.clear_log()
    assert fake.requests == []


def test_stop_is_prompt_while_a_request_hangs() -> None:
    store = generate_athlete(seed=3, years=0.1, today=TODAY)
    fake = FakeIntervals(store, api_key=KEY, rate_limit=None).start()
    fake.inject(Fault(kind="hang", seconds=60))
    errors: list[BaseException] = []

    def call() -> None:
        try:
            httpx.get(f"{fake.base_url}/athlete/0", auth=("API_KEY", KEY), timeout=30)
        except httpx.HTTPError as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    time.sleep(0.3)
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 2.0
    caller.join(5)
    assert not caller.is_alive() and errors  # the hanging client saw its connection go


def test_upstream_activity_edit_bumps_markers(fake: FakeIntervals, client: httpx.Client) -> None:
    params = {"oldest": (TODAY - timedelta(days=20)).isoformat()}
    listed = [a for a in client.get("/athlete/0/activities", params=params).json()
              if a.get("source") != "STRAVA"]
    target = listed[-1]
    dto_before = client.get(f"/activity/{target['id']}/intervals").json()
    day = target["start_date_local"][:10]
    wellness_before = client.get(f"/athlete/0/wellness/{day}").json()
    fake.store.update_activity(target["id"], name="Renamed upstream",
                               icu_training_load=target["icu_training_load"] + 50)
    after = client.get(f"/activity/{target['id']}").json()
    assert after["name"] == "Renamed upstream"
    assert after["icu_sync_date"] > target["icu_sync_date"]
    assert after["analyzed"] > target["analyzed"]
    assert client.get(f"/activity/{target['id']}/intervals").json()["analyzed"] == after["analyzed"]
    assert dto_before["analyzed"] == target["analyzed"]
    wellness_after = client.get(f"/athlete/0/wellness/{day}").json()
    assert wellness_after["ctl"] > wellness_before["ctl"]  # fitness recomputed from the new load
    assert wellness_after["updated"] > wellness_before["updated"]


def test_upstream_deletion_removes_from_lists(fake: FakeIntervals, client: httpx.Client) -> None:
    params = {"oldest": (TODAY - timedelta(days=20)).isoformat()}
    target = client.get("/athlete/0/activities", params=params).json()[3]
    fake.store.delete_activity(target["id"])
    ids = [a["id"] for a in client.get("/athlete/0/activities", params=params).json()]
    assert target["id"] not in ids
    assert client.get(f"/activity/{target['id']}").status_code == 404
    assert client.get(f"/athlete/{ATHLETE}/activities/{target['id']}").json() == []


def test_upstream_event_and_wellness_edits(fake: FakeIntervals, client: httpx.Client) -> None:
    event = client.get("/athlete/0/events").json()[0]
    fake.store.update_event(event["id"], name="Moved upstream")
    changed = client.get(f"/athlete/0/events/{event['id']}").json()
    assert changed["name"] == "Moved upstream" and changed["updated"] > event["updated"]
    fake.store.delete_event(event["id"])
    assert client.get(f"/athlete/0/events/{event['id']}").status_code == 404
    day = TODAY.isoformat()
    fake.store.update_wellness(TODAY, comments="Upstream note")
    assert client.get(f"/athlete/0/wellness/{day}").json()["comments"] == "Upstream note"
    fake.store.delete_wellness(TODAY)
    assert client.get(f"/athlete/0/wellness/{day}").status_code == 404
