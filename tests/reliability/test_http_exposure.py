"""Streamable HTTP exposure: `intervals-mcp serve --transport streamable-http` as a real child.

It listens on 127.0.0.1 only (checked in /proc/net/tcp and tcp6, and by connecting through
another address of this machine), refuses requests naming a foreign Host or coming from a
foreign Origin (DNS rebinding: 421/403), serves a proper local MCP session, and logs at DEBUG
without the key.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from intervals_mcp.fake import FakeIntervals, FakeStore
from intervals_mcp.server.app import http_security
from intervals_mcp.server.tools import TOOLS

from .http_support import HttpServer
from .http_support import http_server as serve_http

KEY = "sk-HTTP-CANARY-0b9d4e7a31c6f852"


@contextmanager
def running_http_server(store: FakeStore, home: Path) -> Iterator[HttpServer]:
    """`intervals-mcp serve --transport streamable-http` on a free port (default host), at DEBUG,
    against a fake serving `store` (also used by benchmarks/fault_scenarios/input_secrets.py)."""
    with FakeIntervals(store, api_key=KEY, rate_limit=None) as fake:
        env = {
            "API_KEY": KEY,
            "ATHLETE_ID": fake.athlete_id,
            "INTERVALS_API_BASE_URL": fake.base_url,
            "INTERVALS_MCP_DB": str(home / "cache.sqlite3"),
            "LOG_LEVEL": "DEBUG",
        }
        with serve_http(env, home / "stderr.txt") as server:
            yield server


@pytest.fixture(scope="module")
def http_server(half_year_store: FakeStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpServer]:
    with running_http_server(half_year_store, tmp_path_factory.mktemp("http")) as server:
        yield server


# --- where it listens ------------------------------------------------------------------------


def listening_addresses(port: int) -> list[str]:
    """Local addresses (hex, as the kernel writes them) of TCP sockets listening on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == "0A":  # 0A = LISTEN
                found.append(address)
    return found


def other_local_address() -> str | None:
    """A non-loopback IPv4 address of this machine, if it has one (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.254", 9))
        except OSError:
            return None
        address = str(sock.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def refuses(address: str, port: int) -> bool:
    try:
        socket.create_connection((address, port), timeout=1.0).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc/net")
def test_it_listens_on_127_0_0_1_only(http_server: HttpServer) -> None:
    assert listening_addresses(http_server.port) == ["0100007F"]  # 127.0.0.1, and nothing on IPv6
    assert refuses("127.0.0.2", http_server.port), "another loopback address must not reach it"
    other = other_local_address()
    if other is not None:
        assert refuses(other, http_server.port), f"{other} (this machine's network address) reached it"


# --- DNS rebinding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Host": "evil.example"}, 421),
        ({"Host": "evil.example:{port}"}, 421),
        ({"Host": "127.0.0.1:1"}, 421),  # the right name on another port
        ({"Origin": "http://evil.example"}, 403),
        ({"Origin": "http://evil.example:{port}"}, 403),
        ({"Origin": "http://localhost:1"}, 403),  # another local web app's page
        ({"Origin": "null"}, 403),
    ],
)
def test_foreign_host_or_origin_is_refused(
    http_server: HttpServer, headers: dict[str, str], status: int
) -> None:
    sent = {k: v.format(port=http_server.port) for k, v in headers.items()}
    response = http_server.post(**sent)
    assert response.status_code == status, response.text
    assert "serverInfo" not in response.text


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "http://127.0.0.1:{port}"},
        {"Host": "localhost:{port}", "Origin": "http://localhost:{port}"},
    ],
)
def test_a_local_request_is_served(http_server: HttpServer, headers: dict[str, str]) -> None:
    sent = {k: v.format(port=http_server.port) for k, v in headers.items()}
    response = http_server.post(**sent)
    assert response.status_code == 200, response.text
    assert "intervals-mcp" in response.text


def test_a_whole_session_over_http_and_its_debug_log_has_no_key(http_server: HttpServer) -> None:
    async def session() -> Any:
        with anyio.fail_after(20):
            async with Client(http_server.url) as client:
                assert len((await client.list_tools()).tools) == len(TOOLS)
                return await client.call_tool("get_wellness_data", {"refresh": True})

    result = anyio.run(session)
    assert not result.is_error, result.content
    time.sleep(0.2)  # let the child flush its log lines
    log = http_server.stderr.read_text()
    assert " DEBUG " in log and "Invalid Host header" in log, "the child logged at DEBUG, refusals included"
    token = base64.b64encode(f"API_KEY:{KEY}".encode()).decode()
    assert KEY not in log and token not in log


def test_the_endpoint_is_printed_at_start_up(http_server: HttpServer) -> None:
    said = http_server.stderr.read_text()
    assert f"intervals-mcp: serving MCP over streamable HTTP at {http_server.url} (Ctrl-C stops it)." in said


def test_a_busy_port_is_one_sentence(http_server: HttpServer, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "intervals_mcp", "serve", "--transport", "streamable-http",
         "--port", str(http_server.port)],
        env={"API_KEY": KEY, "ATHLETE_ID": "i1", "INTERVALS_MCP_DB": str(tmp_path / "c.sqlite3"),
             "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        f"intervals-mcp: Port {http_server.port} on 127.0.0.1 is already in use: stop what listens "
        "there, or pass another --port.\n"
    )


# --- the settings, directly ------------------------------------------------------------------


def test_http_security_names_loopback_on_the_bound_port_only() -> None:
    rules = http_security("127.0.0.1", 8000)
    assert rules.enable_dns_rebinding_protection
    assert set(rules.allowed_hosts) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert set(rules.allowed_origins) == {f"http://{h}" for h in rules.allowed_hosts}
    bound = http_security("192.168.1.20", 9000)  # told otherwise: that address too, still checked
    assert "192.168.1.20:9000" in bound.allowed_hosts and bound.enable_dns_rebinding_protection
    assert "[::1]:8765" in http_security("::1", 8765).allowed_hosts
    assert "localhost" in http_security("127.0.0.1", 80).allowed_hosts  # browsers omit port 80
