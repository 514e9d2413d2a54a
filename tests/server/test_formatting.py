"""Direct tests of the pure formatters (no server, no I/O)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from intervals_mcp.server import formatting as f
from intervals_mcp.server.schemas import Provenance, activity_summary

NOW = datetime(2026, 11, 24, 9, 12, 30, tzinfo=UTC)
FRESH = "fresh from Intervals.icu"

RIDE: dict[str, Any] = {
    "id": "i145678901",
    "start_date_local": "2026-10-12T07:31:05",
    "type": "Ride",
    "name": "Morning Endurance",
    "source": "GARMIN_CONNECT",
    "device_name": "Garmin Edge 840",
    "distance": 62345.7,
    "moving_time": 7412,
    "elapsed_time": 7800,
    "total_elevation_gain": 845.0,
    "average_heartrate": 142,
    "max_heartrate": 176,
    "icu_ftp": 265,
    "icu_average_watts": 198,
    "icu_weighted_avg_watts": 221,
    "icu_intensity": 83.39623,
    "icu_training_load": 143,
    "trimp": 168.20412,
    "icu_ctl": 68.41,
    "icu_atl": 72.93,
    "icu_rpe": 6,
    "feel": 2,
    "description": None,
    "hr_load": None,
}
SWIM: dict[str, Any] = {
    "id": "i2",
    "start_date_local": "2026-10-13T06:00:00",
    "type": "Swim",
    "name": "Pool",
    "distance": 1500.0,
    "moving_time": 1800,
    "icu_training_load": 30,
    "average_heartrate": None,
    "icu_average_watts": None,
}
STUB: dict[str, Any] = {
    "id": "16358453283",
    "icu_athlete_id": "i12345",
    "start_date_local": "2026-10-10T09:14:15",
    "source": "STRAVA",
    "_note": "STRAVA activities are not available via the API",
}
UNNAMED: dict[str, Any] = {**SWIM, "id": "i3", "name": None, "start_date_local": "2026-10-14T06:00:00"}


def test_value_formatters() -> None:
    assert f.hmm(7412) == "2:04"  # 123.5 minutes rounds to 124
    assert f.hmm(3600) == "1:00"
    assert f.hmm(None) == ""
    assert f.mss(245) == "4:05"
    assert f.mss(3725) == "1:02:05"
    assert f.distance(62345.7, "Ride") == "62.3km"
    assert f.distance(1500, "Swim") == "1500m"
    assert f.distance(1500, "OpenWaterSwim") == "1500m"
    assert f.distance(None, "Ride") == ""
    assert f.distance(0, "Ride") == ""
    assert f.local_minute("2026-10-12T07:31:05") == "2026-10-12 07:31"
    assert f.whole(True) == ""


def test_provenance_sentences() -> None:
    fresh = Provenance(source="upstream", as_of=NOW.isoformat())
    assert f.provenance_text(fresh, NOW) == "fresh from Intervals.icu"
    cached = Provenance(source="cache", as_of="2026-11-24T09:12:00+00:00")
    assert f.provenance_text(cached, NOW) == "cached at 2026-11-24 09:12 UTC"
    failed = Provenance(
        source="cache",
        as_of="2026-11-24T09:12:00+00:00",
        refresh_error="Intervals.icu is unavailable right now (server error); try again in a few minutes.",
    )
    assert f.provenance_text(failed, NOW) == (
        "cached at 2026-11-24 09:12 UTC; could not refresh: Intervals.icu is unavailable right "
        "now (server error); try again in a few minutes"
    )
    # said in a head, one full stop ends it (the error's own is not doubled)
    assert f.Framed("Wellness").say(f.provenance_text(failed, NOW)).endswith("in a few minutes.")
    partial = Provenance(source="cache", as_of="2026-11-20T08:00:00+00:00", complete=False)
    assert "never fetched" in f.provenance_text(partial, NOW)
    mixed = Provenance(source="upstream", as_of="2026-11-20T08:00:00+00:00")
    assert "older days cached at 2026-11-20 08:00 UTC" in f.provenance_text(mixed, NOW)


def test_provenance_says_what_could_not_be_stored() -> None:
    skipped = Provenance(source="upstream", as_of=NOW.isoformat(), skipped="Intervals.icu sent 1 record x")
    assert f.provenance_text(skipped, NOW) == "fresh from Intervals.icu; Intervals.icu sent 1 record x"


def test_provenance_never_outgrows_its_allowance() -> None:
    failed = Provenance(
        source="cache", as_of="2026-11-24T09:12:00+00:00", complete=False, refresh_error="why " * 400
    )
    said = f.provenance_text(failed, NOW)
    assert len(said) == f.PROVENANCE_ALLOWANCE and said.endswith("…")
    assert said.startswith("cached at 2026-11-24 09:12 UTC (some days in this range were never fetched); ")


def test_framed_text_says_the_provenance_in_its_head() -> None:
    framed = f.Framed("Event 1", "date: 2026-10-14")
    assert framed.say("cached at x") == "Event 1; cached at x.\ndate: 2026-10-14"
    assert framed.say(FRESH) == f"Event 1; {FRESH}.\ndate: 2026-10-14"
    assert f.Framed("Event 1").say("p") == "Event 1; p."
    assert f.Framed("As it is.", sourced=False).say("p") == "As it is."


def test_split_activities_counts_stubs_and_unnamed() -> None:
    listed, stubs, unnamed = f.split_activities([STUB, RIDE, UNNAMED, SWIM], include_unnamed=False)
    assert [a.id for a in listed] == ["i2", "i145678901"]  # newest first
    assert stubs == ["2026-10-10 09:14"]
    assert unnamed == 1
    listed, _, unnamed = f.split_activities([RIDE, UNNAMED], include_unnamed=True)
    assert [a.id for a in listed] == ["i3", "i145678901"] and unnamed == 0


def test_activity_table_is_compact_and_honest() -> None:
    listed, stubs, unnamed = f.split_activities([STUB, RIDE, SWIM, UNNAMED], include_unnamed=False)
    text = f.format_activities(
        athlete_id="i12345",
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
        listed=listed,
        limit=10,
        max_limit=200,
        stubs=stubs,
        unnamed_skipped=unnamed,
    ).say(FRESH)
    lines = text.splitlines()
    assert lines[0] == (
        "Activities 2026-10-01 to 2026-10-31 (athlete i12345), newest first: showing 2 of 2; "
        "fresh from Intervals.icu."
    )
    assert "1 Strava-sourced activity is hidden by Strava's API terms" in text
    assert "2026-10-10 09:14" in text
    assert "1 unnamed activity skipped (include_unnamed=true lists them)." in text
    header = next(line for line in lines if line.startswith("id |"))
    assert header == "id | local start | sport | name | time h:mm | dist | load | avg W | avg bpm"
    assert (
        "i145678901 | 2026-10-12 07:31 | Ride | Morning Endurance | 2:04 | 62.3km | 143 | 198 | 142" in lines
    )
    assert "i2 | 2026-10-13 06:00 | Swim | Pool | 0:30 | 1500m | 30 |  | " in lines
    assert "N/A" not in text and "None" not in text


def test_activity_table_drops_columns_without_data() -> None:
    swims = [{**SWIM, "id": f"i{n}", "start_date_local": f"2026-10-{10 + n:02d}T06:00:00"} for n in range(5)]
    listed, _, _ = f.split_activities(swims, include_unnamed=False)
    text = f.format_activities(
        athlete_id="i1",
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
        listed=listed,
        limit=1,
        max_limit=200,
        stubs=[],
        unnamed_skipped=0,
    ).say("cached at x")
    assert "id | local start | sport | name | time h:mm | dist | load" in text
    assert "avg W" not in text and "avg bpm" not in text
    assert "showing 1 of 5" in text
    assert text.endswith(
        "4 older in range not shown (limit=1): raise limit (up to 200) or call again with "
        "end_date=2026-10-13 for older ones."
    )


def year_of_rides(count: int) -> list[dict[str, Any]]:
    """`count` rides spread over 2026, with names long enough that 200 rows overflow a budget."""
    return [
        {
            **RIDE,
            "id": f"i{10_000 + n}",
            "name": f"Endurance ride with a fairly long descriptive name {n}",
            "start_date_local": f"{date(2026, 1, 1) + timedelta(days=n * 365 // count)}T07:15:00",
        }
        for n in range(count)
    ]


def year_listed(listed: list[Any], *, limit: int, **budget: int) -> f.Framed:
    """The list of 2026 for athlete i1, with no stubs or unnamed ones; at most 200 a call."""
    return f.format_activities(
        athlete_id="i1",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        listed=listed,
        limit=limit,
        max_limit=200,
        stubs=[],
        unnamed_skipped=0,
        **budget,
    )


def test_a_list_cut_by_its_size_at_the_largest_limit_counts_one_way() -> None:
    """474 in a year, limit 200 (the largest), the table cut to fit: the header, the one hint
    and the rows agree, and nobody is told to raise a limit that cannot go higher."""
    listed, _, _ = f.split_activities(year_of_rides(474), include_unnamed=False)
    framed = year_listed(listed, limit=200)
    text = framed.say(FRESH)
    shown = framed.shown
    assert shown is not None and 0 < shown < 200
    rows = [line for line in text.splitlines() if line.startswith("i1")]
    assert len(rows) == shown
    assert f"showing {shown} of 474" in text.splitlines()[0]
    hints = [line for line in text.splitlines() if "not shown" in line or "cut" in line]
    assert hints == [
        f"{474 - shown} older in range not shown (the answer's size limit): call again with "
        f"end_date={listed[shown].start_local[:10]} for older ones."
    ]
    assert "raise limit" not in text


def test_a_list_cut_at_the_largest_limit_does_not_say_raise_it() -> None:
    short = [{**r, "name": "R"} for r in year_of_rides(250)]
    listed, _, _ = f.split_activities(short, include_unnamed=False)
    framed = year_listed(listed, limit=200, budget=100_000)
    text = framed.say(FRESH)
    assert framed.shown == 200 and "showing 200 of 250" in text
    assert text.endswith(
        f"50 older in range not shown (limit=200): call again with end_date={listed[200].start_local[:10]} "
        "for older ones."
    )


def test_many_stub_dates_are_abbreviated() -> None:
    stubs = [f"2026-10-{d:02d} 09:00" for d in range(1, 15)]
    line = f.strava_line(stubs)
    assert line.startswith("14 Strava-sourced activities are hidden")
    assert line.endswith("and 4 more.")


def test_forty_activities_in_thirty_days_stay_under_8000_chars() -> None:
    payloads = [
        {
            **RIDE,
            "id": f"i{1000 + n}",
            "name": f"Endurance ride with a fairly long descriptive name {n}",
            "start_date_local": f"2026-10-{1 + n % 30:02d}T{6 + n % 12:02d}:15:00",
        }
        for n in range(40)
    ]
    listed, stubs, unnamed = f.split_activities(payloads, include_unnamed=False)
    text = f.format_activities(
        athlete_id="i12345",
        start=date(2026, 10, 1),
        end=date(2026, 10, 30),
        listed=listed,
        limit=40,
        max_limit=200,
        stubs=stubs,
        unnamed_skipped=unnamed,
    ).say(FRESH)
    assert len(listed) == 40 and text.count("\ni1") == 40
    assert len(text) < 8000


def test_clip_cuts_whole_lines_with_a_hint() -> None:
    lines = ["header", *[f"row {i}" for i in range(100)]]
    kept, body = f.clip(lines, 60, lambda n: f"(cut after {n})")
    assert kept[0] == "header" and kept[-1] == f"(cut after {body})"
    assert 0 < body < 100
    same, n = f.clip(lines[:3], 1000, lambda n: "never")
    assert same == lines[:3] and n == 2


def test_activity_list_over_budget_hints_next_end_date() -> None:
    payloads = [
        {**RIDE, "id": f"i{n}", "start_date_local": f"2026-10-{1 + n:02d}T07:00:00"} for n in range(30)
    ]
    listed, _, _ = f.split_activities(payloads, include_unnamed=False)
    text = f.format_activities(
        athlete_id="i1",
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
        listed=listed,
        limit=30,
        max_limit=200,
        stubs=[],
        unnamed_skipped=0,
        budget=f.PROVENANCE_ALLOWANCE + 900,
    ).say("p")
    assert len(text) < 1100
    assert "call again with end_date=2026-10-" in text


def test_a_cut_activity_list_says_what_it_shows_and_loses_no_row() -> None:
    """Two rides a day: the next call must start at the first row not shown (its day again),
    and the header must count the rows actually shown, not the rows asked for."""
    payloads = [
        {**RIDE, "id": f"i{n}", "start_date_local": f"2026-10-{1 + n // 2:02d}T{7 + 11 * (n % 2):02d}:00:00"}
        for n in range(30)
    ]
    listed, _, _ = f.split_activities(payloads, include_unnamed=False)
    framed = f.format_activities(
        athlete_id="i1",
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
        listed=listed,
        limit=30,
        max_limit=200,
        stubs=[],
        unnamed_skipped=0,
        budget=f.PROVENANCE_ALLOWANCE + 950,  # cuts between the two rides of one day
    )
    text = framed.say("p")
    shown = framed.shown
    assert shown is not None and 0 < shown < 30 and shown % 2 == 1
    assert f"showing {shown} of 30" in text
    rows = [line for line in text.splitlines() if line.startswith("i") and not line.startswith("id |")]
    assert len(rows) == shown
    first_unshown_day = listed[shown].start_local[:10]
    assert f"end_date={first_unshown_day} " in text


def test_activity_details_only_present_fields() -> None:
    text = f.format_activity(RIDE).say(FRESH)
    assert text.splitlines()[0] == "Activity i145678901; fresh from Intervals.icu."
    for expected in (
        "sport: Ride",
        "start (local): 2026-10-12 07:31",
        "distance: 62.3km",
        "elevation gain m: 845",
        "avg power W: 198",
        "normalized power W: 221",
        "intensity factor: 0.83",
        "FTP W: 265",
        "avg HR bpm: 142",
        "max HR bpm: 176",
        "training load: 143",
        "TRIMP: 168",
        "CTL after (fitness): 68.4",
        "RPE 1-10: 6",
        "device: Garmin Edge 840",
        "source: GARMIN_CONNECT",
    ):
        assert expected in text
    assert "description" not in text and "None" not in text
    facts = f.activity_facts(RIDE)
    assert facts["avg power W"] == 198 and facts["sport"] == "Ride"
    assert "description" not in facts


def test_strava_stub_details_say_why() -> None:
    text = f.format_activity(STUB).say("cached at x")
    assert "Strava-sourced" in text and "Strava's API terms" in text


INTERVALS: dict[str, Any] = {
    "id": "i145678901",
    "icu_intervals": [
        {
            "id": 1,
            "type": "RECOVERY",
            "label": "Warmup",
            "start_time": 0,
            "moving_time": 600,
            "average_watts": 165,
            "max_watts": 241,
            "intensity": 64,
            "average_heartrate": 121,
            "average_cadence": 84.1,
        },
        {
            "id": 2,
            "type": "WORK",
            "label": None,
            "group_id": "240s@280w",
            "start_time": 4200,
            "moving_time": 240,
            "average_watts": 281,
            "max_watts": 342,
            "intensity": 107,
            "average_heartrate": 161,
            "average_cadence": 92.3,
        },
    ],
    "icu_groups": [
        {
            "id": "240s@280w",
            "count": 3,
            "moving_time": 240,
            "average_watts": 280,
            "intensity": 106,
            "average_heartrate": 163,
        },
    ],
}


def test_intervals_table_and_groups() -> None:
    text = f.format_intervals("i145678901", INTERVALS).say(FRESH)
    lines = text.splitlines()
    assert lines[0].startswith("Intervals of activity i145678901: 2 intervals, 1 group;")
    assert lines[1] == "# | type | label | start | dur m:ss | avg W | max W | int % | avg bpm | rpm"
    assert lines[2] == "1 | RECOVERY | Warmup | 0:00 | 10:00 | 165 | 241 | 64 | 121 | 84"
    assert lines[3] == "2 | WORK | 240s@280w | 1:10:00 | 4:00 | 281 | 342 | 107 | 161 | 92"
    assert "Groups of similar intervals:" in lines
    assert "240s@280w | 3 | 4:00 | 280 | 106 | 163" in lines


def test_no_intervals_is_said_plainly() -> None:
    text = f.format_intervals("i1", {"icu_intervals": [], "icu_groups": []}).say("p")
    assert "no intervals" in text


DAY1: dict[str, Any] = {
    "id": "2026-10-11",
    "ctl": 67.52,
    "atl": 69.88,
    "rampRate": 4.1,
    "hrv": 71.0,
    "restingHR": 47,
    "sleepSecs": 27120,
    "sleepScore": 84.0,
    "weight": 72.6,
    "soreness": 2,
    "fatigue": 2,
    "stress": 1,
    "mood": 2,
    "motivation": 1,
    "spO2": 96.0,
    "steps": 9812,
    "comments": None,
    "bodyFat": None,
    "tempWeight": False,
    "sportInfo": [{"type": "Ride", "eftp": 262.4}],
    "updated": "2026-10-11T19:20:06.102+00:00",
}
DAY2: dict[str, Any] = {"id": "2026-10-12", "ctl": 68.41, "atl": 72.93, "rampRate": None, "hrv": None}


def test_wellness_only_columns_with_data() -> None:
    framed, shown = f.format_wellness(
        athlete_id="i1",
        start=date(2026, 10, 11),
        end=date(2026, 10, 12),
        days=[DAY2],
        include_all_fields=False,
    )
    text = framed.say(FRESH)
    assert (
        text.splitlines()[0]
        == "Wellness 2026-10-11 to 2026-10-12 (athlete i1): 1 days with data; " + FRESH + "."
    )
    assert shown == 1
    assert "date | CTL fitness | ATL fatigue | form" in text
    assert "2026-10-12 | 68.4 | 72.9 | -4.5" in text
    assert "HRV" not in text and "1-4" not in text


def test_wellness_full_row_and_all_fields() -> None:
    framed, _ = f.format_wellness(
        athlete_id="i1",
        start=date(2026, 10, 11),
        end=date(2026, 10, 12),
        days=[DAY1, DAY2],
        include_all_fields=False,
    )
    text = framed.say("p")
    assert "soreness/fatigue/stress/mood/motivation: 1-4, 1 is good." in text
    assert "2026-10-11 | 67.5 | 69.9 | -2.4 | 4.1 | 71 | 47 | 7:32 | 84 | 72.6 | 2 | 2 | 1 | 2 | 1" in text
    assert "spO2" not in text
    all_framed, _ = f.format_wellness(
        athlete_id="i1",
        start=date(2026, 10, 11),
        end=date(2026, 10, 12),
        days=[DAY1, DAY2],
        include_all_fields=True,
    )
    everything = all_framed.say("p")
    assert "spO2=96.0; steps=9812" in everything
    assert "comments" not in everything and "tempWeight" not in everything
    assert 'sportInfo=[{"type":"Ride","eftp":262.4}]' in everything
    day = f.wellness_day(DAY1, include_all_fields=True)
    assert day["date"] == "2026-10-11" and day["form"] == -2.36 and day["spO2"] == 96.0
    assert "spO2" not in f.wellness_day(DAY1, include_all_fields=False)


def test_wellness_over_budget_hints_next_start_date() -> None:
    days = [{"id": f"2026-10-{d:02d}", "ctl": 60.0 + d, "atl": 55.0} for d in range(1, 31)]
    framed, shown = f.format_wellness(
        athlete_id="i1",
        start=date(2026, 10, 1),
        end=date(2026, 10, 30),
        days=days,
        include_all_fields=False,
        budget=f.PROVENANCE_ALLOWANCE + 400,
    )
    text = framed.say("p")
    assert 0 < shown < 30
    assert f"call again with start_date={days[shown]['id']} for the rest" in text
    # the first line says the answer is cut (a 3-year answer once showed 136 of 730 days silently)
    assert text.splitlines()[0] == (
        f"Wellness 2026-10-01 to 2026-10-30 (athlete i1): showing {shown} of 30 days with data; p."
    )


def test_a_cut_calendar_says_so_in_its_first_line() -> None:
    events = [{**EVENT, "id": n, "start_date_local": f"2026-10-{1 + n % 30:02d}T00:00:00"} for n in range(60)]
    framed, shown = f.format_events(
        athlete_id="i1", start=date(2026, 10, 1), end=date(2026, 10, 31), events=events,
        budget=f.PROVENANCE_ALLOWANCE + 600,
    )  # fmt: skip
    assert 0 < shown < 60
    assert framed.say("p").splitlines()[0] == (
        f"Calendar events 2026-10-01 to 2026-10-31 (athlete i1): showing {shown} of 60; p."
    )


EVENT: dict[str, Any] = {
    "id": 87654321,
    "start_date_local": "2026-10-14T00:00:00",
    "category": "WORKOUT",
    "type": "Ride",
    "name": "Sweet Spot 3x12",
    "description": "- 15m 55%\n\n3x\n- 12m 90%\n- 5m 55%\n\n- 10m 50%",
    "indoor": True,
    "moving_time": 4560,
    "icu_training_load": 82,
    "icu_intensity": 80.4,
    "target": "POWER",
    "workout_doc": {
        "duration": 4560,
        "steps": [
            {"duration": 900, "power": {"value": 55, "units": "%ftp"}, "warmup": True},
            {
                "reps": 3,
                "text": "3x",
                "duration": 3060,
                "steps": [
                    {"duration": 720, "power": {"value": 90, "units": "%ftp"}},
                    {"duration": 300, "power": {"start": 50, "end": 60, "units": "%ftp"}},
                ],
            },
            {"duration": 600, "hr": {"value": 70, "units": "%lthr"}},
            {"duration": 300, "pace": {"value": 90.0, "units": "%pace"}},
        ],
    },
}
NOTE: dict[str, Any] = {
    "id": 87654400,
    "start_date_local": "2026-10-15T00:00:00",
    "category": "NOTE",
    "type": None,
    "name": "Rest day",
    "description": "Mobility only",
}


def test_events_table() -> None:
    framed, shown = f.format_events(
        athlete_id="i1",
        start=date(2026, 10, 13),
        end=date(2026, 10, 19),
        events=[EVENT, NOTE],
    )
    lines = framed.say(FRESH).splitlines()
    assert shown == 2
    assert lines[0] == "Calendar events 2026-10-13 to 2026-10-19 (athlete i1): 2; fresh from Intervals.icu."
    assert lines[1] == "id | date | category | sport | name | time h:mm | load"
    assert lines[2] == "87654321 | 2026-10-14 | WORKOUT | Ride | Sweet Spot 3x12 | 1:16 | 82"
    assert lines[3] == "87654400 | 2026-10-15 | NOTE |  | Rest day |  | "


def test_event_details_render_workout_steps() -> None:
    framed, steps = f.format_event(EVENT)
    text = framed.say("cached at x")
    assert text.splitlines()[0] == "Event 87654321; cached at x."
    assert steps == [
        "- 15:00 55% FTP warmup",
        "- 3x",
        "  - 12:00 90% FTP",
        "  - 5:00 50-60% FTP ramp",
        "- 10:00 HR 70% LTHR",
        "- 5:00 pace 90% threshold pace",
    ]
    assert "planned load: 82" in text and "indoor: yes" in text and "workout:" in text
    note_framed, note_steps = f.format_event(NOTE)
    note_text = note_framed.say("p")
    assert note_steps == [] and "Mobility only" in note_text and "category: NOTE" in note_text


def test_summary_builder_ignores_wrong_types() -> None:
    s = activity_summary({"id": 5, "moving_time": "x", "distance": True, "name": "  "})
    assert s.id == "5" and s.moving_time_s is None and s.distance_m is None and s.name is None


LONGEST = "x" * f.PROVENANCE_ALLOWANCE
BUDGET = 3000


def within_budget(text: str, hint_says: str) -> bool:
    """The answer said with the longest provenance fits the budget (the cut hint aside)."""
    hint = [line for line in text.splitlines() if hint_says in line]
    assert len(hint) == 1, "the table was expected to be cut"
    return len(text) - len(hint[0]) - 1 <= BUDGET


def test_cuts_leave_room_for_any_provenance() -> None:
    """What a formatter keeps never depends on the provenance: the same body, said with the
    longest provenance, still fits the budget."""
    rides = [
        {**RIDE, "id": f"i{n}", "start_date_local": f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}T07:00:00"}
        for n in range(200)
    ]
    listed, _, _ = f.split_activities(rides, include_unnamed=False)
    activities = f.format_activities(
        athlete_id="i1",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        listed=listed,
        limit=200,
        max_limit=200,
        stubs=[],
        unnamed_skipped=0,
        note="note on the range",
        budget=BUDGET,
    )
    assert within_budget(activities.say(LONGEST), "(the answer's size limit)")
    assert len(activities.say(LONGEST)) <= BUDGET  # the hint's room is kept too
    assert activities.say(FRESH).splitlines()[1:] == activities.say(LONGEST).splitlines()[1:]

    days = [{"id": str(date(2026, 1, 1) + timedelta(days=n)), "ctl": 60.0} for n in range(200)]
    wellness, _ = f.format_wellness(
        athlete_id="i1",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        days=days,
        include_all_fields=False,
        budget=BUDGET,
    )
    assert within_budget(wellness.say(LONGEST), "(output cut")

    events = [
        {**EVENT, "id": n, "start_date_local": f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}T00:00:00"}
        for n in range(200)
    ]
    calendar, _ = f.format_events(
        athlete_id="i1", start=date(2026, 1, 1), end=date(2026, 12, 31), events=events, budget=BUDGET
    )
    assert within_budget(calendar.say(LONGEST), "(output cut")

    many = {
        "icu_intervals": [{**INTERVALS["icu_intervals"][1], "id": n} for n in range(200)],
        "icu_groups": [],
    }
    intervals = f.format_intervals("i1", many, budget=BUDGET)
    assert within_budget(intervals.say(LONGEST), "(cut after")
