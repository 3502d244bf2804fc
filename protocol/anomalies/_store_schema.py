"""Tables of the findings store (:mod:`datenspiegel.protocol.anomalies.store`).

Created by revision 0005 of the broker-state database's Alembic history
(``store/histories/broker/versions/v0005_anomaly_findings.py``), which carries their shape as it
created them; these are the tables the code reads and writes and must keep matching it (the
upgrade tests compare). A ``MetaData`` of their own: the protocol component's is the frozen
baseline's. Ids are never reused (SQLite ``AUTOINCREMENT``): letters, automatic blocks and
their events name findings by id.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from datenspiegel.store.columns import JSON_DOCUMENT, UTCDateTime

__all__ = ["evaluation", "finding_events", "findings", "store_metadata"]

store_metadata = MetaData()

#: One finding per stable key (detector | subject | period), its evidence as last merged and
#: its review state.
findings = Table(
    "anomaly_finding",
    store_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(512), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("authority_id", Integer, nullable=True),
    Column("authority_kennung", String(120), nullable=True),
    Column("user_id", Integer, nullable=True),
    Column("user_kennung", Text, nullable=True),
    Column("source", Text, nullable=True),
    Column("person_id", BigInteger, nullable=True),
    Column("bucket", String(40), nullable=False),
    Column("window_start", UTCDateTime, nullable=False),
    Column("window_end", UTCDateTime, nullable=False),
    Column("measured", Float, nullable=False),
    Column("threshold", Float, nullable=False),
    Column("explanation", Text, nullable=False),
    Column("record_ids", JSON_DOCUMENT, nullable=False),
    Column("record_count", Integer, nullable=False),
    Column("reviewer", Text, nullable=True),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ux_anomaly_finding_key", "key", unique=True),
    Index("ix_anomaly_finding_status", "status", "window_start"),
    Index("ix_anomaly_finding_authority", "authority_kennung", "window_start"),
    Index("ix_anomaly_finding_window", "window_start"),
    sqlite_autoincrement=True,
)

#: Every change of a finding, append-only: detected, updated, assigned, resolved, letter,
#: blocked, unblocked, reopened.
finding_events = Table(
    "anomaly_finding_event",
    store_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", Integer, ForeignKey("anomaly_finding.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("note", Text, nullable=True),
    Index("ix_anomaly_finding_event_finding", "finding_id", "id"),
    sqlite_autoincrement=True,
)

#: One row (id 1): how far the running service has evaluated the protocol, and who does it.
evaluation = Table(
    "anomaly_evaluation",
    store_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("watermark", UTCDateTime, nullable=True),
    Column("holder", Text, nullable=True),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("evaluated_at", UTCDateTime, nullable=True),
)
