"""The `intervals-mcp` command: serve | sync | status | demo | db | tokens | config | fake.

Options are parsed and checked here; the work is done by the modules each command names,
imported only when that command runs so that `serve` starts fast.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from intervals_mcp import __version__
from intervals_mcp.cli.tokens import tokens_app
from intervals_mcp.errors import ConfigError, InputError, IntervalsMCPError

if TYPE_CHECKING:
    from intervals_mcp.config import Settings

app = typer.Typer(
    name="intervals-mcp",
    help="A caching MCP server for Intervals.icu: answers from a local SQLite cache.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Manage the local cache database.", no_args_is_help=True)
config_app = typer.Typer(help="Print configuration for MCP clients.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")
app.add_typer(tokens_app, name="tokens")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="The SQLite cache file (default: INTERVALS_MCP_DB or the per-user data dir)."),
]


def _fail(message: str, code: int) -> NoReturn:
    """One line on stderr, no traceback."""
    print(f"intervals-mcp: {message}", file=sys.stderr)
    raise typer.Exit(code)


def _settings(db: Path | None = None) -> Settings:
    from intervals_mcp.config import load_settings
    from intervals_mcp.logs import setup_logging

    settings = load_settings(**({"db_path": db} if db is not None else {}))
    setup_logging(settings.log_level)
    return settings


def _version(value: bool) -> None:
    if value:
        print(f"intervals-mcp {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """A caching MCP server for Intervals.icu."""


@app.command()
def serve(
    transport: Annotated[str, typer.Option(help="stdio (for Claude Desktop) or streamable-http.")] = "stdio",
    host: Annotated[str, typer.Option(help="Address for streamable-http.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for streamable-http.")] = 8000,
    stateless: Annotated[
        bool,
        typer.Option("--stateless", help="streamable-http without sessions (processes behind one proxy)."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Serve the MCP tools (stdio by default). Logs go to stderr only."""
    if transport not in ("stdio", "streamable-http"):
        _fail(f"--transport {transport!r} is not supported: use stdio or streamable-http.", 2)
    settings = _settings(db)
    settings.require_credentials()
    from intervals_mcp.server.app import serve as run_server

    run_server(settings, transport=transport, host=host, port=port, stateless=stateless)


