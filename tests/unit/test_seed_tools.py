"""Users switching from the seed project (mvilanova/intervals-mcp-server) keep every tool it has,
under the same names and parameter names: its 20 tools, written down here by hand from its
`src/intervals_mcp_server/tools/*.py` (each tool's parameters in its order, its `api_key`
parameter left out: the key is the server's setting, never a tool argument).

Every seed tool must take at least the seed's parameters, and require none the seed did not
(so any call a seed user's client makes is one of ours); ours may add optional ones.

The read tools are required now. The eight write tools (issue 11) are checked whenever they are
registered, and must all be once the writes are merged: then set WRITES_REQUIRED = True.
"""

from __future__ import annotations

import inspect

import pytest

from intervals_mcp.server.tools import TOOLS

# name -> (parameters in the seed's order, the ones it requires)
SEED_READ_TOOLS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "get_activities": (("athlete_id", "start_date", "end_date", "limit", "include_unnamed"), frozenset()),
    "get_activity_details": (("activity_id",), frozenset({"activity_id"})),
    "get_activity_intervals": (("activity_id",), frozenset({"activity_id"})),
    "get_activity_streams": (("activity_id", "stream_types"), frozenset({"activity_id"})),
    "get_activity_messages": (("activity_id",), frozenset({"activity_id"})),
    "get_custom_items": (("athlete_id",), frozenset()),
    "get_custom_item_by_id": (("item_id", "athlete_id"), frozenset({"item_id"})),
    "get_events": (("athlete_id", "start_date", "end_date"), frozenset()),
    "get_event_by_id": (("event_id", "athlete_id"), frozenset({"event_id"})),
    "get_gear_list": (("athlete_id", "refresh"), frozenset()),
    "get_athlete_power_curves": (
        (
            "activity_type",
            "durations",
            "indoor_outdoor",
            "start_date",
            "end_date",
            "this_season",
            "last_season",
            "include_normalised",
            "athlete_id",
        ),
        frozenset(),
    ),
    "get_wellness_data": (("athlete_id", "start_date", "end_date", "include_all_fields"), frozenset()),
}
SEED_WRITE_TOOLS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "add_activity_message": (("activity_id", "content"), frozenset({"activity_id", "content"})),
    "create_custom_item": (
        ("name", "item_type", "athlete_id", "description", "content", "visibility"),
        frozenset({"name", "item_type"}),
    ),
    "update_custom_item": (
        ("item_id", "athlete_id", "name", "item_type", "description", "content", "visibility"),
        frozenset({"item_id"}),
    ),
    "delete_custom_item": (("item_id", "athlete_id"), frozenset({"item_id"})),
    "delete_event": (("event_id", "athlete_id"), frozenset({"event_id"})),
    "delete_events_by_date_range": (
        ("start_date", "end_date", "athlete_id"),
        frozenset({"start_date", "end_date"}),
    ),
    "add_or_update_event": (
        (
            "workout_type",
            "name",
            "athlete_id",
            "event_id",
            "start_date",
            "workout_doc",
            "moving_time",
            "distance",
        ),
        frozenset({"workout_type", "name"}),
    ),
    "add_or_update_note": (
        ("name", "description", "start_date", "color", "athlete_id", "event_id"),
        frozenset({"name", "description"}),
    ),
}
WRITES_REQUIRED = True  # the lead sets this once issue 11's write tools are merged

REGISTERED = {spec.name: spec for spec in TOOLS}


def parameters(name: str) -> tuple[set[str], set[str]]:
    """(every parameter, the required ones) of a registered tool, as the SDK reads them."""
    params = [p for p in inspect.signature(REGISTERED[name].fn).parameters.values() if p.name != "ctx"]
    return {p.name for p in params}, {p.name for p in params if p.default is inspect.Parameter.empty}


def test_the_seed_has_twenty_tools_none_taking_the_key_here() -> None:
    seed = {**SEED_READ_TOOLS, **SEED_WRITE_TOOLS}
    assert len(seed) == 20
    assert all("api_key" not in params for params, _ in seed.values())
    assert all(required <= set(params) for params, required in seed.values())


@pytest.mark.parametrize("name", sorted(SEED_READ_TOOLS))
def test_each_seed_read_tool_is_here_with_the_seeds_parameters(name: str) -> None:
    assert name in REGISTERED, f"the seed's {name} is missing from the registry"
    check(name, SEED_READ_TOOLS[name])


@pytest.mark.parametrize("name", sorted(SEED_WRITE_TOOLS))
def test_each_seed_write_tool_registered_has_the_seeds_parameters(name: str) -> None:
    if name not in REGISTERED:
        if WRITES_REQUIRED:
            pytest.fail(f"the seed's {name} is missing from the registry")
        pytest.skip(f"{name} comes with the write tools (issue 11), not merged here yet")
    check(name, SEED_WRITE_TOOLS[name])


def check(name: str, seed: tuple[tuple[str, ...], frozenset[str]]) -> None:
    ours, required = parameters(name)
    seed_params, seed_required = seed
    missing = [p for p in seed_params if p not in ours]
    assert missing == [], f"{name} lacks the seed's parameters {missing}"
    extra_required = required - seed_required
    assert extra_required == set(), f"{name} requires {extra_required}, which the seed did not"
    assert "api_key" not in ours


def test_the_check_does_see_a_missing_parameter() -> None:
    with pytest.raises(AssertionError, match="lacks the seed's parameters"):
        check("get_activities", (("athlete_id", "page_size"), frozenset()))
    with pytest.raises(AssertionError, match="requires"):
        check("get_activity_details", ((), frozenset()))
