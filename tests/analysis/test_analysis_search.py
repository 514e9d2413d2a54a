"""Search: query words, filters, sort orders, and sessions similar to a reference."""

from __future__ import annotations

import math
from datetime import date

import pytest
from analysis_support import activities, athlete, day_of, is_stub

from intervals_mcp.analysis.search import (
    SearchFilter,
    SearchItem,
    matches_query,
    search,
    similar_to,
    words,
)
from intervals_mcp.errors import InputError

D = date.fromisoformat
S1 = SearchItem("s1", D("2026-01-05"), "Ride", "Sweet Spot 3x12", "Felt strong", 40000, 3600, 70, 220, 85)
S2 = SearchItem("s2", D("2026-02-10"), "VirtualRide", "Zwift - Sweet Spot 3x12", None, 35000, 3500, 68,
                215, 84)
S3 = SearchItem("s3", D("2026-02-20"), "Run", "Track Intervals", "6x800 on the track", 10000, 2700, 60,
                None, 95)
S4 = SearchItem("s4", D("2026-03-01"), "Ride", "Morning Endurance", "sweet coffee stop", 80000, 10800,
                150, 180, 68)
S5 = SearchItem("s5", D("2026-03-02"), "Ride", "Endurance", None, None, 3600, 70, None, 85)
S6 = SearchItem("s6", D("2026-03-03"), "Ride", "Sweet-Spot Over-Unders", None, 50000, 4000, 80, 230, 88)
ALL = [S1, S2, S3, S4, S5, S6]


def ids(items: tuple[SearchItem, ...] | list[SearchItem]) -> list[str]:
    return [i.id for i in items]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("sweet spot", ["s6", "s2", "s1"]), ("SWEET", ["s6", "s4", "s2", "s1"]),
     ("interval", ["s3"]), ("3x", ["s2", "s1"]), ("track 6x8", ["s3"]), ("track 800", []),
     ("", ["s6", "s5", "s4", "s3", "s2", "s1"]), ("  ", ["s6", "s5", "s4", "s3", "s2", "s1"]),
     ("zwift endurance", [])],
)
def test_every_query_word_must_begin_a_word(query: str, expected: list[str]) -> None:
    assert ids(search(ALL, SearchFilter(query=query)).activities) == expected


def test_words_are_casefolded_runs_of_word_characters() -> None:
    assert words("Zwift - Sweet-Spot 3x12, Straße") == ["zwift", "sweet", "spot", "3x12", "strasse"]
    assert matches_query("STRASSE", "Straße", None)
    assert matches_query(None, None, None)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("date", ["s6", "s5", "s4", "s3", "s2", "s1"]),
     ("load", ["s4", "s6", "s5", "s1", "s2", "s3"]),  # s5 and s1 tie at 70: newest first
     ("power", ["s6", "s1", "s2", "s4", "s5", "s3"]),  # no power: last, newest first
     ("distance", ["s4", "s6", "s1", "s2", "s3", "s5"]),
     ("duration", ["s4", "s6", "s5", "s1", "s2", "s3"]),
     (None, ["s6", "s5", "s4", "s3", "s2", "s1"])],
)
def test_sort_orders(sort: str | None, expected: list[str]) -> None:
    assert ids(search(ALL, SearchFilter(), sort=sort).activities) == expected


def test_filters_limits_and_bad_arguments() -> None:
    rides_over_36 = search(ALL, SearchFilter(sport="Ride", min_distance_km=36), sort="date")
    assert ids(rides_over_36.activities) == ["s6", "s4", "s1"]  # s5 has no distance: excluded
    up_to_an_hour = search(ALL, SearchFilter(max_duration_min=60))
    assert ids(up_to_an_hour.activities) == ["s5", "s3", "s2", "s1"]
    february = search(ALL, SearchFilter(start=D("2026-02-01"), end=D("2026-02-28")))
    assert ids(february.activities) == ["s3", "s2"]
    limited = search(ALL, SearchFilter(sport="ride"), sort="load", limit=2)
    assert (limited.total, ids(limited.activities)) == (5, ["s4", "s6"])
    with pytest.raises(InputError, match="'speed' is unknown"):
        search(ALL, SearchFilter(), sort="speed")
    with pytest.raises(InputError, match=r"not an Intervals\.icu activity type"):
        search(ALL, SearchFilter(sport="Bike"))


def distance(ref: SearchItem, other: SearchItem) -> float:
    assert ref.moving_time_s and other.moving_time_s and ref.intensity and other.intensity
    dur = math.log(other.moving_time_s / ref.moving_time_s) / math.log(1.25)
    return math.sqrt(dur**2 + ((other.intensity - ref.intensity) / 5) ** 2)


def test_similar_sessions_nearest_first_then_shown_oldest_first() -> None:
    two = similar_to(S1, ALL, limit=2)
    assert [s.item.id for s in two] == ["s2", "s5"]  # s5 (identical) and s2 are the nearest two
    assert two[0].distance == pytest.approx(distance(S1, S2))
    assert two[1].distance == 0.0
    more = similar_to(S1, ALL, limit=10)
    # s3 is a Run, s4 is three times as long (distance > 2): left out
    assert [s.item.id for s in more] == ["s2", "s5", "s6"]
    assert more[2].distance == pytest.approx(distance(S1, S6))
    no_intensity = SearchItem("r", D("2026-03-05"), "Ride", moving_time_s=4000)
    by_duration = similar_to(no_intensity, ALL, limit=1)
    assert [s.item.id for s in by_duration] == ["s6"]  # the same duration
    assert similar_to(SearchItem("x", D("2026-03-05"), "Yoga", moving_time_s=60), ALL) == []


@pytest.mark.parametrize("seed", [6, 7])
def test_a_fake_athletes_search(seed: int) -> None:
    store = athlete(seed)
    recs = [a for a in activities(store) if not is_stub(a)]
    items = [SearchItem(a["id"], day_of(a), a["type"], a["name"], a["description"], a["distance"],
                        a["moving_time"], a["icu_training_load"], a["icu_average_watts"],
                        a["icu_intensity"]) for a in recs]
    found = search(items, SearchFilter(query="sweet spot", sport="Ride"), sort="power", limit=5)
    expected = [a for a in recs if a["type"] in ("Ride", "VirtualRide", "GravelRide")
                and "sweet" in a["name"].lower().replace("-", " ").split()
                and "spot" in a["name"].lower().split()]
    assert found.total == len(expected) > 0
    top = sorted((a["icu_average_watts"] for a in expected), reverse=True)[:5]
    assert [i.power_w for i in found.activities] == top
    longest = search(items, SearchFilter(sport="Run"), sort="distance", limit=1).activities[0]
    assert longest.distance_m == max(a["distance"] for a in recs if a["type"] == "Run")
