"""The one interface through which § 40 protocol records are written and read.

``append`` is one durable transaction (record + its side effects) that returns only after the
commit; SQLite runs with ``synchronous=FULL`` and PostgreSQL with its durable
``synchronous_commit`` — a connection where either is weakened is refused. Any database
failure is :class:`ProtocolUnavailable`, so the pipeline can fail closed. Every read names its
reader and purpose and is logged in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    RowMapping,
    bindparam,
    event,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy import literal as sql_literal
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import type_coerce

from datenspiegel.protocol._schema import MIGRATIONS, outbox, reads, records
from datenspiegel.protocol.errors import (
    DuplicateRecord,
    InvalidRecord,
    ProtocolError,
    ProtocolUnavailable,
)
from datenspiegel.protocol.log import digest_and_leaf, record_tag
from datenspiegel.protocol.reads import ProtocolRead, ReadPurpose
from datenspiegel.protocol.record import (
    Outcome,
    ProtocolRecord,
    from_plain,
    json_normalised,
    to_plain,
)
from datenspiegel.protocol.side_effect import OutboxEntry, SideEffect
from datenspiegel.store import BROKER, create_store_engine, probe_write, upgrade

__all__ = ["ProtocolStore"]

_MAX_LIMIT = 100_000
_INSERT_RECORD = records.insert()
#: Was a verified message with this id answered or rejected (every claim asks; built once).
_MESSAGE_SEEN = (
    select(records.c.seq)
    .where(
        records.c.request_message_id == bindparam("message_id"),
        records.c.certificate_fingerprint.is_not(None),
        records.c.outcome.in_(
            [Outcome.ANSWERED.value, Outcome.REJECTED.value, Outcome.DUPLICATE.value]
        ),
    )
    .limit(1)
)
# PRAGMA synchronous: 2 = FULL, 3 = EXTRA; anything less may lose a committed record.
_SQLITE_DURABLE = (2, 3)


def _first_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


def _install_durability_guard(engine: Engine) -> None:
    """Refuse connections on which a commit might not survive a crash.

    Registered after ``create_store_engine``'s own listener, so it checks the settings that
    listener made, plus anything a URL or server configuration changed.
    """

    @event.listens_for(engine, "connect")
    def _check(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            if engine.dialect.name == "sqlite":
                cursor.execute("PRAGMA synchronous")
                level = cursor.fetchone()[0]
                if level not in _SQLITE_DURABLE:
                    raise ProtocolUnavailable(
                        f"SQLite synchronous={level}: the protocol needs FULL (2) or EXTRA (3)"
                    )
            elif engine.dialect.name == "postgresql":
                cursor.execute("SHOW synchronous_commit")
                setting = cursor.fetchone()[0]
                if str(setting).lower() == "off":
                    raise ProtocolUnavailable(
                        "PostgreSQL synchronous_commit=off: a committed protocol record could "
                        "be lost; remove that setting for the broker-state database"
                    )
        finally:
            cursor.close()


def _record_row(record: ProtocolRecord, key: bytes | None) -> dict[str, Any]:
    """The row of ``record``: its fields, the digest of its personal content, and its tag
    (protocol/log.py: what makes a row written by anyone else recognisable)."""
    row = to_plain(record)
    digest, leaf = digest_and_leaf(record)
    row["content_digest"] = digest
    row["tag"] = record_tag(key, leaf) if key is not None else None
    row["log_index"] = None
    return row


def _record(row: RowMapping) -> ProtocolRecord:
    return from_plain(dict(row))


def _outbox_entry(row: RowMapping) -> OutboxEntry:
    return OutboxEntry(
        id=row["id"],
        record_id=row["record_id"],
        side_effect=SideEffect(kind=row["kind"], payload=row["payload"]),
        created_at=row["created_at"],
        processed_at=row["processed_at"],
    )


def _reader(reader: str, purpose: ReadPurpose) -> None:
    if not isinstance(reader, str) or not reader.strip():
        raise InvalidRecord("a read of the protocol must name its reader")
    if not isinstance(purpose, ReadPurpose):
        raise InvalidRecord(f"purpose must be a ReadPurpose, not {purpose!r}")


def _context(context: Mapping[str, Any] | None) -> dict[str, Any]:
    """The caller's account of a read (command, system account), kept in the read log."""
    if context is None:
        return {}
    if not isinstance(context, Mapping) or not all(isinstance(k, str) for k in context):
        raise InvalidRecord("the context of a read is a mapping with text keys")
    return {"context": json_normalised(dict(context), "the context of a read")}


