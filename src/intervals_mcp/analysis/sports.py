"""The one sport-filter rule every analytics tool uses.

Rule: a filter names an Intervals.icu activity type, case-insensitively. A filter that is the
base type of a family matches the whole family, because one athlete's "rides" are rides
whether ridden outdoors, on gravel or on Zwift; any other filter matches only its own type:

- `Ride` matches Ride, VirtualRide, GravelRide, MountainBikeRide, TrackRide and Cyclocross
  (the types Intervals.icu's default cycling sport settings group together); e-bike types
  (EBikeRide, EMountainBikeRide) are motor-assisted and match only themselves.
- `Run` matches Run, VirtualRun and TrailRun.
- `Swim` matches Swim and OpenWaterSwim.
- `Rowing` matches Rowing and VirtualRow.
- `NordicSki` matches NordicSki, VirtualSki and RollerSki.
- `VirtualRide` (or any other member) matches only itself.
- No filter (None, empty, `all`) matches everything.

`sport_types` gives the same rule as a set of types, for a SQL `type IN (...)`, so SQL and
Python always agree. Strava-hidden stubs have no type: no filter other than "all" matches them.
"""

from __future__ import annotations

from intervals_mcp.errors import InputError
from intervals_mcp.words import shown

SPORT_FAMILIES: dict[str, frozenset[str]] = {
    "Ride": frozenset(
        {"Ride", "VirtualRide", "GravelRide", "MountainBikeRide", "TrackRide", "Cyclocross"}
    ),
    "Run": frozenset({"Run", "VirtualRun", "TrailRun"}),
    "Swim": frozenset({"Swim", "OpenWaterSwim"}),
    "Rowing": frozenset({"Rowing", "VirtualRow"}),
    "NordicSki": frozenset({"NordicSki", "VirtualSki", "RollerSki"}),
}

# The activity types outside every family, alphabetically: each is a sport of its own.
OWN_SPORTS: tuple[str, ...] = (
    "AlpineSki", "BackcountrySki", "Badminton", "Canoeing", "Crossfit", "EBikeRide",
    "EMountainBikeRide", "Elliptical", "Golf", "Handcycle", "HighIntensityIntervalTraining",
    "Hike", "Hockey", "IceSkate", "InlineSkate", "Kayaking", "Kitesurf", "Other", "Padel",
    "Pickleball", "Pilates", "Racquetball", "RockClimbing", "Rugby", "Sail", "Skateboard",
    "Snowboard", "Snowshoe", "Soccer", "Squash", "StairStepper", "StandUpPaddling", "Surfing",
    "TableTennis", "Tennis", "Transition", "Velomobile", "Walk", "WaterSport",
    "WeightTraining", "Wheelchair", "Windsurf", "Workout", "Yoga",
)

# Every activity type Intervals.icu knows (the OpenAPI document's SportSettings.types; a test
# checks they agree): the families' members, then the sports of their own. Each is named once.
ACTIVITY_TYPES: tuple[str, ...] = (
    *(member for family in SPORT_FAMILIES.values() for member in sorted(family)),
    *OWN_SPORTS,
)

_CANONICAL = {name.casefold(): name for name in ACTIVITY_TYPES}
_FAMILY_OF = {member: base for base, members in SPORT_FAMILIES.items() for member in members}
_ALL = ("", "all", "any")


def normalize_sport(sport: str | None) -> str | None:
    """The canonical type a filter names (`ride` -> `Ride`), None for no filter.

    Raises InputError for a name that is not an Intervals.icu activity type.
    """
    if sport is None or sport.strip().casefold() in _ALL:
        return None
    found = _CANONICAL.get(sport.strip().casefold())
    if found is None:
        raise InputError(
            f"sport {shown(sport)} is not an Intervals.icu activity type: use one such as Ride, Run, "
            "Swim, VirtualRide or WeightTraining (Ride includes VirtualRide, Run includes "
            "VirtualRun and TrailRun)."
        )
    return found


def sport_family(activity_type: str | None) -> str | None:
    """The family base of a type (`VirtualRide` -> `Ride`); a type outside every family is its own."""
    if activity_type is None:
        return None
    return _FAMILY_OF.get(activity_type, activity_type)


def sport_types(sport: str | None) -> frozenset[str] | None:
    """The activity types a filter matches, or None when it matches everything (no filter)."""
    name = normalize_sport(sport)
    if name is None:
        return None
    return SPORT_FAMILIES.get(name, frozenset({name}))


def sport_matches(sport: str | None, activity_type: str | None) -> bool:
    """Whether an activity of `activity_type` passes the filter `sport` (see the module rule)."""
    types = sport_types(sport)
    if types is None:
        return True
    return activity_type in types


def same_sport(a: str | None, b: str | None) -> bool:
    """Whether two types are the same sport for pairing and similarity: equal families.

    For known types this equals `sport_matches(sport_family(a), b)`, so a planned Ride pairs
    with a VirtualRide and a planned VirtualRide with an outdoor Ride; a type this module does
    not know is a family of its own. A missing type (a Strava stub) is no sport.
    """
    if a is None or b is None:
        return False
    return sport_family(a) == sport_family(b)
