"""Bearer tokens for streamable HTTP, as the database keeps them: a name, the athletes the
token may use ("all" or a comma list) and the SHA-256 digest of the token. The token itself is
never stored (the caller hands over its digest) and never read back.

SQL only; making, hashing and checking tokens is `server/auth.py`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select

from intervals_mcp.db.columns import to_utc
from intervals_mcp.db.engine import Database
from intervals_mcp.db.resources import TOKENS
from intervals_mcp.errors import InputError


@dataclass(frozen=True)
class TokenRecord:
    name: str
    athletes: str  # "all" or "i1,i2"
    created_at: datetime


def _record(name: str, athletes: str, created_at: datetime) -> TokenRecord:
    return TokenRecord(name, athletes, to_utc(created_at))


async def add_token(db: Database, name: str, digest: str, athletes: str, created_at: datetime) -> None:
    """Store a new token under `name`; InputError when the name is taken."""
    async with db.write() as conn:
        taken = await conn.execute(select(TOKENS.c.name).where(TOKENS.c.name == name))
        if taken.first() is not None:
            raise InputError(
                f"A token named {name!r} exists already: revoke it first "
                f"(`intervals-mcp tokens revoke {name}`) or choose another name."
            )
        await conn.execute(
            insert(TOKENS).values(name=name, token_hash=digest, athletes=athletes, created_at=created_at)
        )


async def list_tokens(db: Database) -> list[TokenRecord]:
    """Every token, by name (never its digest)."""
    stmt = select(TOKENS.c.name, TOKENS.c.athletes, TOKENS.c.created_at).order_by(TOKENS.c.name)
    async with db.read() as conn:
        return [_record(*row) for row in await conn.execute(stmt)]


async def revoke_token(db: Database, name: str) -> bool:
    """Delete the token `name`; whether there was one."""
    async with db.write() as conn:
        result = await conn.execute(delete(TOKENS).where(TOKENS.c.name == name))
        return bool(result.rowcount)


async def find_token(db: Database, digest: str) -> TokenRecord | None:
    """The token whose SHA-256 digest is `digest` (an index lookup: no token is compared)."""
    stmt = select(TOKENS.c.name, TOKENS.c.athletes, TOKENS.c.created_at).where(TOKENS.c.token_hash == digest)
    async with db.read() as conn:
        row = (await conn.execute(stmt)).first()
    return None if row is None else _record(*row)


async def count_tokens(db: Database) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(TOKENS))).scalar_one())
