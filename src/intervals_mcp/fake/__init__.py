"""A faithful fake Intervals.icu (real HTTP on loopback) for tests, demos and benchmarks.

One athlete: `FakeIntervals(generate_athlete(...), api_key=...)`. Several athletes and keys
(coaches): `FakeIntervals(FakeWorld.coach(...))`, see world.py. Faults: `fake.inject(Fault(...))`,
see faults.py. Standalone: imports nothing else of intervals_mcp.
"""

from intervals_mcp.fake.demo import load_demo_athlete
from intervals_mcp.fake.faults import Fault, FaultKind
from intervals_mcp.fake.gateway import LoggedRequest
from intervals_mcp.fake.generate import generate_athlete
from intervals_mcp.fake.ratelimit import RateLimit
from intervals_mcp.fake.server import FakeIntervals, serve_forever
from intervals_mcp.fake.store import FakeStore
from intervals_mcp.fake.world import Access, FakeWorld

__all__ = [
    "Access", "FakeIntervals", "FakeStore", "FakeWorld", "Fault", "FaultKind", "LoggedRequest",
    "RateLimit", "generate_athlete", "load_demo_athlete", "serve_forever",
]
