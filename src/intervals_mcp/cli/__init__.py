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
    # Plain click help: flags without a made-up `<bool>` value, and it wraps at any width.
    rich_markup_mode=None,
)
DEFAULT_HTTP_PORT = 8000
FAKE_KEY = "demo"
db_app = typer.Typer(help="Manage the local cache database.", no_args_is_help=True)
config_app = typer.Typer(help="Print configuration for MCP clients.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")
app.add_typer(tokens_app, name="tokens")

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="FILE",
        help="The SQLite cache file (default: INTERVALS_MCP_DB or the per-user data dir).",
    ),
]


def _say(message: str) -> None:
    """The one prefix every failure line carries."""
    print(f"intervals-mcp: {message}", file=sys.stderr)


def _fail(message: str, code: int) -> NoReturn:
    """One line on stderr, no traceback."""
    _say(message)
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


@app.command(
    epilog="Over streamable HTTP the MCP endpoint is http://HOST:PORT/mcp (by default "
    "http://127.0.0.1:8000/mcp); the URL is printed to stderr at start-up."
)
def serve(
    transport: Annotated[
        str, typer.Option(metavar="NAME", help="stdio (for Claude Desktop) or streamable-http.")
    ] = "stdio",
    host: Annotated[
        str | None, typer.Option(metavar="ADDR", help="Address for streamable-http (default 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(metavar="N", help="Port for streamable-http (default 8000).")
    ] = None,
    stateless: Annotated[
        bool,
        typer.Option("--stateless", help="streamable-http without sessions (processes behind one proxy)."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Serve the MCP tools: over stdio (the default), or over streamable HTTP at
    http://HOST:PORT/mcp. Logs go to stderr only."""
    if transport not in ("stdio", "streamable-http"):
        _fail(f"--transport {transport!r} is not supported: use stdio or streamable-http.", 2)
    if transport == "stdio" and (host is not None or port is not None):
        given = " and ".join(o for o, v in (("--host", host), ("--port", port)) if v is not None)
        _fail(f"{given} only apply to --transport streamable-http; stdio takes neither.", 2)
    host, port = host or "127.0.0.1", DEFAULT_HTTP_PORT if port is None else port
    settings = _settings(db)
    settings.require_credentials()
    if transport == "streamable-http":
        _check_port(host, port)
    from intervals_mcp.server.app import serve as run_server

    run_server(settings, transport=transport, host=host, port=port, stateless=stateless)


def _check_port(host: str, port: int) -> None:
    """Refuse a port something else listens on, in one sentence, before any server starts."""
    import errno
    import socket

    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(infos[0][4])
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            _fail(
                f"Port {port} on {host} is already in use: stop what listens there, or pass another --port.",
                2,
            )
        _fail(f"Cannot listen on {host} port {port} ({exc.strerror or exc}): check --host and --port.", 2)


@app.command()
def sync(
    since: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="First day to sync.")] = None,
    days: Annotated[int | None, typer.Option(metavar="N", help="Sync this many days up to --until.")] = None,
    until: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Last day to sync (default today).")
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(metavar="LIST", help="Comma list of activities,wellness,events (default all)."),
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Re-fetch everything, fresh or not.")] = False,
    intervals: Annotated[
        bool, typer.Option("--intervals", help="Also prefetch every activity's intervals (one request each).")
    ] = False,
    athlete_id: Annotated[
        str | None, typer.Option(metavar="ID", help="Athlete to sync (default ATHLETE_ID).")
    ] = None,
    athletes: Annotated[
        str | None,
        typer.Option(
            metavar="LIST", help="Coaches: `all` (everyone the key can read) or a comma list of athlete ids."
        ),
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
    """Create the cache database or migrate it to the current schema, then check it (quickly)."""
    settings = _settings(db)
    from intervals_mcp.db.dialects import dialect_for
    from intervals_mcp.db.engine import upgrade_database

    url = settings.database_url
    upgrade_database(url)
    dialect = dialect_for(url)
    if problem := dialect.integrity(url):
        _fail(problem, 1)
    print(f"Database {dialect.describe(url)} is at the current schema and reads back whole.", file=sys.stderr)


@db_app.command("reset")
def db_reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Empty the cache: delete the database and create it again, empty (the next sync refills it
    from Intervals.icu). A cache that does not exist is left alone."""
    settings = _settings(db)
    from intervals_mcp.db.dialects import dialect_for

    url = settings.database_url
    dialect = dialect_for(url)
    where = dialect.describe(url)
    if not dialect.exists(url):
        print(f"There is no cache database at {where}: nothing to reset.", file=sys.stderr)
        return
    if not yes:
        if not sys.stdin.isatty():
            _fail("db reset asks before deleting, and there is no terminal to ask on: add --yes.", 2)
        if not typer.confirm(f"Empty the cache {where}? It holds nothing Intervals.icu lacks.", err=True):
            _fail("nothing deleted.", 1)
    from intervals_mcp.db.engine import upgrade_database

    dialect.reset(url)
    upgrade_database(url)
    print(f"Reset {where}: it is empty; run `intervals-mcp sync` to fill it again.", file=sys.stderr)


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
    port: Annotated[int, typer.Option(metavar="N", help="Port on 127.0.0.1 (0 picks a free one).")] = 8777,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed of the synthetic athlete.")] = 7,
    years: Annotated[int, typer.Option(metavar="N", help="Years of synthetic history.")] = 2,
    latency: Annotated[float, typer.Option(metavar="SECONDS", help="Seconds added to every request.")] = 0.0,
    api_key: Annotated[str, typer.Option(metavar="KEY", help="The key the fake accepts.")] = FAKE_KEY,
) -> None:
    """Run the fake Intervals.icu on 127.0.0.1 (for trying things out; never the real service).
    It prints the settings that point intervals-mcp at it."""
    _check_port("127.0.0.1", port)
    from intervals_mcp.fake import generate_athlete, serve_forever
    from intervals_mcp.logs import setup_logging

    setup_logging("WARNING")
    store = generate_athlete(seed=seed, years=years, today=date.today())

    def announce(base_url: str) -> None:
        print(
            f"Fake Intervals.icu at {base_url} (athlete {store.athlete_id}, key {api_key!r}); Ctrl-C stops "
            f"it. Point intervals-mcp at it with:\n  export INTERVALS_API_BASE_URL={base_url} "
            f"API_KEY={api_key} ATHLETE_ID={store.athlete_id}",
            file=sys.stderr,
            flush=True,
        )

    serve_forever(store, port=port, latency=latency, api_key=api_key, announce=announce)


def main() -> None:
    """Entry point: every expected failure is one line on stderr, `intervals-mcp: <sentence>`,
    and a non-zero exit (2: the command line or settings; 1: anything else; 130: interrupted)."""
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:  # the command line itself: an unknown option, a bad value
        ctx = getattr(exc, "ctx", None)
        if ctx is not None and exc.format_message() == ctx.get_help():  # no command given: its help
            print(ctx.get_help(), file=sys.stderr)
        else:
            where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            _say(f"{exc.format_message().rstrip('.')}{where}.")
        sys.exit(exc.exit_code)
    except (ConfigError, InputError) as exc:
        _say(str(exc))
        sys.exit(2)
    except IntervalsMCPError as exc:
        _say(str(exc))
        sys.exit(1)
    except (KeyboardInterrupt, typer.Abort):
        _say("interrupted.")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
