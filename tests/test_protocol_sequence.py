"""Protocol sequence numbers are never reused, on both back-ends (issue 5): a deleted newest
record leaves a gap, it is not silently replaced by the next append. Migration 2 gives existing
SQLite databases that property, keeping every row, every number and the outbox's foreign key."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, Table, delete, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from datenspiegel.protocol import ProtocolStore, ProtocolUnavailable, ReadPurpose, SideEffect
from datenspiegel.protocol._schema import (
    COMPONENT,
    MIGRATIONS,
    _protocol_tables,
    outbox,
    reads,
    records,
)
from datenspiegel.protocol.record import to_plain
from datenspiegel.store import migrate, schema_version
from tests.test_protocol_record import full_record

#: The tables as schema versions 1 and 2 have them (the record still with
#: ``disclosed_elements``): what databases made before migration 3 hold.
OLD = _protocol_tables(MetaData(), version=2)

AUDIT: dict[str, Any] = {
    "reader": "operator:pruefer-1",
    "purpose": ReadPurpose.DATENSCHUTZKONTROLLE,
}


@pytest.fixture
def store(database_url: str) -> Iterator[ProtocolStore]:
    s = ProtocolStore(database_url)
    s.migrate()
    yield s
    s.dispose()


@pytest.fixture
def v1_store(database_url: str) -> Iterator[ProtocolStore]:
    """A store whose database is at schema version 1, as databases made before issue 5 are."""
    s = ProtocolStore(database_url)
    assert migrate(s.engine, COMPONENT, MIGRATIONS[:1]) == 1
    yield s
    s.dispose()


def _keys(store: ProtocolStore, table: Table) -> list[int]:
    key = table.primary_key.columns.values()[0]
    with store.engine.connect() as conn:
        return list(conn.execute(select(key).order_by(key)).scalars())


def _delete_newest(store: ProtocolStore, table: Table) -> int:
    """Delete the row with the highest number behind the store's back; return that number."""
    key = table.primary_key.columns.values()[0]
    with store.engine.begin() as conn:
        newest = int(conn.execute(select(func.max(key))).scalar_one())
        if table.name == records.name:
            record_id = conn.execute(select(records.c.record_id).where(key == newest)).scalar()
            conn.execute(delete(outbox).where(outbox.c.record_id == record_id))
        conn.execute(delete(table).where(key == newest))
    return newest


def _fill(store: ProtocolStore, count: int) -> list[str]:
    """``count`` records, each with a side effect, each read once (one protocol_access row)."""
    record_ids: list[str] = []
    for _ in range(count):
        record = full_record()
        store.append(record, [SideEffect(kind="manueller_fall", payload={"n": len(record_ids)})])
        assert store.get(record.record_id, **AUDIT) == record
        record_ids.append(record.record_id)
    return record_ids


def _fill_old(store: ProtocolStore, count: int) -> list[str]:
    """As :func:`_fill`, into a database at schema version 1 or 2 (rows as the broker of that
    time wrote them: the store of today no longer can)."""
    old_records, old_outbox, old_reads = OLD
    record_ids: list[str] = []
    for _ in range(count):
        row = to_plain(full_record(disclosed={}, withheld=(), hits=(7,), hit_count=1))
        del row["disclosed"], row["withheld"]
        row["disclosed_elements"] = [1, 7, 13]
        now = datetime.now(UTC)
        with store.engine.begin() as conn:
            conn.execute(old_records.insert(), row)
            conn.execute(
                old_outbox.insert(),
                {
                    "record_id": row["record_id"],
                    "kind": "manueller_fall",
                    "payload": {"n": len(record_ids)},
                    "created_at": now,
                    "processed_at": None,
                },
            )
            conn.execute(
                old_reads.insert(),
                {
                    "reader": AUDIT["reader"],
                    "purpose": AUDIT["purpose"].value,
                    "accessed_at": now,
                    "query": {"record_id": row["record_id"]},
                    "record_ids": [row["record_id"]],
                },
            )
        record_ids.append(row["record_id"])
    return record_ids


@pytest.mark.parametrize("table", [records, outbox, reads], ids=lambda t: t.name)
def test_deleted_newest_number_is_never_issued_again(store: ProtocolStore, table: Table) -> None:
    _fill(store, 3)
    issued = _keys(store, table)
    assert len(issued) == 3
    deleted = _delete_newest(store, table)
    assert deleted == max(issued)
    _fill(store, 1)
    after = _keys(store, table)
    assert after[:-1] == issued[:-1]
    assert after[-1] > max(issued)  # a gap where the deleted row was, not its number again


def _snapshot(
    store: ProtocolStore, tables: tuple[Table, ...] = OLD
) -> dict[str, list[tuple[Any, ...]]]:
    with store.engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(
                    select(table).order_by(table.primary_key.columns.values()[0])
                )
            ]
            for table in tables
        }


