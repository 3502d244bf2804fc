"""The § 40 protocol as a tamper-evident Merkle log (issue 9, point 1; protocol/log.py).

Records are altered, deleted, inserted and reordered directly in the database — as someone
with database access but without the broker's keys could — and ``verify`` must name what and
where, on SQLite and PostgreSQL. § 40 BMG: the protocol is the evidence of every retrieval;
DOMAIN.md § 6.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import delete, insert, select, update

from datenspiegel.protocol._schema import checkpoints, log_nodes, records
from datenspiegel.protocol.log import ProtocolLog
from datenspiegel.protocol.merkle import parse_checkpoint, split_signed_checkpoint
from datenspiegel.protocol.store import ProtocolStore
from tests.test_protocol_record import full_record

KEY = ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def store(database_url: str) -> Iterator[ProtocolStore]:
    s = ProtocolStore(database_url)
    s.migrate()
    s.record_key = secrets.token_bytes(32)
    yield s
    s.dispose()


def _log(store: ProtocolStore) -> ProtocolLog:
    return ProtocolLog(store.engine, record_key=store.record_key)


def _fill(store: ProtocolStore, count: int, start: int = 0) -> list[str]:
    ids = []
    for n in range(start, start + count):
        moment = datetime(2026, 11, 29, 8, 0, tzinfo=UTC) + timedelta(seconds=n)
        record = full_record(received_at=moment, answered_at=moment + timedelta(seconds=1))
        store.append(record)
        ids.append(record.record_id)
    return ids


def _kinds(store: ProtocolStore) -> list[tuple[str, int | None]]:
    report = _log(store).verify(KEY.public_key())
    return [(f.kind, f.log_index) for f in report.findings]


def test_an_untouched_log_verifies_with_its_checkpoints(store: ProtocolStore) -> None:
    _fill(store, 7)
    log = _log(store)
    note = log.checkpoint(KEY)
    assert note is not None
    body, signatures = split_signed_checkpoint(note)
    assert parse_checkpoint(body).size == 7 and len(signatures) == 1
    _fill(store, 5, start=7)
    assert log.checkpoint(KEY) is not None
    assert log.checkpoint(KEY) is None  # nothing new
    report = log.verify(KEY.public_key())
    assert report.ok, report.findings
    assert (report.records, report.logged, report.pending, report.checkpoints, report.size) == (
        12,
        12,
        0,
        2,
        12,
    )


def test_an_altered_record_is_named(store: ProtocolStore) -> None:
    ids = _fill(store, 6)
    _log(store).checkpoint(KEY)
    with store.engine.begin() as conn:
        conn.execute(
            update(records).where(records.c.record_id == ids[3]).values(outcome_codes=["03"])
        )
    kinds = _kinds(store)
    assert ("altered", 3) in kinds  # the leaf logged at index 3 no longer matches
    assert ("inserted", 3) in kinds  # and the row's tag no longer matches: not the broker's
    assert ("checkpoint", None) in kinds


def test_altered_personal_content_is_named(store: ProtocolStore) -> None:
    ids = _fill(store, 4)
    _log(store).sequence_all()
    with store.engine.begin() as conn:
        conn.execute(
            update(records).where(records.c.record_id == ids[1]).values(aktenzeichen="AZ gefälscht")
        )
    assert ("content", 1) in _kinds(store)


def test_a_deleted_record_is_named(store: ProtocolStore) -> None:
    ids = _fill(store, 6)
    _log(store).checkpoint(KEY)
    with store.engine.begin() as conn:
        conn.execute(delete(records).where(records.c.record_id == ids[2]))
    assert ("removed", 2) in _kinds(store)
    with store.engine.begin() as conn:  # and also its leaf: still seen, by index and root
        conn.execute(delete(log_nodes).where(log_nodes.c.level == 0, log_nodes.c.idx == 2))
    kinds = _kinds(store)
    assert ("removed", 2) in kinds and ("checkpoint", None) in kinds


def test_the_newest_records_deleted_are_named(store: ProtocolStore) -> None:
    ids = _fill(store, 5)
    _log(store).checkpoint(KEY)
    with store.engine.begin() as conn:
        conn.execute(delete(records).where(records.c.record_id.in_(ids[3:])))
    kinds = _kinds(store)
    assert ("removed", 3) in kinds and ("removed", 4) in kinds


def test_an_inserted_record_is_named(store: ProtocolStore) -> None:
    _fill(store, 3)
    _log(store).checkpoint(KEY)
    forged = ProtocolStore(store.engine.url.render_as_string(hide_password=False))
    forged.record_key = secrets.token_bytes(32)  # not the broker's key
    _fill(forged, 1, start=10)
    forged.dispose()
    with store.engine.begin() as conn:  # one more, written by hand without any tag
        row = dict(conn.execute(select(records).limit(1)).mappings().one())
        row.update(seq=None, record_id=full_record().record_id, log_index=None, tag=None)
        del row["seq"]
        conn.execute(insert(records).values(**row))
    report = _log(store).verify(KEY.public_key())
    inserted = [f for f in report.findings if f.kind == "inserted"]
    assert len(inserted) == 2 and report.pending == 2
    _log(store).sequence_all()  # logging them does not make them the broker's
    assert [f.kind for f in _log(store).verify(KEY.public_key()).findings] == ["inserted"] * 2


def test_reordered_records_are_named(store: ProtocolStore) -> None:
    ids = _fill(store, 5)
    _log(store).checkpoint(KEY)
    with store.engine.begin() as conn:
        conn.execute(update(records).where(records.c.record_id == ids[1]).values(log_index=-1))
        conn.execute(update(records).where(records.c.record_id == ids[3]).values(log_index=1))
        conn.execute(update(records).where(records.c.record_id == ids[1]).values(log_index=3))
    kinds = _kinds(store)
    assert ("altered", 1) in kinds and ("altered", 3) in kinds
    assert ("checkpoint", None) in kinds


def test_a_forged_checkpoint_is_refused(store: ProtocolStore) -> None:
    _fill(store, 3)
    _log(store).checkpoint(KEY)
    other = ec.generate_private_key(ec.SECP256R1())
    with store.engine.begin() as conn:
        conn.execute(delete(checkpoints))
    _fill(store, 1, start=3)
    _log(store).checkpoint(other)
    findings = _log(store).verify(KEY.public_key()).findings
    assert [f.kind for f in findings] == ["checkpoint"]
    assert "not signed by the broker" in findings[0].message


def test_concurrent_appenders_and_sequencers_make_one_log(store: ProtocolStore) -> None:
    """Several processes append and sequence at the same time (threads here, each with its
    own connections): every record gets exactly one log index, 0…n-1, and the log verifies."""
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(15):
                _fill(store, 1, start=worker * 100 + n)
                if n % 4 == 0:
                    _log(store).sequence()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    _log(store).checkpoint(KEY)
    with store.engine.connect() as conn:
        indexes = sorted(conn.execute(select(records.c.log_index)).scalars())
    assert indexes == list(range(60))
    report = _log(store).verify(KEY.public_key())
    assert report.ok, report.findings[:3]
