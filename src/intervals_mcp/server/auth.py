"""Bearer tokens for streamable HTTP, on the SDK's own auth hooks (`TokenVerifier`,
`AuthSettings`): the SDK answers 401 to any request without a valid token before it reaches a
tool; `athlete_for` then keeps each token to its athletes.

- A token is `imcp_` plus 32 random bytes (URL-safe base64). The database keeps only its
  SHA-256 digest and finds a presented token by that digest (an index lookup: no stored secret
  is ever compared, so there is no timing to measure); `intervals-mcp tokens` makes, lists and
  revokes them.
- Serving streamable HTTP needs tokens when any exists or when the host is not loopback; a
  non-loopback host with no token refuses to start. Whether tokens are needed is decided at
  start; a revoked token stops working at once (every request is looked up).
- A token's athletes ("all", or a list) bound every call it makes: a call without
  `athlete_id` uses the configured athlete when the token allows it, else the token's only
  athlete; any other athlete gets one sentence before any request upstream or read of the cache.
  Tools about the key's whole roster (list_athletes, get_roster_status) need a token for all.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import logging
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings

from intervals_mcp.config import ATHLETE_ID_RE, Settings, normalize_athlete_id
from intervals_mcp.errors import ConfigError, InputError

if TYPE_CHECKING:
    from intervals_mcp.db.engine import Database

log = logging.getLogger(__name__)

TOKEN_PREFIX = "imcp_"
ALL = "all"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# The SDK insists on an issuer even for static tokens; it only shows it in OAuth metadata,
# which we do not serve (no resource_server_url).
ISSUER = "https://intervals-mcp.invalid"
CREATE_HINT = "intervals-mcp tokens create NAME --athletes all"


# --- tokens (pure) -------------------------------------------------------------------------------


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a token: its SHA-256, hex (a 256-bit random token needs no
    slow hash: nobody can guess one from its digest)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    text = name.strip()
    if not NAME_RE.match(text):
        raise InputError(
            f"Token name {name!r} is not usable: use 1-64 letters, digits, '.', '_' or '-', "
            "like alice-phone."
        )
    return text


def parse_athletes(text: str) -> str:
    """`all`, or the athlete ids as the database keeps them: `i1,i2` (normalised, sorted)."""
    given = [part.strip() for part in text.split(",") if part.strip()]
    if [g.lower() for g in given] == [ALL]:
        return ALL
    ids = sorted({normalize_athlete_id(g) for g in given})
    bad = [g for g in ids if g == "0" or not ATHLETE_ID_RE.match(g)]
    if not ids or bad:
        raise InputError(
            f"--athletes {text!r} is not a list of athlete ids: give them like i12345,i67890 "
            "(or all)."
        )
    return ",".join(ids)


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


# --- what a token may use --------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The athletes one token may use (None: every athlete the API key reaches)."""

    name: str
    athletes: tuple[str, ...] | None

    @classmethod
    def stored(cls, name: str, athletes: str) -> Scope:
        return cls(name, None if athletes == ALL else tuple(athletes.split(",")))

    def athlete(self, given: str, *, explicit: bool) -> str:
        """The athlete this call may use: `given` (asked, or the configured one) when allowed;
        without an explicit ask, the token's only athlete; else an InputError sentence."""
        allowed = self.athletes
        if allowed is None or given in allowed:
            return given
        if not explicit and len(allowed) == 1:
            return allowed[0]
        listed = ", ".join(allowed)
        noun = "athlete" if len(allowed) == 1 else "athletes"
        if not explicit:
            raise InputError(f"This token may use {noun} {listed}: ask with athlete_id set to one of them.")
        shown = "the API key's own athlete (0)" if given == "0" else given
        raise InputError(
            f"This token may use {noun} {listed} only, not {shown}: ask with athlete_id={allowed[0]}, "
            "or use a token made for that athlete."
        )


    def whole_roster(self, tool: str) -> None:
        """Refuse (InputError) a tool about every athlete of the API key unless the token may
        use them all."""
        if self.athletes is not None:
            noun = "athlete" if len(self.athletes) == 1 else "athletes"
            raise InputError(
                f"This token may use {noun} {', '.join(self.athletes)} only, and {tool} answers about "
                "every athlete of the API key: use a token made for all athletes."
            )


def current_scope() -> Scope | None:
    """The scope of the token behind this HTTP request (None on stdio: no token there)."""
    token = get_access_token()
    if token is None:
        return None
    claims = token.claims or {}
    return Scope.stored(token.client_id, str(claims.get("athletes", "")))


# --- the verifier the SDK calls on every request ---------------------------------------------


class TokenStore:
    """`TokenVerifier` over the database's tokens (opened on the server's loop at first use)."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._db: Database | None = None
        self._opening = asyncio.Lock()

    async def _database(self) -> Database:
        if self._db is None:
            async with self._opening:
                if self._db is None:
                    from intervals_mcp.db.engine import Database

                    self._db = await Database.open(self._url, upgrade=False)
        return self._db

    async def verify_token(self, token: str) -> AccessToken | None:
        from intervals_mcp.db.tokens import find_token

        if not token.startswith(TOKEN_PREFIX):
            log.info("HTTP request refused: not an intervals-mcp token")
            return None
        digest = token_digest(token)
        found = await find_token(await self._database(), digest)
        if found is None:
            log.info("HTTP request refused: unknown or revoked token")
            return None
        log.debug("HTTP request with token %s (athletes %s)", found.name, found.athletes)
        # `token` is required by the SDK and never read by it: the digest stands in for it.
        return AccessToken(
            token=digest, client_id=found.name, subject=found.name, scopes=[],
            claims={"athletes": found.athletes},
        )  # fmt: skip

    async def aclose(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()


@dataclass(frozen=True)
class HttpAuth:
    verifier: TokenStore
    settings: AuthSettings


def http_auth(settings: Settings, host: str) -> HttpAuth | None:
    """What streamable HTTP on `host` needs: tokens (when any exists, or off loopback), or None
    (loopback, no token made yet). Creates or migrates the database; synchronous, before the
    server's loop starts. A ConfigError sentence when off loopback with no token."""
    from intervals_mcp.db.engine import on_database
    from intervals_mcp.db.tokens import count_tokens

    url = settings.database_url
    tokens = on_database(url, count_tokens)
    if tokens == 0 and is_loopback(host):
        log.warning("Serving streamable HTTP on %s without tokens: any local program may call it", host)
        return None
    if tokens == 0:
        raise ConfigError(
            f"Serving on {host} needs a bearer token and there is none: create one with "
            f"`{CREATE_HINT}`, then start the server again."
        )
    log.info("Streamable HTTP needs a bearer token on every request (%d token(s) exist)", tokens)
    auth = AuthSettings(issuer_url=ISSUER, resource_server_url=None, required_scopes=None)
    return HttpAuth(TokenStore(url), auth)
