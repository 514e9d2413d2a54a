"""The command line as a person meets it: real subprocesses, exit codes, one-line errors."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

SECRET = "s3cr3t-KEY-do-not-leak"


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intervals_mcp", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "SYSTEMROOT")}
    return {**keep, "INTERVALS_MCP_DB": str(tmp_path / "cache.sqlite3")}


def test_missing_key_is_one_line_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("sync", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "API_KEY is not set" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "cache.sqlite3").exists()


def test_malformed_athlete_id_exit_2(env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("sync", env={**env, "API_KEY": SECRET, "ATHLETE_ID": "bob"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "ATHLETE_ID" in result.stderr
    assert SECRET not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("sync", "--since", "2026-02-31"), "is not a date"),
        (("sync", "--since", "2026-03-01", "--until", "2026-02-01"), "is before --since"),
        (("sync", "--only", "activities,naps"), "unknown resource"),
        (("serve", "--transport", "carrier-pigeon"), "not supported"),
    ],
)
def test_bad_input_is_usage_error_and_writes_nothing(
    env: dict[str, str], tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    result = run_cli(*args, env={**env, "API_KEY": SECRET, "ATHLETE_ID": "i1"}, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "cache.sqlite3").exists()


def test_config_claude_prints_absolute_block_without_key(env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("config", "claude", env={**env, "API_KEY": SECRET, "ATHLETE_ID": "i9"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    block = json.loads(result.stdout)
    entry = block["mcpServers"]["intervals"]
    assert Path(entry["command"]).is_absolute()
    assert Path(entry["args"][2]).is_absolute()
    assert entry["env"]["ATHLETE_ID"] == "i9"
    assert SECRET not in result.stdout + result.stderr


def test_config_claude_uvx_prints_the_entry_for_the_published_package(
    env: dict[str, str], tmp_path: Path
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    uvx = tools / "uvx"
    uvx.write_text("#!/bin/sh\n")
    uvx.chmod(0o755)
    env = {**env, "PATH": f"{tools}{os.pathsep}{env['PATH']}", "API_KEY": SECRET, "ATHLETE_ID": "i9"}
    result = run_cli("config", "claude", "--uvx", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout)["mcpServers"]["intervals"]
    assert entry["command"] == str(uvx.resolve())
    assert entry["args"] == ["intervals-mcp", "serve"]
    assert entry["env"]["ATHLETE_ID"] == "i9"
    assert SECRET not in result.stdout + result.stderr


def test_version(env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("--version", env=env, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("intervals-mcp ")


@pytest.mark.parametrize("args", [("sync",), ("db", "upgrade"), ("db", "reset", "--yes"), ("status",)])
def test_an_unusable_db_location_is_one_line_and_one_exit_code(
    env: dict[str, str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where a folder should be")
    env = {**env, "API_KEY": SECRET, "ATHLETE_ID": "i1", "INTERVALS_MCP_DB": str(blocked / "c.sqlite3")}
    result = run_cli(*args, env=env, cwd=tmp_path)
    if args[0] == "status" or args[-1] == "--yes":  # they read or empty a cache, never create one
        assert result.returncode == 0, result.stderr
        assert "no cache" in result.stderr.lower()
    else:
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith("intervals-mcp: The cache database ")
        assert "cannot be created" in result.stderr
        assert result.stderr.count("\n") == 1
    assert blocked.read_text() == "a file where a folder should be"


# --- the database commands ---------------------------------------------------------------------


def test_status_on_a_missing_cache_creates_nothing(env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "cache.sqlite3"
    env = {**env, "INTERVALS_MCP_DB": str(missing)}
    shown = run_cli("status", env=env, cwd=tmp_path)
    as_json = run_cli("status", "--json", env=env, cwd=tmp_path)
    assert shown.returncode == 0 and "There is no cache here yet" in shown.stderr
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout) == {
        "db_path": str(missing), "db_bytes": None, "resources": [], "exists": False, "problem": None
    }
    assert not missing.exists() and not missing.parent.exists()


def test_db_reset_of_a_missing_cache_creates_nothing(env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("db", "reset", "--yes", env=env, cwd=tmp_path)
    assert result.returncode == 0
    assert "nothing to reset" in result.stderr
    assert not (tmp_path / "cache.sqlite3").exists()


def test_db_reset_without_a_terminal_asks_for_yes(env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    before = (tmp_path / "cache.sqlite3").read_bytes()
    result = run_cli("db", "reset", env=env, cwd=tmp_path)  # stdin is not a terminal
    assert result.returncode == 2
    assert result.stderr == (
        "intervals-mcp: db reset asks before deleting, and there is no terminal to ask on: add --yes.\n"
    )
    assert (tmp_path / "cache.sqlite3").read_bytes() == before


def test_db_reset_empties_the_cache_as_its_help_says(env: dict[str, str], tmp_path: Path) -> None:
    helped = run_cli("db", "reset", "--help", env=env, cwd=tmp_path)
    assert "Empty the cache" in helped.stdout and "create it again, empty" in helped.stdout
    assert run_cli("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    result = run_cli("db", "reset", "--yes", env=env, cwd=tmp_path)
    assert result.returncode == 0 and "it is empty" in result.stderr
    assert (tmp_path / "cache.sqlite3").exists()


# --- help and errors read the same everywhere ---------------------------------------------------


@pytest.mark.parametrize("command", [(), ("sync",), ("serve",), ("status",), ("db", "reset"), ("fake",)])
def test_flags_show_no_made_up_value(env: dict[str, str], tmp_path: Path, command: tuple[str, ...]) -> None:
    result = run_cli(*command, "--help", env=env, cwd=tmp_path)
    assert result.returncode == 0
    assert "<bool>" not in result.stdout and "--help" in result.stdout
    for line in result.stdout.splitlines():
        if line.strip().startswith(("--full", "--yes", "--json", "--intervals", "--version")):
            assert line.split()[1][0].isupper(), f"a flag shown as taking a value: {line!r}"


@pytest.mark.parametrize(
    "args",
    [
        ("sync",),  # no key
        ("sync", "--days", "many"),  # typer's own check
        ("serve", "--port", "eighty"),
        ("sync", "--since", "2026-02-31"),
        ("serve", "--transport", "carrier-pigeon"),
        ("frobnicate",),
    ],
)
def test_start_up_errors_are_one_line_with_one_prefix(
    env: dict[str, str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = run_cli(*args, env=env, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("intervals-mcp: ") and result.stderr.count("\n") == 1, result.stderr
    assert result.stdout == ""


# --- serve and the fake ---------------------------------------------------------------------------


def test_serve_help_names_the_http_endpoint(env: dict[str, str], tmp_path: Path) -> None:
    result = run_cli("serve", "--help", env=env, cwd=tmp_path)
    assert "http://HOST:PORT/mcp" in result.stdout and "http://127.0.0.1:8000/mcp" in result.stdout


@pytest.mark.parametrize(
    "extra", [("--port", "9000"), ("--host", "0.0.0.0"), ("--host", "::1", "--port", "1")]
)
def test_serve_refuses_host_and_port_with_stdio(
    env: dict[str, str], tmp_path: Path, extra: tuple[str, ...]
) -> None:
    result = run_cli("serve", *extra, env={**env, "API_KEY": SECRET, "ATHLETE_ID": "i1"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("intervals-mcp: --") and result.stderr.count("\n") == 1
    assert "only apply to --transport streamable-http" in result.stderr


def busy_port() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    return sock


def test_the_fake_on_a_busy_port_is_one_sentence(env: dict[str, str], tmp_path: Path) -> None:
    with busy_port() as sock:
        port = sock.getsockname()[1]
        result = run_cli("fake", "--port", str(port), env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"intervals-mcp: Port {port} on 127.0.0.1 is already in use: stop what listens there, or pass "
        "another --port.\n"
    )


def test_the_fake_says_how_to_point_intervals_mcp_at_it(env: dict[str, str], tmp_path: Path) -> None:
    """What the README's "Try it against the fake" does: start the fake, use what it prints."""
    fake = subprocess.Popen(
        [sys.executable, "-m", "intervals_mcp", "fake", "--port", "0", "--years", "1"],
        env=env, cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert fake.stderr is not None
        first = fake.stderr.readline()
        settings = fake.stderr.readline().split("export ", 1)[1].split()
        assert first.startswith("Fake Intervals.icu at http://127.0.0.1:") and "key 'demo'" in first
        given = dict(item.split("=", 1) for item in settings)
        assert given["API_KEY"] == "demo" and given["ATHLETE_ID"] == "i12345"
        synced = run_cli("sync", "--days", "7", env={**env, **given}, cwd=tmp_path)
        assert synced.returncode == 0, synced.stderr
    finally:
        fake.terminate()
        fake.wait(timeout=10)
