"""Identifikationsmerkmale (§ 39 Abs. 2 BMG, BMeldDAV § 9) handed out with hit lists.

Opaque random tokens (256 bits, URL-safe): they reveal nothing about the person, are not
derived from register data nor the internal id, are valid 48 hours, usable only by the
authority that received them, and — being random and kept until the protocol retention ends —
never reused. Kept in the broker-state database so that every broker process and host shares
them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    delete,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from datenspiegel.store import (
    BROKER,
    Migration,
    StoreUnavailable,
    UTCDateTime,
    create_store_engine,
    upgrade,
)

__all__ = ["GUELTIGKEIT", "Merkmal", "MerkmalStore", "MerkmalUnavailable"]

GUELTIGKEIT = timedelta(hours=48)


class MerkmalUnavailable(StoreUnavailable):
    """The Identifikationsmerkmale cannot be read or written now (the broker database)."""


@contextmanager
def _unavailable_as_store_error(what: str) -> Iterator[None]:
    try:
        yield
    except SQLAlchemyError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MerkmalUnavailable(f"broker database: cannot {what}: {first}") from exc


@dataclass(frozen=True, slots=True)
class Merkmal:
    """One Identifikationsmerkmal as stored: bound to the authority it was handed to."""

    merkmal: str
    person_id: int
    authority_id: int
    issued_at: datetime
    expires_at: datetime
    request_message_id: str | None


_meta = MetaData()
_merkmal = Table(
    "identifikationsmerkmal",
    _meta,
    Column("merkmal", String(64), primary_key=True),
    Column("person_id", BigInteger, nullable=False),
    Column("authority_id", Integer, nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("request_message_id", String(36), nullable=True),
    Index("ix_identifikationsmerkmal_expires", "expires_at"),
)


def _create(conn: Connection) -> None:
    _meta.create_all(conn)


_MIGRATIONS = [Migration(1, "identifikationsmerkmal table", _create)]


class MerkmalStore:
    def __init__(
        self, url: str | None = None, *, engine: Engine | None = None, lock_timeout: float = 30.0
    ) -> None:
        if engine is None:
            if url is None:
                raise ValueError("MerkmalStore needs a URL or an engine")
            engine = create_store_engine(url, durable=True, lock_timeout=lock_timeout)
        self._engine = engine

    def migrate(self) -> int:
        """Create or upgrade the broker-state database (all of it: its Alembic history) to
        head; return the frozen legacy version of the Merkmal table."""
        with _unavailable_as_store_error("migrate the Identifikationsmerkmal table"):
            upgrade(self._engine, BROKER)
            return _MIGRATIONS[-1].version

    def issue(
        self,
        person_ids: Iterable[int],
        *,
        authority_id: int,
        now: datetime,
        request_message_id: str | None = None,
    ) -> dict[int, str]:
        """One fresh Merkmal per person, bound to ``authority_id``; committed before return.

        The broker does not use this: it stores the Merkmale of an answer in the protocol
        record's own commit (:meth:`store_in`), so an answer's Merkmale exist exactly when its
        record does. Kept for tools and tests.
        """
        issued = {person_id: secrets.token_urlsafe(32) for person_id in person_ids}
        rows = [
            Merkmal(m, person_id, authority_id, now, now + GUELTIGKEIT, request_message_id)
            for person_id, m in issued.items()
        ]
        if rows:
            with _unavailable_as_store_error("store Identifikationsmerkmale"):
                with self._engine.begin() as conn:
                    self.store_in(conn, rows)
        return issued

    @staticmethod
    def store_in(conn: Connection, merkmale: Sequence[Merkmal]) -> None:
        """Insert ``merkmale`` within the caller's transaction (the protocol record's)."""
        if not merkmale:
            return
        conn.execute(
            _merkmal.insert(),
            [
                {
                    "merkmal": m.merkmal,
                    "person_id": m.person_id,
                    "authority_id": m.authority_id,
                    "issued_at": m.issued_at,
                    "expires_at": m.expires_at,
                    "request_message_id": m.request_message_id,
                }
                for m in merkmale
            ],
        )

    def resolve(self, merkmal: str, *, authority_id: int, now: datetime) -> int | None:
        """The person id, or None when unknown, expired or issued to another authority."""
        with _unavailable_as_store_error("look up an Identifikationsmerkmal"):
            with self._engine.connect() as conn:
                row = conn.execute(
                    select(_merkmal.c.person_id, _merkmal.c.expires_at).where(
                        and_(_merkmal.c.merkmal == merkmal, _merkmal.c.authority_id == authority_id)
                    )
                ).first()
        if row is None or row.expires_at <= now:
            return None
        return int(row.person_id)

    def purge_expired(self, *, now: datetime) -> int:
        """Delete the Identifikationsmerkmale past their 48 hours (BMeldDAV § 9): they
        cannot be used any more and must not be kept (``datenspiegel protocol purge``)."""
        with self._engine.begin() as conn:
            result = conn.execute(delete(_merkmal).where(_merkmal.c.expires_at <= now))
        return int(result.rowcount or 0)

    def close(self) -> None:
        self._engine.dispose()
