"""Applied deliveries of the municipalities (idempotent deltas).

Revision ID: 0002
Revises: 0001

Why: municipalities send their changes as deliveries (new, changed, moved away, deceased,
Auskunftssperre set or lifted; ``datenspiegel register apply-delivery``), each under an id of
its own. A delivery sent twice — a retry after a lost acknowledgement, an operator running the
same file again — must change the register once, and the second time say that it was already
applied. This table keeps each applied delivery's id, municipality, message type, time, number
of operations and a SHA-256 of its content (the same id with a different content is refused).
It is written in the delivery's own transaction, beside the delivery log
``register_import_log`` (Nds. NMeldVO § 23). One new table; nothing existing changes.
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
        "register_lieferung",
        sa.Column("lieferung", sa.String(120), primary_key=True),
        sa.Column("ags", sa.String(8), nullable=False),
        sa.Column("nachrichtentyp", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
