"""The Claude Desktop configuration block (pure; the CLI prints it): the entry that runs this
checkout with `uv run`, or the published package with `uvx` (no checkout needed)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

KEY_PLACEHOLDER = "paste-your-intervals.icu-api-key-here"
ATHLETE_PLACEHOLDER = "i12345"


def project_root() -> Path:
    """The checkout this package runs from (the folder holding pyproject.toml)."""
    return Path(__file__).resolve().parents[2]


PACKAGE = "intervals-mcp"


def is_checkout(root: Path) -> bool:
    """Whether `root` is a source checkout (an installed package has no pyproject.toml there)."""
    return (root / "pyproject.toml").is_file()


def find_uv(name: str = "uv") -> str | None:
    """Full path of `uv` (or `uvx`, which comes with it): Claude Desktop starts servers with a
    minimal PATH."""
    found = shutil.which(name)
    if found:
        return str(Path(found).resolve())
    # `pip install uv` puts it beside the interpreter's scripts.
    candidate = Path(sys.executable).parent / (f"{name}.exe" if os.name == "nt" else name)
    return str(candidate) if candidate.exists() else None


def claude_desktop_config(
    *, uv_path: str, project_dir: Path, athlete_id: str | None, server_name: str = "intervals"
) -> dict[str, Any]:
    """The `mcpServers` entry that runs this checkout's server over stdio.

    The key is never filled in: it is a secret, so the block carries a placeholder to paste over.
    """
    args = ["run", "--directory", str(project_dir), PACKAGE, "serve"]
    return _entry(server_name, uv_path, args, athlete_id)


def claude_desktop_uvx_config(
    *, uvx_path: str, athlete_id: str | None, server_name: str = "intervals"
) -> dict[str, Any]:
    """The `mcpServers` entry that runs the package published on PyPI (`uvx intervals-mcp serve`:
    uvx fetches and caches it, no checkout needed); the key is a placeholder, as above."""
    return _entry(server_name, uvx_path, [PACKAGE, "serve"], athlete_id)


def _entry(server_name: str, command: str, args: list[str], athlete_id: str | None) -> dict[str, Any]:
    env = {"API_KEY": KEY_PLACEHOLDER, "ATHLETE_ID": athlete_id or ATHLETE_PLACEHOLDER}
    return {"mcpServers": {server_name: {"command": command, "args": args, "env": env}}}


def claude_config_locations() -> list[str]:
    """Where Claude Desktop reads its configuration, per platform."""
    return [
        "macOS: ~/Library/Application Support/Claude/claude_desktop_config.json",
        "Windows: %APPDATA%\\Claude\\claude_desktop_config.json",
        "Windows (Microsoft Store install): "
        "%LOCALAPPDATA%\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\"
        "claude_desktop_config.json",
    ]


def render(config: dict[str, Any]) -> str:
    return json.dumps(config, indent=2)
