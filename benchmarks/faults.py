"""Faults, one table: what was injected, how intervals-mcp came out of it, requests, seconds.

Every scenario runs against the fake Intervals.icu on loopback and real SQLite files in a
scratch directory. Scenarios live in `benchmarks/fault_scenarios/` (one module per theme); a
module there registers rows with `@scenario("group")` and is picked up automatically.
The assertions live in tests/reliability/; this prints what happened.

Run: uv run python benchmarks/faults.py [--only sync,tools,storage] [--markdown]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import pkgutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fault_scenarios
from fault_scenarios import ATHLETE, KEY, SCENARIOS, TODAY, Lab, Row, short
from rich.console import Console
from rich.table import Table

from intervals_mcp.fake import FakeIntervals, generate_athlete

# Groups print in this order; groups other modules add follow, in the order they registered.
GROUP_ORDER = ("sync", "tools", "storage")


def load_all() -> None:
    for module in pkgutil.iter_modules(fault_scenarios.__path__):
        importlib.import_module(f"fault_scenarios.{module.name}")


async def run(groups: set[str] | None) -> list[Row]:
    base = generate_athlete(seed=7, years=0.5, today=TODAY, athlete_id=ATHLETE)
    rows: list[Row] = []
    with (
        tempfile.TemporaryDirectory(prefix="intervals-mcp-faults-") as tmp,
        FakeIntervals(base, api_key=KEY, rate_limit=None) as fake,
    ):
        lab = Lab(fake=fake, base=base, tmp=Path(tmp))
        for group, fn in SCENARIOS:
            if groups is not None and group not in groups:
                continue
            try:
                row = await fn(lab)
            except Exception as exc:  # a scenario that crashes is a row too, not the end of the table
                row = Row(
                    fn.__name__, "?", f"CRASHED: {type(exc).__name__}: {short(str(exc), 80)}", None, 0.0
                )
            rows.append(row if row.group else replace(row, group=group))
    seen = list(dict.fromkeys([*GROUP_ORDER, *(r.group for r in rows)]))
    return sorted(rows, key=lambda r: seen.index(r.group))


def table(rows: list[Row]) -> Table:
    out = Table(title=f"intervals-mcp under faults ({len(rows)} scenarios)")
    for name in ("scenario", "injected", "outcome", "requests", "seconds"):
        out.add_column(name, justify="right" if name in ("requests", "seconds") else "left", overflow="fold")
    for r in rows:
        out.add_row(
            r.scenario,
            r.injected,
            r.outcome,
            "-" if r.requests is None else str(r.requests),
            f"{r.seconds:.1f}",
        )
    return out


def markdown(rows: list[Row]) -> str:
    lines = ["| scenario | injected | outcome | requests | seconds |", "|---|---|---|---:|---:|"]
    for r in rows:
        requests = "-" if r.requests is None else str(r.requests)
        lines.append(f"| {r.scenario} | {r.injected} | {r.outcome} | {requests} | {r.seconds:.1f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma list of groups (default: all)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table instead")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the expected warnings of each fault would drown the table
    load_all()
    groups = set(args.only.split(",")) if args.only else None
    rows = asyncio.run(run(groups))
    if args.markdown:
        print(markdown(rows))
    else:
        Console(width=200).print(table(rows))
    return 1 if any(r.outcome.startswith("CRASHED") for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
