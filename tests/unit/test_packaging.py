"""A built wheel must carry what the code looks for outside a checkout."""

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from intervals_mcp.claude_config import project_root


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv builds the wheel")
def test_wheel_carries_migrations_and_demo_athlete(tmp_path: Path) -> None:
    subprocess.run(
        ["uv", "build", "--wheel", "--out-dir", str(tmp_path), str(project_root())],
        check=True,
        capture_output=True,
        timeout=180,
    )
    (wheel,) = tmp_path.glob("intervals_mcp-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "intervals_mcp/_migrations/env.py" in names
    assert any(n.startswith("intervals_mcp/_migrations/versions/0001") for n in names)
    for part in ("athlete", "activities", "wellness", "events"):
        assert f"intervals_mcp/_data/demo_athlete/{part}.json" in names
    assert "intervals_mcp/py.typed" in names
