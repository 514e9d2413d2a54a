"""Prompts: short briefs that route a model to the right tools for the questions people ask
most. Each is one user message: what to look at, in which order, and what to say; the tools
named are checked against the registry by a test."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mcp.server import MCPServer

    from intervals_mcp.server.app import AppState

def _for(athlete_id: str) -> str:
    athlete = athlete_id.strip()
    return f" Pass athlete_id={athlete} to every tool." if athlete else ""


def weekly_review(week_start: str = "", athlete_id: str = "") -> str:
    """Review a training week: load, sessions, plan adherence, recovery."""
    week = f"the week starting {week_start}" if week_start else "the last 7 days"
    return (
        f"Review {week} of training.{_for(athlete_id)} Start with get_training_summary for the week "
        "(group_by none; it compares with the week before), then get_plan_adherence for what was "
        "planned and missed, get_fitness_trend for fitness, fatigue and form on its last day, and "
        "get_wellness_trends for HRV, resting HR and sleep against their baseline. Look at single "
        "sessions (search_activities, get_activity_details) only to explain something the summaries "
        "show. Answer in a short paragraph: what went well, what to watch, one suggestion."
    )


def plan_next_week(goal: str = "", athlete_id: str = "") -> str:
    """Plan next week's workouts from the recent load, then write them safely."""
    aim = f" The goal: {goal}." if goal else ""
    return (
        f"Plan next week's training.{aim}{_for(athlete_id)} First read: get_fitness_trend with "
        "forecast_days=7 (where fitness and form are heading), get_training_summary of the last 4 "
        "weeks grouped by week (typical load), get_plan_adherence (what actually gets done) and "
        "get_events for next week (what is already planned). Propose the week as a short list: day, "
        "sport, workout, duration, estimated load. Write nothing until the user agrees; then create "
        "each workout with add_or_update_event with dry_run=true first, show the previews and any "
        "lint warnings, and only then call it again without dry_run."
    )


def race_readiness(race_date: str = "", athlete_id: str = "") -> str:
    """How ready the athlete is for a race, and where fitness will be on the day."""
    when = f"on {race_date}" if race_date else "for the next race (get_events shows it: category RACE_A)"
    return (
        f"Judge race readiness {when}.{_for(athlete_id)} Use get_fitness_trend with forecast_days "
        "reaching the race day (the forecast is an estimate from the planned workouts), "
        "get_training_summary of the last 12 weeks grouped by week, get_intensity_distribution of "
        "the last 6 weeks, and search_activities sorted by load for the key sessions. Say where "
        "fitness (CTL) and form (CTL - ATL) will be on race day, whether the taper is on track, and "
        "what to change; say plainly which figures are estimates."
    )


def recovery_check(athlete_id: str = "") -> str:
    """Is the athlete recovering, or carrying fatigue?"""
    return (
        f"Check recovery.{_for(athlete_id)} Call get_wellness_trends (HRV, resting HR and sleep over "
        "the last 7 days against the 60-day baseline, with the flags it raises), get_fitness_trend "
        "for the last 6 weeks (form and ramp rate) and get_training_summary of the last 2 weeks. "
        "Answer: recovering well, watch, or back off, with the two or three figures that decide it."
    )


PROMPTS: tuple[Callable[..., str], ...] = (weekly_review, plan_next_week, race_readiness, recovery_check)


def register_prompts(server: MCPServer[AppState]) -> None:
    titles = {
        weekly_review: "Weekly review",
        plan_next_week: "Plan next week",
        race_readiness: "Race readiness",
        recovery_check: "Recovery check",
    }
    for prompt in PROMPTS:
        server.prompt(title=titles[prompt])(prompt)
