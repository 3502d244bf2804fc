"""Records of security authorities sealed to their own key.

Revision ID: 0004
Revises: 0003

Why: a security authority logs its own retrievals (§ 40 Abs. 3 BMG); one that commissions the
operator to do it on its behalf ("Protokollierung erforderlich") has the full record kept
sealed to its registered public key, so that the operator keeps it without being able to read
it (protocol/sealed.py). The envelopes (JWE, compact serialisation) live beside the records in
one new, empty table; they go with their records at purge. Nothing existing changes: such an
authority's records were kept with content before and stay as they are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "protocol_sealed",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(36), nullable=False, unique=True),
        sa.Column("authority_id", sa.Integer, nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        # SHA-256 of the certificate (DER) whose key the envelope is sealed to
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("envelope", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_protocol_sealed_period", "protocol_sealed", ["period"])
    op.create_index("ix_protocol_sealed_authority", "protocol_sealed", ["authority_id", "seq"])


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
