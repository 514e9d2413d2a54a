"""Query the cache in a loop until a stop file appears; print what happened as JSON.

Usage: python read_loop.py DB_PATH STOP_FILE. Run beside a syncing process to show that
readers are never refused with "database is locked" (WAL mode).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path

QUERIES = (
    "SELECT count(*) FROM activities",
    "SELECT count(*) FROM wellness WHERE local_date >= '2000-01-01'",
    "SELECT id, json_extract(payload, '$.name') FROM events ORDER BY start_date_local DESC LIMIT 20",
    "SELECT resource, count(*), max(fetched_at) FROM sync_coverage GROUP BY resource",
)


def main(db_path: str, stop_file: str) -> int:
    stop = Path(stop_file)
    queries, max_rows, errors = 0, 0, []
    deadline = time.monotonic() + 120
    while not stop.exists() and time.monotonic() < deadline:
        try:
            conn = sqlite3.connect(db_path, timeout=1.0)
            try:
                for sql in QUERIES:
                    rows = conn.execute(sql).fetchall()
                    queries += 1
                    if sql.startswith("SELECT count(*) FROM activities"):
                        max_rows = max(max_rows, rows[0][0])
            finally:
                conn.close()
        except sqlite3.Error as exc:
            errors.append(str(exc))
        time.sleep(0.005)
    print(json.dumps({"queries": queries, "max_rows": max_rows, "errors": errors[:5]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
