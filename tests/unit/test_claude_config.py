import json
from pathlib import Path

from intervals_mcp.claude_config import (
    KEY_PLACEHOLDER,
    claude_desktop_config,
    claude_desktop_uvx_config,
    is_checkout,
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


def test_the_uvx_block_runs_the_published_package() -> None:
    block = claude_desktop_uvx_config(uvx_path="/usr/local/bin/uvx", athlete_id=None)
    entry = block["mcpServers"]["intervals"]
    assert entry["command"] == "/usr/local/bin/uvx"
    assert entry["args"] == ["intervals-mcp", "serve"]
    assert entry["env"] == {"API_KEY": KEY_PLACEHOLDER, "ATHLETE_ID": "i12345"}


def test_project_root_holds_pyproject(tmp_path: Path) -> None:
    assert (project_root() / "pyproject.toml").is_file()
    assert is_checkout(project_root()) and not is_checkout(tmp_path)
