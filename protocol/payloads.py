"""The signed answer kept as the data retrieved (§ 40 Abs. 1 Nr. 2 BMG), encrypted per period.

Every answer the broker sent is kept with its record — the signed document itself, byte for
byte, so that what left can be proven and not only described (non-repudiation: the broker's
signature is in it). It is compressed (zlib) and encrypted with AES-256-GCM under the key of
its *period* (the calendar year in Lower Saxony the record was written in); the period keys are
stored wrapped (AES key wrap) under a key derived from the service's protocol key
(``signing.protocol_key``). The record id is the associated data: a payload cannot be moved to
another record.

Deleting a period at the end of its retention (:mod:`datenspiegel.protocol.retention`) destroys
its payloads *and its key*: whatever copy of the database survives — a backup, a replica — the
answers of that period can no longer be read (crypto-shredding), while the Merkle log's leaves,
which hold only digests, keep every proof.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import weakref
import zlib
from datetime import datetime
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap
from sqlalchemy import (
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from datenspiegel.protocol._component import ComponentStore
from datenspiegel.protocol.errors import ProtocolError
from datenspiegel.register.stichtag import stichtag
from datenspiegel.store import Migration, UTCDateTime

__all__ = [
    "COMPONENT",
    "PayloadGone",
    "PayloadStore",
    "kek",
    "period_keys",
    "period_of",
    "sealed_records",
]

COMPONENT = "payloads"

_meta = MetaData()
period_keys = Table(
    "protocol_period_key",
    _meta,
    Column("period", String(7), primary_key=True),
    # the period's data key, wrapped; NULL once destroyed
    Column("wrapped_key", LargeBinary, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("destroyed_at", UTCDateTime, nullable=True),
)
payloads = Table(
    "protocol_payload",
    _meta,
    Column("record_id", String(36), primary_key=True),
    Column("period", String(7), nullable=False, index=True),
    Column("nonce", LargeBinary(12), nullable=False),
    Column("ciphertext", LargeBinary, nullable=False),
    Column("answer_digest", String(64), nullable=False),
)

#: Records kept on a security authority's behalf, sealed to its public key (§ 40 Abs. 3 BMG;
#: protocol/sealed.py). The operator cannot open them; they go with their records at purge.
# Its own metadata: the table came with broker revision 0004, not with the frozen component
# migrations (the baseline renders the component's metadata).
sealed_records = Table(
    "protocol_sealed",
    MetaData(),
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(36), nullable=False, unique=True),
    Column("authority_id", Integer, nullable=False),
    Column("period", String(7), nullable=False, index=True),
    Column("received_at", UTCDateTime, nullable=False),
    # SHA-256 of the certificate (DER) whose key the envelope is sealed to
    Column("recipient", String(64), nullable=False),
    Column("envelope", Text, nullable=False),  # JWE, compact serialisation
    Index("ix_protocol_sealed_authority", "authority_id", "seq"),
    sqlite_autoincrement=True,
)


def _v1(conn: Connection) -> None:
    _meta.create_all(conn, tables=[period_keys, payloads])


# Frozen (store/migrations.py): the sealed records' table came with broker revision 0004.
MIGRATIONS = [Migration(1, "answers kept encrypted per period, period keys wrapped", _v1)]


class PayloadGone(ProtocolError):
    """The payload was deleted with its period (retention), or never kept."""


def period_of(moment: datetime) -> str:
    """The retention period of a record written at ``moment``: its calendar year in Lower
    Saxony (§ 40 BMG: deleted at the latest at the end of the following calendar year)."""
    return str(stichtag(moment).year)


@lru_cache(maxsize=8)
def kek(protocol_key: bytes) -> bytes:
    """The key that wraps the period keys, derived from the protocol key."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"datenspiegel period key wrap v1"
    ).derive(protocol_key)


class _StoredPeriodKeys:
    """Period keys found stored (committed) in a database, unwrapped, kept for a few minutes
    so that keeping an answer costs no key query.

    Only a key read from a committed row is kept here — never one inserted by the running
    transaction, which might still roll back. A year's key is destroyed only after the year
    after it (§ 40 Abs. 4 BMG, :meth:`PayloadStore.shred_in`), so the current period's key
    is never one being shredded; ``shred_in`` forgets what it destroys all the same, and an
    entry lives at most :attr:`TTL` seconds (a shred by another process is seen by then).
    """

    TTL = 300.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: weakref.WeakKeyDictionary[Engine, dict[tuple[bytes, str], tuple[bytes, float]]]
        self._keys = weakref.WeakKeyDictionary()

    def get(self, engine: Engine, wrapping: bytes, period: str) -> bytes | None:
        with self._lock:
            entry = self._keys.get(engine, {}).get((wrapping, period))
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def put(self, engine: Engine, wrapping: bytes, period: str, key: bytes) -> None:
        with self._lock:
            per_engine = self._keys.setdefault(engine, {})
            per_engine[(wrapping, period)] = (key, time.monotonic() + self.TTL)

    def forget(self, engine: Engine, *, periods_before: str) -> None:
        with self._lock:
            per_engine = self._keys.get(engine, {})
            for entry in [e for e in per_engine if e[1] < periods_before]:
                del per_engine[entry]


