"""`intervals-mcp tokens create | list | revoke`: bearer tokens for streamable HTTP.

`create` prints the new token once, as the last line of stdout (everything else goes to
stderr), so `TOKEN=$(intervals-mcp tokens create alice --athletes i123 | tail -1)` works; the
database keeps only its SHA-256 digest. See server/auth.py for what a token allows.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from intervals_mcp.config import Settings

tokens_app = typer.Typer(help="Bearer tokens for streamable HTTP (a team server).", no_args_is_help=True)


def _settings() -> Settings:
    from intervals_mcp.cli import _settings as settings

    return settings()


@tokens_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="A name for the token, like alice-phone.")],
    athletes: Annotated[
        str, typer.Option("--athletes", help="Athlete ids the token may use (i1,i2), or all.")
    ],
) -> None:
    """Make a token; it is printed once (last line of stdout) and never stored."""
    from intervals_mcp.db.engine import on_database
    from intervals_mcp.db.tokens import add_token
    from intervals_mcp.server.auth import check_name, new_token, parse_athletes, token_digest

    label, allowed = check_name(name), parse_athletes(athletes)
    token = new_token()
    digest, now = token_digest(token), datetime.now(UTC)
    on_database(_settings().database_url, lambda db: add_token(db, label, digest, allowed, now))
    print(
        f"Token {label} may use athletes: {allowed}. It is shown once, below; keep it secret "
        "(`intervals-mcp tokens revoke` ends it).",
        file=sys.stderr,
    )
    sys.stdout.write(token + "\n")
    sys.stdout.flush()


@tokens_app.command("list")
def list_() -> None:
    """Show every token's name, athletes and creation time (never the token)."""
    from intervals_mcp.db.engine import on_database
    from intervals_mcp.db.tokens import list_tokens

    found = on_database(_settings().database_url, list_tokens)
    for record in found:
        print(f"{record.name}\t{record.athletes}\t{record.created_at.isoformat(timespec='seconds')}")
    if not found:
        print(
            "No tokens: streamable HTTP on loopback is open to local programs; create one with "
            "`intervals-mcp tokens create NAME --athletes all`.",
            file=sys.stderr,
        )


@tokens_app.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="The token's name (see `tokens list`).")]) -> None:
    """Delete a token: requests carrying it are refused from now on."""
    from intervals_mcp.db.engine import on_database
    from intervals_mcp.db.tokens import revoke_token
    from intervals_mcp.errors import InputError

    if not on_database(_settings().database_url, lambda db: revoke_token(db, name)):
        raise InputError(f"There is no token named {name!r}: `intervals-mcp tokens list` shows them.")
    print(f"Token {name} revoked: requests carrying it are refused from now on.", file=sys.stderr)