@app.command()
def sync(
    since: Annotated[str | None, typer.Option(help="First day to sync, YYYY-MM-DD.")] = None,
    days: Annotated[int | None, typer.Option(help="Sync this many days up to --until.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day to sync, YYYY-MM-DD (default today).")] = None,
    only: Annotated[
        str | None, typer.Option(help="Comma list of activities,wellness,events (default all).")
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Re-fetch everything, fresh or not.")] = False,
    intervals: Annotated[
        bool, typer.Option("--intervals", help="Also prefetch every activity's intervals (one request each).")
    ] = False,
    athlete_id: Annotated[str | None, typer.Option(help="Athlete to sync (default ATHLETE_ID).")] = None,
    athletes: Annotated[
        str | None,
        typer.Option(help="Coaches: `all` (everyone the key can read) or a comma list of athlete ids."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Prefetch history into the cache: a year back by default, and planned events ahead."""
    from intervals_mcp.cli.args import EVENTS_AHEAD_DAYS, parse_athletes, parse_resources, resolve_range

    # Checked now, against this machine's date, so a typo fails before anything is fetched;
    # the range itself is resolved against the athlete's own today once they are known.
    resolve_range(since=since, days=days, until=until, today=date.today())
    resources = parse_resources(only)
    several = parse_athletes(athletes, athlete_id)
    settings = _settings(db)
    settings.require_credentials()
    if settings.database_url.startswith("sqlite"):
        _check_db_path(settings.db_path)
    from intervals_mcp.cli.runner import SyncRequest, run_sync

    request = SyncRequest(
        athlete_id=athlete_id,
        since=since,
        days=days,
        until=until,
        resources=resources,
        full=full,
        with_intervals=intervals,
        events_ahead=EVENTS_AHEAD_DAYS if until is None else None,
        athletes=several,
    )
    raise typer.Exit(run_sync(settings, request))


def _check_db_path(path: Path) -> None:
    """Refuse an unusable database location before anything is fetched or written."""
    import os

    if path.exists():
        if path.is_dir():
            _fail(f"The cache path {path} is a directory: point --db or INTERVALS_MCP_DB at a file.", 2)
        if not os.access(path, os.R_OK | os.W_OK):
            _fail(f"The cache file {path} is not readable and writable: fix its permissions.", 2)
        return
    parent = next((p for p in path.parents if p.exists()), None)
    if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        _fail(
            f"The cache file {path} cannot be created there: choose a writable place with --db "
            "or INTERVALS_MCP_DB.",
            2,
        )


@app.command()
def status(
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")] = False,
    db: DbOption = None,
) -> None:
    """Show what the cache holds: covered ranges, row counts, last sync, stale days, file size."""
    settings = _settings(db)
    from intervals_mcp.cli.runner import run_status

    raise typer.Exit(run_status(settings, as_json=json_output))


@app.command()
def demo() -> None:
    """Run a self-contained demo: a fake Intervals.icu, a temporary cache, real MCP tool calls."""
    from intervals_mcp.demo import run_demo

    raise typer.Exit(run_demo())


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the cache database or migrate it to the current schema."""
    settings = _settings(db)
    from intervals_mcp.db.dialects import dialect_for
    from intervals_mcp.db.engine import upgrade_database

    upgrade_database(settings.database_url)
    print(
        f"Database {dialect_for(settings.database_url).describe(settings.database_url)} is at the "
        "current schema.",
        file=sys.stderr,
    )


@db_app.command("reset")
def db_reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Delete the cache database; the next sync rebuilds it from Intervals.icu."""
    settings = _settings(db)
    from intervals_mcp.db.dialects import dialect_for
    from intervals_mcp.db.engine import upgrade_database

    url = settings.database_url
    where = dialect_for(url).describe(url)
    if not yes and not typer.confirm(
        f"Delete the cache {where}? It holds nothing Intervals.icu lacks (tokens go too).", err=True
    ):
        _fail("nothing deleted.", 1)
    dialect_for(url).reset(url)
    upgrade_database(url)
    print(f"Reset {where}: run `intervals-mcp sync` to fill it again.", file=sys.stderr)


@config_app.command("claude")
def config_claude(
    uvx: Annotated[
        bool, typer.Option("--uvx", help="Run the package published on PyPI with uvx (no checkout needed).")
    ] = False,
) -> None:
    """Print the Claude Desktop `mcpServers` block, with absolute paths: by default the entry
    that runs this checkout with `uv run`; with --uvx, the one that runs the published package."""
    from intervals_mcp.claude_config import (
        claude_config_locations,
        claude_desktop_config,
        claude_desktop_uvx_config,
        find_uv,
        is_checkout,
        project_root,
        render,
    )

    settings = _settings()
    if not uvx and not is_checkout(project_root()):
        _fail("this intervals-mcp is installed, not a checkout: run `intervals-mcp config claude --uvx`.", 2)
    tool = "uvx" if uvx else "uv"
    path = find_uv(tool)
    if path is None:
        _fail(f"{tool} was not found on PATH: install uv (`python3 -m pip install uv`; it brings uvx).", 1)
    athlete = settings.athlete_id
    if uvx:
        block = claude_desktop_uvx_config(uvx_path=path, athlete_id=athlete)
    else:
        block = claude_desktop_config(uv_path=path, project_dir=project_root(), athlete_id=athlete)
    print(render(block))
    print("\nPaste the block into Claude Desktop's configuration file:", file=sys.stderr)
    for line in claude_config_locations():
        print(f"  {line}", file=sys.stderr)
    print("and replace the API_KEY placeholder with your key.", file=sys.stderr)
    if not uvx:
        print("(`--uvx` prints the entry that runs the published package instead.)", file=sys.stderr)


@app.command()
def fake(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 picks a free one).")] = 8777,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic athlete.")] = 7,
    years: Annotated[int, typer.Option(help="Years of synthetic history.")] = 2,
    latency: Annotated[float, typer.Option(help="Seconds added to every request.")] = 0.0,
    api_key: Annotated[str, typer.Option(help="The key the fake accepts.")] = "demo",
) -> None:
    """Run the fake Intervals.icu on 127.0.0.1 (for trying things out; never the real service)."""
    from intervals_mcp.fake import generate_athlete, serve_forever
    from intervals_mcp.logs import setup_logging

    setup_logging("INFO")
    store = generate_athlete(seed=seed, years=years, today=date.today())
    serve_forever(store, port=port, latency=latency, api_key=api_key)


def main() -> None:
    """Entry point: every expected failure is one line on stderr and a non-zero exit."""
    try:
        app()
    except ConfigError as exc:
        print(f"intervals-mcp: {exc}", file=sys.stderr)
        sys.exit(2)
    except InputError as exc:
        print(f"intervals-mcp: {exc}", file=sys.stderr)
        sys.exit(2)
    except IntervalsMCPError as exc:
        print(f"intervals-mcp: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("intervals-mcp: interrupted.", file=sys.stderr)
        sys.exit(130)
