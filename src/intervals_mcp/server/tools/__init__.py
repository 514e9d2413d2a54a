"""The tool registry: every tool, once, by domain. Registration, the README's tool table and
the tests all read `TOOLS`; adding a tool means adding it to its domain module's `TOOLS`.

What a model is shown of the tools (`tools/list`: names, descriptions, input schemas) costs
context in every conversation, so it is kept lean: descriptions say what a tool answers and
when to use it, and the input schemas lose what pydantic adds for no reader (titles; `anyOf`
with null where a type list says the same; null defaults). `listed_size` measures it; a test holds it under
`TOOL_LIST_BUDGET` and `benchmarks/tool_list.py` prints it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from intervals_mcp.server.tools import (
    activities,
    analysis,
    athlete,
    calendar,
    calendar_writes,
    coaching,
    curves,
    history,
    wellness,
    writes,
)
from intervals_mcp.server.toolspec import ToolSpec

if TYPE_CHECKING:
    from mcp.server.mcpserver.tools import Tool
    from mcp.types import Tool as ListedTool

TOOLS: tuple[ToolSpec, ...] = (
    *activities.TOOLS,
    *wellness.TOOLS,
    *calendar.TOOLS,
    *analysis.TOOLS,
    *history.TOOLS,
    *athlete.TOOLS,
    *curves.TOOLS,
    *coaching.TOOLS,
    *calendar_writes.TOOLS,
    *writes.TOOLS,
)

TOOL_LIST_BUDGET = 40_000
"""Characters of `tools/list` a model is shown (names, descriptions, input schemas), all tools."""


def offered(writes_mode: str, tools: tuple[ToolSpec, ...] = TOOLS) -> tuple[ToolSpec, ...]:
    """The tools a server lists: with INTERVALS_MCP_WRITES=off, none of the write tools."""
    return tuple(t for t in tools if writes_mode != "off" or t.kind != "write")


def lean_schema(schema: Any) -> Any:
    """A JSON schema without pydantic's titles and null defaults (a property left out of
    `required` is optional already), with `anyOf: [{type: X}, {type: null}]` written as
    `type: [X, null]` (the same meaning)."""
    if isinstance(schema, list):
        return [lean_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        k: lean_schema(v) for k, v in schema.items() if k != "title" and not (k == "default" and v is None)
    }
    if "properties" in schema:  # property names are data here, not keywords
        out["properties"] = {name: lean_schema(p) for name, p in schema["properties"].items()}
    options = out.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        others = [o for o in options if o != {"type": "null"}]
        simple = [
            o for o in others if isinstance(o, dict) and set(o) == {"type"} and isinstance(o["type"], str)
        ]
        if len(others) == 1 and isinstance(others[0], dict) and isinstance(others[0].get("type"), str):
            del out["anyOf"]
            out = {**others[0], **out, "type": [others[0]["type"], "null"]}
        elif simple == others:  # int | str | None: one type list
            del out["anyOf"]
            out = {**out, "type": [*(o["type"] for o in simple), "null"]}
        elif simple:  # dict | str | None: the null joins a simple option
            first = others.index(simple[0])
            out["anyOf"] = [*others[:first], {"type": [simple[0]["type"], "null"]}, *others[first + 1 :]]
    return out


def sdk_tools(tools: tuple[ToolSpec, ...] = TOOLS) -> list[Tool]:
    """The registry as the SDK's tools, with lean input schemas (for `MCPServer(tools=...)`)."""
    from mcp.server.mcpserver.tools import Tool

    built = []
    for spec in tools:
        tool = Tool.from_function(
            spec.fn,
            name=spec.name,
            description=spec.description,
            annotations=spec.annotations,
            meta=spec.meta,
        )
        tool.parameters = lean_schema(tool.parameters)
        built.append(tool)
    return built


def shown_to_model(listed: Iterable[ListedTool]) -> list[Mapping[str, Any]]:
    """What a model reads of each listed tool: its name, description and input schema."""
    return [{"name": t.name, "description": t.description, "inputSchema": t.input_schema} for t in listed]


def listed_size(listed: Iterable[ListedTool]) -> int:
    """Characters of what a model reads of `tools/list` (compact JSON)."""
    return len(json.dumps(shown_to_model(listed), separators=(",", ":"), ensure_ascii=False))


def readme_table(tools: tuple[ToolSpec, ...] = TOOLS) -> str:
    """The README's table of tools (a test keeps the README equal to it)."""
    rows = ["| tool | domain | what it answers |", "| --- | --- | --- |"]
    rows += [f"| `{t.name}` | {t.domain} | {t.summary} |" for t in tools]
    return "\n".join(rows)
