"""The Claude Desktop configuration block for this checkout (pure; the CLI prints it)."""

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


def find_uv() -> str | None:
    """Full path of `uv` (Claude Desktop starts servers with a minimal PATH)."""
    found = shutil.which("uv")
    if found:
        return str(Path(found).resolve())
    # `pip install uv` puts it beside the interpreter's scripts.
    candidate = Path(sys.executable).parent / ("uv.exe" if os.name == "nt" else "uv")
    return str(candidate) if candidate.exists() else None


def claude_desktop_config(
    *, uv_path: str, project_dir: Path, athlete_id: str | None, server_name: str = "intervals"
) -> dict[str, Any]:
    """The `mcpServers` entry that runs this checkout's server over stdio.

    The key is never filled in: it is a secret, so the block carries a placeholder to paste over.
    """
    return {
        "mcpServers": {
            server_name: {
                "command": uv_path,
                "args": ["run", "--directory", str(project_dir), "intervals-mcp", "serve"],
                "env": {
                    "API_KEY": KEY_PLACEHOLDER,
                    "ATHLETE_ID": athlete_id or ATHLETE_PLACEHOLDER,
                },
            }
        }
    }


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
