"""The tool registry: every tool, once, by domain. Registration, the README's tool table and
the tests all read `TOOLS`; adding a tool means adding it to its domain module's `TOOLS`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from intervals_mcp.server.tools import activities, analysis, calendar, history, wellness
from intervals_mcp.server.toolspec import ToolSpec

if TYPE_CHECKING:
    from mcp.server import MCPServer

    from intervals_mcp.server.app import AppState

TOOLS: tuple[ToolSpec, ...] = (
    *activities.TOOLS,
    *wellness.TOOLS,
    *calendar.TOOLS,
    *analysis.TOOLS,
    *history.TOOLS,
)


def register_tools(server: MCPServer[AppState], tools: tuple[ToolSpec, ...] = TOOLS) -> None:
    for spec in tools:
        server.add_tool(
            spec.fn,
            name=spec.name,
            description=spec.description,
            annotations=spec.annotations,
            meta=spec.meta,
        )


def readme_table(tools: tuple[ToolSpec, ...] = TOOLS) -> str:
    """The README's table of tools (a test keeps the README equal to it)."""
    rows = ["| tool | domain | what it answers |", "| --- | --- | --- |"]
    rows += [f"| `{t.name}` | {t.domain} | {t.summary} |" for t in tools]
    return "\n".join(rows)
