"""Anomaly findings, their review events and the evaluation watermark.

Revision ID: 0005
Revises: 0004

Why: the operator reviews the § 40 BMG protocol for signs of misuse (DOMAIN.md §§ 6–7) and
keeps what the detectors found, and what was done about it, for that review: one row per
finding (keyed by its stable key, detector | subject | period, so that a re-evaluation updates
it instead of adding a second), every change of a finding's status, reviewer or evidence as an
append-only event, and one row with the point up to which the running service has evaluated
the protocol (shared by every worker process and host, and the lease of the one evaluating on
SQLite). Three new tables, the state row inserted; nothing existing changes. Ids are never
reused (SQLite AUTOINCREMENT): letters and automatic blocks name findings by id.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "anomaly_finding",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(512), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        # open | in_review | authority_asked | confirmed | dismissed
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("authority_id", sa.Integer, nullable=True),
        sa.Column("authority_kennung", sa.String(120), nullable=True),
        sa.Column("user_id", sa.Integer, nullable=True),
        sa.Column("user_kennung", sa.Text, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("person_id", sa.BigInteger, nullable=True),
        sa.Column("bucket", sa.String(40), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("measured", sa.Float, nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("record_ids", _JSON, nullable=False),
        sa.Column("record_count", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ux_anomaly_finding_key", "anomaly_finding", ["key"], unique=True)
    op.create_index("ix_anomaly_finding_status", "anomaly_finding", ["status", "window_start"])
    op.create_index(
        "ix_anomaly_finding_authority", "anomaly_finding", ["authority_kennung", "window_start"]
    )
    op.create_index("ix_anomaly_finding_window", "anomaly_finding", ["window_start"])
    op.create_table(
        "anomaly_finding_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("finding_id", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.ForeignKeyConstraint(["finding_id"], ["anomaly_finding.id"]),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_anomaly_finding_event_finding", "anomaly_finding_event", ["finding_id", "id"]
    )
    state = op.create_table(
        "anomaly_evaluation",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        # records received before it have been evaluated by the running service
        sa.Column("watermark", sa.DateTime(timezone=True), nullable=True),
        sa.Column("holder", sa.Text, nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.bulk_insert(state, [{"id": 1}])


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
