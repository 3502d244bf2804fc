"""Hand-over cases and notices (1322) until their recipients have taken them over.

A retrieval that obliges the operator to act (DOMAIN.md § 5: the hand-over to the competent
municipality, the § 34 Abs. 5 BMG notices) writes its duties into the protocol's outbox *and*
one case per recipient here, both in the protocol record's commit
(:meth:`CaseStore.store_in`). A case holds what its recipient needs — for a hand-over the
signed request as received, the requesting body, the search data and the persons found — and
its delivery state: created, fetched (by a recorded ``faelleAbrufen`` transaction),
acknowledged (``faelleQuittieren``). The outbox entry of a duty is marked processed when the
last case that discharges it is acknowledged: then the duty is delivered, not only stored.

Data minimisation (§ 40, § 41 BMG): the content (the request, the register data) is needed
only for the hand-over; :meth:`CaseStore.purge` drops it once a case has been acknowledged for
the retention period, keeping the delivery facts. Reads of case contents by the operator name
their reader and purpose and are logged in the read's own transaction, like protocol reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    and_,
    func,
    select,
)
from sqlalchemy.engine import Connection, RowMapping

from datenspiegel.protocol._component import ComponentStore
from datenspiegel.protocol._schema import outbox
from datenspiegel.protocol.errors import InvalidRecord
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.store import (
    JSON_DOCUMENT,
    Migration,
    UTCDateTime,
)

__all__ = ["COMPONENT", "Case", "CaseRead", "CaseState", "CaseStore"]

COMPONENT = "cases"
_SEQ = BigInteger().with_variant(Integer(), "sqlite")
_MAX_LIMIT = 100_000

_meta = MetaData()
_cases = Table(
    "hand_over_case",
    _meta,
    Column("seq", _SEQ, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False, unique=True),
    # The retrieval's protocol record (no foreign key: the protocol has its own retention).
    Column("record_id", String(36), nullable=False, index=True),
    Column("request_message_id", String(255), nullable=True),
    Column("person_id", BigInteger, nullable=True),
    Column("recipient", String(80), nullable=False),
    Column("kind", String(40), nullable=False),
    # Outbox kinds (protocol_outbox.kind) this case discharges for (record_id, person_id).
    Column("duties", JSON_DOCUMENT, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("content", LargeBinary, nullable=True),  # NULL once purged
    Column("disclosed", JSON_DOCUMENT, nullable=False),
    Column("fetched_at", UTCDateTime, nullable=True),
    Column("fetch_count", Integer, nullable=False, server_default="0"),
    Column("fetched_by", String(36), nullable=True),  # record id of the first fetch
    Column("acknowledged_at", UTCDateTime, nullable=True),
    Column("acknowledged_by", String(36), nullable=True),  # record id of the acknowledgement
    Column("purged_at", UTCDateTime, nullable=True),
    Index("ix_hand_over_case_open", "recipient", "acknowledged_at", "seq"),
    sqlite_autoincrement=True,
)
_reads = Table(
    "hand_over_case_read",
    _meta,
    Column("id", _SEQ, primary_key=True, autoincrement=True),
    Column("reader", Text, nullable=False),
    Column("purpose", String(40), nullable=False),
    Column("accessed_at", UTCDateTime, nullable=False, index=True),
    Column("query", JSON_DOCUMENT, nullable=False),
    Column("case_ids", JSON_DOCUMENT, nullable=False),
    sqlite_autoincrement=True,
)


def _v1(conn: Connection) -> None:
    _meta.create_all(conn)


MIGRATIONS = [Migration(1, "hand-over cases and their reads", _v1)]


@dataclass(frozen=True, slots=True)
class Case:
    """A case as the retrieval creates it."""

    case_id: str
    record_id: str
    request_message_id: str | None
    person_id: int | None
    recipient: str
    kind: str
    duties: tuple[str, ...]
    created_at: datetime
    content: bytes
    disclosed: Mapping[int, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if not self.recipient or not self.duties:
            raise InvalidRecord("a case needs its recipient and the duties it discharges")
        if self.created_at.tzinfo is None:
            raise InvalidRecord("created_at must be timezone-aware")


@dataclass(frozen=True, slots=True)
class CaseState:
    """A stored case: its facts and delivery state; ``content`` only when it was read."""

    case_id: str
    record_id: str
    request_message_id: str | None
    person_id: int | None
    recipient: str
    kind: str
    duties: tuple[str, ...]
    created_at: datetime
    fetched_at: datetime | None
    fetch_count: int
    fetched_by: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    purged_at: datetime | None
    disclosed: Mapping[int, tuple[int, ...]]
    content: bytes | None = None

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None

    def as_json(self, *, with_content: bool = False) -> dict[str, Any]:
        plain: dict[str, Any] = {
            "case_id": self.case_id,
            "kind": self.kind,
            "recipient": self.recipient,
            "record_id": self.record_id,
            "request_message_id": self.request_message_id,
            "duties": list(self.duties),
            "created_at": self.created_at.isoformat(),
            "fetched_at": _iso(self.fetched_at),
            "fetch_count": self.fetch_count,
            "acknowledged_at": _iso(self.acknowledged_at),
            "purged_at": _iso(self.purged_at),
        }
        if with_content:
            plain["person_id"] = self.person_id
            plain["disclosed"] = {str(k): list(v) for k, v in self.disclosed.items()}
            plain["content"] = self.content.decode("utf-8") if self.content else None
        return plain


@dataclass(frozen=True, slots=True)
class CaseRead:
    id: int
    reader: str
    purpose: ReadPurpose
    accessed_at: datetime
    query: Mapping[str, Any]
    case_ids: tuple[str, ...]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


_META_COLUMNS = [c for c in _cases.columns if c.name != "content"]


def _state(row: RowMapping, *, content: bool) -> CaseState:
    return CaseState(
        case_id=row["case_id"],
        record_id=row["record_id"],
        request_message_id=row["request_message_id"],
        person_id=row["person_id"],
        recipient=row["recipient"],
        kind=row["kind"],
        duties=tuple(row["duties"]),
        created_at=row["created_at"],
        fetched_at=row["fetched_at"],
        fetch_count=int(row["fetch_count"] or 0),
        fetched_by=row["fetched_by"],
        acknowledged_at=row["acknowledged_at"],
        acknowledged_by=row["acknowledged_by"],
        purged_at=row["purged_at"],
        disclosed=MappingProxyType({int(k): tuple(v) for k, v in (row["disclosed"] or {}).items()}),
        content=bytes(row["content"]) if content and row["content"] is not None else None,
    )


def _check_reader(reader: str, purpose: ReadPurpose) -> None:
    if not isinstance(reader, str) or not reader.strip():
        raise InvalidRecord("a read of hand-over cases must name its reader")
    if not isinstance(purpose, ReadPurpose):
        raise InvalidRecord(f"purpose must be a ReadPurpose, not {purpose!r}")


class CaseStore(ComponentStore):
    """Hand-over cases in the broker-state database (component ``cases``)."""

    COMPONENT = COMPONENT
    MIGRATIONS = MIGRATIONS
    HOLDS = "hand-over cases"

    # -- writes within the protocol record's transaction ------------------------------------

    @staticmethod
    def store_in(conn: Connection, cases: Sequence[Case]) -> None:
        """Insert ``cases`` within the caller's transaction (the retrieval's record)."""
        if not cases:
            return
        conn.execute(
            _cases.insert(),
            [
                {
                    "case_id": c.case_id,
                    "record_id": c.record_id,
                    "request_message_id": c.request_message_id,
                    "person_id": c.person_id,
                    "recipient": c.recipient,
                    "kind": c.kind,
                    "duties": list(c.duties),
                    "created_at": c.created_at,
                    "content": c.content,
                    "disclosed": {str(k): list(v) for k, v in c.disclosed.items()},
                    "fetch_count": 0,
                }
                for c in cases
            ],
        )

    @staticmethod
    def writer(cases: Sequence[Case]) -> Callable[[Connection], None]:
        return lambda conn: CaseStore.store_in(conn, cases)

    @staticmethod
    def mark_fetched_in(
        conn: Connection, case_ids: Sequence[str], *, at: datetime, record_id: str
    ) -> None:
        """Note a delivery by the ``faelleAbrufen`` transaction ``record_id``."""
        if not case_ids:
            return
        conn.execute(
            _cases.update()
            .where(_cases.c.case_id.in_(list(case_ids)), _cases.c.fetched_at.is_(None))
            .values(fetched_at=at, fetched_by=record_id)
        )
        conn.execute(
            _cases.update()
            .where(_cases.c.case_id.in_(list(case_ids)))
            .values(fetch_count=_cases.c.fetch_count + 1)
        )

    @staticmethod
    def acknowledge_in(
        conn: Connection, recipient: str, case_ids: Sequence[str], *, at: datetime, record_id: str
    ) -> None:
        """Acknowledge ``recipient``'s open ``case_ids``; mark each duty's outbox entry
        processed once no open case discharging it is left."""
        if not case_ids:
            return
        rows = conn.execute(
            select(_cases.c.record_id, _cases.c.person_id, _cases.c.duties).where(
                _cases.c.case_id.in_(list(case_ids)),
                _cases.c.recipient == recipient,
                _cases.c.acknowledged_at.is_(None),
            )
        ).all()
        conn.execute(
            _cases.update()
            .where(
                _cases.c.case_id.in_(list(case_ids)),
                _cases.c.recipient == recipient,
                _cases.c.acknowledged_at.is_(None),
            )
            .values(acknowledged_at=at, acknowledged_by=record_id)
        )
        for retrieval, person_id, duties in rows:
            still_open = conn.execute(
                select(_cases.c.duties).where(
                    _cases.c.record_id == retrieval,
                    _person_is(person_id),
                    _cases.c.acknowledged_at.is_(None),
                )
            ).all()
            open_duties = {kind for (kinds,) in still_open for kind in kinds}
            for kind in set(duties) - open_duties:
                entries = conn.execute(
                    select(outbox.c.id, outbox.c.payload).where(
                        outbox.c.record_id == retrieval,
                        outbox.c.kind == kind,
                        outbox.c.processed_at.is_(None),
                    )
                ).all()
                for entry_id, payload in entries:
                    if (payload or {}).get("person_id") == person_id:
                        conn.execute(
                            outbox.update()
                            .where(outbox.c.id == entry_id, outbox.c.processed_at.is_(None))
                            .values(processed_at=at)
                        )

    # -- the recipient's view (no content read by the operator) ------------------------------

    def open_for(self, recipient: str, *, limit: int) -> list[CaseState]:
        """``recipient``'s open cases with their content, oldest first (for ``faelleAbrufen``,
        whose own protocol record is the log of this read)."""
        with self._tx("read open cases") as conn:
            rows = (
                conn.execute(
                    select(_cases)
                    .where(_cases.c.recipient == recipient, _cases.c.acknowledged_at.is_(None))
                    .order_by(_cases.c.seq)
                    .limit(limit)
                )
                .mappings()
                .all()
            )
        return [_state(r, content=True) for r in rows]

    def count_open(self, recipient: str) -> int:
        with self._tx("count open cases") as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(_cases)
                    .where(_cases.c.recipient == recipient, _cases.c.acknowledged_at.is_(None))
                ).scalar_one()
            )

    def addressed_to(
        self, recipient: str, case_ids: Sequence[str], *, open_only: bool = False
    ) -> set[str]:
        """Which of ``case_ids`` are ``recipient``'s (open or acknowledged, or open only)."""
        if not case_ids:
            return set()
        query = select(_cases.c.case_id).where(
            _cases.c.case_id.in_(list(case_ids)), _cases.c.recipient == recipient
        )
        if open_only:
            query = query.where(_cases.c.acknowledged_at.is_(None))
        with self._tx("look up cases") as conn:
            rows = conn.execute(query).all()
        return {r.case_id for r in rows}

    # -- the operator's view ---------------------------------------------------------------

    def cases(
        self,
        *,
        open_only: bool = True,
        recipient: str | None = None,
        created_before: datetime | None = None,
        unfetched: bool = False,
        limit: int = 1000,
    ) -> list[CaseState]:
        """Delivery facts of cases, oldest first — no content, so not logged as a read."""
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= _MAX_LIMIT:
            raise InvalidRecord(f"limit must be 1–{_MAX_LIMIT}, not {limit!r}")
        query = select(*_META_COLUMNS)
        if open_only:
            query = query.where(_cases.c.acknowledged_at.is_(None))
        if recipient is not None:
            query = query.where(_cases.c.recipient == recipient)
        if created_before is not None:
            query = query.where(_cases.c.created_at < created_before)
        if unfetched:
            query = query.where(_cases.c.fetched_at.is_(None))
        with self._tx("list cases") as conn:
            rows = conn.execute(query.order_by(_cases.c.seq).limit(limit)).mappings().all()
        return [_state(r, content=False) for r in rows]

    def overdue(self, *, now: datetime, after_seconds: float, limit: int = 1000) -> list[CaseState]:
        """Open cases nobody fetched within ``after_seconds`` of their creation."""
        return self.cases(
            created_before=now - timedelta(seconds=after_seconds), unfetched=True, limit=limit
        )

    def overdue_count(self, *, now: datetime, after_seconds: float) -> tuple[int, datetime | None]:
        """How many open cases nobody fetched within ``after_seconds``, and when the oldest
        was created — one aggregate query, for the service's periodic check and /metrics."""
        query = select(func.count(), func.min(_cases.c.created_at)).where(
            _cases.c.acknowledged_at.is_(None),
            _cases.c.fetched_at.is_(None),
            _cases.c.created_at < now - timedelta(seconds=after_seconds),
        )
        with self._tx("count overdue cases") as conn:
            count, oldest = conn.execute(query).one()
        return int(count or 0), oldest

    def get(self, case_id: str, *, reader: str, purpose: ReadPurpose) -> CaseState | None:
        """One case with its content; the read is logged (also when nothing is found)."""
        _check_reader(reader, purpose)
        with self._tx("read a case") as conn:
            row = conn.execute(select(_cases).where(_cases.c.case_id == case_id)).mappings().first()
            self._log_read(
                conn,
                reader=reader,
                purpose=purpose,
                query={"case_id": case_id},
                case_ids=[case_id] if row else [],
            )
        return _state(row, content=True) if row else None

    def export(
        self,
        *,
        reader: str,
        purpose: ReadPurpose,
        open_only: bool = False,
        recipient: str | None = None,
        since: datetime | None = None,
        limit: int = 10_000,
    ) -> list[CaseState]:
        """Cases with their content, oldest first; the read is logged with the ids returned."""
        _check_reader(reader, purpose)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= _MAX_LIMIT:
            raise InvalidRecord(f"limit must be 1–{_MAX_LIMIT}, not {limit!r}")
        query = select(_cases)
        if open_only:
            query = query.where(_cases.c.acknowledged_at.is_(None))
        if recipient is not None:
            query = query.where(_cases.c.recipient == recipient)
        if since is not None:
            query = query.where(_cases.c.created_at >= since)
        with self._tx("export cases") as conn:
            rows = conn.execute(query.order_by(_cases.c.seq).limit(limit)).mappings().all()
            found = [_state(r, content=True) for r in rows]
            self._log_read(
                conn,
                reader=reader,
                purpose=purpose,
                query={
                    "open_only": open_only,
                    "recipient": recipient,
                    "since": _iso(since),
                    "limit": limit,
                },
                case_ids=[c.case_id for c in found],
            )
        return found

    @staticmethod
    def _log_read(
        conn: Connection,
        *,
        reader: str,
        purpose: ReadPurpose,
        query: dict[str, Any],
        case_ids: list[str],
    ) -> None:
        conn.execute(
            _reads.insert().values(
                reader=reader,
                purpose=purpose.value,
                accessed_at=datetime.now(UTC),
                query=query,
                case_ids=case_ids,
            )
        )

    def reads(self, *, limit: int = 1000) -> list[CaseRead]:
        """The latest logged reads of case contents, newest first."""
        with self._tx("read the case read log") as conn:
            rows = (
                conn.execute(select(_reads).order_by(_reads.c.id.desc()).limit(limit))
                .mappings()
                .all()
            )
        return [
            CaseRead(
                id=r["id"],
                reader=r["reader"],
                purpose=ReadPurpose(r["purpose"]),
                accessed_at=r["accessed_at"],
                query=r["query"],
                case_ids=tuple(r["case_ids"]),
            )
            for r in rows
        ]

    def purge(self, *, acknowledged_before: datetime, now: datetime) -> int:
        """Drop the content of cases acknowledged before ``acknowledged_before``; their
        delivery facts stay. Returns the number of cases purged."""
        with self._tx("purge case contents") as conn:
            return int(
                conn.execute(
                    _cases.update()
                    .where(
                        and_(
                            _cases.c.acknowledged_at.is_not(None),
                            _cases.c.acknowledged_at < acknowledged_before,
                            _cases.c.content.is_not(None),
                        )
                    )
                    .values(content=None, purged_at=now)
                ).rowcount
            )


def _person_is(person_id: int | None) -> Any:
    if person_id is None:
        return _cases.c.person_id.is_(None)
    return _cases.c.person_id == person_id
