"""The pure parts of bearer tokens (server/auth.py) and of the shared request budget's key:
names, athlete lists, loopback, what a token's scope allows and the sentence it says otherwise."""

from __future__ import annotations

import hashlib
import re

import pytest
from pydantic import SecretStr

from intervals_mcp.errors import InputError
from intervals_mcp.server.app import http_security
from intervals_mcp.server.auth import (
    ALL,
    Scope,
    check_name,
    is_loopback,
    new_token,
    parse_athletes,
    token_digest,
)
from intervals_mcp.sync.factory import budget_key


def test_a_new_token_is_long_random_and_prefixed() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(re.fullmatch(r"imcp_[A-Za-z0-9_-]{43}", t) for t in tokens)


def test_the_digest_is_the_tokens_sha256() -> None:
    assert token_digest("imcp_abc") == hashlib.sha256(b"imcp_abc").hexdigest()


@pytest.mark.parametrize(
    ("given", "kept"), [("alice-phone", "alice-phone"), (" a.b_c ", "a.b_c"), ("X" * 64, "X" * 64)]
)
def test_usable_names(given: str, kept: str) -> None:
    assert check_name(given) == kept


@pytest.mark.parametrize("given", ["", "bad name", "-leading", "x" * 65, "ünicode", "a/b"])
def test_unusable_names_get_one_sentence(given: str) -> None:
    with pytest.raises(InputError, match=r"^Token name .* is not usable: use 1-64 letters"):
        check_name(given)


@pytest.mark.parametrize(
    ("given", "kept"),
    [("all", ALL), (" ALL ", ALL), ("i2,i1", "i1,i2"), ("12345", "i12345"), ("I7, i7 ,i3", "i3,i7")],
)
def test_athlete_lists_are_normalised(given: str, kept: str) -> None:
    assert parse_athletes(given) == kept


@pytest.mark.parametrize("given", ["", " , ", "0", "i1,0", "x1", "all,i1", "i1;i2"])
def test_bad_athlete_lists_get_one_sentence(given: str) -> None:
    with pytest.raises(InputError, match=r"^--athletes .* is not a list of athlete ids"):
        parse_athletes(given)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True), ("[::1]", True),
     ("0.0.0.0", False), ("192.168.1.20", False), ("mcp.example.com", False), ("::", False)],
)  # fmt: skip
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_token_for_all_uses_whatever_is_asked() -> None:
    scope = Scope.stored("coach", ALL)
    assert scope.athlete("i9", explicit=True) == "i9"
    assert scope.athlete("0", explicit=False) == "0"
    scope.whole_roster("list_athletes")  # allowed


def test_a_token_for_one_athlete_defaults_to_it_and_refuses_others() -> None:
    scope = Scope.stored("ann-phone", "i201")
    assert scope.athlete("i201", explicit=True) == "i201"
    assert scope.athlete("i100", explicit=False) == "i201"  # the configured coach: not asked
    assert scope.athlete("0", explicit=False) == "i201"
    with pytest.raises(InputError) as caught:
        scope.athlete("i100", explicit=True)
    assert str(caught.value) == (
        "This token may use athlete i201 only, not i100: ask with athlete_id=i201, or use a token "
        "made for that athlete."
    )
    with pytest.raises(InputError, match=r"not the API key's own athlete \(0\)"):
        scope.athlete("0", explicit=True)
    with pytest.raises(InputError, match="list_athletes answers about every athlete of the API key"):
        scope.whole_roster("list_athletes")


def test_a_token_for_several_athletes_needs_one_named_unless_the_configured_one_is_among_them() -> None:
    scope = Scope.stored("club", "i1,i2")
    assert scope.athlete("i2", explicit=False) == "i2"
    assert scope.athlete("i1", explicit=True) == "i1"
    with pytest.raises(InputError, match=r"^This token may use athletes i1, i2: ask with athlete_id set"):
        scope.athlete("i9", explicit=False)


def test_the_budget_key_names_a_key_without_holding_it() -> None:
    key = SecretStr("a-long-secret-api-key-0123456789")
    name = budget_key("https://intervals.icu/api/v1", key)
    assert re.fullmatch(r"[0-9a-f]{32}", name)
    assert name == budget_key("https://intervals.icu/api/v1", SecretStr(key.get_secret_value()))
    assert name != budget_key("https://intervals.icu/api/v1", SecretStr("another-key-0123456789"))
    assert name != budget_key("http://127.0.0.1:8777/api/v1", key)
    assert name not in hashlib.sha256(key.get_secret_value().encode()).hexdigest()  # salted


def test_public_names_behind_a_proxy_are_allowed_hosts_and_origins() -> None:
    rules = http_security("127.0.0.1", 8001, ["mcp.example.com"])
    assert "mcp.example.com" in rules.allowed_hosts and "127.0.0.1:8001" in rules.allowed_hosts
    assert "https://mcp.example.com" in rules.allowed_origins
    assert "evil.example" not in rules.allowed_hosts
