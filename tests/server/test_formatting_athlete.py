"""The pure formatters of the athlete's context, curves, streams and the roster, on hand-made
payloads whose answers are worked out here."""

from __future__ import annotations

from datetime import date

from intervals_mcp.server.formatting import athlete as fa
from intervals_mcp.server.formatting import curves as fc
from intervals_mcp.server.formatting import extras as fe
from intervals_mcp.server.formatting import roster as fr

PROFILE = {
    "id": "i1",
    "name": "Ann",
    "timezone": "Australia/Sydney",
    "icu_weight": 60.0,
    "sportSettings": [
        {
            "types": ["Ride", "VirtualRide"],
            "ftp": 200,
            "lthr": 160,
            "max_hr": 180,
            "power_zones": [55, 75, 999],
            "power_zone_names": ["Easy", "Steady", "Hard"],
            "hr_zones": [130, 150, 180],
        },
        {"types": ["Run"], "threshold_pace": 4.0, "pace_units": "MINS_KM", "pace_zones": [80, 100, 999]},
    ],
}


def test_sport_settings_cover_the_family_members() -> None:
    assert fa.sport_settings_for(PROFILE, "VirtualRide") is PROFILE["sportSettings"][0]
    assert fa.sport_settings_for(PROFILE, "Swim") is None and fa.sport_settings_for(None, "Ride") is None


def test_pace_in_the_athletes_units() -> None:
    assert fa.pace_text(4.0, "MINS_KM") == "4:10/km"  # 1000 m / 4 m/s = 250 s
    assert fa.pace_text(1.25, "SECS_100M") == "1:20/100m"
    assert fa.pace_text(0, "MINS_KM") == "" and fa.pace_text(None, None) == ""


def test_profile_zones_in_watts_bpm_and_pace() -> None:
    text, sports = fa.format_profile("i1", PROFILE)
    ride, run = sports
    assert [(z.name, z.low, z.high, z.high_pct) for z in ride.power_zones_w] == [
        ("Easy", None, 110, 55),
        ("Steady", 110, 150, 75),
        ("Hard", 150, None, None),
    ]
    assert [z.high for z in ride.hr_zones_bpm] == [130, 150, None]
    assert run.threshold_pace == "4:10/km" and [z.high for z in run.pace_zones_ms] == [3.2, 4.0, None]
    assert text.head == "Athlete i1: Ann, time zone Australia/Sydney, weight 60.0 kg"
    assert "FTP 200 W (3.33 W/kg)" in text.rest and "Easy ≤110, Steady 110-150, Hard >150" in text.rest
    assert "Z1 slower than 5:12/km" in text.rest  # 3.2 m/s: 312.5 s a km, rounded half to even


def test_curve_points_match_durations_exactly_and_distances_within_half_a_metre() -> None:
    curve = {
        "id": "s0",
        "label": "This season",
        "secs": [5, 60, 300],
        "values": [800, 400, 300],
        "activity_id": ["i9", "i8", None],
        "watts_per_kg": [13.3, 6.67, 5.0],
    }
    row = fc.curve_row(
        curve,
        "power",
        [5.0, 60.0, 90.0],
        {"i9": {"start_date_local": "2026-03-01T08:00:00"}},
        threshold=200.0,
        include_normalised=True,
        pace_units=None,
    )
    assert [(p.secs, p.value, p.watts_per_kg, p.pct_of_threshold, p.date) for p in row.points] == [
        (5, 800, 13.3, 400.0, "2026-03-01"),
        (60, 400, 6.67, 200.0, None),
    ]
    assert row.missing == [90.0]
    pace = {"id": "s0", "distance": [1609.34, 5000.0], "values": [360, 1200], "activity_id": ["i1", "i2"]}
    prow = fc.curve_row(
        pace,
        "pace",
        [1609.0, 5000.0, 10000.0],
        {},
        threshold=None,
        include_normalised=False,
        pace_units="MINS_KM",
    )
    assert [(p.distance_m, p.value, p.pace) for p in prow.points] == [
        (1609.0, 360, "3:44/km"),
        (5000.0, 1200, "4:00/km"),
    ]
    assert prow.missing == [10000.0]
    assert fc.duration_label(90) == "1m30s" and fc.duration_label(3600) == "1h"
    assert fc.distance_label(400) == "400m" and fc.distance_label(21097.5) == "21.1km"


