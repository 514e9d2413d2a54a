"""Injected misbehaviour: error statuses, rate limits, hangs, broken bodies, dropped connections,
answers that arrive late and answers that are lost after the request was applied."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any, Literal

FaultKind = Literal[
    "status", "rate_limit", "hang", "truncated_json", "invalid_json", "html", "reset",
    "null_fields", "missing_fields", "late", "lost_answer",
]
# Faults that need the real response first and then damage it.
DAMAGING: frozenset[str] = frozenset({"truncated_json", "null_fields", "missing_fields"})
# Faults applied after authentication and the route: the request really happens.
AFTER_APP: frozenset[str] = DAMAGING | {"late", "lost_answer"}

HTML_ERROR_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway | intervals.icu | Cloudflare</title>"
    b"</head><body><h1>Bad gateway</h1><p>The web server reported a bad gateway error.</p>"
    b"<p>Cloudflare Ray ID: 8f1e2d3c4b5a6978</p></body></html>"
)
INVALID_JSON = b'{"id": "i1", "name": "Morning Ride", "distance": 12.5,, oops}'


@dataclass(frozen=True, slots=True)
class Fault:
    """One kind of misbehaviour for the next `times` matching requests.

    `methods` / `path_contains` narrow which requests match (None: any). `status` is used by
    kind "status"; `retry_after` by "rate_limit" (None: no Retry-After header); `seconds` by
    "hang" (then the request is answered normally) and by "late"; `fields` by
    "null_fields"/"missing_fields" (None: every key except `id`; `id` itself only when named),
    and `records` by them too: in a list, only the first `records` records are damaged (None: all).

    "late": the answer is computed when the request arrives (an old snapshot, or a write
    already applied) and sent `seconds` later, so a test can change upstream meanwhile.
    "lost_answer": the request is applied (a write really happens), then the connection is
    reset with no response, as when an answer is lost on the way back.
    """

    kind: FaultKind
    status: int = 503
    times: int = 1
    methods: frozenset[str] | None = None
    path_contains: str | None = None
    retry_after: float | None = 1.0
    seconds: float = 30.0
    fields: frozenset[str] | None = None
    records: int | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.methods is not None and method.upper() not in {m.upper() for m in self.methods}:
            return False
        return self.path_contains is None or self.path_contains in path


class FaultQueue:
    """Faults in injection order; each request consumes one use of the first that matches."""

    def __init__(self) -> None:
        self._items: list[list[Any]] = []  # [fault, remaining uses]
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        if fault.times < 1:
            raise ValueError("Fault.times must be at least 1.")
        with self._lock:
            self._items.append([fault, fault.times])

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def pending(self) -> list[tuple[Fault, int]]:
        with self._lock:
            return [(f, n) for f, n in self._items]

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for item in self._items:
                fault: Fault = item[0]
                if fault.matches(method, path):
                    item[1] -= 1
                    if item[1] <= 0:
                        self._items.remove(item)
                    return fault
        return None


def _damage_object(obj: Any, kind: str, fields: frozenset[str] | None) -> Any:
    if not isinstance(obj, dict):
        return obj
    # The id is spared unless named: a record without its id is a damage of its own.
    hit = [k for k in obj if (k != "id" if fields is None else k in fields)]
    if kind == "null_fields":
        return obj | dict.fromkeys(hit)
    return {k: v for k, v in obj.items() if k not in hit}


def damage_body(body: bytes, fault: Fault) -> bytes:
    """The response body as the fault spoils it (bodies that are not JSON pass unchanged)."""
    if fault.kind == "truncated_json":
        return body[: max(1, len(body) // 2)]
    try:
        payload = json.loads(body)
    except ValueError:
        return body
    if isinstance(payload, list):
        hit = len(payload) if fault.records is None else fault.records
        damaged: Any = [
            _damage_object(item, fault.kind, fault.fields) if i < hit else item
            for i, item in enumerate(payload)
        ]
    else:
        damaged = _damage_object(payload, fault.kind, fault.fields)
    return json.dumps(damaged, separators=(",", ":")).encode()
