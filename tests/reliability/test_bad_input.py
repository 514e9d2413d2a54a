"""Bad input to every tool, through a real MCP client, against the fake and a real SQLite file.

Hypothesis throws arbitrary strings, numbers, Unicode, SQL fragments, calendar extremes and
wrong types at each tool's arguments. Every call must end, within a bound, in a result or in a
refusal the model can read: a one-line ToolError (arguments of the wrong type too, which the
SDK refuses before the tool runs). A bare "Error executing tool <name>" is an unexpected
exception (the SDK withholds its text) and fails the test, and so does any call that makes more
than a handful of requests upstream.

One server and one client serve the whole module: they live in an event loop on a blocking
portal's thread, so the (sync) Hypothesis tests call into them without starting a server per
example.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client
from pydantic import SecretStr

from intervals_mcp.config import load_settings
from intervals_mcp.db.engine import upgrade_database
from intervals_mcp.fake import FakeIntervals, FakeStore
from intervals_mcp.server.app import build_server
from intervals_mcp.server.inputs import MAX_RANGE_DAYS, resolve_range
from server.conftest import text_of

from .conftest import RELIABILITY_KEY, RELIABILITY_TODAY, assert_one_sentence

CALL_SECONDS = 10.0  # a call that takes longer than this is a hang
MAX_REQUESTS_PER_CALL = 16  # three capped years of activities are about ten 120-day windows
EXAMPLES = 20  # per tool; the module runs in about ten seconds
SQL = "'; DROP TABLE activities; --"

RANGE_TOOLS = ("get_activities", "get_wellness_data", "get_events")
ALL_TOOLS = (*RANGE_TOOLS, "get_activity_details", "get_activity_intervals", "get_event_by_id")


# --- one server for the module ---------------------------------------------------------------


@dataclass
class Session:
    portal: BlockingPortal
    client: Client
    fake: FakeIntervals
    db_path: Path

    def call(self, tool: str, args: dict[str, Any]) -> Any:
        """Call a tool; fail on a hang, on a crash and on a flood of upstream requests."""
        before = len(self.fake.requests)
        result = self.portal.call(self._bounded, tool, args)
        sent = len(self.fake.requests) - before
        assert sent <= MAX_REQUESTS_PER_CALL, f"{tool}({args!r}) sent {sent} requests upstream"
        return result

    async def _bounded(self, tool: str, args: dict[str, Any]) -> Any:
        with anyio.fail_after(CALL_SECONDS):
            return await self.client.call_tool(tool, args)


@contextmanager
def open_session(store: FakeStore, db_path: Path) -> Iterator[Session]:
    """The fake serving `store`, and one MCP client session on a portal thread (also used by
    benchmarks/fault_scenarios/input_secrets.py)."""
    with FakeIntervals(store, api_key=RELIABILITY_KEY, rate_limit=None) as fake:
        config = load_settings(
            api_key=SecretStr(RELIABILITY_KEY),
            athlete_id=fake.athlete_id,
            base_url=fake.base_url,
            db_path=db_path,
            tool_retry_seconds=1.5,
        )
        upgrade_database(db_path)  # migrated up front (serve does it at the first tool call)
        with (
            start_blocking_portal("asyncio") as portal,
            portal.wrap_async_context_manager(Client(build_server(config))) as client,  # type: ignore[arg-type]
        ):
            yield Session(portal, client, fake, db_path)


@pytest.fixture(scope="module")
def session(half_year_store: FakeStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    with open_session(half_year_store, tmp_path_factory.mktemp("bad-input") / "cache.sqlite3") as opened:
        yield opened


def outcome(tool: str, args: dict[str, Any], result: Any) -> str:
    """'ok' or 'refused' (one sentence: our own checks, or the SDK's argument validation said by
    arguments.py); anything else fails."""
    text = text_of(result)
    if not result.is_error:
        assert text.strip(), f"{tool}({args!r}) answered nothing"
        assert isinstance(result.structured_content, dict)
        return "ok"
    prefix = f"Error executing tool {tool}: "
    assert text.startswith(prefix), f"{tool}({args!r}) crashed: {text!r}"
    message = text[len(prefix) :]
    assert "Traceback" not in message and RELIABILITY_KEY not in message, message
    assert "validation error" not in message and "pydantic" not in message, f"a pydantic dump: {message!r}"
    # The sentence may quote the caller's text (repr'd, so on one line and cut short).
    assert "\n" not in message and len(message) < 400, f"not one short line: {message!r}"
    assert message.rstrip().endswith((".", ")")), message
    return "refused"


# --- strategies ------------------------------------------------------------------------------

TRICKY_TEXT = [
    "",
    " ",
    "\x00",
    "\n",
    SQL,
    "';DROP_TABLE_activities;--",
    "1 OR 1=1",
    "../../athlete/i1",
    "%2e%2e%2f",
    "i12345?x=1",
    "\u202ei12345",
    "ｉ１２３４５",  # fullwidth
    "١٢٣",  # Arabic-Indic digits
    "²",
    "🏃" * 20,
    "i" + "9" * 300,
    "x" * 5000,
]
TRICKY_DATES = [
    "today",
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2026-1-1",
    "24/11/2026",
    "2026-11-24T10:00:00",
    " 2026-11-24 ",
    "２０２６-１１-２４",
    "٢٠٢٦-١١-٢٤",
]
JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(TRICKY_TEXT))
DATES = st.one_of(
    st.dates().map(str),
    st.dates(min_value=RELIABILITY_TODAY - timedelta(days=400), max_value=RELIABILITY_TODAY).map(str),
    st.sampled_from(TRICKY_DATES),
    TEXT,
)
ATHLETES = st.one_of(
    st.sampled_from(["i12345", "12345", "0", "i0", "i99999", "I12345", "i12345\n", SQL]),
    TEXT,
)
IDS = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.sampled_from(["i1", "i145678901", "16358453283", "0"]),
    TEXT,
)
EVENT_IDS = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    TEXT,
)
LIMITS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, 1, 200, 201, 10**9]),
)


COMMON = {"athlete_id": ATHLETES, "refresh": st.booleans()}
RANGE = {"start_date": DATES, "end_date": DATES}
PARAMETERS: dict[str, tuple[dict[str, st.SearchStrategy[Any]], dict[str, st.SearchStrategy[Any]]]] = {
    # tool: (required, optional) arguments, each with values of roughly the right kind
    "get_activities": ({}, {**RANGE, **COMMON, "limit": LIMITS, "include_unnamed": st.booleans()}),
    "get_wellness_data": ({}, {**RANGE, **COMMON, "include_all_fields": st.booleans()}),
    "get_events": ({}, {**RANGE, **COMMON}),
    "get_activity_details": ({"activity_id": IDS}, COMMON),
    "get_activity_intervals": ({"activity_id": IDS}, COMMON),
    "get_event_by_id": ({"event_id": EVENT_IDS}, COMMON),
}


def arguments(tool: str) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly arguments of the right kinds (so the tool's own checks run), sometimes with one of
    them (or an unknown one) of the wrong type (so the SDK's validation runs)."""
    required, optional = PARAMETERS[tool]
    kinds = st.fixed_dictionaries(required, optional=optional)
    names = sorted({*required, *optional, "unknown_argument"})
    junked = st.tuples(kinds, st.sampled_from(names), JUNK).map(lambda t: {**t[0], t[1]: t[2]})
    return st.one_of(kinds, kinds, kinds, junked)