def test_streams_summary_leaves_out_the_clock_describes_gps_and_skips_arrays() -> None:
    payload = {
        "activity": {"type": "Ride", "icu_ftp": 200, "icu_power_zones": [55, 75, 999]},
        "streams": [
            {"type": "time", "data": [0, 1, 2, 3]},
            {"type": "watts", "data": [100, None, 160, 300]},
            {"type": "latlng", "data": [50.0, 50.1, None, 50.2], "data2": [4.0, 4.1, None, 4.2]},
            {"type": "hrv", "data": [[1, 2]], "valueTypeIsArray": True},
        ],
    }
    view = fe.summarize_streams(payload, None, None, PROFILE)
    assert [r.type for r in view.rows] == ["watts"] and view.step_s == 1.0
    watts = view.rows[0]
    assert (watts.samples, watts.min, watts.max, watts.p50) == (3, 100.0, 300.0, 160.0)
    assert [(b.name, b.seconds) for b in watts.bands] == [("Easy", 1.0), ("Steady", 0.0), ("Hard", 2.0)]
    assert view.notes == [
        "latlng: 3 GPS points within lat 50.0000..50.2000, lng 4.0000..4.2000",
        "hrv: array-valued, not summarised",
    ]
    asked = fe.summarize_streams(payload, fe.asked_types(" watts ,cadence,watts"), 2, PROFILE)
    assert [r.type for r in asked.rows] == ["watts"] and asked.not_recorded == ["cadence"]
    assert asked.rows[0].series == [130.0, 300.0] and asked.rows[0].series_every_s == 2.0
    assert fe.asked_types(None) is None and fe.asked_types(" ") is None


def test_a_long_series_is_cut_to_the_budget_with_a_hint() -> None:
    payload = {"streams": [{"type": t, "data": list(range(500))} for t in ("watts", "cadence", "altitude")]}
    view = fe.summarize_streams(payload, None, 500, None)
    text = fe.format_streams("i1", payload, view, budget=3000)
    assert len(text.say("fresh from Intervals.icu")) < 3000
    assert "series cut after" in text.rest


def test_messages_oldest_first_with_author() -> None:
    payload = {
        "messages": [
            {
                "id": 1,
                "name": "Ann",
                "created": "2026-11-20T08:00:00Z",
                "type": "TEXT",
                "content": "Great\nride",
            },
            {"id": 2, "type": "TEXT", "content": None},
        ]
    }
    text, rows = fe.format_messages("i9", payload)
    assert [r.id for r in rows] == [1]
    assert text.rest == "2026-11-20 08:00 UTC Ann: Great ride"


def test_athlete_state_from_payloads() -> None:
    today = date(2026, 11, 26)  # Thursday
    wellness = [
        {"id": "2026-11-25", "ctl": 50.0, "atl": 70.0, "rampRate": 3.0, "hrv": 60.0},
        {"id": "2026-11-26", "ctl": 51.0, "hrv": 62.0},
    ]
    activities = [{"id": "i1", "start_date_local": "2026-11-24T07:00:00", "type": "Ride", "name": "Spin"}]
    events = [
        {
            "id": 7,
            "start_date_local": "2026-11-23T00:00:00",
            "category": "WORKOUT",
            "type": "Run",
            "name": "Intervals",
        },
        {"id": 8, "start_date_local": "2026-11-24T00:00:00", "category": "WORKOUT", "type": "Ride"},
    ]
    state = fr.athlete_state("i1", "Ann", today, wellness, activities, events)
    assert (state.form, state.ramp, state.fitness_date) == (-20.0, 3.0, date(2026, 11, 25))
    assert state.last_activity == date(2026, 11, 24) and state.last_activity_about == "Ride: Spin"
    assert state.planned == 2 and [m.name for m in state.missed] == ["Intervals"]
    assert state.hrv is not None and state.hrv.recent_mean == 61.0
