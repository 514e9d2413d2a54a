"""The chart pages as a host shows them: real headless Chromium, a sandboxed iframe, the MCP
Apps handshake, then the tool's input and result (see conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from intervals_mcp.server.charts import CHARTS, MIME_TYPE, ChartPage

from . import samples
from .conftest import DARK, LIGHT, View

FITNESS = CHARTS["get_fitness_trend"]
SUMMARY = CHARTS["get_training_summary"]
INTENSITY = CHARTS["get_intensity_distribution"]
C1_LIGHT = (0x00, 0x72, 0xB2)  # the first series colour of the light theme (see style.css)
C1_DARK = (0x56, 0xB4, 0xE9)

Show = Callable[..., View]
CASES: dict[str, tuple[ChartPage, dict[str, Any]]] = {
    "fitness": (FITNESS, samples.fitness()),
    "fitness-forecast": (FITNESS, samples.fitness(forecast_days=21)),
    "summary-week": (SUMMARY, samples.training_summary()),
    "summary-month": (SUMMARY, samples.training_summary(group_by="month")),
    "intensity": (INTENSITY, samples.intensity()),
}
EMPTY: dict[str, tuple[ChartPage, dict[str, Any], str]] = {
    "fitness": (FITNESS, samples.fitness(empty=True), "No fitness data in this range"),
    "summary": (SUMMARY, samples.training_summary(empty=True), "No training recorded in this range"),
    "summary-no-periods": (
        SUMMARY,
        {**samples.training_summary(empty=True), "periods": []},
        "No training recorded in this range",
    ),
    "intensity": (INTENSITY, samples.intensity(empty=True), "No zone times in this range"),
    "intensity-null-zones": (
        INTENSITY,
        {**samples.intensity(empty=True), "zones": None, "weekly": None, "polarization": None},
        "No zone times in this range",
    ),
}


def clean(view: View) -> None:
    assert view.problems() == []


def test_the_three_pages_are_self_contained() -> None:
    assert set(CHARTS) == {"get_fitness_trend", "get_training_summary", "get_intensity_distribution"}
    assert MIME_TYPE == "text/html;profile=mcp-app"
    for tool, page in CHARTS.items():
        assert page.tool == tool
        assert page.uri == f"ui://intervals-mcp/{page.name}.html"
        assert page.tool_meta == {"ui": {"resourceUri": page.uri}, "ui/resourceUri": page.uri}
        assert page.html.startswith("<!doctype html>") and page.html.rstrip().endswith("</html>")
        assert f"<title>{page.title}</title>" in page.html
        assert "%%" not in page.html, "a slot of the shell was left unfilled"
        assert len(page.html.encode()) < 16_000, f"{page.name} is {len(page.html.encode())} bytes"
        urls = set(re.findall(r"https?://[^\s\"')]+", page.html))
        assert urls <= {"http://www.w3.org/2000/svg"}, urls
        for needle in ("<script src", "<link", "@import", "fetch(", "XMLHttpRequest", "WebSocket", "<img"):
            assert needle not in page.html, f"{page.name} reaches out: {needle}"


@pytest.mark.parametrize("case", CASES)
def test_a_sample_result_is_drawn(show: Show, case: str) -> None:
    page, data = CASES[case]
    view = show(page.html, samples.tool_result(data), tool_input={"start_date": data["start_date"]})
    clean(view)
    assert view.count("svg.chart") >= 1
    for desc in view.texts("svg.chart > desc"):
        assert len(desc) > 20, "each chart carries a text alternative"
    assert view.texts("h1")[0]
    colours = view.colours(C1_LIGHT)
    assert colours["distinct"] > 40, colours
    assert colours["near"] > 150, f"the first series colour hardly shows: {colours}"


@pytest.mark.parametrize("case", EMPTY)
def test_an_empty_result_says_so(show: Show, case: str) -> None:
    page, data, says = EMPTY[case]
    view = show(page.html, samples.tool_result(data))
    clean(view)
    assert view.count("svg.chart") == 0
    assert any(says in t for t in view.texts(".msg")), view.texts("main")
    colours = view.colours()
    assert colours["distinct"] > 8, f"the message should show: {colours}"


def test_a_blank_frame_is_told_apart(show: Show) -> None:
    """The screenshot measure can fail: a page that draws nothing counts one colour."""
    blank = """<!doctype html><html><body><script>
      const say = (m) => parent.postMessage({jsonrpc: "2.0", ...m}, "*");
      addEventListener("message", (e) => {
        if (e.data.id === 1) say({method: "ui/notifications/initialized"});
        if (e.data.method === "ui/notifications/tool-result")
          say({method: "ui/notifications/size-changed", params: {width: 600, height: 300}});
      });
      say({id: 1, method: "ui/initialize", params: {}});
    </script></body></html>"""
    view = show(blank, samples.tool_result(None))
    assert view.colours()["distinct"] == 1


def test_the_forecast_is_dashed_and_labelled_estimate(show: Show) -> None:
    data = samples.fitness(forecast_days=21)
    view = show(FITNESS.html, samples.tool_result(data))
    clean(view)
    assert "estimate" in view.texts("svg.chart text")
    assert view.count("path.dash") == 3  # fitness, fatigue and form go on, dashed
    assert view.count("path.line:not(.dash)") == 3
    assert view.count("rect.est") == 1
    assert view.count("rect.hit") == len(data["points"]) + len(data["forecast"])
    peak = data["peak"]
    assert f"peak {round(peak['ctl'])}" in view.texts("svg.chart text")
    assert view.count("circle") == 1
    desc = view.texts("svg.chart > desc")[0]
    assert "Estimate for" in desc and "Peak fitness" in desc


def test_without_a_forecast_nothing_says_estimate(show: Show) -> None:
    view = show(FITNESS.html, samples.tool_result(samples.fitness()))
    clean(view)
    assert view.count("path.dash") == 0 and view.count("rect.est") == 0
    assert "estimate" not in view.texts("svg.chart text")


def test_training_bars_one_per_period_with_moving_time(show: Show) -> None:
    data = samples.training_summary()
    view = show(SUMMARY.html, samples.tool_result(data))
    clean(view)
    periods = data["periods"]
    assert view.count("svg.chart rect.f1") == len(periods)
    assert view.count("circle.f2") == len(periods)
    tips = view.texts("svg.chart rect.f1 > title")
    first = periods[0]
    assert f"{first['sessions']} sessions" in tips[0] and "load" in tips[0]
    total, previous, sports = view.texts(".note")
    assert total.startswith(f"In total: {data['totals']['sessions']:.0f} sessions")
    load, before = data["totals"]["training_load"], data["previous"]["training_load"]
    assert f"load {before:,.0f} ({(load - before) / before * 100:+.0f}%)" in previous
    ride = data["by_sport"]["Ride"]  # the sport with the most load comes first
    assert sports.startswith(f"By sport: Ride {ride['sessions']:.0f} × ")


def test_intensity_zone_bars_and_three_zone_split(show: Show) -> None:
    data = samples.intensity()
    view = show(INTENSITY.html, samples.tool_result(data))
    clean(view)
    assert view.count("svg.chart:nth-of-type(1) rect.f1") == len(data["zones"])
    labels = view.texts("svg.chart text.lbl")
    assert labels[: len(data["zones"])] == [z["zone"] for z in data["zones"]]
    assert any("78%" in t for t in view.texts(".legend li"))
    assert "Polarization index 2.31." in view.texts(".note")
    weeks_with_time = sum(1 for w in data["weekly"] if w["low"] + w["moderate"] + w["high"] > 0)
    assert view.count("rect.sep") == 3 + 3 * weeks_with_time


def test_dark_theme_and_a_switch_to_light(show: Show) -> None:
    view = show(FITNESS.html, samples.tool_result(samples.fitness()), context=DARK)
    clean(view)
    background = "getComputedStyle(document.body).backgroundColor"
    assert view.frame.evaluate(background) == "rgb(27, 28, 32)"
    assert view.colours(C1_DARK)["near"] > 150
    view.send(
        {"jsonrpc": "2.0", "method": "ui/notifications/host-context-changed", "params": {"theme": "light"}}
    )
    view.frame.wait_for_function("document.documentElement.dataset.theme === 'light'")
    assert view.frame.evaluate(background) == "rgb(255, 255, 255)"
    assert view.count("svg.chart") == 1
    assert view.colours(C1_LIGHT)["near"] > 150
    clean(view)


def _luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("context", [LIGHT, DARK], ids=["light", "dark"])
def test_colours_have_enough_contrast(show: Show, context: dict[str, Any]) -> None:
    view = show(SUMMARY.html, samples.tool_result(samples.training_summary()), context=context)
    resolve = """(name) => { const p = document.createElement('p'); p.style.color = `var(${name})`;
        document.body.appendChild(p); const c = getComputedStyle(p).color; p.remove(); return c; }"""
    colour = {
        name: str(view.frame.evaluate(resolve, f"--{name}"))
        for name in ("bg", "fg", "muted", "c1", "c2", "c3", "c4", "c5")
    }
    for text in ("fg", "muted", "c1", "c2"):  # body text, axis labels, the two axis titles
        assert _contrast(colour[text], colour["bg"]) >= 4.5, (text, colour)
    for series in ("c3", "c4", "c5"):  # graphics: WCAG 1.4.11 asks 3:1
        assert _contrast(colour[series], colour["bg"]) >= 3.0, (series, colour)


def test_the_handshake_comes_first_and_odd_messages_are_harmless(show: Show) -> None:
    view = show(INTENSITY.html, samples.tool_result(samples.intensity()))
    log = view.log()
    assert log[0]["method"] == "ui/initialize"
    assert log[0]["params"]["protocolVersion"] == "2026-01-26"
    assert log[0]["params"]["appInfo"]["name"]
    assert log[1] == {"jsonrpc": "2.0", "method": "ui/notifications/initialized", "params": {}}
    assert set(view.methods()[2:]) == {"ui/notifications/size-changed"}
    for odd in (
        "hello",
        None,
        {"jsonrpc": "1.0", "method": "x"},
        {"jsonrpc": "2.0", "method": "ui/notifications/something-new", "params": {"a": 1}},
        {"jsonrpc": "2.0", "id": 999, "result": {}},
    ):
        view.send(odd)
    view.send({"jsonrpc": "2.0", "id": 41, "method": "ui/unknown-request", "params": {}})
    view.send({"jsonrpc": "2.0", "id": 42, "method": "ui/resource-teardown", "params": {}})
    view.page.wait_for_function("window.hostLog.some(m => m.id === 42)")
    answers = {m["id"]: m for m in view.log() if isinstance(m, dict) and m.get("id") in (41, 42)}
    assert answers[41]["error"]["code"] == -32601
    assert answers[42]["result"] == {}
    assert view.count("svg.chart") == 3
    clean(view)


def test_an_error_result_shows_its_sentence(show: Show) -> None:
    sentence = "The dates are reversed: start_date must not be after end_date."
    view = show(SUMMARY.html, samples.tool_result(None, sentence, error=True))
    clean(view)
    assert view.texts(".msg.error") == [sentence]


def test_a_result_without_structured_content_is_not_drawn(show: Show) -> None:
    view = show(FITNESS.html, samples.tool_result(None))
    clean(view)
    assert view.texts(".msg") == ["Fitness trend: this result has no chart data."]


def test_before_the_result_the_page_waits(show: Show) -> None:
    view = show(SUMMARY.html, None, tool_input={"start_date": "2026-01-01"})
    view.frame.wait_for_function(
        "document.querySelector('.msg').textContent.includes('waiting for the result')"
    )
    clean(view)


def test_a_drawing_failure_is_caught_by_these_tests(show: Show) -> None:
    """The no-error checks can fail: a page whose drawing throws reports it."""
    broken = FITNESS.html.replace(
        "function renderFitness(root, d, W) {", "function renderFitness(root, d, W) {null.x;"
    )
    assert broken != FITNESS.html
    view = show(broken, samples.tool_result(samples.fitness()))
    assert any("console.error" in e for e in view.problems()), view.errors
    assert view.texts(".msg.error") == ["Fitness trend: this result could not be drawn."]


ODD: dict[str, tuple[ChartPage, dict[str, Any]]] = {
    "fitness-no-keys": (FITNESS, {}),
    "fitness-one-point": (FITNESS, {**samples.fitness(), "points": samples.fitness()["points"][:1]}),
    "fitness-forecast-only": (FITNESS, {**samples.fitness(forecast_days=10), "points": [], "latest": None}),
    "fitness-gaps": (
        FITNESS,
        {**samples.fitness(), "points": [{**p, "ctl": None} if i % 3 else p
                                          for i, p in enumerate(samples.fitness()["points"])]},
    ),
    "summary-no-keys": (SUMMARY, {}),
    "summary-one-period": (SUMMARY, {**samples.training_summary(), "group_by": "none",
                                     "periods": samples.training_summary()["periods"][:1]}),
    "summary-bad-rows": (SUMMARY, {**samples.training_summary(), "by_sport": None, "previous": None,
                                   "periods": [*samples.training_summary()["periods"], {"start": None}, 7]}),
    "intensity-no-keys": (INTENSITY, {}),
    "intensity-no-split": (INTENSITY, {**samples.intensity(), "polarization": None, "weekly": []}),
}  # fmt: skip


@pytest.mark.parametrize("case", ODD)
def test_odd_results_draw_or_say_why_without_errors(show: Show, case: str) -> None:
    page, data = ODD[case]
    view = show(page.html, samples.tool_result(data))
    clean(view)
    assert view.count("svg.chart") + view.count(".msg") >= 1
    assert view.count(".msg.error") == 0


def test_a_peak_outside_the_drawn_dates_is_not_marked(show: Show) -> None:
    page, data = ODD["fitness-forecast-only"]
    view = show(page.html, samples.tool_result(data))
    clean(view)
    assert view.count("circle") == 0
    assert not any(t.startswith("peak") for t in view.texts("svg.chart text"))
    assert view.count("path.dash") == 3 and view.count("path.line:not(.dash)") == 0
