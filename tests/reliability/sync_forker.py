"""Fork `run_sync` children from one warm interpreter, so a test can SIGKILL twenty syncs
without paying twenty interpreter starts (~1.5 s each with the imports and Alembic).

Each child is a real process running tests/sync/sync_driver.py's `main` (settings from the
environment, like `intervals-mcp sync`), with its own SQLite connections: the parent opens none.

Protocol, one line each way: the test writes "DB SINCE UNTIL" (DB: a SQLite file, or a database
URL); this answers "pid PID" as
soon as the child exists, then "exit PID CODE" when it ends (CODE < 0: killed by signal -CODE).
Children never write to stdout (it carries this protocol); their stderr is this process's.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_driver import main as sync_main


def child(db: str, since: str, until: str) -> int:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.environ["INTERVALS_MCP_DATABASE_URL" if "://" in db else "INTERVALS_MCP_DB"] = db
    try:
        return sync_main(["sync_driver", since, until])
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        sys.stderr.flush()


def main() -> int:
    for line in sys.stdin:
        db_path, since, until = line.split()
        pid = os.fork()
        if pid == 0:
            os._exit(child(db_path, since, until))
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {pid} {os.waitstatus_to_exitcode(status)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
