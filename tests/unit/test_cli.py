"""The command line as a person meets it: real subprocesses, exit codes, one-line errors."""

import json
import os
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


def test_unwritable_db_location_is_usage_error(env: dict[str, str], tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where a folder should be")
    env = {**env, "API_KEY": SECRET, "ATHLETE_ID": "i1", "INTERVALS_MCP_DB": str(blocked / "c.sqlite3")}
    result = run_cli("sync", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot be created" in result.stderr
    assert "Traceback" not in result.stderr
