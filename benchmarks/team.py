"""A team server: a coach's key, 50 athletes x 1 year synced into PostgreSQL, then 20 concurrent
MCP clients over streamable HTTP (each with a bearer token) calling tools: p50, p95 and calls per
second, with one and with two `serve` processes on the database; the same run on SQLite beside.

Run: uv run python benchmarks/team.py [--athletes 50] [--clients 20] [--calls 25] [--servers 1,2]
         [--latency 0.1] [--postgres-url postgresql://user@host:port/db] [--only postgresql]

Without --postgres-url (or INTERVALS_MCP_TEST_POSTGRES_URL) it starts a throwaway PostgreSQL
cluster on loopback (Debian's binaries). The fake Intervals.icu answers after `--latency`
seconds and enforces its 10 requests/s limit; the sync goes through the same code as
`intervals-mcp sync` (a few athletes at a time, all drawing on one politeness budget). The
clients run in this one process on the same machine as the servers and the database.
Figures only; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
import psycopg
from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from postgres_local import throwaway_cluster

from intervals_mcp.config import load_settings
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.fake import FakeIntervals, FakeStore, FakeWorld, generate_athlete
from intervals_mcp.fake.ids import id_block
from intervals_mcp.sync.bulk import sync_history
from intervals_mcp.sync.factory import Services
from reliability.http_support import http_server, mcp_client

KEY = "team-bench-coach-key"
COACH = "i1000"
RESOURCES = ["activities", "wellness", "events"]
SYNC_AT_ONCE = 4


def athlete_ids(n: int) -> list[str]:
    """`n` athlete ids from i1000 on whose generated record ids never clash (the fake gives each
    id a block of id space by hash, so some pairs of ids share one)."""
    chosen: dict[int, str] = {}
    candidate = 1000
    while len(chosen) < n:
        chosen.setdefault(id_block(f"i{candidate}"), f"i{candidate}")
        candidate += 1
    return list(chosen.values())


def world_of(athletes: int, today: date) -> FakeWorld:
    """The coach (the first athlete) and the athletes they coach, a year each."""
    stores = [generate_athlete(seed=100 + n, years=1, today=today, athlete_id=athlete_id)
              for n, athlete_id in enumerate(athlete_ids(athletes))]  # fmt: skip
    return FakeWorld.coach(stores[0], stores[1:], key=KEY)


# --- one backend ---------------------------------------------------------------------------------


@dataclass
class SyncFigures:
    seconds: float
    requests: int
    rows: int


async def sync_all(url: str, fake: FakeIntervals, athletes: list[str], spare: Path) -> SyncFigures:
    """A year of every athlete plus 90 days of planned events, as `intervals-mcp sync` does it."""
    settings = load_settings(api_key=SecretStr(KEY), athlete_id=COACH, base_url=fake.base_url,
                             **storage(url, spare))  # fmt: skip
    services = await Services.open(settings, sync_attempts=10)
    rows = 0
    limit = anyio.Semaphore(SYNC_AT_ONCE)
    try:
        started = time.perf_counter()

        async def one(athlete_id: str) -> None:
            nonlocal rows
            async with limit:
                athlete = await services.athlete(athlete_id, interactive=False)
                today = athlete.today(services.sync.now())
                report = await sync_history(services.records, athlete, today - timedelta(days=365), today,
                                            RESOURCES, events_until=today + timedelta(days=90))  # fmt: skip
                assert report.ok, report.errors[:1]
                rows += sum(r.inserted for r in report.resources.values())

        async with anyio.create_task_group() as tg:
            for athlete_id in athletes:
                tg.start_soon(one, athlete_id)
        return SyncFigures(time.perf_counter() - started, services.request_count, rows)
    finally:
        await services.close()


def storage(url: str, spare: Path) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"db_path": Path(url[len("sqlite:///") :])}
    return {"db_path": spare, "database_url_setting": url}


def env_for(url: str, fake: FakeIntervals) -> dict[str, str]:
    where = {"INTERVALS_MCP_DB": url[len("sqlite:///") :]} if url.startswith("sqlite") else {
        "INTERVALS_MCP_DATABASE_URL": url}  # fmt: skip
    return {"API_KEY": KEY, "ATHLETE_ID": COACH, "INTERVALS_API_BASE_URL": fake.base_url,
            "LOG_LEVEL": "WARNING", **where}  # fmt: skip


def make_token(env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "intervals_mcp", "tokens", "create", "bench", "--athletes", "all"]
    full = {**env, "PATH": os.environ.get("PATH", "")}
    done = subprocess.run(command, env=full, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()[-1]


Plan = dict[str, list[tuple[str, dict[str, Any]]]]


def call_plan(world: FakeWorld, athletes: list[str], today: date) -> Plan:
    """Per athlete, four calls: a month of activities, wellness, the coming events, and the
    details of their newest activity."""
    month = {"start_date": str(today - timedelta(days=30)), "end_date": str(today)}
    plan = {}
    for athlete_id in athletes:
        store: FakeStore = world.store(athlete_id)
        newest = max((a for a in store.activities.values() if a.get("source") != "STRAVA"),
                     key=lambda a: str(a["start_date_local"]))  # fmt: skip
        plan[athlete_id] = [
            ("get_activities", {**month, "athlete_id": athlete_id}),
            ("get_wellness_data", {**month, "athlete_id": athlete_id}),
            ("get_events", {"athlete_id": athlete_id}),
            ("get_activity_details", {"activity_id": str(newest["id"]), "athlete_id": athlete_id}),
        ]
    return plan


@dataclass
class LoadFigures:
    servers: int
    calls: int
    failures: int
    p50_ms: float
    p95_ms: float
    per_second: float
    upstream: int


async def clients(
    urls: list[str], token: str, plan: Plan, n_clients: int, n_calls: int
) -> tuple[list[float], int, float]:
    """`n_clients` sessions at once (spread over `urls`), each making `n_calls` calls over the
    athletes in turn; (each call's seconds, failures, wall seconds)."""
    athletes = list(plan)
    seconds: list[float] = []
    failures = 0

    async def client(index: int) -> None:
        nonlocal failures
        async with mcp_client(urls[index % len(urls)], token) as session:
            for k in range(n_calls):
                calls = plan[athletes[(index * 7 + k) % len(athletes)]]
                tool, args = calls[(index + k) % len(calls)]
                started = time.perf_counter()
                result = await session.call_tool(tool, args)
                seconds.append(time.perf_counter() - started)
                failures += bool(result.is_error)

    for url in urls:  # open each server's services first (imports, pools): not measured
        async with mcp_client(url, token) as session:
            await session.call_tool(*plan[athletes[0]][2])
    started = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for index in range(n_clients):
            tg.start_soon(client, index)
    return seconds, failures, time.perf_counter() - started


def figures(servers: int, seconds: list[float], failures: int, wall: float, upstream: int) -> LoadFigures:
    ms = sorted(s * 1000 for s in seconds)
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[18]
    return LoadFigures(servers, len(ms), failures, statistics.median(ms), p95, len(ms) / wall, upstream)


def run_backend(url: str, fake: FakeIntervals, world: FakeWorld, args: argparse.Namespace,
                work: Path) -> tuple[SyncFigures, list[LoadFigures]]:  # fmt: skip
    athletes = world.athlete_ids
    upgrade_database(url)
    synced = anyio.run(sync_all, url, fake, athletes, work / "never.sqlite3")
    env = env_for(url, fake)
    token = make_token(env)
    plan = call_plan(world, athletes, fake.store.today)
    loads = []
    for n in args.servers:
        with ExitStack() as stack:
            servers = [stack.enter_context(http_server(env, work / f"serve-{n}-{i}.log")) for i in range(n)]
            before = len(fake.requests)
            seconds, failures, wall = anyio.run(clients, [s.url for s in servers], token, plan, args.clients,
                                                args.calls)  # fmt: skip
            loads.append(figures(n, seconds, failures, wall, len(fake.requests) - before))
    return synced, loads


@contextmanager
def postgres_database(given: str | None) -> Iterator[str]:
    """A fresh database on the server `given` names, or on a throwaway cluster."""
    with ExitStack() as stack:
        admin = given or stack.enter_context(throwaway_cluster())
        name = f"team_bench_{os.getpid()}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield admin.rsplit("/", 1)[0] + f"/{name}"
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--athletes", type=int, default=50)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--calls", type=int, default=25, help="calls per client")
    parser.add_argument("--servers", type=lambda s: [int(n) for n in s.split(",")], default=[1, 2])
    parser.add_argument("--latency", type=float, default=0.1, help="fake latency per request, seconds")
    parser.add_argument("--postgres-url", default=os.environ.get("INTERVALS_MCP_TEST_POSTGRES_URL"))
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()

    today = date.today()
    began = time.perf_counter()
    world = world_of(args.athletes, today)
    print(f"{args.athletes} athletes x 1 year generated in {time.perf_counter() - began:.1f} s; "
          f"{args.clients} clients x {args.calls} calls; "
          f"fake latency {args.latency * 1000:.0f} ms\n")  # fmt: skip
    rows = []
    with tempfile.TemporaryDirectory(prefix="intervals-mcp-team-") as tmp:
        for backend in ("sqlite", "postgresql"):
            if args.only and backend != args.only:
                continue
            work = Path(tmp) / backend
            work.mkdir()
            with ExitStack() as stack:
                fake = stack.enter_context(FakeIntervals(world, latency=args.latency))
                url = (f"sqlite:///{work / 'cache.sqlite3'}" if backend == "sqlite"
                       else stack.enter_context(postgres_database(args.postgres_url)))  # fmt: skip
                synced, loads = run_backend(url, fake, world, args, work)
            rows += [(backend, synced, load) for load in loads]
            print(f"{backend}: synced {synced.rows} rows in {synced.requests} requests, "
                  f"{synced.seconds:.1f} s")  # fmt: skip
    print("\n| database | serve processes | sync (s) | sync requests | calls | failed | p50 (ms) | p95 (ms) "
          "| calls/s | upstream during calls |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for backend, synced, load in rows:
        print(f"| {backend} | {load.servers} | {synced.seconds:.1f} | {synced.requests} | {load.calls} | "
              f"{load.failures} | {load.p50_ms:.1f} | {load.p95_ms:.1f} | {load.per_second:.0f} | "
              f"{load.upstream} |")  # fmt: skip
    sys.exit(1 if any(load.failures for _, _, load in rows) else 0)


if __name__ == "__main__":
    main()
