"""team server: bearer tokens, the cross-process generation, a shared request budget, JSONB

Three small tables for serving many clients from several processes: `api_tokens` (only a
token's SHA-256 digest is stored), `cache_generation` (one row every write transaction bumps:
PostgreSQL's "someone committed" signal) and `request_budgets` (one token bucket per
Intervals.icu key, shared by every process). On PostgreSQL the payload columns become JSONB;
SQLite keeps its JSON text.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 13:32:26
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# sqlmodel.sql.sqltypes is imported because autogenerate renders AutoString columns with it.
_ = sqlmodel.sql.sqltypes

_PAYLOAD_TABLES = (
    "activities",
    "wellness",
    "events",
    "activity_intervals",
    "activity_streams",
    "activity_messages",
    "athlete_documents",
    "athlete_profiles",
)


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("athletes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
        sa.UniqueConstraint("token_hash"),
    )
    generation = op.create_table(
        "cache_generation",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(generation, [{"id": 1, "value": 0}])
    op.create_table(
        "request_budgets",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _retype_payloads(sa.JSON(), postgresql.JSONB(), "payload::jsonb")


def _retype_payloads(old: sa.types.TypeEngine, new: sa.types.TypeEngine, using: str) -> None:
    for name in _PAYLOAD_TABLES:
        op.alter_column(
            name, "payload", existing_type=old, type_=new, existing_nullable=False, postgresql_using=using
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _retype_payloads(postgresql.JSONB(), sa.JSON(), "payload::json")
    op.drop_table("request_budgets")
    op.drop_table("cache_generation")
    op.drop_table("api_tokens")
