"""The chart pages drawing the analytics tools' real answers (not samples): each tool called
through the MCP client against the fake and a real SQLite file, its result drawn in Chromium
by the page the server itself serves at the address in the tool's `_meta.ui.resourceUri`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest

from analytics.support import TODAY, athlete, serving
from intervals_mcp.server.charts import CHARTS, MIME_TYPE
from server.conftest import text_of

from .samples import tool_result

YEAR = {"start_date": str(TODAY - timedelta(days=364))}
EMPTY = {"start_date": "2023-01-01", "end_date": "2023-03-31"}
CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "summary-by-month": ("get_training_summary", {**YEAR, "group_by": "month"}),
    "summary-default": ("get_training_summary", {}),
    "summary-empty": ("get_training_summary", EMPTY),
    "fitness-forecast": ("get_fitness_trend", {"forecast_days": 42}),
    "fitness-empty": ("get_fitness_trend", EMPTY),
    "intensity-ride": ("get_intensity_distribution", {"sport": "Ride"}),
    "intensity-hr": ("get_intensity_distribution", {**YEAR, "metric": "hr"}),
    "intensity-empty": ("get_intensity_distribution", EMPTY),
}


Served = tuple[dict[str, str], dict[str, dict[str, Any]]]


async def _answers(tmp: Path) -> Served:
    """(each chart tool's page as served, each case's result)."""
    found, pages = {}, {}
    async with serving(athlete(40), tmp) as s:
        for listed in (await s.client.list_tools()).tools:
            uri = ((listed.meta or {}).get("ui") or {}).get("resourceUri")
            if uri:
                (content,) = (await s.client.read_resource(uri)).contents
                assert content.mime_type == MIME_TYPE
                pages[listed.name] = getattr(content, "text", "")
        for case, (tool, args) in CALLS.items():
            result = await s.call(tool, **args)
            found[case] = tool_result(result.structured_content, text_of(result))
    return pages, found


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Served:
    # A worker thread: playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, _answers, tmp_path_factory.mktemp("answers")).result()


def test_each_chart_tool_points_at_its_page(answers: Served) -> None:
    pages, _ = answers
    assert pages == {tool: page.html for tool, page in CHARTS.items()}


@pytest.mark.parametrize("case", list(CALLS))
def test_a_page_draws_the_tools_real_answer(answers: Served, show: Any, case: str) -> None:
    tool, args = CALLS[case]
    pages, results = answers
    view = show(pages[tool], results[case], tool_input=args)
    assert view.problems() == []
    if case.endswith("empty"):
        assert view.count(".msg") == 1 and "No " in view.texts(".msg")[0]
    else:
        assert view.count("svg.chart") >= 1 and view.count(".msg") == 0
