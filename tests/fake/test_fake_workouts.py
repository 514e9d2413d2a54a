"""The fake's reading of workout text, form by form and trap by trap (sections of
/work/shared/intervals-api/WORKOUT_TEXT.md in each test's name or comment). Expected figures
are worked out here from the text: load = hours × IF² × 100 per step."""

from __future__ import annotations

from typing import Any

import pytest

from intervals_mcp.fake.workouts import (
    ParsedWorkout,
    Thresholds,
    parse_workout,
    thresholds_for,
    workout_fields,
)

POWER_ZONES = (55.0, 75.0, 90.0, 105.0, 120.0, 150.0, 999.0)
RIDE = Thresholds(ftp=250, lthr=170, max_hr=190, power_zones=POWER_ZONES,
                  hr_zones=(138, 151, 160, 170, 175, 180, 190))
RUN = Thresholds(lthr=172, max_hr=192, threshold_pace=4.0,
                 pace_zones=(77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0))
SWIM = Thresholds(lthr=160, max_hr=180, threshold_pace=1.25)


def _load(*parts: tuple[float, float]) -> int:
    """Load of (seconds, intensity factor) parts."""
    return round(sum(secs / 3600 * factor**2 * 100 for secs, factor in parts))


def _parse(text: str, sport: str = "Ride", t: Thresholds = RIDE) -> ParsedWorkout:
    parsed = parse_workout(text, sport, t)
    assert parsed is not None, text
    return parsed


def _steps(parsed: ParsedWorkout) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = parsed.doc["steps"]
    return steps


# ---- §1 step lines, durations, distances ---------------------------------------------------


def test_canonical_ride_with_a_repeat_block() -> None:  # §3, §6, §8
    parsed = _parse("- 15m 55%\n\n3x\n- 12m 90%\n- 5m 55%\n\n- 10m 50%")
    assert parsed.moving_time == 900 + 3 * (720 + 300) + 600 == parsed.doc["duration"]
    warm, block, cool = _steps(parsed)
    assert warm == {"duration": 900, "power": {"value": 55, "units": "%ftp"}}
    assert cool == {"duration": 600, "power": {"value": 50, "units": "%ftp"}}
    assert (block["reps"], block["text"], block["duration"]) == (3, "3x", 3060)
    assert block["steps"][0] == {"duration": 720, "power": {"value": 90, "units": "%ftp"}}
    assert parsed.training_load == _load((900, 0.55), (2160, 0.9), (900, 0.55), (600, 0.5))
    assert parsed.target == "POWER"


@pytest.mark.parametrize(
    ("token", "seconds"),
    [("45m", 2700), ("1h45m", 6300), ("2m30s", 150), ("1m30", 90), ("40s", 40), ("1h", 3600),
     ("5'", 300), ('30"', 30), ("1'30\"", 90)],
)
def test_duration_forms(token: str, seconds: int) -> None:  # §1
    assert _parse(f"- {token} 60%").moving_time == seconds


def test_bare_m_is_minutes_not_metres() -> None:  # §1, §7: the 41-hour swim
    minutes = _parse("- 2500m 100% Pace", "Swim", SWIM)
    assert minutes.moving_time == 2500 * 60
    assert minutes.training_load == _load((150_000, 1.0))
    metres = _parse("- 2500mtr 100% Pace", "Swim", SWIM)
    assert _steps(metres)[0]["distance"] == 2500.0
    assert metres.moving_time == round(2500 / 1.25)  # at 100 % of CSS


@pytest.mark.parametrize(("token", "metres"),
                         [("400mtr", 400.0), ("0.4km", 400.0), ("1mi", 1609.34), ("50yrd", 45.72)])
def test_distance_forms(token: str, metres: float) -> None:  # §1
    (step,) = _steps(_parse(f"- {token} 95% Pace", "Run", RUN))
    assert step["distance"] == metres
    assert step["duration"] == round(metres / (4.0 * 0.95))  # estimated from the pace target


def test_distance_without_anchor_gets_a_placeholder_duration() -> None:  # §1
    (step,) = _steps(_parse("- 1km Z2 HR", "Run", Thresholds()))
    assert step["distance"] == 1000.0 and step["duration"] > 0


@pytest.mark.parametrize("text", ["- 10min 60%", "- 30sec 120%", "- 0s 180w", "- Easy spin 200w",
                                  "Main: 3 x 3 min hard", "Just ride easy for an hour"])
def test_lines_that_make_no_step(text: str) -> None:  # §1 dropped steps, §4 prose
    assert parse_workout(text, "Ride", RIDE) is None