CALLS = st.sampled_from(ALL_TOOLS).flatmap(lambda tool: st.tuples(st.just(tool), arguments(tool)))

FUZZ = settings(
    max_examples=EXAMPLES * len(ALL_TOOLS),
    deadline=None,
    database=None,  # no .hypothesis/ in the checkout; a failure prints its example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- the properties --------------------------------------------------------------------------


@FUZZ
@given(call=CALLS)
def test_every_tool_answers_or_refuses_any_arguments(
    session: Session, call: tuple[str, dict[str, Any]]
) -> None:
    tool, args = call
    outcome(tool, args, session.call(tool, args))


@settings(max_examples=15, deadline=None, database=None)
@given(
    tool=st.sampled_from(RANGE_TOOLS),
    start=st.dates(),
    end=st.dates(),
    refresh=st.booleans(),
)
def test_any_calendar_range_is_capped_never_a_flood(
    session: Session, tool: str, start: date, end: date, refresh: bool
) -> None:
    """From year 1 to 9999: an answer or 'start after end', never more than a few requests."""
    args = {"start_date": str(start), "end_date": str(end), "refresh": refresh}
    result = session.call(tool, args)
    kind = outcome(tool, args, result)
    if start > end:
        assert kind == "refused" and "is after end_date" in text_of(result)
        return
    assert kind == "ok", text_of(result)
    data = result.structured_content
    shown = date.fromisoformat(data["start_date"]), date.fromisoformat(data["end_date"])
    assert start <= shown[0] <= shown[1] <= end and (shown[1] - shown[0]).days + 1 <= MAX_RANGE_DAYS
    capped = (end - start).days + 1 > MAX_RANGE_DAYS
    assert (data["note"] is not None) == capped
    if capped:  # the part nearest today: today inside it, or the asked end nearest today
        if start <= RELIABILITY_TODAY <= end:
            assert shown[0] <= RELIABILITY_TODAY <= shown[1], (start, end, shown)
        else:
            assert shown[0] == start if start > RELIABILITY_TODAY else shown[1] == end, (start, end, shown)


# --- named cases -----------------------------------------------------------------------------


@pytest.mark.parametrize("tool", RANGE_TOOLS)
def test_a_hundred_years_is_capped_with_a_note_in_a_few_requests(session: Session, tool: str) -> None:
    before = len(session.fake.requests)
    args = {"start_date": "1926-01-01", "end_date": str(RELIABILITY_TODAY), "refresh": True}
    result = session.call(tool, args)
    assert outcome(tool, args, result) == "ok", text_of(result)
    assert "Range capped to 1096 days" in text_of(result)
    assert 1 <= len(session.fake.requests) - before <= MAX_REQUESTS_PER_CALL


@pytest.mark.parametrize(
    ("tool", "args", "says"),
    [
        ("get_activities", {"start_date": "9999-12-31"}, None),  # once overflowed the calendar
        ("get_events", {"start_date": "9999-12-31"}, None),
        ("get_wellness_data", {"end_date": "0001-01-01"}, None),
        ("get_activities", {"limit": -1}, "limit"),
        ("get_activities", {"limit": 10**12}, "limit"),
        ("get_activities", {"start_date": 20261124}, "start_date"),
        ("get_activities", {"start_date": "x" * 1_000_000}, "is not a date"),
        ("get_wellness_data", {"start_date": "2026-02-30"}, "is not a date"),
        ("get_events", {"start_date": "2026-11-24", "end_date": "2026-11-01"}, "is after end_date"),
        ("get_activity_details", {"activity_id": SQL}, "is not an activity id"),
        ("get_activity_details", {"activity_id": "i1\x00"}, "is not an activity id"),
        ("get_activity_intervals", {"activity_id": "\u202ei12345"}, "is not an activity id"),
        ("get_activity_intervals", {"activity_id": ""}, "is not an activity id"),
        ("get_event_by_id", {"event_id": 10**30}, "is not a valid event id"),  # once overflowed SQLite
        ("get_event_by_id", {"event_id": "²"}, "is not a number"),  # once crashed int()
        ("get_event_by_id", {"event_id": -5}, "is not a valid event id"),
        ("get_event_by_id", {"event_id": 1.5}, "event_id"),
        ("get_events", {"athlete_id": SQL}, "is not an athlete id"),
        ("get_training_summary", {"start_date": "9999-11-01", "end_date": "9999-12-31"}, None),
        ("get_training_summary", {"start_date": "0001-01-01", "end_date": "0001-02-01"}, "is before 1900"),
        ("get_fitness_trend", {"start_date": "9999-12-01", "end_date": "9999-12-31"}, None),
        ("get_wellness_trends", {"end_date": "0001-01-05"}, "is before 1900"),
        ("get_intensity_distribution", {"start_date": "9999-12-01", "end_date": "9999-12-31"}, None),
        ("get_plan_adherence", {"start_date": "9999-12-01", "end_date": "9999-12-31"}, None),
        ("update_wellness", {"date": " "}, "Give date"),  # once an assertion: "Error executing tool"
        ("get_athlete_power_curves", {"activity_type": "x" * 5000}, "is not an Intervals.icu activity type"),
        ("get_training_summary", {"group_by": "w" * 5000}, "is unknown"),
        ("get_wellness_data", {"athlete_id": "i١٢٣"}, "is not an athlete id"),
        ("get_activities", {"athlete_id": "i" + "9" * 5000}, "is not an athlete id"),
        ("get_activities", {"refresh": "maybe"}, "refresh"),
    ],
)
def test_named_bad_inputs(session: Session, tool: str, args: dict[str, Any], says: str | None) -> None:
    before = len(session.fake.requests)
    result = session.call(tool, args)
    kind = outcome(tool, args, result)
    if says is None:
        assert kind == "ok", text_of(result)
        return
    assert kind == "refused" and says in text_of(result)
    assert_one_sentence(text_of(result).split(": ", 1)[1])
    assert len(session.fake.requests) == before, "a refused argument never reaches Intervals.icu"


SQL_CALLS: list[tuple[str, dict[str, Any]]] = [
    *[(tool, {name: SQL}) for tool in RANGE_TOOLS for name in ("start_date", "end_date", "athlete_id")],
    *[
        (tool, args)
        for tool in ("get_activity_details", "get_activity_intervals")
        for args in (
            {"activity_id": SQL},
            {"activity_id": "';DROP_TABLE_activities;--"},  # no spaces: reaches Intervals.icu as a path
            {"activity_id": "i1", "athlete_id": SQL},
        )
    ],
    ("get_event_by_id", {"event_id": SQL}),
    ("get_event_by_id", {"event_id": 1, "athlete_id": SQL}),
]


def test_sql_fragments_leave_the_cache_intact(session: Session) -> None:
    month = {"start_date": str(RELIABILITY_TODAY - timedelta(days=60)), "end_date": str(RELIABILITY_TODAY)}
    first = session.call("get_activities", month)
    assert outcome("get_activities", month, first) == "ok"
    total = first.structured_content["total"]
    assert total > 0
    for tool, args in SQL_CALLS:
        assert outcome(tool, args, session.call(tool, args)) == "refused"
    again = session.call("get_activities", month)
    assert again.structured_content["total"] == total
    with sqlite3.connect(session.db_path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        count = conn.execute("SELECT count(*) FROM activities").fetchone()[0]
    assert {"activities", "wellness", "events"} <= tables and count >= total


def test_range_arithmetic_stays_inside_the_calendar() -> None:
    """The pure check behind the calendar-end cases: a span reaching past year 9999 or before
    year 1 is held at the end instead of overflowing."""
    assert resolve_range("9999-12-31", None, today=RELIABILITY_TODAY, default_start=-30).end == date.max
    assert resolve_range(None, "0001-01-01", today=RELIABILITY_TODAY, default_start=-30).start == date.min
    wide = resolve_range("0001-01-01", "9999-12-31", today=RELIABILITY_TODAY, default_start=-30)
    assert wide.days == MAX_RANGE_DAYS and wide.end == RELIABILITY_TODAY and wide.note
    ahead = resolve_range(
        "0001-01-01", "9999-12-31", today=RELIABILITY_TODAY, default_start=0, default_end=30
    )
    assert ahead.days == MAX_RANGE_DAYS and ahead.start == RELIABILITY_TODAY and ahead.note
    edge = resolve_range("9990-01-01", "9999-12-31", today=RELIABILITY_TODAY, default_start=-30)
    assert edge.start == date(9990, 1, 1) and edge.days == MAX_RANGE_DAYS


OUT_OF_RANGE = "is out of range: give a whole number from 1 to 200."


@pytest.mark.parametrize(
    ("tool", "args", "sentence"),
    [
        ("get_activities", {"limit": 100000}, f"limit 100000 {OUT_OF_RANGE}"),
        ("get_activities", {"limit": -1}, f"limit -1 {OUT_OF_RANGE}"),
        ("get_activities", {"limit": 0}, f"limit 0 {OUT_OF_RANGE}"),
        (
            "get_activities",
            {"limit": "ten"},
            "limit 'ten' is not a whole number: give a whole number from 1 to 200.",
        ),
        (
            "get_wellness_data",
            {"start_date": 20261101},
            "start_date 20261101 is not text: give a date as text, YYYY-MM-DD.",
        ),
        (
            "get_activity_details",
            {"activity_id": 145678901},
            'activity_id 145678901 is not text: give text like "i145678901".',
        ),
        ("get_activity_intervals", {}, 'activity_id is missing: give text like "i145678901".'),
        (
            "get_event_by_id",
            {"event_id": 1.5},
            "event_id 1.5 is not a whole number: give a whole number like 87654321.",
        ),
        ("get_events", {"refresh": "maybe"}, "refresh 'maybe' is not true or false: give true or false."),
    ],
)
def test_arguments_of_the_wrong_type_are_one_sentence(
    session: Session, tool: str, args: dict[str, Any], sentence: str
) -> None:
    before = len(session.fake.requests)
    result = session.call(tool, args)
    assert result.is_error
    assert text_of(result) == f"Error executing tool {tool}: {sentence}"
    assert_one_sentence(sentence)
    assert len(session.fake.requests) == before


def test_several_wrong_arguments_are_named_in_one_sentence(session: Session) -> None:
    result = session.call("get_activities", {"limit": "x", "refresh": 3, "start_date": "2026-01-01"})
    assert text_of(result) == (
        "Error executing tool get_activities: limit 'x' is not a whole number: give a whole number "
        "from 1 to 200; refresh 3 is not true or false: give true or false."
    )


# --- every tool the server offers, from its own input schema ------------------------------------


def _value_for(name: str, prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of roughly the kind the schema names (and tricky ones), for one argument."""
    if name == "athlete_id":
        return ATHLETES
    kinds: set[str] = set()
    for declared in (prop, *prop.get("anyOf", [])):
        kind = declared.get("type")
        kinds.update(kind if isinstance(kind, list) else [kind] if kind else [])
    choices: list[st.SearchStrategy[Any]] = []
    if "date" in name:
        choices.append(DATES)
    if name.endswith("_id") or name.endswith("_ids"):
        choices.append(IDS)
    if "string" in kinds:
        choices.append(TEXT)
    if "integer" in kinds:
        choices.append(LIMITS)
    if "number" in kinds:
        choices.append(st.floats(allow_nan=True, allow_infinity=True))
    if "boolean" in kinds:
        choices.append(st.booleans())
    if "array" in kinds:
        choices.append(st.lists(st.one_of(TEXT, LIMITS), max_size=4))
    if "object" in kinds:
        choices.append(st.dictionaries(st.text(max_size=8), TEXT, max_size=3))
    if "null" in kinds:
        choices.append(st.none())
    return st.one_of(*choices) if choices else JUNK


def schema_arguments(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Like `arguments`, for any tool: drawn from its published input schema."""
    props: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    values = {name: _value_for(name, prop) for name, prop in props.items()}
    kinds = st.fixed_dictionaries(
        {n: v for n, v in values.items() if n in required},
        optional={n: v for n, v in values.items() if n not in required},
    )
    names = sorted({*props, "unknown_argument"})
    junked = st.tuples(kinds, st.sampled_from(names), JUNK).map(lambda t: {**t[0], t[1]: t[2]})
    return st.one_of(kinds, kinds, kinds, junked)


@pytest.fixture(scope="module")
def offered(session: Session) -> dict[str, dict[str, Any]]:
    """Every tool the server lists (reads and writes, as a first start offers them), by name."""
    listed = session.portal.call(session.client.list_tools)
    return {tool.name: tool.input_schema for tool in listed.tools}


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_offered_tool_answers_or_refuses_any_arguments(
    session: Session, offered: dict[str, dict[str, Any]], data: st.DataObject
) -> None:
    tool = data.draw(st.sampled_from(sorted(offered)), label="tool")
    args = data.draw(schema_arguments(offered[tool]), label="arguments")
    outcome(tool, args, session.call(tool, args))


def test_the_cache_status_after_the_last_day_of_the_calendar_was_fetched(session: Session) -> None:
    """Coverage ending on 9999-12-31 once overflowed get_cache_status (found by the fuzz above)."""
    assert outcome("get_events", {}, session.call("get_events", {"start_date": "9999-12-25"})) == "ok"
    status = session.call("get_cache_status", {})
    assert outcome("get_cache_status", {}, status) == "ok", text_of(status)
