"""The heartbeat table under version control.

Revision ID: 0002
Revises: 0001

Why: the readiness probe's table (datenspiegel.store.heartbeat: one row per process, written to
prove the database takes durable writes) was created outside any migration, by every start of
the protocol store. A database of an earlier release already has it (hence IF NOT EXISTS).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_heartbeat",
        sa.Column("holder", sa.String(200), primary_key=True),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        if_not_exists=True,
    )


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
