"""Query the cache in a loop until a stop file appears; print what happened as JSON.

Usage: python read_loop.py DATABASE_URL STOP_FILE. Run beside a syncing process to show that
readers are never refused ("database is locked" on SQLite: WAL mode; on PostgreSQL, reads take
no locks a writer waits on) and see the writer's rows arrive.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, pool, text
from sqlalchemy.exc import DBAPIError

QUERIES = (
    "SELECT count(*) FROM activities",
    "SELECT count(*) FROM wellness WHERE local_date >= '2000-01-01'",
    "SELECT id, name FROM events ORDER BY start_date_local DESC LIMIT 20",
    "SELECT resource, count(*), max(fetched_at) FROM sync_coverage GROUP BY resource",
)


def main(url: str, stop_file: str) -> int:
    stop = Path(stop_file)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    waits = {"timeout": 1.0} if url.startswith("sqlite") else {}  # give up on a lock after 1 s
    engine = create_engine(url, poolclass=pool.NullPool, connect_args=waits)
    queries, max_rows, errors = 0, 0, []
    deadline = time.monotonic() + 120
    while not stop.exists() and time.monotonic() < deadline:
        try:
            with engine.connect() as conn:
                for sql in QUERIES:
                    rows = conn.execute(text(sql)).all()
                    queries += 1
                    if sql.startswith("SELECT count(*) FROM activities"):
                        max_rows = max(max_rows, rows[0][0])
        except DBAPIError as exc:
            errors.append(str(exc))
        time.sleep(0.005)
    engine.dispose()
    print(json.dumps({"queries": queries, "max_rows": max_rows, "errors": errors[:5]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
