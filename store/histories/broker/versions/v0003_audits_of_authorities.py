"""Audits of authorities: findings, demanded remedies with deadlines.

Revision ID: 0003
Revises: 0002

Why: the operator audits the technical and organisational measures of the authorities that
retrieve from the mirror (DOMAIN.md § 7; Nds. NMeldVO § 26; the authorities' duties of §§ 39,
41 BMG) and keeps each audit in the authority's file, the access registry: the audit (scope,
opened, closed, result), its findings, and the remedies demanded of the authority with their
deadlines and how each was settled (access/audits.py, datenspiegel audit …). Three new,
empty tables; nothing existing changes. The audit refers to its authority; ids are never
reused (SQLite AUTOINCREMENT), because the administrative event log names audits and remedies
by id.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("authority_id", sa.Integer, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),  # open | closed
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Text, nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Text, nullable=True),
        sa.Column("result", sa.Text, nullable=True),
        sa.Column("closed_with_open_remedies", sa.Text, nullable=True),
        sa.ForeignKeyConstraint(["authority_id"], ["access_authority.id"]),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_access_audit_authority", "access_audit", ["authority_id", "id"])
    op.create_table(
        "access_audit_note",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("audit_id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["access_audit.id"]),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_access_audit_note_audit", "access_audit_note", ["audit_id", "id"])
    op.create_table(
        "access_audit_remedy",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("audit_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),  # a day of the German calendar
        sa.Column("status", sa.String(10), nullable=False),  # open | fulfilled | withdrawn
        sa.Column("demanded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("demanded_by", sa.Text, nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("settled_by", sa.Text, nullable=True),
        sa.Column("settlement", sa.Text, nullable=True),
        sa.ForeignKeyConstraint(["audit_id"], ["access_audit.id"]),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_access_audit_remedy_audit", "access_audit_remedy", ["audit_id", "id"])
    # the overdue check: open remedies by deadline
    op.create_index("ix_access_audit_remedy_due", "access_audit_remedy", ["status", "deadline"])


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
