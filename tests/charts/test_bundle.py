"""bundle/manifest.json (MCP bundle manifest 0.4) and server.json (MCP registry) agree with
the server and with the settings it reads. CI also validates and packs the bundle with the
official mcpb CLI and starts the packed bundle (`bundle/build.py --smoke`)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any, get_args

import pytest
from mcp import Client
from pydantic import AliasChoices, SecretStr

from intervals_mcp import __version__
from intervals_mcp.cli import app as cli_app
from intervals_mcp.config import DEFAULT_BASE_URL, Settings, WritesMode, load_settings
from intervals_mcp.server.app import build_server

ROOT = Path(__file__).resolve().parents[2]
WRITES_DEFAULT = Settings.model_fields["writes"].default
MANIFEST: dict[str, Any] = json.loads((ROOT / "bundle" / "manifest.json").read_text(encoding="utf-8"))
SERVER_JSON: dict[str, Any] = json.loads((ROOT / "server.json").read_text(encoding="utf-8"))
PYPROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def env_names() -> dict[str, str]:
    """Every environment variable the settings read, to the field it sets (the seed's plain
    API_KEY and ATHLETE_ID are fallbacks of the same settings)."""
    names: dict[str, str] = {}
    for field, info in Settings.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names.update({str(choice): field.removeprefix("plain_") for choice in alias.choices})
    return names


@pytest.mark.anyio
async def test_the_manifest_lists_the_tools_exactly_as_the_server_does(tmp_path: Path) -> None:
    settings = load_settings(
        api_key=SecretStr("k"), athlete_id="i1", base_url="http://127.0.0.1:9", db_path=tmp_path / "c.sqlite3"
    )
    async with Client(build_server(settings)) as client:
        tools = (await client.list_tools()).tools
    assert [t["name"] for t in MANIFEST["tools"]] == [t.name for t in tools], (
        "bundle/manifest.json is behind the server: run `uv run python bundle/build.py --write`"
    )
    for entry, tool in zip(MANIFEST["tools"], tools, strict=True):
        assert entry["description"] == re.sub(r"\s+", " ", tool.description or "").strip()


def test_the_manifest_is_a_uv_bundle_with_its_settings_outside_the_bundle() -> None:
    assert MANIFEST["manifest_version"] == "0.4"
    assert MANIFEST["name"] == PYPROJECT["project"]["name"] == "intervals-mcp"
    assert MANIFEST["version"] == __version__ == PYPROJECT["project"]["version"]
    assert MANIFEST["license"] == PYPROJECT["project"]["license"] == "MIT"
    for key in ("description", "author", "server"):
        assert MANIFEST[key], key
    server = MANIFEST["server"]
    assert server["type"] == "uv"
    assert (ROOT / "bundle" / server["entry_point"]).is_file(), "the build stages bundle/<entry_point>"
    config = server["mcp_config"]
    assert config["command"] == "uv"
    assert config["args"][:3] == ["run", "--directory", "${__dirname}"]
    assert config["args"][-1] == server["entry_point"]
    assert "--frozen" in config["args"] and "--no-dev" in config["args"]

    user = MANIFEST["user_config"]
    key = user["api_key"]
    assert key["type"] == "string" and key["sensitive"] is True and key["required"] is True
    assert user["athlete_id"]["type"] == "string" and user["athlete_id"]["required"] is True
    assert user["cache_folder"]["type"] == "directory"
    assert "__dirname" not in user["cache_folder"]["default"]
    for option in user.values():
        assert option["title"] and option["description"]
    writes = user["writes"]
    assert writes["type"] == "string" and writes["required"] is False
    assert writes["default"] == WRITES_DEFAULT == "safe"
    assert all(mode in writes["description"] for mode in get_args(WritesMode))

    env = config["env"]
    fields = env_names()
    assert {fields[name] for name in env} == {"api_key", "athlete_id", "db_path", "writes"}
    assert env["INTERVALS_MCP_DB"].startswith("${user_config.cache_folder}")
    assert not any("__dirname" in value for value in env.values()), "the cache lives outside the bundle"
    used = set(re.findall(r"\$\{user_config\.(\w+)\}", json.dumps(config)))
    assert used == set(user), "every setting reaches the server and none is unknown"


def test_the_ignore_file_keeps_environments_caches_and_tests_out() -> None:
    lines = (ROOT / "bundle" / ".mcpbignore").read_text(encoding="utf-8").splitlines()
    patterns = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    for needed in (".git/", ".venv/", "__pycache__/", "*.py[cod]", "tests/", "*.sqlite3", ".env", "dist/"):
        assert needed in patterns, needed


def test_server_json_names_the_pypi_package_and_its_settings() -> None:
    doc = SERVER_JSON
    assert doc["$schema"] == "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
    # The registry's required keys and limits (server.schema.json, ServerDetail and Package).
    assert re.fullmatch(r"[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+", doc["name"]) and 3 <= len(doc["name"]) <= 200
    assert doc["name"] == "io.github.intervals-mcp/intervals-mcp"
    # The registry proves the PyPI package is ours by finding this line in its README.
    assert f"mcp-name: {doc['name']}" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert 1 <= len(doc["description"]) <= 100
    assert doc["version"] == __version__
    assert doc["repository"] == {"url": PYPROJECT["project"]["urls"]["Homepage"], "source": "github"}
    (package,) = doc["packages"]
    assert set(package) <= {
        "registryType", "registryBaseUrl", "identifier", "version", "fileSha256", "runtimeHint",
        "transport", "runtimeArguments", "packageArguments", "environmentVariables",
    }  # fmt: skip
    assert package["registryType"] == "pypi" and package["registryBaseUrl"] == "https://pypi.org"
    assert package["identifier"] == PYPROJECT["project"]["name"]
    assert package["version"] == __version__
    assert package["transport"] == {"type": "stdio"}
    assert package["runtimeHint"] == "uvx"
    assert package["packageArguments"] == [
        {"type": "positional", "value": "serve", "description": "Serve the MCP tools over stdio."}
    ]
    assert PYPROJECT["project"]["scripts"]["intervals-mcp"] == "intervals_mcp.cli:main"
    assert "serve" in {c.name or getattr(c.callback, "__name__", "") for c in cli_app.registered_commands}

    variables = {v["name"]: v for v in package["environmentVariables"]}
    assert set(variables) == {
        "INTERVALS_API_KEY", "ATHLETE_ID", "INTERVALS_MCP_DB", "INTERVALS_API_BASE_URL",
        "INTERVALS_MCP_WRITES",
    }  # fmt: skip
    fields = env_names()
    assert {fields[name] for name in variables} == {"api_key", "athlete_id", "db_path", "base_url", "writes"}
    for name, variable in variables.items():
        assert variable["description"]
        assert variable.get("isSecret", False) is (fields[name] == "api_key"), name
        assert variable.get("format", "string") in {"string", "number", "boolean", "filepath"}
    assert variables["INTERVALS_API_KEY"]["isRequired"] and variables["ATHLETE_ID"]["isRequired"]
    assert variables["INTERVALS_MCP_DB"]["format"] == "filepath"
    assert variables["INTERVALS_API_BASE_URL"]["default"] == DEFAULT_BASE_URL
    writes = variables["INTERVALS_MCP_WRITES"]
    assert writes["choices"] == list(get_args(WritesMode)) and writes["default"] == WRITES_DEFAULT
    assert not writes["isRequired"]
