"""Settings from the environment and a `.env` file in the working directory.

Nothing is read at import time: call `load_settings()`. The API key is held as a `SecretStr`
so it never shows in a repr, a log line or an error message.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Self
from urllib.parse import urlsplit

from platformdirs import user_data_path
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from intervals_mcp.errors import ConfigError

DEFAULT_BASE_URL = "https://intervals.icu/api/v1"
KEY_HELP = "create one at intervals.icu, Settings, Developer Settings"
ATHLETE_ID_RE = re.compile(r"^(0|i?\d+)$")
BARE_ATHLETE_RE = re.compile(r"^[iI]?(\d+)$")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
WritesMode = Literal["off", "safe", "full"]


def default_db_path() -> Path:
    """The per-user cache file: absolute, never relative to the working directory."""
    return user_data_path("intervals-mcp", appauthor=False) / "cache.sqlite3"


def normalize_athlete_id(value: str) -> str:
    """An athlete id as the API wants it: `12345` and `I12345` become `i12345`; `0` (the key's
    own athlete) and anything else are returned stripped, for the caller to judge."""
    text = value.strip()
    match = BARE_ATHLETE_RE.match(text)
    if text == "0" or match is None:
        return text
    return f"i{match.group(1)}"


def check_base_url(value: str) -> str:
    """The base URL without surrounding blanks and trailing slashes, or a ValueError whose text
    is one sentence naming INTERVALS_API_BASE_URL (a password in it is never echoed)."""
    text = value.strip().rstrip("/")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        parts = None
    shown = repr(value.strip())
    if parts is None:
        problem = "is not a web address"
    elif parts.username is not None or parts.password is not None:
        shown, problem = "", "contains a user name or password, which the API key replaces"
    elif parts.scheme.lower() not in ("http", "https"):
        problem = "does not start with https:// (or http://)"
    elif not parts.hostname:
        problem = "names no host"
    elif any(ch.isspace() for ch in text) or not text.isprintable():
        problem = "contains spaces or control characters"
    elif parts.query or parts.fragment or text.endswith(("?", "#")):
        problem = "has a query or fragment"
    else:
        return text
    where = f" {shown}" if shown else ""
    raise ValueError(
        f"INTERVALS_API_BASE_URL{where} {problem}: set it to the API's address, {DEFAULT_BASE_URL} "
        "(the default when it is not set)."
    )


class Settings(BaseSettings):
    """Everything intervals-mcp reads from its environment.

    `INTERVALS_API_KEY` and `INTERVALS_ATHLETE_ID` win over the seed project's plain `API_KEY`
    and `ATHLETE_ID`, whichever of the environment and `.env` each comes from. An athlete id
    given as a bare number (`12345`) or as `I12345` is corrected to `i12345`, the form the API
    wants; `0` (the key's own athlete) is kept. A malformed `INTERVALS_API_BASE_URL` (not an
    http or https address with a host) is refused.
    """

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # The seed project's plain names work; the INTERVALS_ ones win when both are set, so a
    # generic API_KEY meant for another service is never sent to Intervals.icu in their place.
    # Each plain name is a field of its own: with one field and two aliases, pydantic-settings
    # would let an API_KEY in the environment beat an INTERVALS_API_KEY in .env.
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("INTERVALS_API_KEY")
    )
    athlete_id: str | None = Field(
        default=None, validation_alias=AliasChoices("INTERVALS_ATHLETE_ID")
    )
    plain_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("API_KEY"), exclude=True, repr=False
    )
    plain_athlete_id: str | None = Field(
        default=None, validation_alias=AliasChoices("ATHLETE_ID"), exclude=True, repr=False
    )
    base_url: str = Field(default=DEFAULT_BASE_URL, validation_alias=AliasChoices("INTERVALS_API_BASE_URL"))
    db_path: Path = Field(default_factory=default_db_path, validation_alias=AliasChoices("INTERVALS_MCP_DB"))
    # The cache's database; when unset, the SQLite file `db_path` (INTERVALS_MCP_DB).
    database_url_setting: str | None = Field(
        default=None, validation_alias=AliasChoices("INTERVALS_MCP_DATABASE_URL")
    )
    log_level: LogLevel = Field(default="WARNING", validation_alias=AliasChoices("LOG_LEVEL"))

    # Freshness policy (see README, "Freshness"): recent and future windows go stale fast,
    # settled history slowly.
    recent_days: int = Field(default=14, ge=0, validation_alias=AliasChoices("INTERVALS_MCP_RECENT_DAYS"))
    recent_ttl_minutes: float = Field(
        default=10.0, gt=0, validation_alias=AliasChoices("INTERVALS_MCP_RECENT_TTL_MINUTES")
    )
    history_ttl_days: float = Field(
        default=7.0, gt=0, validation_alias=AliasChoices("INTERVALS_MCP_HISTORY_TTL_DAYS")
    )
    # How long one request may keep retrying: a person waits on a tool call, nobody on a sync.
    tool_retry_seconds: float = Field(
        default=8.0, gt=0, validation_alias=AliasChoices("INTERVALS_MCP_TOOL_RETRY_SECONDS")
    )
    sync_retry_seconds: float = Field(
        default=120.0, gt=0, validation_alias=AliasChoices("INTERVALS_MCP_SYNC_RETRY_SECONDS")
    )
    request_timeout: float = Field(
        default=30.0, gt=0, validation_alias=AliasChoices("INTERVALS_MCP_REQUEST_TIMEOUT")
    )
    # Which write tools are offered: none, all but deletes of the past (the default), or all.
    writes: WritesMode = Field(default="safe", validation_alias=AliasChoices("INTERVALS_MCP_WRITES"))

    @field_validator("athlete_id", "plain_athlete_id", mode="before")
    @classmethod
    def _normalize_athlete_id(cls, value: object) -> object:
        return normalize_athlete_id(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _specific_names_win(self) -> Self:
        if self.api_key is None or not self.api_key.get_secret_value().strip():
            self.api_key = self.plain_api_key or self.api_key
        if not self.athlete_id:
            self.athlete_id = self.plain_athlete_id or self.athlete_id
        return self

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("writes", mode="before")
    @classmethod
    def _lower_writes(cls, value: object) -> object:
        # Empty means the default: a host passes an unset bundle setting as "".
        default = cls.model_fields["writes"].default
        return (value.strip().lower() or default) if isinstance(value, str) else value

    @field_validator("db_path", mode="after")
    @classmethod
    def _absolute_db_path(cls, value: Path) -> Path:
        return value.expanduser().absolute()

    @field_validator("base_url", mode="after")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        return check_base_url(value)

    @property
    def database_url(self) -> str:
        """Where the cache lives: INTERVALS_MCP_DATABASE_URL, else `sqlite:///` + db_path."""
        given = (self.database_url_setting or "").strip()
        return given or f"sqlite:///{self.db_path}"

    def require_credentials(self) -> tuple[SecretStr, str]:
        """The key and athlete id, or a ConfigError naming the variable and where to get it."""
        key = self.api_key.get_secret_value().strip() if self.api_key else ""
        if not key:
            raise ConfigError(f"API_KEY is not set: {KEY_HELP}, and set API_KEY to it.")
        if any(ch.isspace() for ch in key) or not key.isprintable():
            raise ConfigError(
                f"API_KEY contains spaces or control characters: copy it again from {KEY_HELP}."
            )
        athlete = self.athlete_id or ""
        if not athlete:
            raise ConfigError(
                "ATHLETE_ID is not set: it is shown (like i12345) at intervals.icu, Settings, "
                "Developer Settings; set ATHLETE_ID to it."
            )
        if not ATHLETE_ID_RE.match(athlete):
            raise ConfigError(
                f"ATHLETE_ID {athlete!r} is not an athlete id like i12345: copy it from "
                "intervals.icu, Settings, Developer Settings."
            )
        return SecretStr(key), athlete


def load_settings(**overrides: object) -> Settings:
    """Read settings now; a bad value becomes a ConfigError naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        if first.get("type") == "value_error":  # our own validators speak in whole sentences
            raise ConfigError(str(first["ctx"]["error"])) from None
        loc = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        raise ConfigError(
            f"The setting {_variable(loc)} is invalid ({first.get('msg', 'bad value')}): fix it in "
            "the environment or .env file."
        ) from None


def _variable(loc: str) -> str:
    """The environment variable behind a setting named by its field (or already by its variable)."""
    field = Settings.model_fields.get(loc)
    alias = field.validation_alias if field else None
    if isinstance(alias, AliasChoices) and isinstance(alias.choices[0], str):
        return alias.choices[0]
    return loc.upper()
