"""The README's table of tools is the registry's: a tool added, renamed or described anew shows
there, or this fails with the command that regenerates the table."""

from __future__ import annotations

import re
from pathlib import Path

from intervals_mcp.server.tools import TOOLS, readme_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_tool_as_the_registry_does() -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- tools:start[^>]*-->\n(.*?)\n<!-- tools:end -->", text, re.S)
    assert found, "README.md lost its tools:start/tools:end markers"
    assert found.group(1) == readme_table(), (
        "README.md's tool table is out of date: paste `uv run python -m intervals_mcp.server.tools`"
    )
    for spec in TOOLS:
        assert f"`{spec.name}`" in found.group(1)
