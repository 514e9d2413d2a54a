"""Build dist/intervals-mcp.mcpb: the one-click MCP bundle (manifest 0.4, server type uv).

    uv run python bundle/build.py           stage, validate and pack with the official mcpb CLI
    uv run python bundle/build.py --smoke   ... then unpack it and start the server as a host
                                            would (uv run, the manifest's command), list tools
    uv run python bundle/build.py --write   refresh bundle/manifest.json's tools and version

The tool list comes from the server itself (built in process, listed by a real MCP client),
so the bundle names the tools exactly as the server does; tests/charts/test_bundle.py checks
that the committed manifest does too. The staging folder holds only what a host needs to run
the server with uv; `bundle/.mcpbignore` keeps caches, virtual environments, databases and
tests out of what the checkout grows inside it. Needs Node (npx) and the npm registry.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import anyio
from pydantic import SecretStr

MCPB = "@anthropic-ai/mcpb@2.1.2"
ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "bundle"
MANIFEST = HERE / "manifest.json"
OUTPUT = ROOT / "dist" / "intervals-mcp.mcpb"
STAGED = ("pyproject.toml", "uv.lock", "README.md", "LICENSE", "alembic.ini", "src", "migrations", "data")
NEEDED = (
    "manifest.json",
    "server.py",
    "pyproject.toml",
    "uv.lock",
    "LICENSE",
    "src/intervals_mcp/cli/__init__.py",
    "src/intervals_mcp/workouts/guide.md",
    "src/intervals_mcp/server/charts/pages/common.js",
    "migrations/env.py",
    "data/demo_athlete/athlete.json",
)
UNWANTED = re.compile(
    r"(^|/)(\.git|\.venv|venv|tests|benchmarks|__pycache__|node_modules|\.mypy_cache|\.ruff_cache"
    r"|\.pytest_cache|\.hypothesis|dist|build)(/|$)|\.py[cod]$|\.sqlite3|(^|/)\.env"
)


async def _server_tools() -> list[Any]:
    from mcp import Client

    from intervals_mcp.config import load_settings
    from intervals_mcp.server.app import build_server

    with tempfile.TemporaryDirectory(prefix="intervals-mcp-bundle-") as tmp:
        settings = load_settings(
            api_key=SecretStr("listing-tools-only"),
            athlete_id="i0",
            base_url="http://127.0.0.1:9",  # never called: listing tools reaches no upstream
            db_path=Path(tmp) / "unused.sqlite3",
        )
        async with Client(build_server(settings)) as client:
            return list((await client.list_tools()).tools)


def manifest_tools(tools: list[Any]) -> list[dict[str, str]]:
    """The manifest's `tools`: each server tool's name and description, in the server's order."""
    return [{"name": t.name, "description": " ".join((t.description or "").split())} for t in tools]


def server_tools() -> list[dict[str, str]]:
    return manifest_tools(anyio.run(_server_tools))


def current_manifest(tools: list[dict[str, str]]) -> dict[str, Any]:
    """bundle/manifest.json with the package's version and the server's tools."""
    from intervals_mcp import __version__

    manifest: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    manifest["version"] = __version__
    manifest["tools"] = tools
    return manifest


def _dump(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def stage(folder: Path, manifest: dict[str, Any]) -> None:
    for name in STAGED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, symlinks=False)
        else:
            shutil.copy2(source, folder / name)
    shutil.copy2(HERE / "server.py", folder / "server.py")
    shutil.copy2(HERE / ".mcpbignore", folder / ".mcpbignore")
    (folder / "manifest.json").write_text(_dump(manifest), encoding="utf-8")


def mcpb(*args: str) -> None:
    npx = shutil.which("npx")
    if npx is None:
        raise SystemExit("npx was not found: install Node.js (with npm) to build the bundle.")
    subprocess.run([npx, "--yes", MCPB, *args], check=True)


def check_archive(archive: Path) -> list[str]:
    """The archive's names; fails on a missing part or on anything that should stay out."""
    names = zipfile.ZipFile(archive).namelist()
    missing = [n for n in NEEDED if n not in names]
    unwanted = [n for n in names if UNWANTED.search(n)]
    if missing or unwanted:
        raise SystemExit(f"{archive.name}: missing {missing}, should not hold {unwanted[:10]}")
    return names


async def _list_over_stdio(folder: Path, manifest: dict[str, Any], cache: Path) -> list[Any]:
    from mcp import Client, StdioServerParameters

    config = manifest["server"]["mcp_config"]
    # The settings a user would give, the others at their defaults, as a host fills them in.
    defaults = {
        f"${{user_config.{name}}}": str(option["default"])
        for name, option in manifest["user_config"].items()
        if "default" in option
    }
    values = {
        **defaults,
        "${__dirname}": str(folder),
        "${user_config.api_key}": "smoke-test-key",
        "${user_config.athlete_id}": "i0",
        "${user_config.cache_folder}": str(cache),
    }

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    command = shutil.which(config["command"]) or config["command"]
    # This machine's environment (PATH, certificates for the package index uv installs from),
    # without any intervals-mcp settings of its own, then the manifest's.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("INTERVALS_") and k not in ("ATHLETE_ID", "API_KEY", "VIRTUAL_ENV")
    }
    env.update({k: fill(v) for k, v in config.get("env", {}).items()})
    env["INTERVALS_API_BASE_URL"] = "http://127.0.0.1:9"  # the smoke test lists tools only
    params = StdioServerParameters(command=command, args=[fill(a) for a in config["args"]], env=env)
    with anyio.fail_after(600):
        async with Client(params) as client:
            return list((await client.list_tools()).tools)


def smoke(archive: Path, manifest: dict[str, Any]) -> None:
    """Unpack the bundle and start it with the manifest's own command, as a host would."""
    with tempfile.TemporaryDirectory(prefix="intervals-mcp-mcpb-") as tmp:
        folder, cache = Path(tmp) / "extension", Path(tmp) / "cache"
        zipfile.ZipFile(archive).extractall(folder)
        tools = manifest_tools(anyio.run(_list_over_stdio, folder, manifest, cache))
        if tools != manifest["tools"]:
            raise SystemExit(f"the unpacked bundle lists {[t['name'] for t in tools]}, not the manifest's")
        print(f"smoke: the unpacked bundle started with uv and listed {len(tools)} tools over stdio")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", action="store_true", help="refresh bundle/manifest.json and stop")
    parser.add_argument("--smoke", action="store_true", help="start the packed bundle and list its tools")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where to write (default {OUTPUT})")
    args = parser.parse_args(argv)

    manifest = current_manifest(server_tools())
    if args.write:
        MANIFEST.write_text(_dump(manifest), encoding="utf-8")
        print(f"{MANIFEST.relative_to(ROOT)}: {len(manifest['tools'])} tools, version {manifest['version']}")
        return 0
    output: Path = args.output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="intervals-mcp-stage-") as tmp:
        folder = Path(tmp) / "intervals-mcp"
        folder.mkdir()
        stage(folder, manifest)
        mcpb("validate", str(folder / "manifest.json"))
        mcpb("pack", str(folder), str(output))
    names = check_archive(output)
    print(
        f"{output}: {len(names)} files, {output.stat().st_size // 1024} KiB, {len(manifest['tools'])} tools"
    )
    if args.smoke:
        smoke(output, manifest)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
