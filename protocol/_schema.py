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

import sqlite3
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    column,
    func,
    insert,
    inspect,
    select,
    table,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateColumn, CreateIndex, CreateTable

from datenspiegel.protocol.record import legacy_disclosed
from datenspiegel.store import Migration, StoreError
from datenspiegel.store.columns import JSON_DOCUMENT, UTCDateTime

__all__ = [
    "COMPONENT",
    "MIGRATIONS",
    "checkpoints",
    "log_nodes",
    "log_state",
    "metadata",
    "outbox",
    "reads",
    "records",
]

COMPONENT = "protocol"

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit sequence.
_SEQ = BigInteger().with_variant(Integer(), "sqlite")
# JSON literals both back-ends accept as a column default (PostgreSQL casts them to jsonb).
_EMPTY_OBJECT = text("'{}'")
_EMPTY_LIST = text("'[]'")
# Records read per round trip by a migration that rewrites rows.
_BATCH = 5000


def _log_columns(version: int) -> list[Any]:
    """Version 4: the record's place in the Merkle log (set by the sequencer), the digest of
    its personal content (kept when the content is purged) and its authentication tag."""
    if version < 4:
        return []
    return [
        Column("log_index", BigInteger, nullable=True),
        Column("content_digest", String(64), nullable=True),
        Column("tag", String(64), nullable=True),
        Index("ux_protocol_record_log_index", "log_index", unique=True),
        Index(
            "ix_protocol_record_unlogged",
            "seq",
            postgresql_where=text("log_index IS NULL"),
            sqlite_where=text("log_index IS NULL"),
        ),
    ]


def _protocol_tables(meta: MetaData, *, version: int) -> tuple[Table, Table, Table]:
    """The tables as schema version ``version`` (1–4) has them.

    Migrations build from this definition, so it must keep describing what they created: a
    later version that changes a column gets its own branch here (and an ``ALTER`` in its
    migration) instead of an edit of an earlier one. Version 2 adds ``sqlite_autoincrement``
    (PostgreSQL's DDL is the same for 1 and 2); version 3 replaces the record's answer-wide
    ``disclosed_elements`` by ``disclosed`` (per person) and ``withheld``.
    """
    if version not in (1, 2, 3, 4):
        raise ValueError(f"the protocol schema has versions 1–4, not {version}")
    options: dict[str, Any] = {"sqlite_autoincrement": version >= 2}
    if version >= 3:
        disclosed = [
            # Added by ALTER TABLE to tables with rows: the defaults fill those rows.
            Column("disclosed", JSON_DOCUMENT, nullable=False, server_default=_EMPTY_OBJECT),
            Column("withheld", JSON_DOCUMENT, nullable=False, server_default=_EMPTY_LIST),
        ]
    else:
        disclosed = [Column("disclosed_elements", JSON_DOCUMENT, nullable=False)]
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
        *disclosed,
        Column("hits", JSON_DOCUMENT, nullable=False),
        Column("hit_count", Integer, nullable=False),
        Column("detail", Text, nullable=True),
        Column("content_recorded", Boolean, nullable=False),
        *_log_columns(version),
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


#: The component's tables as the frozen hand-written migrations left them (broker revision 0001
#: creates and renders exactly these).
metadata = MetaData()
_legacy_records, outbox, reads = _protocol_tables(metadata, version=4)


def _record_table() -> Table:
    """The record table as the code uses it: the frozen shape plus the columns of later broker
    revisions (0006: the message sizes, § 40 Abs. 3 BMG metadata)."""
    table = _legacy_records.to_metadata(MetaData())
    table.append_column(Column("request_bytes", BigInteger, nullable=True))
    table.append_column(Column("answer_bytes", BigInteger, nullable=True))
    return table


records = _record_table()