def test_dash_without_space_and_target_before_duration() -> None:  # §1, §4, §7
    (step,) = _steps(_parse("-Z2 2h"))
    assert step == {"duration": 7200, "power": {"value": 2, "units": "power_zone"}}
    (labelled,) = _steps(_parse("- Z2 Steady 1h45m"))
    assert "text" not in labelled  # a zone before the duration erases the label


def test_two_time_tokens_add_up() -> None:  # §1 (RGW-SD, watt-mind/coach#168)
    (step,) = _steps(_parse("- 100m Interval 1 150s 50%"))
    assert step["duration"] == 100 * 60 + 150


# ---- §2 targets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [("- 10m 88-92%", "power", {"start": 88, "end": 92, "units": "%ftp"}),
     ("- 10m 250w", "power", {"value": 250, "units": "w"}),
     ("- 10m 240w-260w", "power", {"start": 240, "end": 260, "units": "w"}),
     ("- 10m 240-260w", "power", {"start": 240, "end": 260, "units": "w"}),
     ("- 10m Z2", "power", {"value": 2, "units": "power_zone"}),
     ("- 10m Z2 HR", "hr", {"value": 2, "units": "hr_zone"}),
     ("- 10m 75% HR", "hr", {"value": 75, "units": "%hr"}),
     ("- 10m 70-80% LTHR", "hr", {"start": 70, "end": 80, "units": "%lthr"}),
     ("- 10m 95% Pace", "pace", {"value": 95, "units": "%pace"}),
     ("- 10m Z2 Pace", "pace", {"value": 2, "units": "pace_zone"}),
     ("- 10m 5:00/km Pace", "pace", {"value": 300, "units": "secs/km"}),
     ("- 10m 7:15-7:00/km Pace", "pace", {"start": 435, "end": 420, "units": "secs/km"}),
     ("- 10m 1:45/100m Pace", "pace", {"value": 105, "units": "secs/100m"}),
     ("- 10m 60% 85-95rpm", "cadence", {"start": 85, "end": 95, "units": "rpm"})],
)
def test_target_forms(text: str, kind: str, value: dict[str, Any]) -> None:  # §2
    (step,) = _steps(_parse(text, "Run", RUN))
    assert step[kind] == value


@pytest.mark.parametrize("text", ["- 10m 5:00/km", "- 10m 1:45/100mtr Pace", "- 10m 75",
                                  "- 10m 95-105", "- 25m Threshold", "- 10m CSS", "- 10m easy"])
def test_unread_targets_keep_the_time_but_load_nothing(text: str) -> None:  # §2, §7
    parsed = _parse(text, "Run", RUN)
    (step,) = _steps(parsed)
    assert step["duration"] == int(text.split()[1][:-1]) * 60
    assert not {"power", "hr", "pace"} & set(step)
    assert parsed.training_load == 0 and parsed.target == "AUTO"


def test_threshold_pace_words_load_only_the_targeted_steps() -> None:  # §2 hhopke#86 row 7
    parsed = _parse("- 10m 70% Pace\n- 25m Threshold Pace\n- 10m 65% Pace", "Run", RUN)
    assert parsed.moving_time == 2700
    assert parsed.training_load == _load((600, 0.70), (600, 0.65))


def test_ramp_label_flags_and_extras() -> None:  # §2, §4
    ramp, label, free, rest, lap = _steps(_parse(
        "- 10m ramp 60-47%\n- Ramp 3 1m 239w\n- 20m freeride\n- 30s 40% intensity=rest\n"
        "- Cooldown 10m Z1 power=1s Press lap"))
    assert ramp["ramp"] is True and ramp["power"] == {"start": 60, "end": 47, "units": "%ftp"}
    assert "ramp" not in label and label["text"] == "Ramp 3"  # a label word, a steady step
    assert free["freeride"] is True and "power" not in free
    assert rest["intensity"] == "rest"
    assert lap["until_lap_press"] is True and lap["text"] == "Cooldown" and lap["duration"] == 600


def test_the_last_target_of_a_kind_wins() -> None:  # §2
    (step,) = _steps(_parse("- Z6 1m 113-138%"))
    assert step["power"] == {"start": 113, "end": 138, "units": "%ftp"}


def test_label_before_the_duration() -> None:  # §4
    (step,) = _steps(_parse("- Spin 12m 62% 92rpm"))
    assert step == {"duration": 720, "text": "Spin", "power": {"value": 62, "units": "%ftp"},
                    "cadence": {"value": 92, "units": "rpm"}}


# ---- §3 repeats, §4 headers --------------------------------------------------------------------


