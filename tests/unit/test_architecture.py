"""The house's shape, checked: small modules, and each layer importing only what is below it.

Every import counts, also the ones inside functions (the lazy imports of the start-up path).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "intervals_mcp"
MAX_LINES = 400

# layer -> what it must never import (prefixes of module names)
ABOVE_DB = ("intervals_mcp.sync", "intervals_mcp.server", "intervals_mcp.cli")
PURE = ("intervals_mcp.api", "intervals_mcp.db", *ABOVE_DB, "httpx", "sqlalchemy")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "api": ("intervals_mcp.db", *ABOVE_DB, "rich"),
    "db": ("intervals_mcp.api", *ABOVE_DB, "httpx", "rich"),
    "sync": ("intervals_mcp.server", "intervals_mcp.cli", "rich"),
    "server": ("intervals_mcp.api", "intervals_mcp.cli", "httpx"),
    "analysis": PURE,
    "workouts": PURE,
}


def modules() -> Iterator[Path]:
    yield from sorted(PACKAGE.rglob("*.py"))


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def layer_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


@pytest.mark.parametrize("path", list(modules()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines: split it"


def test_each_layer_imports_only_what_is_below_it() -> None:
    broken = []
    for path in modules():
        forbidden = FORBIDDEN.get(layer_of(path), ())
        for name in imports_of(path):
            if any(name == f or name.startswith(f"{f}.") for f in forbidden):
                broken.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert broken == []


def test_every_import_is_absolute_so_the_layer_rules_see_it() -> None:
    relative = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert relative == [], "write these imports as intervals_mcp.<layer>..."


def test_the_fake_imports_nothing_else_of_intervals_mcp() -> None:
    broken = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in (PACKAGE / "fake").rglob("*.py")
        for name in imports_of(path)
        if name.startswith("intervals_mcp.") and not name.startswith("intervals_mcp.fake")
    ]
    assert broken == []


def test_the_checks_do_see_a_forbidden_import(tmp_path: Path) -> None:
    # The counterpart, so the layer test cannot pass for the wrong reason.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from intervals_mcp.api.client import IntervalsClient\n    import httpx\n"
    )
    assert {"intervals_mcp.api.client", "httpx"} <= imports_of(sample)
