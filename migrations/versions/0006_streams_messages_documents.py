"""activity streams, activity messages and athlete documents

Three new tables, nothing existing changes: an activity's streams and its messages (per-activity
extras, keyed like activity_intervals), and athlete-level documents (curves, gear, custom items,
the athletes a key follows), keyed by athlete, kind and the query they answer.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# sqlmodel.sql.sqltypes is imported because autogenerate renders AutoString columns with it.
_ = sqlmodel.sql.sqltypes


def _stored() -> list[sa.Column[object]]:
    """The columns every cached table ends with."""
    return [
        sa.Column("payload_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fetched_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
    ]


def upgrade() -> None:
    for name in ("activity_messages", "activity_streams"):
        op.create_table(
            name,
            sa.Column("athlete_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column("activity_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column("icu_sync_date", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
            sa.Column("analyzed", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
            *_stored(),
            sa.PrimaryKeyConstraint("athlete_id", "activity_id"),
        )
    op.create_table(
        "athlete_documents",
        sa.Column("athlete_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("marker", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        *_stored(),
        sa.PrimaryKeyConstraint("athlete_id", "kind", "key"),
    )


def downgrade() -> None:
    op.drop_table("athlete_documents")
    op.drop_table("activity_streams")
    op.drop_table("activity_messages")
