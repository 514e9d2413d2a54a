"""Which redirects from Intervals.icu the client follows (pure functions of URLs).

Only a redirect that stays on the same host, keeps or upgrades the scheme (http to https) and
keeps the port (or moves to the upgraded scheme's default port) is followed, so the API key is
never sent to another host or over a downgraded connection. 301, 302 and 303 turn a write
into a GET in every HTTP client, so for writes only 307 and 308 are followed.
"""

from __future__ import annotations

import httpx

MAX_REDIRECTS = 3
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
METHOD_KEEPING = frozenset({307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _port(url: httpx.URL) -> int | None:
    return url.port if url.port is not None else _DEFAULT_PORTS.get(url.scheme)


def may_follow(method: str, status: int, current: httpx.URL, target: httpx.URL) -> bool:
    """Whether a `status` redirect from `current` to `target` may be followed for `method`."""
    if status not in REDIRECT_STATUSES:
        return False
    if status not in METHOD_KEEPING and method.upper() not in ("GET", "HEAD"):
        return False
    if target.host.lower() != current.host.lower():
        return False
    if target.scheme == current.scheme:
        return _port(target) == _port(current)
    if (current.scheme, target.scheme) == ("http", "https"):
        return target.port is None or _port(target) in (_port(current), _DEFAULT_PORTS["https"])
    return False


def rebased(base: httpx.URL, requested: httpx.URL, final: httpx.URL) -> httpx.URL | None:
    """The base URL that would have reached `final` directly, when `requested` (under `base`)
    was redirected there with its path kept at the end and its query unchanged; else None."""
    suffix = requested.path.removeprefix(base.path.rstrip("/"))
    if not suffix.startswith("/") or not final.path.endswith(suffix):
        return None
    if final.query != requested.query:
        return None
    return final.copy_with(path=final.path[: -len(suffix)] + "/", query=None, fragment=None)


def shown(url: httpx.URL) -> str:
    """A URL for a message: scheme, host, port and path, without any query or credentials."""
    return str(url.copy_with(query=None, fragment=None, username=None, password=None))
