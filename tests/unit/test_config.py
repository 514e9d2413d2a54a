from pathlib import Path

import pytest

from intervals_mcp.config import DEFAULT_BASE_URL, load_settings
from intervals_mcp.errors import ConfigError

SECRET = "s3cr3t-KEY-do-not-leak"
ENV_NAMES = (
    "API_KEY",
    "INTERVALS_API_KEY",
    "ATHLETE_ID",
    "INTERVALS_ATHLETE_ID",
    "INTERVALS_API_BASE_URL",
    "INTERVALS_MCP_DB",
    "LOG_LEVEL",
    "INTERVALS_MCP_WRITES",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout


def test_seed_names_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEY", SECRET)
    monkeypatch.setenv("ATHLETE_ID", "i12345")
    key, athlete = load_settings().require_credentials()
    assert key.get_secret_value() == SECRET
    assert athlete == "i12345"


def test_prefixed_names_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVALS_API_KEY", SECRET)
    monkeypatch.setenv("INTERVALS_ATHLETE_ID", "0")
    _, athlete = load_settings().require_credentials()
    assert athlete == "0"


def test_dotenv_in_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"API_KEY={SECRET}\nATHLETE_ID=i7\nLOG_LEVEL=debug\n")
    settings = load_settings()
    assert settings.require_credentials()[1] == "i7"
    assert settings.log_level == "DEBUG"


def test_defaults_are_absolute_and_public_url() -> None:
    settings = load_settings()
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.db_path.is_absolute()


def test_relative_db_path_is_made_absolute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVALS_MCP_DB", "cache/x.sqlite3")
    assert load_settings().db_path.is_absolute()


def test_missing_key_names_variable_and_where_to_get_it() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings().require_credentials()
    assert "API_KEY" in str(info.value)
    assert "Developer Settings" in str(info.value)


@pytest.mark.parametrize("bad", ["athlete-7", "i12 345", "x99", "i"])
def test_malformed_athlete_id(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("API_KEY", SECRET)
    monkeypatch.setenv("ATHLETE_ID", bad)
    with pytest.raises(ConfigError, match="ATHLETE_ID"):
        load_settings().require_credentials()


def test_key_with_whitespace_is_rejected_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEY", "abc def")
    monkeypatch.setenv("ATHLETE_ID", "i1")
    with pytest.raises(ConfigError) as info:
        load_settings().require_credentials()
    assert "abc def" not in str(info.value)


def test_key_never_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEY", SECRET)
    settings = load_settings()
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)
    assert SECRET not in settings.model_dump_json()


def test_invalid_setting_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigError, match="LOG_LEVEL"):
        load_settings()


def test_specific_names_win_over_the_generic_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEY", "another-services-key")
    monkeypatch.setenv("INTERVALS_API_KEY", SECRET)
    monkeypatch.setenv("ATHLETE_ID", "i1")
    monkeypatch.setenv("INTERVALS_ATHLETE_ID", "i2")
    key, athlete = load_settings().require_credentials()
    assert key.get_secret_value() == SECRET
    assert athlete == "i2"


# --- INTERVALS_API_BASE_URL must be a web address (issue 10, item 2) --------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "notaurl",
        "ftp://x",
        "ftp://intervals.icu/api/v1",
        "http://",
        "https:///api/v1",
        "intervals.icu/api/v1",
        "https://intervals icu/api/v1",
        "https://intervals.icu:http/api/v1",
        "https://intervals.icu/api/v1?x=1",
    ],
)
def test_a_malformed_base_url_is_one_sentence_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    monkeypatch.setenv("INTERVALS_API_BASE_URL", bad)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert message.startswith("INTERVALS_API_BASE_URL "), message
    assert DEFAULT_BASE_URL in message  # what to set it to
    assert "\n" not in message and message.count(": ") == 1, message
    assert "Value error" not in message and "pydantic" not in message


def test_a_base_url_with_a_password_is_refused_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INTERVALS_API_BASE_URL", "https://me:hunter2-secret@intervals.icu/api/v1")
    with pytest.raises(ConfigError, match="INTERVALS_API_BASE_URL") as info:
        load_settings()
    assert "hunter2-secret" not in str(info.value)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://intervals.icu/api/v1/", "https://intervals.icu/api/v1"),
        ("  http://127.0.0.1:8123/api/v1  ", "http://127.0.0.1:8123/api/v1"),
        ("HTTPS://Intervals.icu/api/v1", "HTTPS://Intervals.icu/api/v1"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://[::1]:8000/api/v1", "http://[::1]:8000/api/v1"),
    ],
)
def test_a_good_base_url_is_kept(monkeypatch: pytest.MonkeyPatch, given: str, kept: str) -> None:
    monkeypatch.setenv("INTERVALS_API_BASE_URL", given)
    assert load_settings().base_url == kept


def test_a_setting_given_by_field_name_is_named_by_its_variable() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(recent_days=-1)
    assert "INTERVALS_MCP_RECENT_DAYS" in str(info.value)


# --- ATHLETE_ID as a bare number (issue 10, item 12) ------------------------------------------


@pytest.mark.parametrize(("given", "used"), [("12345", "i12345"), (" 7 ", "i7"), ("I12345", "i12345")])
def test_a_bare_athlete_number_is_corrected_to_the_i_form(
    monkeypatch: pytest.MonkeyPatch, given: str, used: str
) -> None:
    monkeypatch.setenv("API_KEY", SECRET)
    monkeypatch.setenv("ATHLETE_ID", given)
    settings = load_settings()
    assert settings.athlete_id == used
    assert settings.require_credentials()[1] == used


def test_athlete_zero_means_the_keys_own_athlete_and_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_KEY", SECRET)
    monkeypatch.setenv("ATHLETE_ID", "0")
    assert load_settings().require_credentials()[1] == "0"


def test_the_specific_names_in_dotenv_win_over_generic_ones_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(f"INTERVALS_API_KEY={SECRET}\nINTERVALS_ATHLETE_ID=i2\n")
    monkeypatch.setenv("API_KEY", "another-services-key")
    monkeypatch.setenv("ATHLETE_ID", "i1")
    key, athlete = load_settings().require_credentials()
    assert key.get_secret_value() == SECRET
    assert athlete == "i2"


def test_the_generic_names_still_fill_in_when_the_specific_ones_are_absent(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"API_KEY={SECRET}\nATHLETE_ID=12345\n")
    key, athlete = load_settings().require_credentials()
    assert key.get_secret_value() == SECRET
    assert athlete == "i12345"


@pytest.mark.parametrize(("given", "mode"), [("", "safe"), ("  ", "safe"), ("Full", "full"), ("off", "off")])
def test_the_writes_mode_is_read_and_empty_means_the_default(
    monkeypatch: pytest.MonkeyPatch, given: str, mode: str
) -> None:
    monkeypatch.setenv("INTERVALS_MCP_WRITES", given)
    assert load_settings().writes == mode