def test_repeat_glued_under_a_step_runs_once() -> None:  # §3, §7
    parsed = _parse("- 10m 60%\n3x\n- 5m 100%\n- 5m 50%\n\n- 10m 50%")
    assert [s.get("reps") for s in _steps(parsed)] == [None, None, None, None]
    assert parsed.moving_time == 30 * 60


def test_block_runs_to_the_next_blank_line() -> None:  # §3: steps after it are absorbed
    parsed = _parse("- 10m 60%\n\n3x\n- 5m 100%\n- 5m 50%\n- 10m 50%")
    block = _steps(parsed)[1]
    assert block["reps"] == 3 and len(block["steps"]) == 3
    assert parsed.moving_time == 600 + 3 * 1200


def test_header_with_a_name_and_prose_ending_in_x() -> None:  # §3
    (block,) = _steps(_parse("Main Set 4x\n- 4m 105%\n- 3m 55%"))
    assert (block["reps"], block["text"], block["duration"]) == (4, "Main Set 4x", 4 * 420)
    (prose,) = _steps(_parse("Go hard, then repeat it 2x\n- 5m 110%"))
    assert prose["reps"] == 2  # the trap: a prose line ending in 2x is a repeat header


def test_nested_repeats_do_not_nest() -> None:  # §3
    (block,) = _steps(_parse("2x\n- 5m 90%\n3x\n- 1m 120%"))
    assert block["reps"] == 2 and [s["duration"] for s in block["steps"]] == [300, 60]


def test_warmup_and_cooldown_headers() -> None:  # §4
    warm, middle, cool, labelled = _steps(_parse(
        "Warmup\n- 10m ramp 50-70%\n\n- 20m 65%\n\nCooldown\n- 8m 50%\n\n- Warm up 5m 50%"))
    assert warm["warmup"] is True and cool["cooldown"] is True
    assert "warmup" not in middle and "warmup" not in labelled


# ---- §5 sports and anchors, load ----------------------------------------------------------------


def test_run_loads_from_pace_and_hr_but_not_bare_zones() -> None:  # §5
    assert _parse("- 30m Z2", "Run", RUN).training_load == 0  # no run FTP: power loads nothing
    zone = _parse("- 30m Z2 Pace", "Run", RUN)
    assert zone.training_load == _load((1800, (77.5 + 87.7) / 2 / 100)) and zone.target == "PACE"
    absolute = _parse("- 30m 5:00/km Pace", "Run", RUN)
    assert absolute.training_load == _load((1800, 1000 / 300 / 4.0))
    hr = _parse("- 30m 95% LTHR\n- 10m 75% HR", "Run", RUN)
    assert hr.training_load == _load((1800, 0.95), (600, 0.75 * 192 / 172)) and hr.target == "HR"


def test_swim_without_css_loads_nothing() -> None:  # §5, lint rule 17
    assert _parse("- 20m 90% Pace", "Swim", SWIM).training_load == _load((1200, 0.9))
    assert _parse("- 20m 90% Pace", "Swim", Thresholds(lthr=160)).training_load == 0


def test_open_top_zone_resolves_absurdly_high() -> None:  # §2 RGW-ZT
    parsed = _parse("- 10m Z7")
    assert parsed.training_load == _load((600, (150 + 999) / 2 / 100))


def test_watts_load_against_ftp() -> None:
    assert _parse("- 1h 200w").training_load == _load((3600, 200 / 250))


# ---- §6 what the event gets ---------------------------------------------------------------------


def test_event_fields_and_prose() -> None:  # §6
    fields = workout_fields("- 30m 80%", "Ride", RIDE)
    assert fields["moving_time"] == 1800 and fields["icu_training_load"] == _load((1800, 0.8))
    assert fields["icu_intensity"] == pytest.approx(80.0) and fields["icu_ftp"] == 250
    assert fields["workout_doc"]["ftp"] == 250 and fields["target"] == "POWER"
    prose = workout_fields("Ride with friends, coffee stop", "Ride", RIDE)
    assert prose["workout_doc"]["steps"] == [] and prose["icu_training_load"] is None
    assert "moving_time" not in prose


def test_thresholds_come_from_the_sport_settings() -> None:
    settings = [{"types": ["Ride", "VirtualRide"], "ftp": 260, "lthr": 168, "max_hr": 188,
                 "power_zones": list(POWER_ZONES), "hr_zones": None, "threshold_pace": None},
                {"types": ["Swim"], "ftp": None, "lthr": 150, "threshold_pace": 1.3}]
    athlete = {"sportSettings": settings}
    assert thresholds_for(athlete, "VirtualRide").ftp == 260
    assert thresholds_for(athlete, "Swim").threshold_pace == 1.3
    assert thresholds_for(athlete, "Rowing") == Thresholds()