_STORED_KEYS = _StoredPeriodKeys()
#: built once: an answer is kept in every answered transaction
_INSERT_PAYLOAD = payloads.insert()


class PayloadStore(ComponentStore):
    """Encrypted answers in the broker-state database (component ``payloads``)."""

    COMPONENT = COMPONENT
    MIGRATIONS = MIGRATIONS
    HOLDS = "the kept answers"

    @staticmethod
    def _period_key(conn: Connection, period: str, wrapping: bytes, now: datetime) -> bytes:
        engine = conn.engine
        key = _STORED_KEYS.get(engine, wrapping, period)
        if key is not None:
            return key
        query = select(period_keys.c.wrapped_key).where(period_keys.c.period == period)
        row = conn.execute(query).first()
        stored = row is not None
        if not stored:  # the period's first answer here: make its key (the first one wins)
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            fresh = os.urandom(32)
            conn.execute(
                dialect.insert(period_keys)
                .values(period=period, wrapped_key=aes_key_wrap(wrapping, fresh), created_at=now)
                .on_conflict_do_nothing()
            )
            row = conn.execute(query).one()
        assert row is not None
        if row.wrapped_key is None:
            raise PayloadGone(f"the key of period {period} was destroyed; nothing is kept for it")
        key = aes_key_unwrap(wrapping, bytes(row.wrapped_key))
        if stored:
            _STORED_KEYS.put(engine, wrapping, period, key)
        return key

    @staticmethod
    def keep_in(
        conn: Connection, *, protocol_key: bytes, record_id: str, answer: bytes, at: datetime
    ) -> None:
        """Keep ``answer`` for record ``record_id`` in the caller's transaction (the record's)."""
        period = period_of(at)
        key = PayloadStore._period_key(conn, period, kek(protocol_key), at)
        nonce = os.urandom(12)
        sealed = AESGCM(key).encrypt(nonce, zlib.compress(answer, 6), record_id.encode())
        conn.execute(
            _INSERT_PAYLOAD,
            {
                "record_id": record_id,
                "period": period,
                "nonce": nonce,
                "ciphertext": sealed,
                "answer_digest": hashlib.sha256(answer).hexdigest(),
            },
        )

    def answer(self, record_id: str, *, protocol_key: bytes) -> bytes:
        """The signed answer as it was sent (PayloadGone when deleted with its period)."""
        with self._tx("read a kept answer") as conn:
            row = conn.execute(select(payloads).where(payloads.c.record_id == record_id)).first()
            if row is None:
                raise PayloadGone(f"no answer is kept for record {record_id}")
            wrapped = conn.execute(
                select(period_keys.c.wrapped_key).where(period_keys.c.period == row.period)
            ).scalar()
        if wrapped is None:
            raise PayloadGone(f"the key of period {row.period} was destroyed")
        key = aes_key_unwrap(kek(protocol_key), bytes(wrapped))
        plain = zlib.decompress(
            AESGCM(key).decrypt(bytes(row.nonce), bytes(row.ciphertext), record_id.encode())
        )
        if hashlib.sha256(plain).hexdigest() != row.answer_digest:
            raise ProtocolError(f"the kept answer of record {record_id} does not match its digest")
        return plain

    @staticmethod
    def shred_in(conn: Connection, *, periods_before: str, at: datetime) -> tuple[int, int]:
        """Destroy the keys and delete the payloads of every period before ``periods_before``
        (in the caller's transaction); returns (keys destroyed, payloads deleted)."""
        _STORED_KEYS.forget(conn.engine, periods_before=periods_before)
        keys = conn.execute(
            update(period_keys)
            .where(period_keys.c.period < periods_before, period_keys.c.wrapped_key.is_not(None))
            .values(wrapped_key=None, destroyed_at=at)
        ).rowcount
        deleted = conn.execute(delete(payloads).where(payloads.c.period < periods_before)).rowcount
        sealed = conn.execute(
            delete(sealed_records).where(sealed_records.c.period < periods_before)
        ).rowcount
        return int(keys or 0), int(deleted or 0) + int(sealed or 0)
