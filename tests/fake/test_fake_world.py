"""Several athletes behind one fake: coach and athlete keys, `/athletes`, activities by id,
time zones and ids that never clash, over real HTTP."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from fake_support import TODAY, client_for

from intervals_mcp.fake import Access, FakeIntervals, FakeStore, FakeWorld, generate_athlete

COACH, ANN, BOB = "i100", "i201", "i202"
COACH_KEY, ANN_KEY, BOB_KEY = "coach-key", "ann-key", "bob-key"
DENIED = {"status": 403, "error": "Access denied"}


def _athletes() -> tuple[FakeStore, FakeStore, FakeStore]:
    return (generate_athlete(seed=1, years=0.25, today=TODAY, athlete_id=COACH),
            generate_athlete(seed=2, years=0.25, today=TODAY, athlete_id=ANN,
                             timezone="Australia/Sydney"),
            generate_athlete(seed=3, years=0.25, today=TODAY, athlete_id=BOB,
                             timezone="America/Denver"))


def _world() -> FakeWorld:
    coach, ann, bob = _athletes()
    return FakeWorld.coach(coach, [ann], key=COACH_KEY, follows=[bob],
                           athlete_keys={ANN: ANN_KEY, BOB: BOB_KEY})


@pytest.fixture(scope="module")
def _server() -> Iterator[FakeIntervals]:
    with FakeIntervals(_world(), rate_limit=None) as fake:
        yield fake


@pytest.fixture
def world_fake(_server: FakeIntervals) -> FakeIntervals:
    _server.world = _world()
    _server.reset()
    return _server


@pytest.fixture
def coach(world_fake: FakeIntervals) -> Iterator[httpx.Client]:
    with client_for(world_fake, COACH_KEY) as client:
        yield client


@pytest.fixture
def ann(world_fake: FakeIntervals) -> Iterator[httpx.Client]:
    with client_for(world_fake, ANN_KEY) as client:
        yield client


def _native(store: FakeStore) -> dict[str, object]:
    return max((a for a in store.activities.values() if a["source"] != "STRAVA"),
               key=lambda a: a["start_date_local"])


def test_athlete_zero_is_the_key_owner(coach: httpx.Client, ann: httpx.Client) -> None:
    assert coach.get("/athlete/0").json()["id"] == COACH
    assert ann.get("/athlete/0").json()["id"] == ANN


def test_coach_reads_coached_and_followed_athletes(coach: httpx.Client) -> None:
    for athlete in (COACH, ANN, BOB):
        response = coach.get(f"/athlete/{athlete}")
        assert response.status_code == 200 and response.json()["id"] == athlete
        wellness = coach.get(f"/athlete/{athlete}/wellness", params={"oldest": TODAY.isoformat()})
        assert wellness.status_code == 200 and wellness.json()
    assert coach.get("/athlete/i999").json() == DENIED


def test_athlete_key_reads_only_itself(ann: httpx.Client) -> None:
    assert ann.get(f"/athlete/{ANN}").status_code == 200
    for other in (COACH, BOB):
        response = ann.get(f"/athlete/{other}/events")
        assert response.status_code == 403 and response.json() == DENIED


def test_coach_writes_coached_but_not_followed(world_fake: FakeIntervals, coach: httpx.Client) -> None:
    day = TODAY.isoformat()
    written = coach.put(f"/athlete/{ANN}/wellness/{day}", json={"comments": "from the coach"})
    assert written.status_code == 200
    assert world_fake.world.store(ANN).get_wellness(day)["comments"] == "from the coach"
    before = world_fake.world.store(BOB).get_wellness(day)
    refused = coach.put(f"/athlete/{BOB}/wellness/{day}", json={"comments": "nope"})
    assert refused.status_code == 403 and refused.json() == DENIED
    assert world_fake.world.store(BOB).get_wellness(day) == before
    assert world_fake.world.store(COACH).get_wellness(day)["comments"] != "from the coach"


def test_list_athletes(coach: httpx.Client, ann: httpx.Client) -> None:
    listed = coach.get("/athletes").json()
    assert [a["id"] for a in listed] == [COACH, ANN, BOB]
    assert {a["timezone"] for a in listed} == {"Europe/London", "Australia/Sydney", "America/Denver"}
    assert "sportSettings" not in listed[0] and "icu_tags" in listed[0]
    assert [a["id"] for a in ann.get("/athletes").json()] == [ANN]


@pytest.mark.parametrize("suffix", ["", "/intervals", "/streams"])
def test_activity_by_id_is_found_in_its_owner(
    world_fake: FakeIntervals, coach: httpx.Client, ann: httpx.Client, suffix: str
) -> None:
    activity = _native(world_fake.world.store(ANN))
    by_coach = coach.get(f"/activity/{activity['id']}{suffix}")
    assert by_coach.status_code == 200
    assert by_coach.json() == ann.get(f"/activity/{activity['id']}{suffix}").json()
    if not suffix:
        assert by_coach.json()["icu_athlete_id"] == ANN
    with client_for(world_fake, BOB_KEY) as bob:
        refused = bob.get(f"/activity/{activity['id']}{suffix}")
    assert refused.status_code == 403 and refused.json() == DENIED
    assert coach.get(f"/activity/i1{suffix}").status_code == 404


def test_activity_lists_hold_only_the_owners_activities(
    world_fake: FakeIntervals, coach: httpx.Client
) -> None:
    bob = world_fake.world.store(BOB)
    activity = _native(bob)
    assert coach.get(f"/activity/{activity['id']}").json()["icu_athlete_id"] == BOB
    with client_for(world_fake, BOB_KEY) as own:
        assert own.get(f"/athlete/0/activities/{activity['id']}").json()[0]["id"] == activity["id"]
    assert coach.get(f"/athlete/{COACH}/activities/{activity['id']}").json() == []  # not the coach's


def test_coach_comments_and_items_on_coached_athletes_only(
    world_fake: FakeIntervals, coach: httpx.Client
) -> None:
    ann_ride, bob_ride = (_native(world_fake.world.store(a)) for a in (ANN, BOB))
    posted = coach.post(f"/activity/{ann_ride['id']}/messages", json={"content": "Well paced"})
    assert posted.status_code == 200
    last = coach.get(f"/activity/{ann_ride['id']}/messages").json()[-1]
    assert (last["athlete_id"], last["content"]) == (COACH, "Well paced")  # written by the key owner
    refused = coach.post(f"/activity/{bob_ride['id']}/messages", json={"content": "Hi"})
    assert refused.status_code == 403 and refused.json() == DENIED
    item = {"name": "Team chart", "type": "FITNESS_CHART"}
    assert coach.post(f"/athlete/{ANN}/custom-item", json=item).json()["athlete_id"] == ANN
    assert coach.post(f"/athlete/{BOB}/custom-item", json=item).status_code == 403
    assert coach.get(f"/athlete/{BOB}/gear").status_code == 200


def test_time_zone_is_per_athlete_and_start_dates_agree() -> None:
    store = generate_athlete(seed=4, years=0.1, today=TODAY, athlete_id="i300",
                             timezone="Pacific/Kiritimati")
    zone = ZoneInfo("Pacific/Kiritimati")
    assert store.athlete["timezone"] == "Pacific/Kiritimati"
    for activity in store.activities.values():
        assert activity["timezone"] == "Pacific/Kiritimati"
        local = datetime.fromisoformat(activity["start_date_local"]).replace(tzinfo=zone)
        utc = datetime.fromisoformat(activity["start_date"].replace("Z", "+00:00"))
        assert local == utc and utc.utcoffset() == timedelta(0)
    assert generate_athlete(seed=4, years=0.1, today=TODAY).athlete["timezone"] == "Europe/London"


def test_default_today_is_the_athletes_today() -> None:
    zone = ZoneInfo("Pacific/Kiritimati")  # UTC+14: a day ahead of most machines
    before = datetime.now(zone).date()
    store = generate_athlete(seed=4, years=0.02, athlete_id="i300", timezone="Pacific/Kiritimati")
    assert store.today in {before, datetime.now(zone).date()}


def test_unknown_time_zone_is_one_clear_sentence() -> None:
    with pytest.raises(ValueError, match="Unknown time zone 'Mars/Olympus'"):
        generate_athlete(seed=4, years=0.02, timezone="Mars/Olympus")


def test_generated_athletes_never_share_ids() -> None:
    stores = _athletes()
    for kind in ("activities", "events"):
        seen: set[object] = set()
        for store in stores:
            ids = set(getattr(store, kind))
            assert not seen & ids, kind
            seen |= ids


def test_world_refuses_clashing_ids_and_duplicate_athletes() -> None:
    coach, ann, _ = _athletes()
    with pytest.raises(ValueError, match="appears twice"):
        FakeWorld.coach(coach, [coach], key="k")
    twin = FakeStore(ann.athlete | {"id": "i777"}, copy.deepcopy(list(ann.activities.values())),
                     [], [], today=TODAY)
    with pytest.raises(ValueError, match="belongs to both i201 and i777"):
        FakeWorld.coach(coach, [ann, twin], key="k")
    with pytest.raises(ValueError, match="i201 has no store"):
        FakeWorld.single(coach, key="k").add_key("k2", Access(ANN))


def test_created_ids_are_unique_across_athletes(coach: httpx.Client) -> None:
    body = {"category": "NOTE", "start_date_local": f"{TODAY}T00:00:00", "name": "Check-in"}
    first = coach.post(f"/athlete/{COACH}/events", json=body).json()
    second = coach.post(f"/athlete/{ANN}/events", json=body).json()
    assert first["id"] != second["id"]
    assert (first["athlete_id"], second["athlete_id"]) == (COACH, ANN)
    assert second["created_by_id"] == COACH  # the coach wrote it into Ann's calendar


def test_coach_edits_coached_activities_only(world_fake: FakeIntervals, coach: httpx.Client) -> None:
    ann_ride, bob_ride = (_native(world_fake.world.store(a)) for a in (ANN, BOB))
    assert coach.put(f"/activity/{ann_ride['id']}", json={"icu_rpe": 5}).json()["icu_rpe"] == 5
    refused = coach.put(f"/activity/{bob_ride['id']}", json={"icu_rpe": 5})
    assert refused.status_code == 403 and refused.json() == DENIED
    assert world_fake.world.store(BOB).get_activity(bob_ride["id"]) == bob_ride
    assert coach.delete(f"/athlete/{BOB}/events", params={
        "oldest": TODAY.isoformat(), "category": "WORKOUT"}).status_code == 403


def test_replacing_the_primary_store_keeps_the_keys(world_fake: FakeIntervals, coach: httpx.Client) -> None:
    assert world_fake.store.athlete_id == COACH
    world_fake.store = generate_athlete(seed=9, years=0.05, today=TODAY, athlete_id="i150")
    assert coach.get("/athlete/0").json()["id"] == "i150"
    assert coach.get(f"/athlete/{ANN}").status_code == 200
    assert world_fake.athlete_id == "i150"


def test_a_world_brings_its_own_keys() -> None:
    with pytest.raises(ValueError, match="brings its own API keys"):
        FakeIntervals(_world(), api_key="another")
