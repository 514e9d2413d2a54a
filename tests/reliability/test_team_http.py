"""A team server over streamable HTTP: `intervals-mcp tokens` and `serve` as real child processes,
a coach's key in front of a fake with three athletes, on a SQLite file and on PostgreSQL.

No request without a valid bearer token reaches a tool (401, and the fake hears nothing); a
token scoped to one athlete can use no other (one sentence, before anything is fetched or
read); a revoked token stops at once; a host off loopback with no token refuses to start; and
neither a token nor the API key is anywhere in the database, checked on a dump.
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import anyio
import pytest

from backends import dump, rows, storage_env
from intervals_mcp.fake import FakeIntervals, FakeWorld, Fault, generate_athlete
from server.conftest import text_of

from .http_support import HttpServer, free_port, http_server, mcp_client, serve_command

pytestmark = pytest.mark.slow

COACH, ANN, BOB = "i100", "i201", "i202"
KEY = "sk-COACH-CANARY-7f3a9c2e51d84b60"
TOKEN_RE = re.compile(r"^imcp_[A-Za-z0-9_-]{43}$")
TODAY = date.today()
MONTH = {"start_date": str(date.fromordinal(TODAY.toordinal() - 30)), "end_date": str(TODAY)}


@pytest.fixture(scope="module")
def world() -> FakeWorld:
    stores = [generate_athlete(seed=s, years=0.3, today=TODAY, athlete_id=i)
              for s, i in ((1, COACH), (2, ANN), (3, BOB))]  # fmt: skip
    return FakeWorld.coach(stores[0], stores[1:], key=KEY)


@pytest.fixture
def fake(world: FakeWorld) -> Iterator[FakeIntervals]:
    with FakeIntervals(world, rate_limit=None) as running:
        yield running


def team_env(fake: FakeIntervals, database_url: str) -> dict[str, str]:
    return {
        "API_KEY": KEY,
        "ATHLETE_ID": COACH,
        "INTERVALS_API_BASE_URL": fake.base_url,
        "LOG_LEVEL": "INFO",
        "INTERVALS_MCP_TOOL_RETRY_SECONDS": "1",
        **storage_env(database_url),
    }


def cli(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "intervals_mcp", *args]
    full = {**env, "PATH": "/usr/bin:/bin"}
    return subprocess.run(command, env=full, capture_output=True, text=True, timeout=60, cwd="/")


def create_token(env: Mapping[str, str], name: str, athletes: str) -> str:
    done = cli(env, "tokens", "create", name, "--athletes", athletes)
    assert done.returncode == 0, done.stderr
    token = done.stdout.splitlines()[-1]
    assert TOKEN_RE.match(token), done.stdout
    return token


def call_tool(server: HttpServer, token: str | None, name: str, args: dict[str, Any]) -> Any:
    async def go() -> Any:
        with anyio.fail_after(30):
            async with mcp_client(server.url, token) as client:
                return await client.call_tool(name, args)

    return anyio.run(go)


TOOLS_CALL = {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
              "params": {"name": "get_wellness_data", "arguments": {}}}  # fmt: skip


# --- the tokens command ----------------------------------------------------------------------


def test_tokens_create_prints_the_token_once_and_the_database_keeps_only_its_digest(
    fake: FakeIntervals, database_url: str
) -> None:
    env = team_env(fake, database_url)
    token = create_token(env, "alice-phone", "I201, 202")
    stored = rows(database_url, "SELECT name, token_hash, athletes FROM api_tokens")
    assert stored == [("alice-phone", hashlib.sha256(token.encode()).hexdigest(), "i201,i202")]
    listed = cli(env, "tokens", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("alice-phone\ti201,i202\t")
    assert token not in listed.stdout + listed.stderr
    again = cli(env, "tokens", "create", "alice-phone", "--athletes", "all")
    assert again.returncode == 2 and "exists already" in again.stderr and again.stdout == ""
    assert cli(env, "tokens", "revoke", "alice-phone").returncode == 0
    assert rows(database_url, "SELECT count(*) FROM api_tokens") == [(0,)]
    missing = cli(env, "tokens", "revoke", "alice-phone")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1


# --- every request needs a token ---------------------------------------------------------------


def test_no_request_without_a_valid_token_reaches_a_tool(
    fake: FakeIntervals, database_url: str, tmp_path: Path
) -> None:
    env = team_env(fake, database_url)
    token = create_token(env, "coach", "all")
    spare = create_token(env, "spare", "all")
    with http_server(env, tmp_path / "serve.log") as server:
        basic = base64.b64encode(f"API_KEY:{KEY}".encode()).decode()
        refused = [
            server.post(),
            server.post(Authorization="Bearer not-a-token"),
            server.post(Authorization=f"Bearer {token[:-1]}x"),
            server.post(Authorization=f"Basic {basic}"),
            server.post(Authorization=token),  # no scheme
            server.post(TOOLS_CALL),
            server.post(TOOLS_CALL, Authorization="Bearer imcp_" + "A" * 43),
        ]
        assert [r.status_code for r in refused] == [401] * len(refused), [r.text for r in refused]
        assert all("serverInfo" not in r.text and "result" not in r.json() for r in refused)
        assert fake.requests == [], "a refused request reached a tool"
        assert server.post(Authorization=f"Bearer {token}").status_code == 200
        answer = call_tool(server, token, "get_wellness_data", {})
        assert not answer.is_error, text_of(answer)
        assert fake.requests, "the authorised call went upstream"

        assert cli(env, "tokens", "revoke", "spare").returncode == 0
        assert server.post(Authorization=f"Bearer {spare}").status_code == 401  # at once
        assert server.post(Authorization=f"Bearer {token}").status_code == 200
    log = (tmp_path / "serve.log").read_text()
    assert "unknown or revoked token" in log
    assert token not in log and spare not in log and KEY not in log


def test_a_token_for_one_athlete_can_use_no_other(
    fake: FakeIntervals, database_url: str, tmp_path: Path
) -> None:
    env = team_env(fake, database_url)
    ann = create_token(env, "ann", ANN)
    both = create_token(env, "ann-and-bob", f"{ANN},{BOB}")
    coach = create_token(env, "coach", "all")
    with http_server(env, tmp_path / "serve.log") as server:
        own = call_tool(server, ann, "get_wellness_data", MONTH)  # no athlete_id: the token's one
        assert not own.is_error, text_of(own)
        assert own.structured_content["athlete_id"] == ANN
        fake.clear_log()
        fake.inject(Fault(kind="status", status=503, times=1000))  # any upstream request would show
        for token, asked in ((ann, COACH), (ann, BOB), (ann, "0"), (both, COACH)):
            for tool, args in (("get_wellness_data", MONTH), ("get_activities", MONTH), ("get_events", {})):
                refused = call_tool(server, token, tool, {**args, "athlete_id": asked, "refresh": True})
                assert refused.is_error
                sentence = text_of(refused).removeprefix(f"Error executing tool {tool}: ")
                assert sentence.startswith("This token may use athlete") and sentence.count(". ") == 0
                assert "only, not" in sentence and asked.lstrip("i") in sentence
        unasked = call_tool(server, both, "get_wellness_data", MONTH)  # two athletes, none asked
        assert unasked.is_error and "ask with athlete_id set to one of them" in text_of(unasked)
        for tool in ("list_athletes", "get_roster_status"):  # the key's whole roster
            roster = call_tool(server, both, tool, {})
            assert roster.is_error and "use a token made for all athletes" in text_of(roster)
        assert fake.requests == [], "a refused call went upstream"
        fake.clear_faults()
        other = call_tool(server, both, "get_wellness_data", {**MONTH, "athlete_id": BOB})
        assert not other.is_error and other.structured_content["athlete_id"] == BOB
        anyone = call_tool(server, coach, "get_wellness_data", {**MONTH, "athlete_id": ANN})
        assert not anyone.is_error and anyone.structured_content["athlete_id"] == ANN
        listed = call_tool(server, coach, "list_athletes", {})
        assert not listed.is_error and {a["id"] for a in listed.structured_content["athletes"]} >= {ANN, BOB}


def test_stateless_servers_each_answer_any_request_of_a_client(
    fake: FakeIntervals, database_url: str, tmp_path: Path
) -> None:
    """Two `serve --stateless` processes on one database, as behind a round-robin proxy: a
    tool call goes to either one without any session, and both answer it."""
    env = team_env(fake, database_url)
    token = create_token(env, "coach", "all")
    call = {**TOOLS_CALL, "params": {"name": "get_wellness_data", "arguments": {"athlete_id": ANN}}}
    with (
        http_server(env, tmp_path / "one.log", stateless=True) as one,
        http_server(env, tmp_path / "two.log", stateless=True) as two,
    ):
        answers = [server.post(call, Authorization=f"Bearer {token}") for server in (one, two, one)]
        assert [a.status_code for a in answers] == [200, 200, 200], [a.text for a in answers]
        assert all('"isError":false' in a.text.replace(" ", "") and ANN in a.text for a in answers)
        assert two.post(call).status_code == 401
    statefully = {**env}
    with http_server(statefully, tmp_path / "stateful.log") as server:
        assert server.post(call, Authorization=f"Bearer {token}").status_code == 400  # no session


def test_a_host_off_loopback_with_no_token_refuses_to_start(fake: FakeIntervals, database_url: str) -> None:
    env = {**team_env(fake, database_url), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(serve_command(free_port(), "0.0.0.0"), env=env, capture_output=True, text=True,
                          timeout=60, cwd="/")  # fmt: skip
    assert done.returncode == 2
    message = done.stderr.strip().splitlines()[-1]
    assert message == (
        "intervals-mcp: Serving on 0.0.0.0 needs a bearer token and there is none: create one with "
        "`intervals-mcp tokens create NAME --athletes all`, then start the server again."
    )


# --- secrets in the database ---------------------------------------------------------------------


def test_neither_a_token_nor_the_api_key_is_in_a_dump_of_the_database(
    fake: FakeIntervals, database_url: str, tmp_path: Path
) -> None:
    env = team_env(fake, database_url)
    token = create_token(env, "coach", "all")
    synced = cli(env, "sync", "--days", "60", "--athlete-id", ANN, "--intervals")
    assert synced.returncode == 0, synced.stderr
    with http_server(env, tmp_path / "serve.log") as server:
        for asked in (COACH, ANN, BOB):
            args = {**MONTH, "athlete_id": asked, "refresh": True}
            answer = call_tool(server, token, "get_activities", args)
            assert not answer.is_error, text_of(answer)
    everything = dump(database_url)
    stores = [fake.world.store(a) for a in (COACH, ANN, BOB)]
    names = [str(s.athlete["name"]).encode() for s in stores]
    assert all(name in everything for name in names), "the dump holds the cached athletes"
    assert hashlib.sha256(token.encode()).hexdigest().encode() in everything
    basic = base64.b64encode(f"API_KEY:{KEY}".encode())
    for secret in (token.encode(), token[5:].encode(), KEY.encode(), basic):
        assert secret not in everything
