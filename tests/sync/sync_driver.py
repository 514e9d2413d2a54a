"""Run `run_sync` in a child process, configured from the environment like the CLI.

Usage: python sync_driver.py SINCE UNTIL [RESOURCES]   (dates YYYY-MM-DD, resources comma list)
Used by the crash and concurrency tests, which kill or race this process.
"""

from __future__ import annotations

import sys

from intervals_mcp.cli.runner import SyncRequest, run_sync
from intervals_mcp.config import load_settings


def main(argv: list[str]) -> int:
    settings = load_settings()
    resources = argv[3].split(",") if len(argv) > 3 else ["activities", "wellness", "events"]
    request = SyncRequest(athlete_id=None, since=argv[1], days=None, until=argv[2], resources=resources)
    return run_sync(settings, request)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