def test_migration_2_keeps_every_row_and_number(v1_store: ProtocolStore, tmp_path: Path) -> None:
    record_ids = _fill_old(v1_store, 5)
    v1_store.mark_side_effect_processed(_keys(v1_store, outbox)[0])
    # Gaps in the middle and at the end, for every table: they must survive the rebuild.
    with v1_store.engine.begin() as conn:
        conn.execute(delete(outbox).where(outbox.c.record_id == record_ids[1]))
        conn.execute(delete(records).where(records.c.record_id == record_ids[1]))
    for table in (records, outbox, reads):
        _delete_newest(v1_store, table)
    before = _snapshot(v1_store)
    issued = {table.name: max(_keys(v1_store, table)) for table in (records, outbox, reads)}
    assert [_keys(v1_store, table) for table in (records, outbox, reads)] == [
        [1, 3, 4],
        [1, 3],
        [1, 2, 3, 4],
    ]

    assert migrate(v1_store.engine, COMPONENT, MIGRATIONS[:2]) == MIGRATIONS[1].version == 2
    assert schema_version(v1_store.engine, COMPONENT) == 2
    assert _snapshot(v1_store) == before

    # The outbox still refers to its records, and the database still enforces that.
    foreign_keys = inspect(v1_store.engine).get_foreign_keys("protocol_outbox")
    assert [(fk["referred_table"], fk["referred_columns"]) for fk in foreign_keys] == [
        ("protocol_record", ["record_id"])
    ]
    orphan = {
        "record_id": "no-such-record",
        "kind": "manueller_fall",
        "payload": {},
        "created_at": datetime.now(UTC),
    }
    with pytest.raises(IntegrityError), v1_store.engine.begin() as conn:
        conn.execute(outbox.insert(), orphan)
    if v1_store.engine.dialect.name == "sqlite":
        with v1_store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"

    # Numbers continue above the highest ever seen, after a further deletion too.
    _fill_old(v1_store, 1)
    for table in (records, outbox, reads):
        assert max(_keys(v1_store, table)) > issued[table.name]
        deleted = _delete_newest(v1_store, table)
        _fill_old(v1_store, 1)
        assert max(_keys(v1_store, table)) > deleted
    assert migrate(v1_store.engine, COMPONENT, MIGRATIONS[:2]) == 2  # and it runs once


def test_version_1_on_sqlite_reused_numbers(tmp_path: Path) -> None:
    """The premise of the migration: version 1 hands a deleted newest seq out again."""
    store = ProtocolStore(f"sqlite:///{tmp_path / 'protocol.sqlite'}")
    try:
        migrate(store.engine, COMPONENT, MIGRATIONS[:1])
        _fill_old(store, 2)
        deleted = _delete_newest(store, records)
        _fill_old(store, 1)
        assert max(_keys(store, records)) == deleted
    finally:
        store.dispose()


def _sqlite_sql(path: Path, name: str) -> str:
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return str(row[0])


def test_sqlite_tables_autoincrement_and_sequence_is_seeded(tmp_path: Path) -> None:
    path = tmp_path / "protocol.sqlite"
    store = ProtocolStore(f"sqlite:///{path}")
    try:
        migrate(store.engine, COMPONENT, MIGRATIONS[:1])
        _fill_old(store, 4)
        for table in (records, outbox, reads):
            assert "AUTOINCREMENT" not in _sqlite_sql(path, table.name)
        store.migrate()
        for table in (records, outbox, reads):
            assert "AUTOINCREMENT" in _sqlite_sql(path, table.name)
        with closing(sqlite3.connect(path)) as conn:
            # the whole broker-state database is migrated; the protocol's tables are judged
            rows = conn.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
            seeded = {name: seq for name, seq in rows if name.startswith("protocol_")}
            leftovers = conn.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE '%\\_\\_v1%' ESCAPE '\\'"
            ).fetchall()
        assert seeded == {"protocol_record": 4, "protocol_outbox": 4, "protocol_access": 4}
        assert leftovers == []
    finally:
        store.dispose()


def test_failed_sqlite_migration_loses_nothing(tmp_path: Path) -> None:
    # An outbox row whose record is gone (possible only with foreign keys switched off) stops
    # the rebuild halfway: the whole migration is rolled back, version 1 stays intact.
    path = tmp_path / "protocol.sqlite"
    store = ProtocolStore(f"sqlite:///{path}")
    try:
        migrate(store.engine, COMPONENT, MIGRATIONS[:1])
        _fill_old(store, 2)
        before = _snapshot(store)
        store.dispose()
        with closing(sqlite3.connect(path)) as conn, conn:  # foreign keys are off here
            conn.execute(
                "INSERT INTO protocol_outbox (record_id, kind, payload, created_at) "
                "VALUES ('gone', 'manueller_fall', '{}', '2025-11-28 10:00:00.000000')"
            )
        with pytest.raises(ProtocolUnavailable, match="FOREIGN KEY"):
            store.migrate()
        assert schema_version(store.engine, COMPONENT) == 1
        for table in (records, outbox, reads):
            assert "AUTOINCREMENT" not in _sqlite_sql(path, table.name)
        after = _snapshot(store)
        assert after["protocol_record"] == before["protocol_record"]
        assert after["protocol_access"] == before["protocol_access"]
        assert len(after["protocol_outbox"]) == len(before["protocol_outbox"]) + 1
    finally:
        store.dispose()


def test_new_numbers_are_bigint_on_postgresql(pg_url: str) -> None:
    store = ProtocolStore(pg_url)
    try:
        store.migrate()
        columns = {
            table.name: {c["name"]: c for c in inspect(store.engine).get_columns(table.name)}
            for table in (records, outbox, reads)
        }
    finally:
        store.dispose()
    for name, key in (("protocol_record", "seq"), ("protocol_outbox", "id")):
        column = columns[name][key]
        assert str(column["type"]) == "BIGINT"
        assert "nextval" in str(column["default"])
    assert str(columns["protocol_access"]["id"]["type"]) == "BIGINT"
