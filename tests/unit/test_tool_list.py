"""What a model is shown of the tools stays lean: with every tool listed, names, descriptions and
input schemas stay under TOOL_LIST_BUDGET characters (a size, measured; not a time). The input
schemas lose only what says nothing: pydantic's titles, null defaults, and `anyOf` with null."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client
from pydantic import SecretStr

from intervals_mcp.config import load_settings
from intervals_mcp.server.app import build_server
from intervals_mcp.server.tools import TOOL_LIST_BUDGET, TOOLS, lean_schema, listed_size

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def listed(tmp_path: Path) -> list[object]:
    settings = load_settings(
        api_key=SecretStr("k"),
        athlete_id="i1",
        base_url="http://127.0.0.1:9/api/v1",
        db_path=tmp_path / "c.db",
    )
    async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
        return list((await client.list_tools()).tools)


async def test_every_tool_listed_fits_the_budget(tmp_path: Path) -> None:
    tools = await listed(tmp_path)
    assert len(tools) == len(TOOLS)
    size = listed_size(tools)  # type: ignore[arg-type]
    assert 0 < size < TOOL_LIST_BUDGET, f"{len(tools)} tools take {size} characters"


async def test_listed_schemas_are_lean_and_still_say_every_argument(tmp_path: Path) -> None:
    for tool in await listed(tmp_path):
        schema = tool.input_schema  # type: ignore[attr-defined]
        text = repr(schema)
        assert "'title'" not in text and "{'type': 'null'}" not in text, tool.name  # type: ignore[attr-defined]
        assert "'default': None" not in text, tool.name  # type: ignore[attr-defined]
        for name, prop in schema["properties"].items():
            said = f"{tool.name}.{name}"  # type: ignore[attr-defined]
            assert prop.get("description") and ("type" in prop or "anyOf" in prop), said


def test_lean_schema_keeps_the_meaning() -> None:
    schema = {
        "title": "fArguments",
        "type": "object",
        "properties": {
            "title": {"title": "Title", "type": "string", "description": "a property named title stays"},
            "day": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "description": "d"},
            "ids": {
                "anyOf": [{"items": {"type": "integer"}, "type": "array"}, {"type": "null"}],
                "default": None,
            },
            "n": {"default": 3, "type": "integer", "minimum": 1},
            "mixed": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        },
        "required": ["title"],
    }
    assert lean_schema(schema) == {
        "type": "object",
        "properties": {
            "title": {"type": "string", "description": "a property named title stays"},
            "day": {"type": ["string", "null"], "description": "d"},
            "ids": {"items": {"type": "integer"}, "type": ["array", "null"]},
            "n": {"default": 3, "type": "integer", "minimum": 1},
            "mixed": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        },
        "required": ["title"],
    }
