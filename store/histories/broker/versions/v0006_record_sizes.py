"""The sizes of each transaction's request and answer in its protocol record.

Revision ID: 0006
Revises: 0005

Why: for a security authority that logs its own retrievals the operator keeps only technical
metadata — time, authority, pseudonymous user, operation, outcome and sizes (§ 40 Abs. 3 BMG,
DOMAIN.md § 6) — and the sizes were missing; they are also what an unusually large answer is
noticed by. Two nullable columns: records written before keep NULL (nothing is invented for
them), and their JSON form and Merkle leaf stay exactly as they were.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("protocol_record", sa.Column("request_bytes", sa.BigInteger, nullable=True))
    op.add_column("protocol_record", sa.Column("answer_bytes", sa.BigInteger, nullable=True))


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
