"""Run `run_sync` in a child process, configured from the environment like the CLI.

Usage: python sync_driver.py SINCE UNTIL [RESOURCES]   (dates YYYY-MM-DD, resources comma list)
Used by the crash and concurrency tests, which kill or race this process.
"""

from __future__ import annotations

import sys
from datetime import date

from intervals_mcp.config import load_settings
from intervals_mcp.sync.runner import run_sync


def main(argv: list[str]) -> int:
    settings = load_settings()
    _, athlete_id = settings.require_credentials()
    resources = argv[3].split(",") if len(argv) > 3 else ["activities", "wellness", "events"]
    return run_sync(
        settings,
        athlete_id=athlete_id,
        since=date.fromisoformat(argv[1]),
        until=date.fromisoformat(argv[2]),
        resources=resources,
        full=False,
        with_intervals=False,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv))
