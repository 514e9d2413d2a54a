"""one change marker on every cached table; 64-bit event ids; the key owner

Every cached table now carries `payload_hash` (intervals and athlete profiles had none), so
answers are keyed by it everywhere. Event ids become 64-bit. Athlete profiles record which
athlete `0` (the API key's owner) resolved to. Existing rows are backfilled in Python.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from intervals_mcp.db.columns import payload_hash

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# sqlmodel.sql.sqltypes is imported because autogenerate renders AutoString columns with it.
_ = sqlmodel.sql.sqltypes

_KEYS = {"activity_intervals": ("athlete_id", "activity_id"), "athlete_profiles": ("athlete_id",)}


def upgrade() -> None:
    for name in _KEYS:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column("payload_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table("athlete_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_owner", sa.Boolean(), nullable=False, server_default=sa.false()))
    for name, keys in _KEYS.items():
        _backfill_hashes(name, keys)
    for name in _KEYS:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column(
                "payload_hash", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False
            )
    with op.batch_alter_table("athlete_profiles", schema=None) as batch_op:
        batch_op.alter_column("key_owner", existing_type=sa.Boolean(), server_default=None)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=sa.Integer(),
            type_=sa.BigInteger(),
            existing_nullable=False,
            autoincrement=False,
        )


def _backfill_hashes(name: str, keys: tuple[str, ...]) -> None:
    table = sa.table(
        name,
        *(sa.column(k, sa.String()) for k in keys),
        sa.column("payload", sa.JSON()),
        sa.column("payload_hash", sa.String()),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(*(table.c[k] for k in keys), table.c.payload)).all()
    updates = [
        {**{f"b_{k}": row[i] for i, k in enumerate(keys)}, "b_hash": payload_hash(row[-1] or {})}
        for row in rows
    ]
    if updates:
        where = [table.c[k] == sa.bindparam(f"b_{k}") for k in keys]
        bind.execute(table.update().where(*where).values(payload_hash=sa.bindparam("b_hash")), updates)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column(
            "id",
            existing_type=sa.BigInteger(),
            type_=sa.Integer(),
            existing_nullable=False,
            autoincrement=False,
        )
    with op.batch_alter_table("athlete_profiles", schema=None) as batch_op:
        batch_op.drop_column("key_owner")
    for name in _KEYS:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column("payload_hash")
