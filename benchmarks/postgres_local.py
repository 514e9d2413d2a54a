"""A throwaway PostgreSQL cluster on loopback for benchmarks (what `.ci/run` starts for the
tests): Debian's binaries, a temporary directory, a free port, stopped on exit.

initdb and postgres refuse to run as root, so as root they run as the `postgres` user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _binaries() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise SystemExit("PostgreSQL is not installed: apt-get install postgresql, or pass --postgres-url.")
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """The URL of the `postgres` database on a new cluster (superuser `postgres`, no password)."""
    bindir = _binaries()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    home = Path(tempfile.mkdtemp(prefix="intervals-mcp-pg-"))
    home.chmod(0o755)
    if as_postgres:
        shutil.chown(home, "postgres", "postgres")
    data, port = home / "data", _free_port()
    try:
        initdb = [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
        subprocess.run([*as_postgres, *initdb], check=True, stdout=subprocess.DEVNULL)
        options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(home / "log"),
                        "-o", options, "start"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                           stdout=subprocess.DEVNULL, check=False)  # fmt: skip
    finally:
        shutil.rmtree(home, ignore_errors=True)
