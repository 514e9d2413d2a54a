"""The synthetic athlete and the demo athlete: determinism, volume, realism, dates."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from fake_support import TODAY

from intervals_mcp.fake import generate_athlete, load_demo_athlete
from intervals_mcp.fake.fitness import fitness_series


def test_same_seed_same_athlete_other_seed_other_athlete() -> None:
    a = generate_athlete(seed=9, years=0.5, today=TODAY)
    b = generate_athlete(seed=9, years=0.5, today=TODAY)
    c = generate_athlete(seed=10, years=0.5, today=TODAY)
    assert a.activities == b.activities and a.wellness == b.wellness and a.events == b.events
    assert a.activities != c.activities
    some = next(iter(a.activities))
    if a.activities[some]["source"] != "STRAVA":
        assert a.get_intervals(some) == b.get_intervals(some)


def test_five_years_generate_quickly_with_realistic_volume() -> None:
    started = time.perf_counter()
    store = generate_athlete(seed=7, years=5, today=TODAY)
    assert time.perf_counter() - started < 2.0
    activities = list(store.activities.values())
    days = len(store.wellness)
    assert days == 5 * 365
    per_30 = len(activities) / days * 30
    assert 36 <= per_30 <= 44
    strava = sum(1 for a in activities if a["source"] == "STRAVA") / len(activities)
    assert 0.01 <= strava <= 0.06
    types = {a["type"] for a in activities}
    assert {"Ride", "VirtualRide", "Run", "Swim", "WeightTraining"} <= types
    rides = [a for a in activities if a["type"] == "Ride" and a["source"] != "STRAVA"]
    assert all(100 < a["icu_average_watts"] < 400 for a in rides)
    assert all(a["icu_average_watts"] <= a["icu_weighted_avg_watts"] for a in rides)
    assert all(0 < a["icu_training_load"] < 500 for a in activities)
    assert max(a["start_date_local"] for a in activities)[:10] == TODAY.isoformat()
    ids = [a["id"] for a in activities if a["id"].startswith("i")]
    assert len(ids) == len(set(ids))


def test_wellness_fitness_comes_from_the_activity_loads() -> None:
    store = generate_athlete(seed=4, years=0.5, today=TODAY)
    days = sorted(store.wellness)
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    series = fitness_series(store.daily_loads(), first, last, store.fitness_start)
    for key in days:
        record = store.wellness[key]
        fit = series[date.fromisoformat(key)]
        assert (record["ctl"], record["atl"], record["rampRate"]) == (fit.ctl, fit.atl, fit.ramp_rate)
    answered = [w for w in store.wellness.values() if w["soreness"] is not None]
    assert answered and all(1 <= w["soreness"] <= 4 for w in answered)
    assert sum(1 for w in store.wellness.values() if w["hrv"]) > 0.8 * len(days)


def test_calendar_runs_ahead_with_races() -> None:
    store = generate_athlete(seed=4, years=0.5, today=TODAY)
    future = [e for e in store.events.values() if e["start_date_local"][:10] >= TODAY.isoformat()]
    categories = {e["category"] for e in future}
    assert {"WORKOUT", "NOTE", "RACE_A", "RACE_B"} <= categories
    last = max(e["start_date_local"][:10] for e in future)
    assert last <= (TODAY + timedelta(days=190)).isoformat()
    assert any(e["paired_activity_id"] for e in store.events.values())


def test_demo_athlete_is_shifted_to_end_today() -> None:
    for today in (TODAY, date(2030, 3, 1)):
        store = load_demo_athlete(today)
        assert max(store.wellness) == today.isoformat()
        assert 60 <= len(store.wellness) <= 90
        starts = [a["start_date_local"][:10] for a in store.activities.values()]
        assert max(starts) <= today.isoformat()
        assert max(e["start_date_local"][:10] for e in store.events.values()) > today.isoformat()
        assert store.today == today
    assert load_demo_athlete(TODAY).activities == load_demo_athlete(TODAY).activities


def test_demo_athlete_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="demo athlete data is missing"):
        load_demo_athlete(TODAY, data_dir=tmp_path)


def test_command_line_serves_until_stopped() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "intervals_mcp.fake", "--port", "0", "--seed", "3", "--years", "0.2",
         "--api-key", "cli-key", "--today", TODAY.isoformat()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/api/v1)", line)
        assert match, line
        for _ in range(100):
            try:
                response = httpx.get(f"{match.group(1)}/athlete/0", auth=("API_KEY", "cli-key"))
                break
            except httpx.ConnectError:
                time.sleep(0.05)
        assert response.status_code == 200 and response.json()["id"] == "i12345"
    finally:
        process.terminate()
        stdout, _ = process.communicate(timeout=10)
    assert stdout == ""  # nothing on stdout