# The Merkle log (version 4, protocol/log.py): every perfect subtree's hash (level 0: the
# leaves), the sequencer's state, and the signed checkpoints.
log_nodes = Table(
    "protocol_log_node",
    metadata,
    Column("level", Integer, primary_key=True, autoincrement=False),
    Column("idx", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)
log_state = Table(
    "protocol_log_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("size", BigInteger, nullable=False),
    Column("frontier", JSON_DOCUMENT, nullable=False),
    # records appended before version 4 carry no tag: those with seq below this are not
    # judged by their tag (they could not have one)
    Column("tagged_from_seq", BigInteger, nullable=False),
    # version 5 (retention): the records with a smaller log index were deleted at the end of
    # their retention (their leaves stay), and the service's tag over that mark
    Column("purged_until", BigInteger, nullable=False, server_default=text("0")),
    Column("purge_tag", String(64), nullable=True),
)
checkpoints = Table(
    "protocol_checkpoint",
    metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("root", LargeBinary(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("note", Text, nullable=False),  # the signed checkpoint (protocol/merkle.py)
)


def _v1(conn: Connection) -> None:
    version_1 = MetaData()
    _protocol_tables(version_1, version=1)
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
    tables = _protocol_tables(MetaData(), version=2)
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


def _v3(conn: Connection) -> None:
    """The record says per person what left (§ 40 Abs. 1 Nr. 2, 7 BMG): ``disclosed`` and
    ``withheld`` replace ``disclosed_elements``, on both back-ends.

    The columns are added with their empty defaults; each existing record's old statement is
    carried over as :func:`~datenspiegel.protocol.record.legacy_disclosed` reads it (the
    requested codes of a status-01 answer's one hit; nothing else was recorded, so nothing
    else is invented); then the old column is dropped. Rows are read in ``seq`` order in
    batches, so a protocol of any size is migrated in bounded memory. SQLite needs 3.35 or
    newer for ``DROP COLUMN``.
    """
    if conn.dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35, 0):
        raise StoreError(
            f"protocol migration 3 needs SQLite 3.35 or newer (ALTER TABLE … DROP COLUMN); "
            f"this Python has SQLite {sqlite3.sqlite_version}: use a newer Python build or "
            "PostgreSQL"
        )
    old, _, _ = _protocol_tables(MetaData(), version=2)
    quote = conn.dialect.identifier_preparer.quote
    name = quote(records.name)
    for added in (records.c.disclosed, records.c.withheld):
        ddl = CreateColumn(added).compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {ddl}")
    update = (
        records.update()
        .where(records.c.seq == bindparam("old_seq"))
        .values(disclosed=bindparam("old_disclosed"))
    )
    last = 0
    while True:
        rows = conn.execute(
            select(old.c.seq, old.c.outcome_codes, old.c.hits, old.c.disclosed_elements)
            .where(old.c.seq > last)
            .order_by(old.c.seq)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].seq
        changes = [
            {"old_seq": row.seq, "old_disclosed": {str(p): c for p, c in disclosed.items()}}
            for row in rows
            if (disclosed := legacy_disclosed(row.outcome_codes, row.hits, row.disclosed_elements))
        ]
        if changes:
            conn.execute(update, changes)
    conn.exec_driver_sql(f"ALTER TABLE {name} DROP COLUMN {quote('disclosed_elements')}")


_LOG_INDEXES = ("ux_protocol_record_log_index", "ix_protocol_record_unlogged")


def _v4(conn: Connection) -> None:
    """The Merkle log: log index, content digest and tag on the records, and the log's
    tables. Existing records get no tag (none was made); the sequencer logs them like new
    ones, and the state remembers from which ``seq`` on every record must carry a tag."""
    name = conn.dialect.identifier_preparer.quote(records.name)
    for added in (records.c.log_index, records.c.content_digest, records.c.tag):
        ddl = CreateColumn(added).compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {ddl}")
    for index in records.indexes:
        if index.name in _LOG_INDEXES:
            conn.execute(CreateIndex(index))
    metadata.create_all(conn, tables=[log_nodes, log_state, checkpoints])
    highest = conn.execute(select(func.max(records.c.seq))).scalar()
    conn.execute(
        log_state.insert().values(id=1, size=0, frontier=[], tagged_from_seq=int(highest or 0) + 1)
    )


def _v5(conn: Connection) -> None:
    """Retention: the log remembers up to which log index records were deleted."""
    name = conn.dialect.identifier_preparer.quote(log_state.name)
    # a log created by version 4 of this code already has them (its table definition is today's)
    present = {c["name"] for c in inspect(conn).get_columns(log_state.name)}
    for added in (log_state.c.purged_until, log_state.c.purge_tag):
        if added.name not in present:
            ddl = CreateColumn(added).compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {ddl}")


MIGRATIONS = [
    Migration(1, "protocol records, outbox, protocol reads", _v1),
    Migration(2, "sequence numbers are never reused (SQLite AUTOINCREMENT)", _v2),
    Migration(3, "per person what was disclosed and who was withheld (§ 40 Nr. 2, 7)", _v3),
    Migration(4, "the Merkle log: log index, content digest and tag; nodes, checkpoints", _v4),
    Migration(5, "retention: the log index up to which records were deleted", _v5),
]
