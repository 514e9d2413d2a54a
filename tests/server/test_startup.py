"""`serve` answers `initialize` before paying for SQLAlchemy or httpx: the serve path, including
the schema check of an up-to-date cache file, imports neither (they come with the first tool
call; test_stdio covers that the tools then work)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from intervals_mcp.db.engine import upgrade_database

PROBE = """
import sys
from pathlib import Path
import intervals_mcp.cli
from intervals_mcp.server.app import build_server
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.config import load_settings
from pydantic import SecretStr
upgrade_database(Path(sys.argv[1]))
build_server(load_settings(api_key=SecretStr("k"), athlete_id="i1", db_path=Path(sys.argv[1])))
heavy = sorted(m for m in ("sqlalchemy", "httpx", "aiosqlite", "alembic") if m in sys.modules)
print(",".join(heavy))
"""


def test_the_serve_path_imports_no_sqlalchemy_or_httpx(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    upgrade_database(db)  # already current: the fast path is the stdlib's sqlite3
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(db)], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
