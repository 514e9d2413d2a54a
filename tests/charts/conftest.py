"""A real headless Chromium (Debian's `chromium`, driven by playwright) and a tiny MCP Apps host.

Locally the browser tests skip with a message when Chromium or playwright is missing; with
INTERVALS_MCP_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails them instead.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("INTERVALS_MCP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HARNESS = (Path(__file__).parent / "host_harness.js").read_text(encoding="utf-8")
LIGHT = {
    "theme": "light",
    "displayMode": "inline",
    "availableDisplayModes": ["inline"],
    "containerDimensions": {"width": 640, "maxHeight": 900},
    "locale": "en-GB",
}
DARK = {**LIGHT, "theme": "dark"}

# Distinct colours and the pixels of one colour in a PNG, counted by the browser's own decoder.
COUNT_COLOURS = """async ([png, rgb]) => {
  const img = new Image();
  img.src = "data:image/png;base64," + png;
  await img.decode();
  const c = document.createElement("canvas");
  c.width = img.width; c.height = img.height;
  const g = c.getContext("2d");
  g.drawImage(img, 0, 0);
  const px = g.getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  let near = 0;
  for (let i = 0; i < px.length; i += 4) {
    seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    if (Math.abs(px[i] - rgb[0]) + Math.abs(px[i + 1] - rgb[1]) + Math.abs(px[i + 2] - rgb[2]) < 24) near++;
  }
  return { distinct: seen.size, near, total: px.length / 4 };
}"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _missing_browser(reason: str) -> None:
    if os.environ.get("INTERVALS_MCP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"INTERVALS_MCP_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"{reason}: install it (apt-get install -y chromium) to run the chart tests")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One browser per test module: while playwright's sync API runs, this thread has a
    running event loop, which the async tests of other modules must not meet."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("the Python package playwright is not installed")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _missing_browser(f"Chromium is not at {CHROMIUM}")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class View:
    """A page drawn by the test host: the host page, the view's frame, what went wrong."""

    page: Any
    frame: Any
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """The console errors and page errors so far: a round trip through the view's frame
        first, so that everything it logged before has arrived."""
        self.frame.evaluate("0")
        self.page.evaluate("0")
        return list(self.errors)

    def log(self) -> list[Any]:
        return list(self.page.evaluate("window.hostLog"))

    def methods(self) -> list[str]:
        return [m.get("method", "<response>") for m in self.log() if isinstance(m, dict)]

    def send(self, message: Any) -> None:
        self.page.evaluate("(m) => window.hostSend(m)", message)

    def screenshot(self) -> bytes:
        return bytes(self.page.locator("iframe").screenshot())

    def colours(self, rgb: tuple[int, int, int] = (0, 0, 0)) -> dict[str, int]:
        png = base64.b64encode(self.screenshot()).decode()
        return dict(self.page.evaluate(COUNT_COLOURS, [png, list(rgb)]))

    def texts(self, selector: str) -> list[str]:
        return [str(t) for t in self.frame.locator(selector).all_text_contents()]

    def count(self, selector: str) -> int:
        return int(self.frame.locator(selector).count())


@pytest.fixture
def show(browser: Any) -> Iterator[Any]:
    """show(html, result, tool_input=..., context=...) -> View, once the result is drawn."""
    pages: list[Any] = []

    def _show(
        html: str,
        result: dict[str, Any] | None,
        *,
        tool_input: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        width: int = 640,
    ) -> View:
        page = browser.new_page(viewport={"width": width + 40, "height": 900})
        pages.append(page)
        errors: list[str] = []
        page.on(
            "console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None
        )
        page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
        page.set_content("<!doctype html><html><body style='margin:0'></body></html>")
        page.add_script_tag(content=HARNESS)
        page.evaluate(
            "(a) => window.startHost(a)",
            {
                "html": html,
                "toolInput": tool_input if tool_input is not None else {},
                "toolResult": result,
                "hostContext": context or LIGHT,
                "width": width,
            },
        )
        if result is not None:
            page.wait_for_function("window.resultsDrawn > 0", timeout=10_000)
        else:
            page.wait_for_function(
                "window.hostLog.some(m => m.method === 'ui/notifications/initialized')", timeout=10_000
            )
        frame = page.frames[1]
        return View(page=page, frame=frame, errors=errors)

    yield _show
    for page in pages:
        page.close()
