"""The pages wired the way the server wires them (`server/resources.py`: a tool whose `_meta`
points at a `ui://` resource of MIME type text/html;profile=mcp-app), beside sample tools,
listed and read through a real MCP client, then drawn in Chromium from the tool result exactly
as the SDK serialises it (tests/charts/test_real_answers.py draws the real tools' answers)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.server import MCPServer

from intervals_mcp.server.charts import CHARTS, MIME_TYPE, RESOURCE_META

from . import samples
from .conftest import View

SAMPLES = {
    "get_fitness_trend": samples.fitness(forecast_days=14),
    "get_training_summary": samples.training_summary(),
    "get_intensity_distribution": samples.intensity(),
}


def _tool(data: dict[str, Any]) -> Any:
    def tool() -> dict[str, Any]:
        return data

    return tool


def _page(html: str) -> Any:
    def page() -> str:
        return html

    return page


def wired_server() -> MCPServer:
    """Each chart's tool (returning a sample) and page, registered as the server does."""
    server = MCPServer("charts-wiring")
    for page in CHARTS.values():
        server.tool(name=page.tool, description=f"{page.title} (a sample)", meta=page.tool_meta)(
            _tool(SAMPLES[page.tool])
        )
        server.resource(page.uri, name=page.name, title=page.title, mime_type=MIME_TYPE, meta=RESOURCE_META)(
            _page(page.html)
        )
    return server


async def _through_the_client(mode: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    async with Client(wired_server(), mode=mode) as client:
        listed = {r.uri: r for r in (await client.list_resources()).resources}
        for tool in (await client.list_tools()).tools:
            uri = (tool.meta or {})["ui"]["resourceUri"]
            assert (tool.meta or {})["ui/resourceUri"] == uri
            contents = (await client.read_resource(uri)).contents
            result = await client.call_tool(tool.name, {})
            found[tool.name] = {
                "listed_mime": listed[uri].mime_type,
                "read_mime": contents[0].mime_type,
                "metas": (listed[uri].meta, contents[0].meta),
                "html": getattr(contents[0], "text", None),
                "result": result.model_dump(mode="json", by_alias=True, exclude_none=True),
            }
    return found


@pytest.fixture(scope="module", params=["auto", "legacy"])
def served(request: pytest.FixtureRequest) -> dict[str, Any]:
    # A worker thread: playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, _through_the_client, str(request.param)).result()


@pytest.mark.parametrize("tool", list(CHARTS))
def test_a_wired_page_draws_the_real_tool_result(served: dict[str, Any], show: Any, tool: str) -> None:
    got = served[tool]
    assert got["listed_mime"] == got["read_mime"] == MIME_TYPE
    assert got["metas"] == (RESOURCE_META, RESOURCE_META)
    assert got["html"] == CHARTS[tool].html
    assert got["result"]["structuredContent"] == SAMPLES[tool]
    view: View = show(got["html"], got["result"], tool_input={})
    assert view.problems() == []
    assert view.count("svg.chart") >= 1
    assert view.count(".msg") == 0
