"""The prompts are listed with their arguments, and each routes the model only to tools that
exist (a renamed tool would otherwise leave a prompt pointing nowhere)."""

from __future__ import annotations

import re

import pytest
from mcp import Client

from intervals_mcp.config import Settings
from intervals_mcp.server.app import build_server
from intervals_mcp.server.prompts import PROMPTS
from intervals_mcp.server.tools import TOOLS

pytestmark = pytest.mark.anyio

TOOL_WORD = re.compile(r"\b(?:get|search|add|update|delete|create|list)_[a-z_]+\b")


async def test_prompts_are_listed_and_name_only_real_tools(settings: Settings) -> None:
    names = {spec.name for spec in TOOLS}
    async with Client(build_server(settings), mode="legacy") as client:  # type: ignore[arg-type]
        listed = (await client.list_prompts()).prompts
        assert [p.name for p in listed] == [p.name for p in PROMPTS]
        assert len(listed) >= 4
        for prompt in listed:
            assert prompt.description and prompt.title
            assert all(not arg.required for arg in prompt.arguments or [])
            got = await client.get_prompt(prompt.name, {"athlete_id": "i777"})
            text = " ".join(m.content.text for m in got.messages if m.content.type == "text")
            mentioned = set(TOOL_WORD.findall(text))
            assert mentioned, f"{prompt.name} names no tool"
            assert mentioned <= names, f"{prompt.name} names tools that do not exist: {mentioned - names}"
            assert "athlete_id=i777" in text
