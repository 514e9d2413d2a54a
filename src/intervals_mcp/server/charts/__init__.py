"""The MCP App pages (SEP-1865, `io.modelcontextprotocol/ui`) that draw the analytics tools'
structured results next to their text answer, in hosts that support MCP Apps.

Each page is one self-contained HTML document: no network, no library, inline CSS and JS,
SVG drawn by hand. The sources are package data in `pages/`: one shell, one style sheet, the
protocol and drawing helpers every page shares (`common.js`) and one script per page; they
are assembled here, once, at import. Registering them is the server's job:

    page = CHARTS["get_fitness_trend"]
    @server.tool(meta=page.tool_meta, ...)            # the tool points at the page
    @server.resource(page.uri, name=page.name, title=page.title, mime_type=MIME_TYPE,
                     meta=RESOURCE_META)
    def fitness_page() -> str: return page.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

__all__ = ["CHARTS", "MIME_TYPE", "RESOURCE_META", "ChartPage"]

MIME_TYPE = "text/html;profile=mcp-app"
URI_PREFIX = "ui://intervals-mcp/"
# On the resource (and so on its contents): no `csp` key keeps the host's default, which
# allows no network at all (the pages need none); a border frames the chart's own background.
RESOURCE_META: dict[str, Any] = {"ui": {"prefersBorder": True}}

_PAGES = files(__package__) / "pages"
_SLOTS = ("%%TITLE%%", "%%STYLE%%", "%%COMMON%%", "%%PAGE%%")


@dataclass(frozen=True)
class ChartPage:
    """One chart page: the tool whose result it draws, its `ui://` address and its HTML."""

    tool: str
    name: str
    title: str
    html: str

    @property
    def uri(self) -> str:
        return f"{URI_PREFIX}{self.name}.html"

    @property
    def tool_meta(self) -> dict[str, Any]:
        """The tool's `_meta`: the current key and the deprecated flat one that older hosts read."""
        return {"ui": {"resourceUri": self.uri}, "ui/resourceUri": self.uri}


def _read(name: str) -> str:
    return (_PAGES / name).read_text(encoding="utf-8")


_BLOCK_COMMENT = re.compile(r"^/\*.*?\*/\n", re.DOTALL | re.MULTILINE)


def compact(source: str) -> str:
    """CSS or JS without its block comments (those that open a line), indentation or blank
    lines: a quarter smaller, and no string in the sources spans a line or holds a comment."""
    source = _BLOCK_COMMENT.sub("", source)
    return "\n".join(line.strip() for line in source.splitlines() if line.strip())


def assemble(title: str, script: str) -> str:
    """The shell with the title, the style sheet, the shared script and the page's script."""
    page = _read("shell.html")
    for slot, text in zip(
        _SLOTS,
        (title, compact(_read("style.css")), compact(_read("common.js")), compact(script)),
        strict=True,
    ):
        page = page.replace(slot, text)
    return page


def _page(tool: str, name: str, title: str) -> ChartPage:
    script = _read(f"{name.replace('-', '_')}.js")
    return ChartPage(tool=tool, name=name, title=title, html=assemble(title, script))


CHARTS: dict[str, ChartPage] = {
    page.tool: page
    for page in (
        _page("get_fitness_trend", "fitness", "Fitness trend"),
        _page("get_training_summary", "training-summary", "Training summary"),
        _page("get_intensity_distribution", "intensity-distribution", "Intensity distribution"),
    )
}