def _person_ids(person_ids: Sequence[int] | None) -> list[int] | None:
    if person_ids is None:
        return None
    ids = list(person_ids)
    if not ids or not all(isinstance(p, int) and not isinstance(p, bool) for p in ids):
        raise InvalidRecord(f"person_ids must be a non-empty list of person ids, not {ids!r}")
    return sorted(set(ids))


def _any_hit(dialect: str, person_ids: list[int]) -> ColumnElement[bool]:
    """Records whose ``hits`` name one of ``person_ids`` (every disclosed or withheld person
    is among the hits), as the database can test it: JSONB containment on PostgreSQL,
    ``json_each`` on SQLite."""
    if dialect == "postgresql":
        hits = type_coerce(records.c.hits, JSONB)
        return or_(*(hits.contains([person]) for person in person_ids))
    each = func.json_each(records.c.hits).table_valued("value")
    return exists(select(sql_literal(1)).select_from(each).where(each.c.value.in_(person_ids)))


class ProtocolStore:
    """§ 40 protocol records in the broker-state database at ``url`` (component ``protocol``)."""

    def __init__(
        self, url: str | None = None, *, engine: Engine | None = None, lock_timeout: float = 30.0
    ) -> None:
        """On its own database (``url``) or on the broker database's one shared ``engine``
        (whose every connection is then checked for durability too)."""
        if engine is None:
            if url is None:
                raise ValueError("ProtocolStore needs a URL or an engine")
            engine = create_store_engine(url, durable=True, lock_timeout=lock_timeout)
        _install_durability_guard(engine)
        self._engine = engine
        #: the key of the records' tags (protocol/log.py, derived from the broker's signing
        #: key); None: records are appended without a tag (tools and tests without the key)
        self.record_key: bytes | None = None

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    dispose = close

    @contextmanager
    def _tx(self, what: str) -> Iterator[Connection]:
        try:
            with self._engine.begin() as conn:
                yield conn
        except ProtocolError:
            raise
        except Exception as exc:
            # Whatever went wrong below us, the outcome for the caller is the same: the protocol
            # cannot be relied on, so nothing may be sent.
            raise ProtocolUnavailable(
                f"protocol database: cannot {what}: {_first_line(exc)}"
            ) from exc

    def migrate(self) -> int:
        """Create or upgrade the broker-state database (all of it: its Alembic history) to
        head; return the protocol's frozen legacy version, which every database at or past the
        baseline has."""
        try:
            upgrade(self._engine, BROKER)
            return MIGRATIONS[-1].version
        except ProtocolError:
            raise
        except Exception as exc:
            raise ProtocolUnavailable(
                f"cannot migrate the protocol schema: {_first_line(exc)}"
            ) from exc

    # -- writing -----------------------------------------------------------------------------

    def message_seen(self, message_id: str, conn: Connection | None = None) -> bool:
        """Whether a *verified* message with this ``nachrichtenUUID`` was answered or rejected
        (within the retention period: the records are kept that long). Records of unverified
        messages carry only a claimed id (no certificate) and do not count — nobody can burn
        another's UUID by sending garbage under it — and neither do technical refusals (0910:
        T070, too old, …), after which the same message may be sent again
        (protocol/replay.py)."""
        values = {"message_id": message_id}
        if conn is not None:  # the caller's transaction (on the same database)
            return conn.execute(_MESSAGE_SEEN, values).first() is not None
        with self._tx("look up a message id") as own:
            return own.execute(_MESSAGE_SEEN, values).first() is not None

    def probe_writable(self, *, timeout: float = 1.0) -> None:
        """Raise :class:`ProtocolUnavailable` unless a record could be committed now.

        A real, durable write (one heartbeat row) plus, on PostgreSQL, the lock an append takes
        on the record table without waiting: a locked database, a full disk or a read-only
        server all fail here, as they would fail the next append.
        """
        try:
            probe_write(self._engine, timeout=timeout, lock_tables=(records.name, outbox.name))
        except ProtocolError:
            raise
        except Exception as exc:
            raise ProtocolUnavailable(
                f"protocol database cannot take writes: {_first_line(exc)}"
            ) from exc

    def append(
        self,
        record: ProtocolRecord,
        side_effects: Sequence[SideEffect] = (),
        *,
        with_record: Sequence[Callable[[Connection], None]] = (),
    ) -> None:
        """Write ``record`` and its ``side_effects`` in one transaction; return after commit.

        ``with_record`` are further writes of the same transaction on the same database (the
        Identifikationsmerkmale of a hit list): they exist exactly when the record does.
        Raises :class:`ProtocolUnavailable` (or its leaf :class:`DuplicateRecord`) when the
        record is not durably in the protocol; then neither are the side effects.
        """
        if not isinstance(record, ProtocolRecord):
            raise InvalidRecord(f"append() needs a ProtocolRecord, not {type(record).__name__}")
        effects = tuple(side_effects)
        for effect in effects:
            if not isinstance(effect, SideEffect):
                raise InvalidRecord(f"side effects must be SideEffect, not {type(effect).__name__}")
        row = _record_row(record, self.record_key)
        try:
            with self._tx("append a record") as conn:
                conn.execute(_INSERT_RECORD, row)  # a cached statement, not 28 binds
                if effects:
                    now = datetime.now(UTC)
                    conn.execute(
                        outbox.insert(),
                        [
                            {
                                "record_id": record.record_id,
                                "kind": e.kind,
                                "payload": dict(e.payload),
                                "created_at": now,
                                "processed_at": None,
                            }
                            for e in effects
                        ],
                    )
                for write in with_record:
                    write(conn)
        except ProtocolUnavailable as exc:
            if isinstance(exc.__cause__, IntegrityError) and self._exists(record.record_id):
                raise DuplicateRecord(
                    f"record {record.record_id} is already in the protocol; the transaction "
                    "needs a record of its own"
                ) from exc.__cause__
            raise

    def _exists(self, record_id: str) -> bool:
        with self._tx("look up a record id") as conn:
            found = conn.execute(
                select(records.c.seq).where(records.c.record_id == record_id)
            ).first()
        return found is not None

    # -- reading (logged) --------------------------------------------------------------------

    @staticmethod
    def log_read_in(
        conn: Connection,
        *,
        reader: str,
        purpose: ReadPurpose,
        query: dict[str, Any],
        record_ids: list[str],
    ) -> None:
        """Log a read in the caller's transaction (the read and its log commit together)."""
        conn.execute(
            reads.insert().values(
                reader=reader,
                purpose=purpose.value,
                accessed_at=datetime.now(UTC),
                query=query,
                record_ids=record_ids,
            )
        )

    _log_read = log_read_in

    def get(
        self,
        record_id: str,
        *,
        reader: str,
        purpose: ReadPurpose,
        context: Mapping[str, Any] | None = None,
    ) -> ProtocolRecord | None:
        """The record with ``record_id``, or ``None``; the read is logged (also when empty),
        with ``context`` (the caller's account: command, system account) if given."""
        _reader(reader, purpose)
        logged = _context(context)
        with self._tx("read a record") as conn:
            row = conn.execute(select(records).where(records.c.record_id == record_id)).first()
            self._log_read(
                conn,
                reader=reader,
                purpose=purpose,
                query={"record_id": record_id, **logged},
                record_ids=[record_id] if row else [],
            )
        return _record(row._mapping) if row else None

    def records(
        self,
        *,
        reader: str,
        purpose: ReadPurpose,
        since: datetime | None = None,
        until: datetime | None = None,
        authority_id: int | None = None,
        limit: int = 1000,
        authority_kennung: str | None = None,
        service: str | None = None,
        outcome: Outcome | None = None,
        person_ids: Sequence[int] | None = None,
        sicherheitsbehoerde: bool | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> list[ProtocolRecord]:
        """Records received in ``[since, until)``, oldest first; the read is logged.

        Further filters, each only when given: the authority's Kennung, the ``service``, the
        ``outcome``, the persons (records whose hits name one of ``person_ids``: the data
        subject's retrievals) and the class the request was answered in
        (``sicherheitsbehoerde=False``: public bodies only, § 11 Abs. 1 Nr. 3 BMG). The
        filters are applied by the database, so the read log lists exactly the records
        returned; the given filters and ``context`` are logged with the query.
        """
        _reader(reader, purpose)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= _MAX_LIMIT:
            raise InvalidRecord(f"limit must be 1–{_MAX_LIMIT}, not {limit!r}")
        for name, moment in (("since", since), ("until", until)):
            if moment is not None and moment.tzinfo is None:
                raise InvalidRecord(f"{name} must be timezone-aware")
        if outcome is not None and not isinstance(outcome, Outcome):
            raise InvalidRecord(f"outcome must be an Outcome, not {outcome!r}")
        if sicherheitsbehoerde is not None and not isinstance(sicherheitsbehoerde, bool):
            raise InvalidRecord("sicherheitsbehoerde must be a bool or None")
        persons = _person_ids(person_ids)
        logged = _context(context)
        query = select(records)
        if since is not None:
            query = query.where(records.c.received_at >= since)
        if until is not None:
            query = query.where(records.c.received_at < until)
        if authority_id is not None:
            query = query.where(records.c.authority_id == authority_id)
        filters: dict[str, Any] = {}
        if authority_kennung is not None:
            query = query.where(records.c.authority_kennung == authority_kennung)
            filters["authority_kennung"] = authority_kennung
        if service is not None:
            query = query.where(records.c.service == service)
            filters["service"] = service
        if outcome is not None:
            query = query.where(records.c.outcome == outcome.value)
            filters["outcome"] = outcome.value
        if sicherheitsbehoerde is not None:
            query = query.where(records.c.sicherheitsbehoerde.is_(sicherheitsbehoerde))
            filters["sicherheitsbehoerde"] = sicherheitsbehoerde
        if persons is not None:
            query = query.where(_any_hit(self._engine.dialect.name, persons))
            filters["person_ids"] = persons
        query = query.order_by(records.c.received_at, records.c.seq).limit(limit)
        with self._tx("read records") as conn:
            rows = conn.execute(query).all()
            found = [_record(r._mapping) for r in rows]
            self._log_read(
                conn,
                reader=reader,
                purpose=purpose,
                query={
                    "since": since.isoformat() if since else None,
                    "until": until.isoformat() if until else None,
                    "authority_id": authority_id,
                    "limit": limit,
                    **filters,
                    **logged,
                },
                record_ids=[r.record_id for r in found],
            )
        return found

    def log_refused_read(
        self,
        *,
        reader: str,
        purpose: ReadPurpose,
        reason: str,
        query: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        """Record an attempt to read that was refused before anything was read (the reader's
        roles do not cover ``purpose``): the read log shows attempts too, with no records
        and ``reason`` under ``query["refused"]``."""
        _reader(reader, purpose)
        if not isinstance(reason, str) or not reason:
            raise InvalidRecord("a refused read needs its reason")
        asked = json_normalised(dict(query or {}), "the query of a refused read")
        with self._tx("log a refused read") as conn:
            self._log_read(
                conn,
                reader=reader,
                purpose=purpose,
                query={**asked, "refused": reason, **_context(context)},
                record_ids=[],
            )

    def count(self) -> int:
        """Number of records (reveals nothing about their content, so not logged as a read)."""
        with self._tx("count records") as conn:
            return int(conn.execute(select(func.count()).select_from(records)).scalar_one())

    def reads(self, *, limit: int = 1000) -> list[ProtocolRead]:
        """The latest reads of the protocol, newest first (tools and tests; the logged way for
        a person is :meth:`read_log`)."""
        with self._tx("read the protocol read log") as conn:
            rows = (
                conn.execute(select(reads).order_by(reads.c.id.desc()).limit(limit))
                .mappings()
                .all()
            )
        return self._reads_of(rows)

    def read_log(
        self,
        *,
        reader: str,
        purpose: ReadPurpose,
        since: datetime | None = None,
        until: datetime | None = None,
        by: str | None = None,
        limit: int = 1000,
        context: Mapping[str, Any] | None = None,
    ) -> list[ProtocolRead]:
        """The log of reads of the protocol — who read which records, when and why — for the
        data-protection control (§ 40 BMG: every read is recorded, so that reads can be
        checked), newest first; ``by``: one reader's. This look at the log is itself logged,
        in the same transaction."""
        _reader(reader, purpose)
        query = select(reads).order_by(reads.c.id.desc()).limit(limit)
        if since is not None:
            query = query.where(reads.c.accessed_at >= since)
        if until is not None:
            query = query.where(reads.c.accessed_at < until)
        if by is not None:
            query = query.where(reads.c.reader == by)
        asked = {
            "read_log": True,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "by": by,
            "limit": limit,
        }
        with self._tx("read the protocol read log") as conn:
            rows = conn.execute(query).mappings().all()
            self._log_read(
                conn,
                reader=reader,
                purpose=purpose,
                query={**asked, **_context(context)},
                record_ids=[],
            )
        return self._reads_of(rows)

    @staticmethod
    def _reads_of(rows: Sequence[RowMapping]) -> list[ProtocolRead]:
        return [
            ProtocolRead(
                id=r["id"],
                reader=r["reader"],
                purpose=ReadPurpose(r["purpose"]),
                accessed_at=r["accessed_at"],
                query=r["query"],
                record_ids=tuple(r["record_ids"]),
            )
            for r in rows
        ]

    # -- outbox ------------------------------------------------------------------------------

    def side_effects(self, record_id: str) -> list[OutboxEntry]:
        """The side effects written with ``record_id``, in the order given to ``append``."""
        with self._tx("read the outbox") as conn:
            rows = (
                conn.execute(
                    select(outbox).where(outbox.c.record_id == record_id).order_by(outbox.c.id)
                )
                .mappings()
                .all()
            )
        return [_outbox_entry(r) for r in rows]

    def pending_side_effects(self, *, limit: int = 100) -> list[OutboxEntry]:
        """Side effects not yet delivered, oldest first (for the delivering worker)."""
        with self._tx("read the outbox") as conn:
            rows = (
                conn.execute(
                    select(outbox)
                    .where(outbox.c.processed_at.is_(None))
                    .order_by(outbox.c.id)
                    .limit(limit)
                )
                .mappings()
                .all()
            )
        return [_outbox_entry(r) for r in rows]

    def mark_side_effect_processed(self, entry_id: int, *, at: datetime | None = None) -> bool:
        """Mark an outbox entry delivered; False if it was unknown or already processed."""
        with self._tx("update the outbox") as conn:
            updated = conn.execute(
                outbox.update()
                .where(outbox.c.id == entry_id, outbox.c.processed_at.is_(None))
                .values(processed_at=at or datetime.now(UTC))
            ).rowcount
        return bool(updated)
