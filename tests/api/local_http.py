"""A tiny recording web server on 127.0.0.1 for the client's edge cases the fake cannot show.

Each test gives it an `answer(seen)` function that returns a status, headers and body, so one
test can redirect, another can send a body that cannot be decoded. With a certificate it also
speaks TLS on the same port (it peeks at the first byte of each connection), so an
http-to-https redirect that keeps host and port can be followed for real.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self

TLS_RECORD = 0x16  # the first byte of a TLS handshake


@dataclass(frozen=True, slots=True)
class Seen:
    """One request as the server received it."""

    method: str
    target: str  # path and query, as sent
    tls: bool
    authorization: str | None
    user_agent: str | None
    body: bytes

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


Answer = tuple[int, dict[str, str], bytes]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: LocalServer, tls: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.owner = owner
        self.tls = tls

    def get_request(self) -> tuple[socket.socket, object]:
        sock, addr = super().get_request()
        if self.tls is not None:
            sock.settimeout(5.0)
            first = sock.recv(1, socket.MSG_PEEK)
            if first and first[0] == TLS_RECORD:
                sock = self.tls.wrap_socket(sock, server_side=True)
        return sock, addr


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        seen = Seen(
            method=self.command,
            target=self.path,
            tls=isinstance(self.connection, ssl.SSLSocket),
            authorization=self.headers.get("Authorization"),
            user_agent=self.headers.get("User-Agent"),
            body=self.rfile.read(length) if length else b"",
        )
        owner = self.server.owner
        with owner.lock:
            owner.seen.append(seen)
        status, headers, body = owner.answer(seen)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _any


class LocalServer:
    """`with LocalServer(answer) as server:` serves on `server.url` until the block ends."""

    def __init__(
        self, answer: Callable[[Seen], Answer], *, tls: ssl.SSLContext | None = None
    ) -> None:
        self.answer = answer
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self._server = _Server(self, tls)
        self.port: int = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.tls_url = f"https://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def json_answer(body: bytes = b'{"id": "i1"}', status: int = 200) -> Answer:
    return status, {"Content-Type": "application/json"}, body


def redirect(status: int, location: str) -> Answer:
    return status, {"Location": location}, b""


def self_signed_tls(directory: Path) -> tuple[Path, ssl.SSLContext]:
    """A certificate for 127.0.0.1 (its file, for SSL_CERT_FILE) and a server context using it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file = directory / "cert.pem"
    key_file = directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return cert_file, context
