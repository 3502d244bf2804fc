"""Tables and migrations of the ``protocol`` component of the broker-state database.

Private to :mod:`datenspiegel.protocol.store`: the storage of the protocol will change (Merkle
log, encrypted segments, crypto-shredding), nothing else may depend on these tables.

Sequence numbers are never reused, on either back-end: ``protocol_record.seq`` is the order the
future Merkle log is built over, and a deleted newest record must leave a gap that can be
noticed, not be silently replaced by the next append. PostgreSQL's sequences never hand out a
value twice; SQLite does so only for tables declared ``AUTOINCREMENT`` (otherwise a new row gets
``max(rowid) + 1``), which version 2 of the schema adds.
"""

from __future__ import annotations

from typing import Any

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
    column,
    insert,
    select,
    table,
)
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateIndex, CreateTable

from datenspiegel.store import Migration, StoreError
from datenspiegel.store.columns import JSON_DOCUMENT, UTCDateTime

__all__ = ["COMPONENT", "MIGRATIONS", "metadata", "outbox", "reads", "records"]

COMPONENT = "protocol"

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit sequence.
_SEQ = BigInteger().with_variant(Integer(), "sqlite")


def _protocol_tables(meta: MetaData, *, autoincrement: bool) -> tuple[Table, Table, Table]:
    """The tables of schema version 1 (``autoincrement=False``) and 2 (``True``).

    Migrations build from this definition, so it must keep describing what they created: a
    later version that changes a column gets its own definition (or an ``ALTER`` in its
    migration) instead of an edit here. ``autoincrement`` is ``sqlite_autoincrement``, the only
    difference between the two versions; PostgreSQL's DDL is the same for both.
    """
    options: dict[str, Any] = {"sqlite_autoincrement": autoincrement}
    records = Table(
        "protocol_record",
        meta,
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
        **options,
    )
    outbox = Table(
        "protocol_outbox",
        meta,
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
        **options,
    )
    reads = Table(
        "protocol_access",
        meta,
        Column("id", _SEQ, primary_key=True, autoincrement=True),
        Column("reader", Text, nullable=False),
        Column("purpose", String(40), nullable=False),
        Column("accessed_at", UTCDateTime, nullable=False, index=True),
        Column("query", JSON_DOCUMENT, nullable=False),
        Column("record_ids", JSON_DOCUMENT, nullable=False),
        **options,
    )
    return records, outbox, reads


metadata = MetaData()
records, outbox, reads = _protocol_tables(metadata, autoincrement=True)


def _v1(conn: Connection) -> None:
    version_1 = MetaData()
    _protocol_tables(version_1, autoincrement=False)
    version_1.create_all(conn)


def _v2(conn: Connection) -> None:
    """Rebuild the SQLite tables with ``AUTOINCREMENT``; a no-op on PostgreSQL.

    PostgreSQL: ``BIGSERIAL`` draws from a sequence that never hands out a value twice (not
    even after a rollback), so there is nothing to change.

    SQLite cannot add ``AUTOINCREMENT`` to an existing table: each table is renamed aside,
    created anew under its name, filled with every row and its ``seq``/``id`` unchanged, and
    the old one dropped. Inserting the rows seeds ``sqlite_sequence`` with the current maximum
    (SQLite keeps the largest rowid ever inserted), so no issued number is handed out again —
    except one whose row was already deleted before this migration, which version 1 did not
    remember. Renaming the parent ``protocol_record`` aside points the old outbox's foreign key
    at the old table, and the new outbox is filled only after the new records, so no foreign
    key is violated at any step; ``PRAGMA foreign_key_check`` confirms it before the commit.
    """
    if conn.dialect.name != "sqlite":
        return
    _begin_sqlite_transaction(conn)
    tables = _protocol_tables(MetaData(), autoincrement=True)
    quote = conn.dialect.identifier_preparer.quote
    for new in tables:
        conn.exec_driver_sql(f"ALTER TABLE {quote(new.name)} RENAME TO {quote(_aside(new))}")
    for new in tables:  # parent first: the outbox's rows need their records
        conn.execute(CreateTable(new))
        names = [c.name for c in new.columns]
        old = table(_aside(new), *(column(name) for name in names))
        conn.execute(insert(new).from_select(names, select(*old.columns)))
    for new in reversed(tables):  # child first: nothing may still refer to a dropped table
        conn.exec_driver_sql(f"DROP TABLE {quote(_aside(new))}")
    for new in tables:
        for index in new.indexes:
            conn.execute(CreateIndex(index))
    # Only the protocol's own child table: another component's tables are not ours to judge.
    outbox_name = quote(tables[1].name)
    broken = conn.exec_driver_sql(f"PRAGMA foreign_key_check({outbox_name})").all()
    if broken:
        raise StoreError(f"protocol migration 2 would leave broken foreign keys: {broken[:5]}")


def _aside(new: Table) -> str:
    return f"{new.name}__v1"


def _begin_sqlite_transaction(conn: Connection) -> None:
    """Make the rebuild one transaction, so a crash in between cannot lose a table.

    Python's sqlite3 driver begins a transaction only before a data change, so the DDL above
    would otherwise commit statement by statement. ``IMMEDIATE`` takes the write lock first:
    a broker appending records meanwhile waits instead of failing the rebuild halfway.
    """
    dbapi_connection: Any = conn.connection.dbapi_connection
    if not dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


MIGRATIONS = [
    Migration(1, "protocol records, outbox, protocol reads", _v1),
    Migration(2, "sequence numbers are never reused (SQLite AUTOINCREMENT)", _v2),
]
