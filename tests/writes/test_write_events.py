"""Planned workouts and notes over the real MCP client, against the fake over real HTTP: each
write lands upstream, the cache shows it at once, dry runs send nothing, and a call repeated
after a lost answer leaves exactly one event."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from intervals_mcp.config import Settings
from intervals_mcp.fake import FakeIntervals, FakeStore, Fault

from .conftest import ATHLETE, connect, day, events_named, ok, sentence, text_of, writes_sent

pytestmark = pytest.mark.anyio

SWEET_SPOT = "Warmup\n- 15m 55%\n\n3x\n- 12m 90%\n- 5m 55%\n\nCooldown\n- 10m 50%"


def workout(name: str, offset: int = 3, **extra: object) -> dict[str, object]:
    return {
        "workout_type": "Ride",
        "name": name,
        "start_date": str(day(offset)),
        "description": SWEET_SPOT,
        **extra,
    }


async def test_a_workout_lands_upstream_with_its_steps_read_back(
    settings: Settings, fake: FakeIntervals
) -> None:
    async with connect(settings) as c:
        res = await c.call_tool("add_or_update_event", workout("Sweet spot"))
    data = ok(res)
    (upstream,) = events_named(fake.store, "Sweet spot")
    assert data["action"] == "created" and data["sent"] is True
    assert data["event_id"] == upstream["id"]
    assert upstream["description"] == SWEET_SPOT and upstream["category"] == "WORKOUT"
    assert upstream["start_date_local"] == f"{day(3)}T00:00:00" and upstream["type"] == "Ride"
    assert upstream["external_id"] == data["external_id"] and upstream["external_id"].startswith(
        "intervals-mcp-"
    )
    # Our reading: 15 + 3 x (12 + 5) + 10 minutes, 8 steps; the platform's own parse agrees.
    assert data["preview"][-1].startswith("Total 1:16, 8 steps")
    assert upstream["moving_time"] == (15 + 3 * 17 + 10) * 60
    assert data["platform"] == f"Intervals.icu parsed 8 steps, 1:16, load {upstream['icu_training_load']}."
    assert data["warnings"] == []
    assert (
        data["event"]["id"] == upstream["id"]
        and data["event"]["training_load"] == upstream["icu_training_load"]
    )
    text = text_of(res)
    assert text.startswith(f"Created event {upstream['id']} for athlete {ATHLETE}: {day(3)} WORKOUT Ride")
    assert "3x: 12m 90% · 5m 55%" in text


async def test_reads_show_the_new_event_at_once_with_no_request(
    settings: Settings, fake: FakeIntervals
) -> None:
    week = {"start_date": str(day(0)), "end_date": str(day(7))}
    async with connect(settings) as c:
        before = ok(await c.call_tool("get_events", week))
        created = ok(await c.call_tool("add_or_update_event", workout("Fresh", offset=4)))
        fake.clear_log()
        after = ok(await c.call_tool("get_events", week))
        one = ok(await c.call_tool("get_event_by_id", {"event_id": created["event_id"]}))
    assert fake.requests == [], "answered from the cache the write filled"
    assert after["total"] == before["total"] + 1
    assert created["event_id"] in [e["id"] for e in after["events"]]
    assert one["event"]["name"] == "Fresh"


async def test_a_dry_run_sends_nothing_and_shows_exactly_what_is_sent(
    settings: Settings, fake: FakeIntervals
) -> None:
    async with connect(settings) as c:
        dry = ok(await c.call_tool("add_or_update_event", {**workout("Dry"), "dry_run": True}))
        assert writes_sent(fake) == [] and events_named(fake.store, "Dry") == []
        real = ok(await c.call_tool("add_or_update_event", workout("Dry")))
    assert dry["action"] == "dry_run" and dry["sent"] is False and dry["event_id"] is None
    assert dry["request"]["method"] == "POST" and dry["request"]["path"] == f"/athlete/{ATHLETE}/events"
    assert real["request"] == dry["request"]
    (upstream,) = events_named(fake.store, "Dry")
    for key, value in dry["request"]["body"].items():
        assert upstream[key] == value, key
    assert dry["preview"] == real["preview"]


async def test_a_lost_answer_then_the_same_call_leaves_exactly_one_event(
    settings: Settings, fake: FakeIntervals
) -> None:
    args = workout("Lost and found", offset=5)
    fake.inject(Fault(kind="lost_answer", methods=frozenset({"POST"}), path_contains="/events"))
    async with connect(settings) as c:
        first = await c.call_tool("add_or_update_event", args)
        said = sentence(first, "add_or_update_event")
        assert len(events_named(fake.store, "Lost and found")) == 1, "the write happened upstream"
        retried = await c.call_tool("add_or_update_event", args)
        second = ok(retried)
        again = ok(await c.call_tool("add_or_update_event", args))
        listed = ok(await c.call_tool("get_events", {"start_date": str(day(5)), "end_date": str(day(5))}))
    assert "may have been applied" in said and "repeating the same call is safe" in said
    (upstream,) = events_named(fake.store, "Lost and found")
    assert second["event_id"] == again["event_id"] == upstream["id"]
    assert second["action"] == "updated" and second["request"]["method"] == "PUT"
    assert "updated, not duplicated" in text_of(retried)
    assert [e["id"] for e in listed["events"] if e["name"] == "Lost and found"] == [upstream["id"]]


async def test_updating_by_id_changes_only_what_is_given(settings: Settings, fake: FakeIntervals) -> None:
    async with connect(settings) as c:
        created = ok(await c.call_tool("add_or_update_event", workout("Before")))
        fake.clear_log()
        res = ok(
            await c.call_tool(
                "add_or_update_event",
                {"name": "After", "event_id": created["event_id"], "description": "- 1h 65%"},
            )
        )
        shown = ok(await c.call_tool("get_event_by_id", {"event_id": created["event_id"]}))
    (upstream,) = events_named(fake.store, "After")
    assert res["action"] == "updated" and res["request"]["method"] == "PUT"
    assert res["request"]["body"] == {"name": "After", "description": "- 1h 65%"}
    assert upstream["type"] == "Ride" and upstream["start_date_local"] == f"{day(3)}T00:00:00"
    assert upstream["moving_time"] == 3600
    assert shown["event"]["name"] == "After" and shown["event"]["moving_time_s"] == 3600
    assert [r.method for r in writes_sent(fake)] == ["PUT"]


async def test_workout_doc_is_rendered_to_workout_text(settings: Settings, fake: FakeIntervals) -> None:
    doc = {
        "description": "Threshold session",
        "steps": [
            {"duration": 600, "power": {"value": 55, "units": "%ftp"}, "warmup": True},
            {
                "reps": 2,
                "steps": [
                    {"duration": 480, "power": {"value": 100, "units": "%ftp"}},
                    {"duration": 240, "power": {"value": 50, "units": "%ftp"}},
                ],
            },
        ],
    }
    async with connect(settings) as c:
        data = ok(
            await c.call_tool(
                "add_or_update_event",
                {"workout_type": "Ride", "name": "Doc", "start_date": str(day(2)), "workout_doc": doc},
            )
        )
        both = await c.call_tool(
            "add_or_update_event",
            {"workout_type": "Ride", "name": "Both", "workout_doc": doc, "description": "- 5m 50%"},
        )
    (upstream,) = events_named(fake.store, "Doc")
    assert (
        upstream["description"]
        == ("Threshold session\n\nWarmup\n- 10m 55%\n\n2x\n- 8m 100%\n- 4m 50%\n")
        == data["request"]["body"]["description"]
    )
    assert upstream["moving_time"] == 600 + 2 * 720
    assert "not both" in sentence(both, "add_or_update_event")


async def test_a_workout_the_platform_reads_as_prose_is_flagged(
    settings: Settings, fake: FakeIntervals
) -> None:
    async with connect(settings) as c:
        data = ok(
            await c.call_tool(
                "add_or_update_event",
                {
                    "workout_type": "Ride",
                    "name": "Prose",
                    "start_date": str(day(2)),
                    "description": "Ride easy for an hour with the club",
                    "moving_time": 3600,
                },
            )
        )
    (upstream,) = events_named(fake.store, "Prose")
    assert upstream["workout_doc"]["steps"] == []
    assert data["platform"] == "Intervals.icu parsed no steps."
    assert any("found no steps" in w for w in data["warnings"])


async def test_a_note_and_a_race(settings: Settings, fake: FakeIntervals, store: FakeStore) -> None:
    async with connect(settings) as c:
        note = ok(
            await c.call_tool(
                "add_or_update_note",
                {
                    "name": "Flight to Lisbon",
                    "description": "Flight at 7",
                    "start_date": str(day(6)),
                    "color": "#ff9900",
                },
            )
        )
        race = ok(
            await c.call_tool(
                "add_or_update_event",
                {
                    "workout_type": "Run",
                    "name": "City 10K",
                    "category": "race_a",
                    "start_date": str(day(20)),
                    "description": "Goal: sub 40",
                },
            )
        )
        no_sport = await c.call_tool("add_or_update_event", {"name": "Mystery", "description": "- 10m 50%"})
    (travel,) = events_named(store, "Flight to Lisbon")
    assert (
        travel["category"] == "NOTE"
        and travel["color"] == "#ff9900"
        and travel["description"] == "Flight at 7"
    )
    assert note["lint"] == [] and note["preview"] == []
    (city,) = events_named(store, "City 10K")
    assert city["category"] == "RACE_A" and race["event"]["category"] == "RACE_A"
    assert "workout_type" in sentence(no_sport, "add_or_update_event")
    assert events_named(store, "Mystery") == []


async def test_a_coach_writes_to_an_athletes_calendar(
    coach_settings: Settings, coach_fake: FakeIntervals
) -> None:
    ann = coach_fake.world.store("i201")
    async with connect(coach_settings) as c:
        data = ok(await c.call_tool("add_or_update_event", {**workout("From coach"), "athlete_id": "i201"}))
        followed = await c.call_tool("add_or_update_event", {**workout("Not allowed"), "athlete_id": "i202"})
    (upstream,) = events_named(ann, "From coach")
    assert upstream["created_by_id"] == "i100" and data["athlete_id"] == "i201"
    said = sentence(followed, "add_or_update_event")
    assert said.startswith("Nothing was written: Intervals.icu refused access to athlete i202")
    assert events_named(coach_fake.world.store("i202"), "Not allowed") == []


async def test_a_wrong_key_writing_for_another_athlete_names_the_key(
    coach_settings: Settings, coach_fake: FakeIntervals
) -> None:
    """Intervals.icu answers a wrong key and a foreign athlete alike (403): the key is tried once
    on the configured athlete, so the sentence is about the key, not the athlete id."""
    wrong = coach_settings.model_copy(update={"api_key": SecretStr("not-the-key-0000")})
    async with connect(wrong) as c:
        res = await c.call_tool("add_or_update_event", {**workout("Wrong key"), "athlete_id": "i201"})
    said = sentence(res, "add_or_update_event")
    assert said.startswith("Nothing was written: Intervals.icu rejected the API key"), said
    assert events_named(coach_fake.world.store("i201"), "Wrong key") == []
