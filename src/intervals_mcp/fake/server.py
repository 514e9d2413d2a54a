"""Serving the fake over real HTTP: in a background thread for tests, or in the foreground."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

import uvicorn
from starlette.applications import Starlette

from intervals_mcp.fake.app import API, build_app
from intervals_mcp.fake.faults import Fault
from intervals_mcp.fake.gateway import Controls, Gateway, LoggedRequest
from intervals_mcp.fake.ratelimit import RateLimit
from intervals_mcp.fake.store import FakeStore
from intervals_mcp.fake.world import Access, FakeWorld, as_world

logger = logging.getLogger(__name__)
DEFAULT_RATE_LIMIT = RateLimit()


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this on Linux; without it every keep-alive response waits
    # ~40 ms for Nagle's algorithm and the client's delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def _server(app: Starlette, controls: Controls) -> uvicorn.Server:
    def lookup(key: str) -> Access | None:
        world: FakeWorld = app.state.world
        return world.access_for(key)

    config = uvicorn.Config(
        Gateway(app, controls, lookup), log_level="warning", log_config=None,
        access_log=False, lifespan="off", http="h11", ws="none", timeout_graceful_shutdown=1,
    )
    return uvicorn.Server(config)


def _world(target: FakeStore | FakeWorld, api_key: str | None) -> FakeWorld:
    if isinstance(target, FakeWorld) and api_key is not None:
        raise ValueError("A FakeWorld brings its own API keys; pass them to the world "
                         "(FakeWorld.coach(..., key=...) or add_key), not api_key=.")
    return as_world(target, api_key or "test-key")


class FakeIntervals:
    """A fake Intervals.icu on 127.0.0.1 (a free port), served from a background thread.

    Serves one athlete's `FakeStore` behind `api_key` (default "test-key"), or a `FakeWorld`
    of several athletes and keys (coaches; see world.py). Use as a context manager, or call
    start()/stop(). stop() returns promptly even while a request is hanging.
    """

    def __init__(
        self,
        store: FakeStore | FakeWorld,
        *,
        api_key: str | None = None,
        latency: float = 0.0,
        rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._app = build_app(_world(store, api_key))
        self._controls = Controls(latency=latency)
        self._controls.rate_limit = rate_limit
        self._host, self._port = host, port
        self._sock: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        where = self.base_url if self._sock else "stopped"
        return f"FakeIntervals({where}, athlete_id={self.athlete_id!r})"

    # ---- lifecycle ----------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> FakeIntervals:
        if self._thread is not None:
            raise RuntimeError("This FakeIntervals is already running; stop() it first.")
        self._controls.closing.clear()
        self._sock = _bind(self._host, self._port)
        self._server = _server(self._app, self._controls)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, name="fake-intervals",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("The fake Intervals.icu server did not start; see stderr.")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        server, thread, sock = self._server, self._thread, self._sock
        self._controls.closing.set()
        if server is not None:
            server.should_exit = True
            server.force_exit = True  # do not wait for hanging requests
        if thread is not None:
            thread.join(timeout)
        if sock is not None:
            sock.close()
        self._server = self._thread = self._sock = None

    def __enter__(self) -> FakeIntervals:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- what tests read and turn --------------------------------------------------------

    @property
    def world(self) -> FakeWorld:
        """Every athlete served and the keys that reach them."""
        world: FakeWorld = self._app.state.world
        return world

    @world.setter
    def world(self, world: FakeWorld) -> None:
        """Serve another world from the next request on, without restarting the server."""
        self._app.state.world = world

    @property
    def store(self) -> FakeStore:
        """The primary athlete: the one served, or the owner of a world's first key."""
        return self.world.primary

    @store.setter
    def store(self, store: FakeStore) -> None:
        """Serve another athlete in place of the primary one from the next request on (its
        keys follow), without restarting the server."""
        self.world = self.world.replacing(self.world.primary_id, store)

    def reset(self) -> None:
        """Back to a quiet server: no latency, no rate limit, no pending faults, empty log."""
        self.latency = 0.0
        self.rate_limit = None
        self.clear_faults()
        self.clear_log()

    @property
    def port(self) -> int:
        if self._sock is None:
            raise RuntimeError("The fake is not running; call start() first.")
        port: int = self._sock.getsockname()[1]
        return port

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self.port}{API}"

    @property
    def athlete_id(self) -> str:
        return self.store.athlete_id

    @property
    def requests(self) -> list[LoggedRequest]:
        return self._controls.requests()

    def clear_log(self) -> None:
        self._controls.clear_log()

    @property
    def latency(self) -> float:
        return self._controls.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._controls.latency = max(0.0, float(seconds))

    @property
    def rate_limit(self) -> RateLimit | None:
        return self._controls.rate_limit

    @rate_limit.setter
    def rate_limit(self, limit: RateLimit | None) -> None:
        self._controls.rate_limit = limit

    def inject(self, fault: Fault) -> None:
        self._controls.faults.add(fault)

    def clear_faults(self) -> None:
        self._controls.faults.clear()

    @property
    def pending_faults(self) -> list[tuple[Fault, int]]:
        """Injected faults not used up yet, with their remaining uses."""
        return self._controls.faults.pending()


def serve_forever(
    store: FakeStore | FakeWorld,
    *,
    host: str = "127.0.0.1",
    port: int = 8777,
    api_key: str | None = "demo",
    latency: float = 0.0,
    rate_limit: RateLimit | None = DEFAULT_RATE_LIMIT,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve the fake in the foreground until interrupted (Ctrl-C); logs the base URL and hands
    it to `announce` once listening."""
    world = _world(store, None if isinstance(store, FakeWorld) else api_key)
    controls = Controls(latency=latency)
    controls.rate_limit = rate_limit
    sock = _bind(host, port)
    actual = sock.getsockname()[1]
    logger.info("Fake Intervals.icu for athletes %s at http://%s:%d%s (user API_KEY)",
                ", ".join(world.athlete_ids), host, actual, API)
    if announce is not None:
        announce(f"http://{host}:{actual}{API}")
    try:
        _server(build_app(world), controls).run(sockets=[sock])
    finally:
        sock.close()
