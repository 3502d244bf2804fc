"""Migration 3 of the protocol (issue 7): the record says per person what left.

§ 40 Abs. 1 Nr. 2 and 7 BMG: the data retrieved and the hits. Until schema version 2 a record
kept one answer-wide ``disclosed_elements`` (for status 01 the *requested* codes); version 3
keeps ``disclosed`` (person id → element codes transmitted) and ``withheld`` (persons held
back). Existing records keep what they said, for the one person it can only have meant, and
nothing is invented for the rest — on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import MetaData, inspect

from datenspiegel.protocol import Outcome, ProtocolRecord, ProtocolStore, ReadPurpose, _schema
from datenspiegel.protocol._schema import COMPONENT, MIGRATIONS, _protocol_tables
from datenspiegel.protocol.record import RECORD_FIELDS, to_plain
from datenspiegel.store import migrate, schema_version
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund
from tests.test_protocol_record import full_record

AUDIT: dict[str, Any] = {"reader": "tests", "purpose": ReadPurpose.DATENSCHUTZKONTROLLE}
OLD_RECORDS, OLD_OUTBOX, _ = _protocol_tables(MetaData(), version=2)


@pytest.fixture
def v2_store(database_url: str) -> Iterator[ProtocolStore]:
    """A store whose database is at schema version 2, as databases made before issue 7 are."""
    s = ProtocolStore(database_url)
    assert migrate(s.engine, COMPONENT, MIGRATIONS[:2]) == 2
    yield s
    s.dispose()


def _write_old(store: ProtocolStore, record: ProtocolRecord, disclosed_elements: list[int]) -> None:
    """``record`` as the broker before issue 7 wrote it."""
    row = to_plain(record)
    assert row.pop("disclosed") == {} and row.pop("withheld") == []
    assert row.pop("request_bytes") is None and row.pop("answer_bytes") is None  # revision 0006
    row["disclosed_elements"] = disclosed_elements
    with store.engine.begin() as conn:
        conn.execute(OLD_RECORDS.insert(), row)
        conn.execute(
            OLD_OUTBOX.insert(),
            {
                "record_id": record.record_id,
                "kind": "aussteuerung_1322",
                "payload": {"person_id": record.hits[0] if record.hits else None},
                "created_at": datetime.now(UTC),
                "processed_at": None,
            },
        )


PERSON = Ergebnisstatus.PERSON


def _old(codes: tuple[str, ...], hits: tuple[int, ...], **changes: Any) -> ProtocolRecord:
    values: dict[str, Any] = {
        "outcome_codes": codes,
        "hits": hits,
        "hit_count": len(hits),
        "disclosed": {},
        "withheld": (),
        "request_bytes": None,  # sizes came with broker revision 0006
        "answer_bytes": None,
    }
    return full_record(**{**values, **changes})


# (old record, its disclosed_elements, what migration 3 makes of it)
CASES: list[tuple[ProtocolRecord, list[int], dict[int, tuple[int, ...]]]] = [
    (_old((PERSON,), (7,)), [1, 13, 48], {7: (1, 13, 48)}),  # the one hit of a status 01
    (_old((PERSON,), (8,)), [], {8: ()}),  # status 01, nothing requested: the person was named
    # hit-list entries were never recorded: none are invented
    (_old((Ergebnisstatus.TREFFERLISTE,), (2, 3)), [], {}),
    (_old((Ergebnisstatus.NEUTRAL,), (4,)), [], {}),  # blocked or nobody: nothing left
    (_old((Grund.MINDESTANGABEN_FEHLEN,), (), outcome=Outcome.REJECTED), [], {}),
    (_old((PERSON,), (9,), sicherheitsbehoerde=True).without_content(), [], {}),
]


def test_migration_3_carries_each_record_over_as_it_stood(
    v2_store: ProtocolStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_schema, "_BATCH", 2)  # several batches, one ending mid-way
    for record, elements, _expected in CASES:
        _write_old(v2_store, record, elements)

    assert v2_store.migrate() == MIGRATIONS[-1].version == 5  # 3, 4, 5
    assert schema_version(v2_store.engine, COMPONENT) == 5
    columns = {c["name"] for c in inspect(v2_store.engine).get_columns("protocol_record")}
    log = {"log_index", "content_digest", "tag"}  # version 4: the Merkle log (protocol/log.py)
    assert columns == {name for name, _kind in RECORD_FIELDS} | {"seq"} | log
    for record, _elements, expected in CASES:
        migrated = v2_store.get(record.record_id, **AUDIT)
        assert migrated is not None
        assert migrated.disclosed == expected and migrated.withheld == ()
        assert migrated == ProtocolRecord(**{**_fields(record), "disclosed": expected})
        assert len(v2_store.side_effects(record.record_id)) == 1

    # The migrated table takes today's records, and the migration runs once.
    fresh = full_record()
    v2_store.append(fresh)
    assert v2_store.get(fresh.record_id, **AUDIT) == fresh
    assert v2_store.migrate() == 5
    if v2_store.engine.dialect.name == "sqlite":
        database = v2_store.engine.url.database
        assert database is not None
        with closing(sqlite3.connect(database)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            sql = conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'protocol_record'"
            ).fetchone()[0]
        assert "AUTOINCREMENT" in sql and "disclosed_elements" not in sql


def _fields(record: ProtocolRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name, _kind in RECORD_FIELDS}


def test_an_empty_protocol_migrates_from_scratch(database_url: str) -> None:
    store = ProtocolStore(database_url)
    try:
        assert store.migrate() == 5
        record = full_record()
        store.append(record)
        assert store.get(record.record_id, **AUDIT) == record
    finally:
        store.dispose()
