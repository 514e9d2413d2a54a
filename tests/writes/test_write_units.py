"""The pure parts behind the write tools, tested directly."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from intervals_mcp.errors import (
    AuthenticationError,
    InputError,
    InvalidRequestError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    UpstreamConnectionError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
    UpstreamUnreachableError,
)
from intervals_mcp.server.event_draft import draft_event, workout_text
from intervals_mcp.server.formatting.writes import changed_fields, lint_refusal, request_text
from intervals_mcp.server.write_inputs import (
    ACTIVITY,
    WELLNESS,
    custom_item_fields,
    json_object,
    ranged_fields,
    require_range,
)
from intervals_mcp.sync.write_requests import EXTERNAL_ID_PREFIX, external_id
from intervals_mcp.sync.writes import outcome_unknown
from intervals_mcp.workouts import Finding, Thresholds, thresholds_from_profile

DAY = date(2026, 12, 3)
# The Ride and Run entries of the athlete object in API_NOTES §3 (abridged).
PROFILE: dict[str, Any] = {
    "id": "i12345",
    "sportSettings": [
        {
            "types": ["Ride", "VirtualRide"],
            "ftp": 265,
            "indoor_ftp": 255,
            "lthr": 168,
            "max_hr": 188,
            "power_zones": [55, 75, 90, 105, 120, 150, 999],
            "hr_zones": [137, 151, 158, 168, 173, 178, 188],
            "threshold_pace": None,
            "pace_zones": None,
        },
        {
            "types": ["Run", "TrailRun"],
            "ftp": None,
            "lthr": 172,
            "max_hr": 192,
            "threshold_pace": 3.846154,
            "pace_zones": [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0],
        },
    ],
}


def test_external_id_is_the_content_and_nothing_else() -> None:
    one = external_id("i1", DAY, "Sweet spot", "- 1h 90%")
    assert one == external_id("i1", DAY, "  Sweet   spot ", "- 1h 90%\n")
    assert one.startswith(EXTERNAL_ID_PREFIX) and len(one) < 64
    others = {
        external_id("i2", DAY, "Sweet spot", "- 1h 90%"),
        external_id("i1", date(2026, 12, 4), "Sweet spot", "- 1h 90%"),
        external_id("i1", DAY, "Sweet spot 2", "- 1h 90%"),
        external_id("i1", DAY, "Sweet spot", "- 1h 91%"),
    }
    assert one not in others and len(others) == 4


@pytest.mark.parametrize(
    ("error", "unknown"),
    [
        (UpstreamTimeoutError(), True),
        (UpstreamConnectionError(), True),
        (UpstreamUnavailableError(status=503), True),
        (InvalidResponseError(), True),
        (UpstreamUnreachableError(), False),  # never connected: never arrived
        (RateLimitedError(), False),
        (InvalidRequestError(status=422), False),
        (NotFoundError(status=404), False),
        (AuthenticationError(status=403), False),
    ],
)
def test_which_failures_leave_a_write_in_doubt(error: Any, unknown: bool) -> None:
    assert outcome_unknown(error) is unknown


def test_thresholds_from_the_athlete_object() -> None:
    ride = thresholds_from_profile(PROFILE, "VirtualRide")
    assert ride == Thresholds(
        sport="VirtualRide",
        ftp=265,
        lthr=168,
        max_hr=188,
        power_zones=(55, 75, 90, 105, 120, 150, 999),
        hr_zones=(137, 151, 158, 168, 173, 178, 188),
    )
    assert thresholds_from_profile(PROFILE, "Ride", indoor=True).ftp == 255  # type: ignore[union-attr]
    run = thresholds_from_profile(PROFILE, "TrailRun")
    assert run is not None and run.threshold_pace_m_per_s == 3.846154 and run.ftp is None
    assert thresholds_from_profile(PROFILE, "Swim") == Thresholds(sport="Swim")
    assert thresholds_from_profile(None, "Ride") is None


def test_ranged_fields_scale_and_check() -> None:
    assert ranged_fields({"sleep_hours": 7.5, "weight": 70.25, "mood": 1, "hrv": None}, WELLNESS) == {
        "sleepSecs": 27000,
        "weight": 70.25,
        "mood": 1,
    }
    assert ranged_fields({"rpe": 10, "feel": 1}, ACTIVITY) == {"icu_rpe": 10, "feel": 1}
    for bad in ({"mood": 4.5}, {"stress": True}, {"weight": float("nan")}, {"sleep_hours": -1}):
        with pytest.raises(InputError, match="is out of range"):
            ranged_fields(bad, WELLNESS)


def test_ranges_to_delete() -> None:
    assert require_range("2026-12-01", "2026-12-07") == (date(2026, 12, 1), date(2026, 12, 7))
    with pytest.raises(InputError, match="Give both"):
        require_range("", "2026-12-07")
    with pytest.raises(InputError, match="shorter range"):
        require_range("2026-01-01", "2030-01-01")


def test_custom_item_bodies() -> None:
    body = custom_item_fields(
        name=" Legs ",
        item_type="input_field",
        description=None,
        content='{"type": "numeric", "aggregate": "MAX"}',
        visibility="public",
    )
    assert body == {
        "name": "Legs",
        "type": "INPUT_FIELD",
        "visibility": "PUBLIC",
        "content": {"type": "numeric", "aggregate": "MAX"},
    }
    with pytest.raises(InputError, match="MIN, SUM, MAX or AVERAGE"):
        custom_item_fields(
            name="x",
            item_type="ACTIVITY_FIELD",
            description=None,
            content={"aggregate": "AVG"},
            visibility=None,
        )
    with pytest.raises(InputError, match="use one of FITNESS_CHART"):
        custom_item_fields(name="x", item_type="CHART", description=None, content=None, visibility=None)
    with pytest.raises(InputError, match="JSON object"):
        json_object("content", "[1, 2]")


def test_a_create_draft_carries_its_external_id_and_an_update_only_what_is_given() -> None:
    created = draft_event(
        athlete_id="i1",
        name="Tempo",
        day=DAY,
        text="- 20m 90%",
        fields={"category": "WORKOUT", "type": "Ride", "indoor": None},
        category="WORKOUT",
        sport="Ride",
        creating=True,
        profile=PROFILE,
    )
    assert created.body == {
        "name": "Tempo",
        "category": "WORKOUT",
        "type": "Ride",
        "start_date_local": "2026-12-03T00:00:00",
        "description": "- 20m 90%",
        "external_id": external_id("i1", DAY, "Tempo", "- 20m 90%"),
    }
    assert created.summary is not None and created.summary.duration_s == 1200 and created.findings == ()
    updated = draft_event(
        athlete_id="i1",
        name="Tempo",
        day=None,
        text="- 10m 75",
        fields={},
        category="WORKOUT",
        sport="Ride",
        creating=False,
        profile=PROFILE,
    )
    assert updated.body == {"name": "Tempo", "description": "- 10m 75"}
    assert [f.rule for f in updated.errors] == ["missing_unit"]
    note = draft_event(
        athlete_id="i1",
        name="Rest",
        day=DAY,
        text="- 10m 75",
        fields={"category": "NOTE"},
        category="NOTE",
        sport=None,
        creating=True,
        profile=PROFILE,
    )
    assert note.findings == () and note.workout is None


def test_workout_text_from_description_or_doc() -> None:
    assert workout_text("  - 10m 50%  ", None) == "- 10m 50%"
    assert (
        workout_text(None, {"steps": [{"duration": 600, "power": {"value": 50, "units": "%ftp"}}]})
        == "- 10m 50%\n"
    )
    assert workout_text("", None) is None
    with pytest.raises(InputError, match="not both"):
        workout_text("- 10m 50%", {"steps": []})


def test_texts() -> None:
    findings = [
        Finding("missing_unit", 2, "error", "`75` has no unit."),
        Finding("missing_target", 3, "warning", "No target."),
    ]
    said = lint_refusal(findings)
    assert said.startswith("Nothing was written: the workout text has 1 error that")
    assert (
        "Line 2 (missing_unit): `75` has no unit." in said and "line 3 (missing_target): No target." in said
    )
    assert request_text("DELETE", "athlete/i1/events/5", None) == "DELETE /athlete/i1/events/5"
    assert request_text("PUT", "x", [{"id": 1}]) == 'PUT /x\n[{"id": 1}]'
    assert changed_fields(
        {"gear": {"id": "b1"}, "name": "A"}, {"gear": {"id": "b1", "name": "Bike"}, "name": "A"}
    ) == {"gear": "b1", "name": "A"}
