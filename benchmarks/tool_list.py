"""What a model is shown of the tool list: `tools/list` as a real MCP client receives it from the
server built in process, measured as the characters of the names, descriptions and input
schemas (compact JSON), in total and per tool, largest first.

Run: uv run python benchmarks/tool_list.py [--all]   (--all: every tool, not the ten largest)
Figures only; tests/unit/test_tool_list.py holds the total under the budget.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import anyio
from mcp import Client
from pydantic import SecretStr

from intervals_mcp.config import load_settings
from intervals_mcp.server.app import build_server
from intervals_mcp.server.tools import TOOL_LIST_BUDGET, listed_size, shown_to_model


async def main(show_all: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            api_key=SecretStr("bench"),
            athlete_id="i1",
            base_url="http://127.0.0.1:9/api/v1",  # nothing is fetched: the list needs no upstream
            db_path=Path(tmp) / "cache.sqlite3",
        )
        async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
            tools = (await client.list_tools()).tools
            full = len(
                json.dumps([t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools])
            )
    size = listed_size(tools)
    print(f"tools: {len(tools)}")
    print(
        f"shown to a model (names, descriptions, input schemas): {size:,} characters "
        f"(budget {TOOL_LIST_BUDGET:,}; ~{size // 4:,} tokens at 4 characters a token)"
    )
    print(f"whole tools/list answer, output schemas and annotations included: {full:,} characters")
    each = sorted(
        (
            (len(json.dumps(t, separators=(",", ":"), ensure_ascii=False)), str(t["name"]))
            for t in shown_to_model(tools)
        ),
        reverse=True,
    )
    print("\n| tool | characters |\n| --- | ---: |")
    for chars, name in each if show_all else each[:10]:
        print(f"| `{name}` | {chars:,} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list every tool")
    anyio.run(main, parser.parse_args().all)
