import json
from pathlib import Path

from intervals_mcp.claude_config import (
    KEY_PLACEHOLDER,
    claude_desktop_config,
    project_root,
    render,
)


def test_block_runs_this_checkout_with_absolute_paths() -> None:
    block = claude_desktop_config(
        uv_path="/usr/local/bin/uv", project_dir=Path("/opt/intervals-mcp"), athlete_id="i42"
    )
    entry = block["mcpServers"]["intervals"]
    assert entry["command"] == "/usr/local/bin/uv"
    assert entry["args"] == ["run", "--directory", "/opt/intervals-mcp", "intervals-mcp", "serve"]
    assert entry["env"] == {"API_KEY": KEY_PLACEHOLDER, "ATHLETE_ID": "i42"}
    assert json.loads(render(block)) == block


def test_project_root_holds_pyproject() -> None:
    assert (project_root() / "pyproject.toml").is_file()
