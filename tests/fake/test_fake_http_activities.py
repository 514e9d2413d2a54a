"""Activity endpoints over real HTTP: listing rules, Strava stubs, detail, intervals, streams."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fake_support import ATHLETE, TODAY

from intervals_mcp.fake import FakeStore
from intervals_mcp.fake.shapes import ACTIVITY_KEYS, STRAVA_NOTE

MILLIS_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")
LOCAL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")


def _native(store: FakeStore) -> dict[str, Any]:
    return next(a for a in sorted(store.activities.values(), key=lambda a: a["start_date_local"],
                                  reverse=True) if a["source"] != "STRAVA")


def _strava(store: FakeStore) -> dict[str, Any]:
    return next(a for a in store.activities.values() if a["source"] == "STRAVA")


def test_oldest_is_required(ro: httpx.Client) -> None:
    response = ro.get("/athlete/0/activities")
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "error": "Required request parameter 'oldest' for method parameter type String is not present",
    }


def test_list_is_newest_first_and_within_range(ro: httpx.Client, shared_store: FakeStore) -> None:
    body = ro.get("/athlete/0/activities", params={"oldest": "2026-10-26", "newest": "2026-11-24"}).json()
    starts = [a["start_date_local"] for a in body]
    assert starts == sorted(starts, reverse=True)
    assert all("2026-10-26T00:00:00" <= s <= "2026-11-24T23:59:59" for s in starts)
    expected = [a for a in shared_store.activities.values()
                if "2026-10-26" <= a["start_date_local"][:10] <= "2026-11-24"]
    assert len(body) == len(expected)
    assert 30 <= len(body) <= 50  # someone doing doubles: about 40 in 30 days


def test_newest_date_is_inclusive_and_datetime_bounds_are_exact(
    ro: httpx.Client, shared_store: FakeStore
) -> None:
    day = date.fromisoformat(_native(shared_store)["start_date_local"][:10])
    same_day = ro.get("/athlete/0/activities",
                      params={"oldest": day.isoformat(), "newest": day.isoformat()}).json()
    assert same_day and all(a["start_date_local"].startswith(day.isoformat()) for a in same_day)
    first_start = min(a["start_date_local"] for a in same_day)
    cut = datetime.fromisoformat(first_start) - timedelta(seconds=1)
    before = ro.get("/athlete/0/activities",
                    params={"oldest": day.isoformat(), "newest": cut.isoformat()}).json()
    assert before == []
    exact = ro.get("/athlete/0/activities",
                   params={"oldest": first_start, "newest": first_start}).json()
    assert [a["start_date_local"] for a in exact] == [first_start]


def test_limit_keeps_the_newest(ro: httpx.Client) -> None:
    params = {"oldest": "2026-09-01", "newest": "2026-11-24"}
    everything = ro.get("/athlete/0/activities", params=params).json()
    limited = ro.get("/athlete/0/activities", params=params | {"limit": 5}).json()
    assert limited == everything[:5]


def test_fields_projection_drops_nulls(ro: httpx.Client) -> None:
    body = ro.get("/athlete/0/activities", params={
        "oldest": "2026-09-01", "fields": "id,start_date_local,icu_sync_date,kg_lifted,type"}).json()
    assert body
    for item in body:
        assert set(item) <= {"id", "start_date_local", "icu_sync_date", "kg_lifted", "type"}
        assert None not in item.values()
    assert any("kg_lifted" not in item for item in body)


def test_full_payloads_with_nulls_and_exact_timestamp_forms(ro: httpx.Client) -> None:
    body = ro.get("/athlete/0/activities", params={"oldest": "2026-11-01"}).json()
    full = [a for a in body if a.get("source") != "STRAVA"]
    assert full
    for activity in full:
        assert set(ACTIVITY_KEYS) <= set(activity)
        assert None in activity.values()  # nulls are sent, not omitted
        assert LOCAL.match(activity["start_date_local"])
        assert activity["start_date"].endswith("Z")
        for marker in ("created", "icu_sync_date", "analyzed"):
            assert MILLIS_UTC.match(activity[marker]), activity[marker]
        assert "icu_intervals" not in activity


def test_strava_activities_are_five_key_stubs_in_lists(ro: httpx.Client, shared_store: FakeStore) -> None:
    strava = _strava(shared_store)
    day = strava["start_date_local"][:10]
    body = ro.get("/athlete/0/activities", params={"oldest": day, "newest": day}).json()
    stub = next(a for a in body if a["id"] == strava["id"])
    assert stub == {"id": strava["id"], "icu_athlete_id": ATHLETE,
                    "start_date_local": strava["start_date_local"], "source": "STRAVA",
                    "_note": STRAVA_NOTE}
    assert not strava["id"].startswith("i")


@pytest.mark.parametrize("suffix", ["", "?intervals=true", "/intervals", "/streams", "/streams.json"])
def test_strava_details_are_422(ro: httpx.Client, shared_store: FakeStore, suffix: str) -> None:
    response = ro.get(f"/activity/{_strava(shared_store)['id']}{suffix}")
    assert response.status_code == 422
    assert response.json() == {"status": 422, "error": "Cannot read Strava activities via the API"}


def test_activities_by_ids(ro: httpx.Client, shared_store: FakeStore) -> None:
    native, strava = _native(shared_store), _strava(shared_store)
    body = ro.get(f"/athlete/{ATHLETE}/activities/{native['id']},i1,{strava['id']}").json()
    assert [a["id"] for a in body] == [native["id"], strava["id"]]
    assert body[0]["name"] == native["name"] and "icu_intervals" not in body[0]
    assert set(body[1]) == {"id", "icu_athlete_id", "start_date_local", "source", "_note"}
    with_intervals = ro.get(f"/athlete/0/activities/{native['id']}?intervals=true").json()
    assert with_intervals[0]["icu_intervals"]


def test_activity_detail_and_intervals(ro: httpx.Client, shared_store: FakeStore) -> None:
    native = _native(shared_store)
    plain = ro.get(f"/activity/{native['id']}").json()
    assert plain == native
    detailed = ro.get(f"/activity/{native['id']}", params={"intervals": "true"}).json()
    assert {k: v for k, v in detailed.items() if k not in ("icu_intervals", "icu_groups")} == native
    dto = ro.get(f"/activity/{native['id']}/intervals").json()
    assert set(dto) == {"id", "analyzed", "icu_intervals", "icu_groups"}
    assert dto["id"] == native["id"] and dto["analyzed"] == native["analyzed"]
    assert dto["icu_intervals"] == detailed["icu_intervals"]
    intervals = dto["icu_intervals"]
    assert intervals[0]["start_time"] == 0
    assert intervals[-1]["end_time"] == native["moving_time"]
    assert all(a["end_time"] == b["start_time"] for a, b in itertools.pairwise(intervals))
    grouped = {i["group_id"] for i in intervals if i["group_id"]}
    assert grouped == {g["id"] for g in dto["icu_groups"]}


def test_streams_bare_and_json_and_types_filter(ro: httpx.Client, shared_store: FakeStore) -> None:
    native = _native(shared_store)
    bare = ro.get(f"/activity/{native['id']}/streams").json()
    dotted = ro.get(f"/activity/{native['id']}/streams.json").json()
    assert bare == dotted
    assert [s["type"] for s in bare] == native["stream_types"]
    lengths = {len(s["data"]) for s in bare}
    assert len(lengths) == 1  # every stream covers the same samples
    only = ro.get(f"/activity/{native['id']}/streams", params={"types": "heartrate,time"}).json()
    assert sorted(s["type"] for s in only) == ["heartrate", "time"]
    repeated = ro.get(f"/activity/{native['id']}/streams?types=heartrate&types=time").json()
    assert repeated == only


def test_custom_activity_fields_appear(shared_store: FakeStore) -> None:
    assert any("VO2MaxGarmin" in a for a in shared_store.activities.values())


def test_bad_date_is_rejected(ro: httpx.Client) -> None:
    response = ro.get("/athlete/0/activities", params={"oldest": "yesterday"})
    assert response.status_code == 422
    assert "yesterday" in response.json()["error"]


def test_default_newest_is_today(ro: httpx.Client) -> None:
    body = ro.get("/athlete/0/activities", params={"oldest": (TODAY - timedelta(days=3)).isoformat()}).json()
    assert body and body[0]["start_date_local"][:10] <= TODAY.isoformat()
