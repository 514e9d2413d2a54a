"""`serve` answers `initialize` before any database work and before paying for SQLAlchemy or
httpx: building the server touches no file and imports neither (they come with the first tool
call; test_stdio covers that the tools then work, and that a new cache is created then)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from pathlib import Path
import intervals_mcp.cli
from intervals_mcp.server.app import build_server
from intervals_mcp.config import load_settings
from pydantic import SecretStr
build_server(load_settings(api_key=SecretStr("k"), athlete_id="i1", db_path=Path(sys.argv[1])))
heavy = sorted(m for m in ("sqlalchemy", "httpx", "aiosqlite", "alembic") if m in sys.modules)
print(",".join(heavy))
"""


def test_the_serve_path_imports_no_sqlalchemy_or_httpx_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "new" / "cache.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
    assert not db.parent.exists()


def test_the_probe_does_see_heavy_imports(tmp_path: Path) -> None:
    # The counterpart, so the test above cannot pass for the wrong reason.
    probe = PROBE.replace("heavy = ", "import intervals_mcp.sync.factory\nheavy = ")
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "c.sqlite3")], capture_output=True, text=True, check=True
    )
    assert "httpx" in done.stdout and "sqlalchemy" in done.stdout
