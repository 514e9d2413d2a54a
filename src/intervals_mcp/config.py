"""Settings from the environment and a `.env` file in the working directory.

Nothing is read at import time: call `load_settings()`. The API key is held as a `SecretStr`
so it never shows in a repr, a log line or an error message.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from intervals_mcp.errors import ConfigError

DEFAULT_BASE_URL = "https://intervals.icu/api/v1"
KEY_HELP = "create one at intervals.icu, Settings, Developer Settings"
ATHLETE_ID_RE = re.compile(r"^(0|i?\d+)$")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def default_db_path() -> Path:
    """The per-user cache file: absolute, never relative to the working directory."""
    return user_data_path("intervals-mcp", appauthor=False) / "cache.sqlite3"


class Settings(BaseSettings):
    """Everything intervals-mcp reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # The seed project's plain names work; the INTERVALS_ ones win when both are set, so a
    # generic API_KEY meant for another service is never sent to Intervals.icu in their place.
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("INTERVALS_API_KEY", "API_KEY")
    )
    athlete_id: str | None = Field(
        default=None, validation_alias=AliasChoices("INTERVALS_ATHLETE_ID", "ATHLETE_ID")
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

    @field_validator("athlete_id", mode="before")
    @classmethod
    def _strip_athlete_id(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("db_path", mode="after")
    @classmethod
    def _absolute_db_path(cls, value: Path) -> Path:
        return value.expanduser().absolute()

    @field_validator("base_url", mode="after")
    @classmethod
    def _strip_base_url(cls, value: str) -> str:
        return value.strip().rstrip("/")

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
        loc = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        raise ConfigError(
            f"The setting {loc.upper()} is invalid ({first.get('msg', 'bad value')}): fix it in the "
            "environment or .env file."
        ) from None
