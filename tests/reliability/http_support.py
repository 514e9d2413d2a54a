"""`intervals-mcp serve --transport streamable-http` as a real child process, and MCP clients
that reach it with or without a bearer token. Used by the HTTP exposure and team-server tests
(and benchmarks/team.py, which puts tests/ on sys.path)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

START_SECONDS = 20.0
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "exposure-test", "version": "0"},
    },
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@dataclass
class HttpServer:
    port: int
    process: subprocess.Popen[bytes]
    stderr: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def post(self, body: Mapping[str, Any] = INITIALIZE, **headers: str) -> httpx.Response:
        """An MCP POST (initialize by default) to the loopback address with these headers on top."""
        with httpx.Client(timeout=10.0) as http:
            return http.post(self.url, json=dict(body), headers={**MCP_HEADERS, **headers})


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_listening(server: HttpServer) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(
                f"serve exited {server.process.returncode}: {server.stderr.read_text()[-2000:]}"
            )
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(
        f"serve did not listen within {START_SECONDS} s: {server.stderr.read_text()[-2000:]}"
    )


def serve_command(port: int, host: str | None = None, *, stateless: bool = False) -> list[str]:
    command = [sys.executable, "-m", "intervals_mcp", "serve", "--transport", "streamable-http",
               "--port", str(port)]  # fmt: skip
    return [*command, *(["--host", host] if host else []), *(["--stateless"] if stateless else [])]


@contextmanager
def http_server(
    env: Mapping[str, str], stderr: Path, host: str | None = None, *, stateless: bool = False
) -> Iterator[HttpServer]:
    """`intervals-mcp serve --transport streamable-http` on a free port with `env` (plus PATH),
    from `/`; stopped afterwards."""
    port = free_port()
    full = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    with stderr.open("wb") as err:
        command = serve_command(port, host, stateless=stateless)
        process = subprocess.Popen(command, env=full, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=err, cwd="/")  # fmt: skip
    server = HttpServer(port, process, stderr)
    try:
        wait_until_listening(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@asynccontextmanager
async def mcp_client(url: str, token: str | None = None) -> AsyncIterator[Any]:
    """The SDK's client over streamable HTTP, sending `Authorization: Bearer <token>` when given."""
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0, read=60.0)) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        yield client
