"""What stands in front of the fake's routes: request log, latency, rate limit, faults, auth.

A plain ASGI wrapper rather than Starlette middleware, because some faults must reach past the
application: dropping the connection needs uvicorn's transport, and damaging a payload needs
the finished response body.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hmac
import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intervals_mcp.fake.faults import (
    AFTER_APP,
    DAMAGING,
    HTML_ERROR_PAGE,
    INVALID_JSON,
    Fault,
    FaultQueue,
    damage_body,
)
from intervals_mcp.fake.http import ACCESS_SCOPE_KEY
from intervals_mcp.fake.ratelimit import RateLimit, TokenBucket
from intervals_mcp.fake.timefmt import iso_utc
from intervals_mcp.fake.world import Access

AUTH_USER = "API_KEY"
REALM = 'Basic realm="Intervals.icu"'
RESET_STATUS = 0  # logged status of a request whose connection was dropped


@dataclass(slots=True)
class LoggedRequest:
    """One request as the fake saw it; `status` is None while it is in flight."""

    at: float  # time.monotonic() on arrival
    method: str
    path: str
    query: dict[str, str]
    status: int | None = None


@dataclass
class Controls:
    """The knobs tests turn while the server runs; safe to use from any thread."""

    latency: float = 0.0
    faults: FaultQueue = field(default_factory=FaultQueue)
    # Set while the server stops: hanging requests give up and drop their connection.
    closing: threading.Event = field(default_factory=threading.Event)
    _bucket: TokenBucket | None = None
    _log: list[LoggedRequest] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def rate_limit(self) -> RateLimit | None:
        bucket = self._bucket
        return bucket.limit if bucket else None

    @rate_limit.setter
    def rate_limit(self, limit: RateLimit | None) -> None:
        self._bucket = TokenBucket(limit) if limit is not None else None

    def log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append(entry)

    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()


def basic_key(header: str | None) -> str | int:
    """The API key of a Basic `API_KEY:<key>` header; else 401 (no or empty credentials) or
    403 (wrong user name, another scheme)."""
    if not header or not header.strip():
        return 401
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return 403
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return 401
    user, sep, password = decoded.partition(":")
    if not sep or not password:
        return 401
    if not hmac.compare_digest(user.encode(), AUTH_USER.encode()):
        return 403
    return password


def auth_failure(header: str | None, api_key: str) -> int | None:
    """None when `Authorization` carries Basic `API_KEY:<api_key>`; else 401 or 403."""
    key = basic_key(header)
    if isinstance(key, int):
        return key
    return None if hmac.compare_digest(key.encode(), api_key.encode()) else 403


def _retry_after(seconds: float) -> str:
    return f"{seconds:g}"


class Gateway:
    """ASGI wrapper applying the controls, then authentication, before the routes.

    `lookup` maps an API key to its `Access` (None: unknown key); the access found is left in
    the scope for the routes.
    """

    def __init__(self, app: ASGIApp, controls: Controls,
                 lookup: Callable[[str], Access | None]) -> None:
        self.app = app
        self.controls = controls
        self._lookup = lookup

    def __repr__(self) -> str:
        return "Gateway(keys=***)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                               keep_blank_values=True))
        entry = LoggedRequest(at=time.monotonic(), method=method, path=path, query=query)
        self.controls.log(entry)

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry.status = message["status"]
            await send(message)

        bucket = self.controls._bucket
        allowed = bucket.try_acquire() if bucket else True
        if self.controls.latency > 0 and await self._wait(self.controls.latency):
            entry.status = RESET_STATUS
            await _drop_connection(send)
            return
        if not allowed and bucket is not None:
            await _send_rate_limited(logged_send, bucket.limit.retry_after)
            return
        fault = self.controls.faults.take(method, path)
        if fault is not None and fault.kind not in AFTER_APP:
            if fault.kind == "reset":
                entry.status = RESET_STATUS
                await _drop_connection(send)
                return
            if fault.kind == "hang":
                if await self._wait(fault.seconds):
                    entry.status = RESET_STATUS
                    await _drop_connection(send)
                    return
            else:
                await _send_fault(logged_send, fault, path)
                return
        key = basic_key(_header(scope, b"authorization"))
        access = self._lookup(key) if isinstance(key, str) else None
        if access is None:
            denied = key if isinstance(key, int) else 403
            await _send_json(logged_send, denied,
                             {"status": denied,
                              "error": "Unauthorized" if denied == 401 else "Access denied"},
                             [(b"www-authenticate", REALM.encode())] if denied == 401 else [])
            return
        scope = {**scope, ACCESS_SCOPE_KEY: access}
        if fault is not None and fault.kind in AFTER_APP:
            await self._after_app(scope, receive, send, logged_send, fault, entry)
            return
        await self.app(scope, receive, logged_send)

    async def _wait(self, seconds: float) -> bool:
        """Sleep `seconds`, or less if the server is stopping (then True)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.controls.closing.is_set():
                return True
            await asyncio.sleep(min(0.05, left))
        return self.controls.closing.is_set()

    async def _after_app(self, scope: Scope, receive: Receive, raw_send: Send, send: Send,
                         fault: Fault, entry: LoggedRequest) -> None:
        """Faults that need the real answer first: the request is applied, then its answer is
        damaged, held back (`late`) or never sent (`lost_answer`)."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        assert start is not None
        lost = fault.kind == "lost_answer"
        if not lost and fault.kind == "late":
            lost = await self._wait(fault.seconds)
        if lost:
            entry.status = RESET_STATUS
            await _drop_connection(raw_send)
            return
        body = b"".join(chunks)
        if fault.kind in DAMAGING and start["status"] == 200:
            body = damage_body(body, fault)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _send_raw(send: Send, status: int, body: bytes, content_type: bytes,
                    extra: list[tuple[bytes, bytes]] | None = None) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status,
                "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})


async def _send_json(send: Send, status: int, payload: Any,
                     extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps(payload, separators=(",", ":")).encode()
    await _send_raw(send, status, body, b"application/json", extra)


async def _send_rate_limited(send: Send, retry_after: float | None) -> None:
    extra = [(b"retry-after", _retry_after(retry_after).encode())] if retry_after is not None else []
    await _send_json(send, 429, {"status": 429, "error": "Too Many Requests"}, extra)


async def _send_fault(send: Send, fault: Fault, path: str) -> None:
    if fault.kind == "rate_limit":
        await _send_rate_limited(send, fault.retry_after)
    elif fault.kind == "status":
        try:
            phrase = HTTPStatus(fault.status).phrase
        except ValueError:
            phrase = "Error"
        await _send_json(send, fault.status, {"timestamp": iso_utc(datetime.now(UTC)),
                                              "status": fault.status, "error": phrase,
                                              "path": path})
    elif fault.kind == "invalid_json":
        await _send_raw(send, 200, INVALID_JSON, b"application/json")
    elif fault.kind == "html":
        await _send_raw(send, 200, HTML_ERROR_PAGE, b"text/html; charset=UTF-8")
    else:  # pragma: no cover - every kind is handled above or in DAMAGING
        raise ValueError(f"Unknown fault kind {fault.kind!r}.")


async def _drop_connection(send: Send) -> None:
    """Reset the TCP connection (RST, no response at all) through uvicorn's transport."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is not None:
        if transport.is_closing():  # the client already went away
            return
        sock = transport.get_extra_info("socket")
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        for _ in range(20):  # let uvicorn see the disconnect, so it does not log a missing response
            if getattr(cycle, "disconnected", True):
                break
            await asyncio.sleep(0)
        return
    # Not under uvicorn: promise a body and never send it; the server closes the connection.
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", b"1000")]})
    raise ConnectionAbortedError("fault injection: connection reset")
