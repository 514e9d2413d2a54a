"""The "late" and "lost_answer" faults over real HTTP: old snapshots that arrive after newer
ones, and writes that happen although their answer never arrives."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import httpx
import pytest
from fake_support import KEY, TODAY, client_for

from intervals_mcp.fake import FakeIntervals, Fault


def _in_thread(fake: FakeIntervals, method: str, path: str, **kwargs: object) -> tuple[
        threading.Thread, list[httpx.Response | BaseException], list[float]]:
    """Send one request from another thread; its outcome and arrival time land in the lists."""
    outcome: list[httpx.Response | BaseException] = []
    arrived: list[float] = []

    def run() -> None:
        try:
            with client_for(fake) as client:
                outcome.append(client.request(method, path, **kwargs))  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            outcome.append(exc)
        arrived.append(time.monotonic())

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome, arrived


def test_late_answer_is_the_snapshot_taken_on_arrival(fake: FakeIntervals, client: httpx.Client) -> None:
    day = (TODAY - timedelta(days=2)).isoformat()
    fake.store.update_wellness(day, comments="old")
    fake.inject(Fault(kind="late", seconds=0.6, path_contains=f"/wellness/{day}"))
    thread, outcome, arrived = _in_thread(fake, "GET", f"/athlete/0/wellness/{day}")
    deadline = time.monotonic() + 5
    while not fake.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)  # the late request has been read; upstream changes now
    fake.store.update_wellness(day, comments="new")
    fresh = client.get(f"/athlete/0/wellness/{day}")
    fresh_at = time.monotonic()
    thread.join(5)
    late = outcome[0]
    assert isinstance(late, httpx.Response) and late.status_code == 200
    assert fresh.json()["comments"] == "new"
    assert late.json()["comments"] == "old"  # the older snapshot ...
    assert arrived[0] > fresh_at  # ... arrives after the newer one
    assert late.json()["updated"] < fresh.json()["updated"]
    assert [r.status for r in fake.requests] == [200, 200]


def test_late_write_is_applied_before_its_answer(fake: FakeIntervals) -> None:
    day = (TODAY - timedelta(days=1)).isoformat()
    fake.inject(Fault(kind="late", seconds=0.5, methods=frozenset({"PUT"})))
    started = time.monotonic()
    thread, outcome, _ = _in_thread(fake, "PUT", f"/athlete/0/wellness/{day}", json={"mood": 4})
    deadline = time.monotonic() + 5
    while fake.store.get_wellness(day)["mood"] != 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert thread.is_alive()  # written upstream, answer still held back
    thread.join(5)
    answer = outcome[0]
    assert isinstance(answer, httpx.Response) and answer.json()["mood"] == 4
    assert time.monotonic() - started >= 0.5


def test_lost_answer_applies_the_write_then_resets(fake: FakeIntervals, client: httpx.Client) -> None:
    body = [{"category": "WORKOUT", "type": "Ride", "name": "Lost", "external_id": "plan-1",
             "start_date_local": f"{TODAY + timedelta(days=3)}T00:00:00", "description": "- 30m 60%"}]
    fake.inject(Fault(kind="lost_answer", methods=frozenset({"POST"})))
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        client.post("/athlete/0/events/bulk", params={"upsert": "true"}, json=body)
    assert fake.requests[-1].status == 0
    created = [e for e in fake.store.events.values() if e.get("external_id") == "plan-1"]
    assert len(created) == 1  # the write happened
    retry = client.post("/athlete/0/events/bulk", params={"upsert": "true"}, json=body)
    assert retry.status_code == 200 and retry.json()[0]["id"] == created[0]["id"]
    assert len([e for e in fake.store.events.values() if e.get("external_id") == "plan-1"]) == 1


def test_lost_answer_needs_valid_credentials_first(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="lost_answer"))
    with client_for(fake, key=KEY + "-wrong") as wrong:
        assert wrong.get("/athlete/0").status_code == 403  # refused before the fault applies
    assert fake.pending_faults == []


def test_stop_is_prompt_while_a_late_answer_waits(fake: FakeIntervals) -> None:
    fake.inject(Fault(kind="late", seconds=60))
    thread, outcome, _ = _in_thread(fake, "GET", "/athlete/0")
    time.sleep(0.3)
    started = time.monotonic()
    fake.stop()
    try:
        assert time.monotonic() - started < 2.0
        thread.join(5)
        assert isinstance(outcome[0], httpx.HTTPError)
    finally:
        fake.start()
