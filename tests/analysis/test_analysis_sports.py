"""The one sport-filter rule: families for base types, exact for the rest, SQL set agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intervals_mcp.analysis.sports import (
    ACTIVITY_TYPES,
    SPORT_FAMILIES,
    normalize_sport,
    same_sport,
    sport_family,
    sport_matches,
    sport_types,
)
from intervals_mcp.errors import InputError


@pytest.mark.parametrize(
    ("sport", "activity_type", "expected"),
    [
        ("Ride", "Ride", True),
        ("Ride", "VirtualRide", True),
        ("ride", "GravelRide", True),
        ("RIDE", "MountainBikeRide", True),
        ("Ride", "EBikeRide", False),
        ("Ride", "Run", False),
        ("VirtualRide", "VirtualRide", True),
        ("VirtualRide", "Ride", False),
        ("Run", "VirtualRun", True),
        ("Run", "TrailRun", True),
        ("TrailRun", "Run", False),
        ("Swim", "OpenWaterSwim", True),
        ("WeightTraining", "WeightTraining", True),
        ("WeightTraining", "Yoga", False),
        (None, "Yoga", True),
        ("", None, True),
        ("all", "Ride", True),
        ("Ride", None, False),
    ],
)
def test_sport_matches(sport: str | None, activity_type: str | None, expected: bool) -> None:
    assert sport_matches(sport, activity_type) is expected


def test_unknown_sport_is_one_sentence_naming_the_choices() -> None:
    with pytest.raises(InputError, match=r"'Cycling' is not an Intervals.icu activity type.*Ride"):
        normalize_sport("Cycling")
    with pytest.raises(InputError):
        sport_matches("Bike", "Ride")


def test_normalize_gives_the_canonical_spelling() -> None:
    assert normalize_sport(" virtualride ") == "VirtualRide"
    assert normalize_sport("ALL") is None
    assert normalize_sport(None) is None


def test_sport_types_is_the_sql_form_of_the_rule() -> None:
    assert sport_types("run") == frozenset({"Run", "VirtualRun", "TrailRun"})
    assert sport_types("VirtualRun") == frozenset({"VirtualRun"})
    assert sport_types("Yoga") == frozenset({"Yoga"})
    assert sport_types(None) is None


def test_the_types_are_the_ones_intervals_icu_knows_each_named_once() -> None:
    spec = json.loads((Path(__file__).parents[1] / "fake" / "openapi.json").read_text())
    known = spec["components"]["schemas"]["SportSettings"]["properties"]["types"]["items"]["enum"]
    assert sorted(ACTIVITY_TYPES) == sorted(known)


def test_families_are_known_types_and_disjoint() -> None:
    members = [m for family in SPORT_FAMILIES.values() for m in family]
    assert set(members) <= set(ACTIVITY_TYPES)
    assert len(members) == len(set(members))
    assert all(base in family for base, family in SPORT_FAMILIES.items())


@given(st.sampled_from(ACTIVITY_TYPES), st.sampled_from(ACTIVITY_TYPES))
def test_predicate_and_set_agree_for_every_pair(sport: str, activity_type: str) -> None:
    types = sport_types(sport)
    assert types is not None
    assert sport_matches(sport, activity_type) is (activity_type in types)
    # A filter always matches its own type, and a non-base filter matches nothing else.
    assert sport_matches(sport, sport)
    if sport not in SPORT_FAMILIES and activity_type != sport:
        assert not sport_matches(sport, activity_type)


@given(st.sampled_from(ACTIVITY_TYPES), st.sampled_from(ACTIVITY_TYPES))
def test_same_sport_is_symmetric_and_follows_the_filter_rule(a: str, b: str) -> None:
    assert same_sport(a, b) is same_sport(b, a)
    family = sport_family(a)
    assert same_sport(a, b) is sport_matches(family, b)


def test_same_sport_pairs_indoor_with_outdoor_and_never_a_stub() -> None:
    assert same_sport("Ride", "VirtualRide")
    assert same_sport("VirtualRide", "GravelRide")
    assert not same_sport("Ride", "Run")
    assert not same_sport("Ride", None)
    assert same_sport("Kitesurf", "Kitesurf")
