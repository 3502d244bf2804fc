"""ProtocolStore on both back-ends: durable append, round trip, outbox atomicity, read log,
fail-closed behaviour when the database is gone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypedDict, cast

import pytest
from sqlalchemy import inspect, text

from datenspiegel.protocol import (
    DuplicateRecord,
    InvalidRecord,
    Outcome,
    ProtocolRecord,
    ProtocolStore,
    ProtocolUnavailable,
    ReadPurpose,
    SideEffect,
    new_record_id,
)
from datenspiegel.store import schema_version
from tests.test_protocol_record import full_record


class _Reader(TypedDict):
    reader: str
    purpose: ReadPurpose


AUDIT: _Reader = {"reader": "operator:pruefer-1", "purpose": ReadPurpose.DATENSCHUTZKONTROLLE}


@pytest.fixture
def store(database_url: str) -> Iterator[ProtocolStore]:
    s = ProtocolStore(database_url)
    s.migrate()
    yield s
    s.dispose()


def _at(minute: int, **changes: object) -> ProtocolRecord:
    moment = datetime(2025, 11, 28, 10, minute, tzinfo=UTC)
    return full_record(received_at=moment, answered_at=moment + timedelta(seconds=1), **changes)


def test_migrate_creates_tables_and_is_idempotent(store: ProtocolStore) -> None:
    assert schema_version(store.engine, "protocol") == 5
    assert store.migrate() == 5
    tables = set(inspect(store.engine).get_table_names())
    assert {"protocol_record", "protocol_outbox", "protocol_access"} <= tables
    indexed = {
        tuple(ix["column_names"]) for ix in inspect(store.engine).get_indexes("protocol_record")
    }
    for column in ("received_at", "authority_id", "outcome", "request_message_id"):
        assert (column,) in indexed


def test_commits_are_durable_on_the_protocol_engine(store: ProtocolStore) -> None:
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        else:
            assert conn.execute(text("SHOW synchronous_commit")).scalar() != "off"


def test_weakened_postgresql_durability_is_refused(pg_url: str) -> None:
    store = ProtocolStore(pg_url.replace("options=", "options=-csynchronous_commit%3Doff%20"))
    try:
        with pytest.raises(ProtocolUnavailable, match="synchronous_commit=off"):
            store.migrate()
        with pytest.raises(ProtocolUnavailable, match="synchronous_commit=off"):
            store.append(full_record())
    finally:
        store.dispose()


def test_append_and_get_round_trip_every_field(store: ProtocolStore, database_url: str) -> None:
    record = full_record()
    store.append(record)
    assert store.count() == 1
    found = store.get(record.record_id, **AUDIT)
    assert found == record
    assert found is not None and found.received_at.tzinfo == UTC
    # a fresh process (new engine) sees the committed record
    other = ProtocolStore(database_url)
    try:
        assert other.get(record.record_id, **AUDIT) == record
    finally:
        other.dispose()
    assert store.get(new_record_id(), **AUDIT) is None


def test_round_trip_of_minimal_and_content_free_records(store: ProtocolStore) -> None:
    now = datetime.now(UTC)
    minimal = ProtocolRecord(
        record_id=new_record_id(),
        received_at=now,
        answered_at=now,
        service="unbekannt",
        outcome=Outcome.RETURNED,
        outcome_codes=("X000",),
        request_digest="0" * 64,
        sicherheitsbehoerde=False,
    )
    reduced = full_record(sicherheitsbehoerde=True).without_content()
    odd = full_record(
        search_data={"strasse": "Weg \\u0000 1", "ctl\x01": ["ǅ", "e\u0301"], "n": 1.5},
        requesting_body={"name": "Ŀ" * 120},
    )
    for record in (minimal, reduced, odd):
        store.append(record)
        assert store.get(record.record_id, **AUDIT) == record


def test_duplicate_record_id_is_refused(store: ProtocolStore) -> None:
    record = full_record()
    store.append(record)
    again = full_record(record_id=record.record_id, hits=(), hit_count=0, disclosed={}, withheld=())
    with pytest.raises(DuplicateRecord, match=record.record_id) as info:
        store.append(again, [SideEffect(kind="manueller_fall", payload={})])
    assert isinstance(info.value, ProtocolUnavailable)
    assert store.get(record.record_id, **AUDIT) == record
    assert store.side_effects(record.record_id) == []


def test_records_filters_and_order(store: ProtocolStore) -> None:
    later, first, other, last = _at(20), _at(5), _at(10, authority_id=99), _at(30)
    for record in (later, first, other, last):
        store.append(record)
    all_ = store.records(**AUDIT)
    assert [r.record_id for r in all_] == [
        first.record_id,
        other.record_id,
        later.record_id,
        last.record_id,
    ]
    window = store.records(
        **AUDIT,
        since=datetime(2025, 11, 28, 10, 10, tzinfo=UTC),
        until=datetime(2025, 11, 28, 11, 30, tzinfo=timezone(timedelta(hours=1))),  # 10:30 UTC
    )
    assert [r.record_id for r in window] == [other.record_id, later.record_id]
    assert [r.record_id for r in store.records(**AUDIT, authority_id=99)] == [other.record_id]
    assert len(store.records(**AUDIT, limit=2)) == 2
    with pytest.raises(InvalidRecord, match="limit"):
        store.records(**AUDIT, limit=0)
    with pytest.raises(InvalidRecord, match="timezone-aware"):
        store.records(**AUDIT, since=datetime(2025, 1, 1))


def test_every_read_is_recorded(store: ProtocolStore) -> None:
    record = full_record()
    store.append(record)
    store.get(
        record.record_id, reader="betroffenenauskunft", purpose=ReadPurpose.AUSKUNFT_BETROFFENE
    )
    store.records(**AUDIT, authority_id=7, limit=10)
    store.get(new_record_id(), **AUDIT)
    newest, middle, oldest = store.reads()
    assert oldest.reader == "betroffenenauskunft"
    assert oldest.purpose is ReadPurpose.AUSKUNFT_BETROFFENE
    assert oldest.query == {"record_id": record.record_id}
    assert oldest.record_ids == (record.record_id,)
    assert oldest.accessed_at.tzinfo == UTC
    assert middle.purpose is ReadPurpose.DATENSCHUTZKONTROLLE
    assert middle.query == {"since": None, "until": None, "authority_id": 7, "limit": 10}
    assert middle.record_ids == (record.record_id,)
    assert newest.record_ids == ()
    assert store.count() == 1  # counting is not a read of content
    assert len(store.reads()) == 3
    with pytest.raises(InvalidRecord, match="reader"):
        store.get(record.record_id, reader=" ", purpose=ReadPurpose.BETRIEB)
    with pytest.raises(InvalidRecord, match="ReadPurpose"):
        store.records(reader="x", purpose=cast(Any, "neugier"))


def test_a_read_that_cannot_be_logged_does_not_happen(store: ProtocolStore) -> None:
    record = full_record()
    store.append(record)
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE protocol_access"))
    with pytest.raises(ProtocolUnavailable):
        store.get(record.record_id, **AUDIT)
    with pytest.raises(ProtocolUnavailable):
        store.records(**AUDIT)


def test_side_effects_are_written_with_the_record(store: ProtocolStore) -> None:
    record = full_record()
    effects = [
        SideEffect(kind="manueller_fall", payload={"ags": "03241001", "person": 123456789}),
        SideEffect(kind="hinweis_sicherheitsbehoerde", payload={"authority": "dbs:lka"}),
    ]
    store.append(record, effects)
    entries = store.side_effects(record.record_id)
    assert [e.side_effect for e in entries] == effects
    assert all(e.record_id == record.record_id and e.processed_at is None for e in entries)
    assert [e.id for e in store.pending_side_effects()] == [e.id for e in entries]
    assert store.mark_side_effect_processed(entries[0].id)
    assert not store.mark_side_effect_processed(entries[0].id)
    assert [e.id for e in store.pending_side_effects()] == [entries[1].id]
    assert store.side_effects(record.record_id)[0].processed_at is not None


def test_record_and_side_effects_commit_together(store: ProtocolStore) -> None:
    """If the outbox insert fails, the record is not in the protocol either."""
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE protocol_outbox"))
    record = full_record()
    with pytest.raises(ProtocolUnavailable, match="append a record"):
        store.append(record, [SideEffect(kind="manueller_fall", payload={"ags": "03241001"})])
    assert store.count() == 0
    assert store.get(record.record_id, **AUDIT) is None
    store.append(record)  # without side effects the record alone can still be written
    assert store.count() == 1


def test_dropped_table_is_protocol_unavailable(store: ProtocolStore) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE protocol_outbox"))
        conn.execute(text("DROP TABLE protocol_record"))
    with pytest.raises(ProtocolUnavailable) as info:
        store.append(full_record())
    assert isinstance(info.value, RuntimeError)
    with pytest.raises(ProtocolUnavailable):
        store.count()


def test_unreachable_server_is_protocol_unavailable() -> None:
    store = ProtocolStore("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    try:
        with pytest.raises(ProtocolUnavailable):
            store.migrate()
        with pytest.raises(ProtocolUnavailable):
            store.append(full_record())
    finally:
        store.dispose()


def test_append_refuses_other_types(store: ProtocolStore) -> None:
    with pytest.raises(InvalidRecord):
        store.append(cast(Any, {"record_id": "x"}))
    with pytest.raises(InvalidRecord):
        store.append(full_record(), [cast(Any, {"kind": "x"})])
    assert store.count() == 0


def test_concurrent_appends(store: ProtocolStore) -> None:
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(15):
                store.append(full_record(), [SideEffect(kind="k", payload={})])
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count() == 60
    assert len(store.pending_side_effects(limit=1000)) == 60
