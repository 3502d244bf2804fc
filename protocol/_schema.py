"""Tables and migrations of the ``protocol`` component of the broker-state database.

Private to :mod:`datenspiegel.protocol.store`: the storage of the protocol will change (Merkle
log, encrypted segments, crypto-shredding), nothing else may depend on these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Connection

from datenspiegel.store import Migration
from datenspiegel.store.columns import JSON_DOCUMENT, UTCDateTime

__all__ = ["COMPONENT", "MIGRATIONS", "metadata", "outbox", "reads", "records"]

COMPONENT = "protocol"
metadata = MetaData()

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit sequence.
_SEQ = BigInteger().with_variant(Integer(), "sqlite")

records = Table(
    "protocol_record",
    metadata,
    # Append order: the future hash chain / Merkle log is built over this sequence.
    Column("seq", _SEQ, primary_key=True, autoincrement=True),
    Column("record_id", String(36), nullable=False, unique=True),
    Column("received_at", UTCDateTime, nullable=False, index=True),
    Column("answered_at", UTCDateTime, nullable=False),
    Column("service", String(64), nullable=False),
    Column("outcome", String(16), nullable=False, index=True),
    Column("outcome_codes", JSON_DOCUMENT, nullable=False),
    Column("request_message_id", String(255), nullable=True, index=True),
    Column("answer_message_id", String(255), nullable=True),
    Column("request_digest", String(64), nullable=False),
    Column("answer_digest", String(64), nullable=True),
    Column("client_address", Text, nullable=True),
    Column("certificate_fingerprint", Text, nullable=True),
    Column("authority_id", Integer, nullable=True, index=True),
    Column("authority_kennung", Text, nullable=True),
    Column("authority_name", Text, nullable=True),
    Column("sicherheitsbehoerde", Boolean, nullable=False),
    Column("user_id", Integer, nullable=True),
    Column("user_kennung", Text, nullable=True),
    Column("aktenzeichen", Text, nullable=True),
    Column("anlass", Text, nullable=True),
    Column("requesting_body", JSON_DOCUMENT, nullable=False),
    Column("search_data", JSON_DOCUMENT, nullable=False),
    Column("requested_elements", JSON_DOCUMENT, nullable=False),
    Column("disclosed_elements", JSON_DOCUMENT, nullable=False),
    Column("hits", JSON_DOCUMENT, nullable=False),
    Column("hit_count", Integer, nullable=False),
    Column("detail", Text, nullable=True),
    Column("content_recorded", Boolean, nullable=False),
    # No foreign key to access_authority on purpose: the protocol must outlive the registry
    # entries it mentions, and records of unregistered senders have no authority at all.
)

outbox = Table(
    "protocol_outbox",
    metadata,
    Column("id", _SEQ, primary_key=True, autoincrement=True),
    Column(
        "record_id",
        String(36),
        ForeignKey("protocol_record.record_id"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(64), nullable=False),
    Column("payload", JSON_DOCUMENT, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("processed_at", UTCDateTime, nullable=True),
    Index("ix_protocol_outbox_pending", "processed_at", "id"),
)

reads = Table(
    "protocol_access",
    metadata,
    Column("id", _SEQ, primary_key=True, autoincrement=True),
    Column("reader", Text, nullable=False),
    Column("purpose", String(40), nullable=False),
    Column("accessed_at", UTCDateTime, nullable=False, index=True),
    Column("query", JSON_DOCUMENT, nullable=False),
    Column("record_ids", JSON_DOCUMENT, nullable=False),
)


def _v1(conn: Connection) -> None:
    # Version 1 is exactly these tables; later versions alter them in their own migrations.
    metadata.create_all(conn, tables=[records, outbox, reads])


MIGRATIONS = [Migration(1, "protocol records, outbox, protocol reads", _v1)]
