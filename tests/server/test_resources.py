"""The resources in the real process over stdio, in both protocol modes: the chart pages the
analytics tools point at (MCP Apps), the workout-text guide the write tools point to, and the
athlete's profile and cache status for the configured athlete and, through a template, any."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from intervals_mcp.fake import FakeIntervals
from intervals_mcp.server.charts import CHARTS, MIME_TYPE, RESOURCE_META
from intervals_mcp.server.tools import TOOLS

from .test_stdio import params

pytestmark = pytest.mark.anyio
GUIDE = "intervals://guides/workout-text"
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.fixture(params=["auto", "legacy"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def ui_uri(meta: dict[str, Any] | None) -> str | None:
    ui = (meta or {}).get("ui")
    return ui.get("resourceUri") if isinstance(ui, dict) else None


async def test_the_chart_tools_point_at_pages_that_read_back_as_mcp_apps(
    fake: FakeIntervals, tmp_path: Path, mode: str
) -> None:
    async with Client(params(fake, tmp_path / "cache.sqlite3"), mode=mode) as client:
        tools = (await client.list_tools()).tools
        listed = {r.uri: r for r in (await client.list_resources()).resources}
        pointing = {t.name: ui_uri(t.meta) for t in tools if ui_uri(t.meta)}
        assert set(pointing) == {"get_fitness_trend", "get_training_summary", "get_intensity_distribution"}
        for tool in tools:
            if tool.name in pointing:
                assert (tool.meta or {})["ui/resourceUri"] == pointing[tool.name], "the legacy key too"
        for name, uri in pointing.items():
            assert uri is not None and uri.startswith("ui://")
            assert listed[uri].mime_type == MIME_TYPE
            assert listed[uri].meta == RESOURCE_META
            (content,) = (await client.read_resource(uri)).contents
            assert content.mime_type == MIME_TYPE
            assert content.meta == RESOURCE_META
            page = getattr(content, "text", "")
            assert page == CHARTS[name].html and page.startswith("<!doctype html>")
    assert not fake.requests, "listing and reading the pages asks Intervals.icu nothing"


async def test_the_guide_the_profile_and_the_cache_status_over_stdio(
    fake: FakeIntervals, tmp_path: Path, mode: str
) -> None:
    athlete = fake.store.athlete
    async with Client(params(fake, tmp_path / "cache.sqlite3"), mode=mode) as client:
        listed = {r.uri: r for r in (await client.list_resources()).resources}
        templates = {t.uri_template: t for t in (await client.list_resource_templates()).resource_templates}
        assert listed[GUIDE].mime_type == "text/markdown"
        for uri in ("intervals://athlete/profile", "intervals://athlete/cache-status"):
            assert listed[uri].mime_type == "text/plain" and listed[uri].description
        for template in ("intervals://athlete/{athlete_id}/profile", "intervals://athlete/{athlete_id}/cache-status"):
            assert templates[template].mime_type == "text/plain"

        (guide,) = (await client.read_resource(GUIDE)).contents
        packaged = (files("intervals_mcp.workouts") / "guide.md").read_text(encoding="utf-8")
        assert getattr(guide, "text", None) == packaged

        (profile,) = (await client.read_resource("intervals://athlete/profile")).contents
        text = getattr(profile, "text", "")
        who = f"Athlete {fake.athlete_id}: {athlete['name']}, time zone {athlete['timezone']}"
        assert text.startswith(who)
        (same,) = (await client.read_resource(f"intervals://athlete/{fake.athlete_id}/profile")).contents
        assert getattr(same, "text", "").split(";")[0] == text.split(";")[0]

        before = len(fake.requests)
        for uri in ("intervals://athlete/cache-status", f"intervals://athlete/{fake.athlete_id}/cache-status"):
            (status,) = (await client.read_resource(uri)).contents
            said = getattr(status, "text", "")
            assert said.startswith(f"Cache of athlete {fake.athlete_id} on ")
            assert "activities:" in said and "wellness:" in said and "events:" in said
        assert len(fake.requests) == before, "the cache status fetches nothing"

        with pytest.raises(MCPError) as refused:
            await client.read_resource("intervals://athlete/i999/profile")
        assert "i999" in str(refused.value)


def test_the_event_tool_and_its_refusal_point_to_the_guide() -> None:
    from intervals_mcp.server.formatting.writes import lint_refusal
    from intervals_mcp.workouts import lint_workout

    (event_tool,) = [t for t in TOOLS if t.name == "add_or_update_event"]
    assert GUIDE in event_tool.description
    refusal = lint_refusal(lint_workout("- 400m 95% Pace", sport="Run"))
    assert refusal.startswith("Nothing was written") and GUIDE in refusal


def test_the_guides_example_workout_is_clean() -> None:
    from intervals_mcp.workouts import lint_workout, parse_workout, summarize

    guide = (files("intervals_mcp.workouts") / "guide.md").read_text(encoding="utf-8")
    example = guide.split("```\n", 2)[1]
    assert lint_workout(example, sport="Ride") == []
    summary = summarize(parse_workout(example))
    # 10 min warm-up, 3 x (12 + 4) min, 20 min, 8 min cool-down: 9 steps once expanded.
    assert (summary.duration_s, summary.step_count) == ((10 + 3 * 16 + 20 + 8) * 60, 9)


def test_the_targets_the_guide_recommends_lint_clean() -> None:
    import re

    from intervals_mcp.workouts import lint_workout

    guide = (files("intervals_mcp.workouts") / "guide.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (Ride|Run|Swim) \| (.+?) \| .+ \|$", guide, re.MULTILINE)
    assert [sport for sport, _ in rows] == ["Ride", "Run", "Swim"]
    for sport, write in rows:
        for target in re.findall(r"`([^`]+)`", write):
            found = lint_workout(f"- 10m {target}", sport=sport)
            assert found == [], f"{sport} `{target}`: {found}"


async def test_the_readme_names_only_resources_the_server_serves(settings: Any) -> None:
    import re

    from intervals_mcp.server.app import build_server

    named = set(re.findall(r"`(intervals://[^`]+)`", README))
    async with Client(build_server(settings), mode="legacy") as client:  # type: ignore[arg-type]
        served = {r.uri for r in (await client.list_resources()).resources}
        served |= {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
    assert len(named) >= 3 and named <= served, named - served
