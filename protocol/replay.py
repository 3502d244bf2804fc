"""Replay protection and idempotency: every message is executed once, in every process and host.

A message is identified by its ``nachrichtenUUID`` (DOMAIN.md § 2, the message header) and its
content by the SHA-256 of the verified document's exclusive canonical form (signature
included). The first transaction that *claims* a UUID executes it; its signed answer is stored
with the claim, in the same commit as its § 40 record. Then:

- the same signed message again → the stored answer, byte for byte, without a second register
  query; the transaction is recorded as a duplicate of the original record;
- the same UUID with other content → 0910 ``S100`` ("erneute Lieferung eines bereits
  erfolgreich verarbeiteten Datensatzes");
- the same message while the original is still being processed (two workers, a client retry
  racing its first attempt) → the duplicate waits briefly for the answer; a claim whose process
  died (no answer after ``abandon_after``) is taken over, so a crash never burns a UUID.

Claims live in the broker-state database (shared by all workers and hosts; on PostgreSQL the
primary key decides between concurrent claims). They are kept as long as a message can still
arrive in its creation-time window (``broker.message_max_age`` + ``broker.clock_skew``) and
purged afterwards, with their answers (personal data: kept no longer than needed to answer a
retry). Beyond the window a UUID stays unique through the § 40 records, which keep every
verified message's UUID for the retention period
(:meth:`~datenspiegel.protocol.store.ProtocolStore.message_seen`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from functools import cache

from sqlalchemy import (
    Column,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    delete,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.dml import ReturningInsert

from datenspiegel.protocol._component import ComponentStore
from datenspiegel.store import Migration, UTCDateTime

__all__ = ["COMPONENT", "Claim", "ClaimState", "ReplayStore", "StoredAnswer"]

COMPONENT = "replay"

_meta = MetaData()
_claims = Table(
    "replay_claim",
    _meta,
    Column("message_uuid", String(64), primary_key=True),
    Column("content_digest", String(64), nullable=False),
    Column("claimed_at", UTCDateTime, nullable=False),
    # the original transaction's outcome, written in the commit of its § 40 record
    Column("record_id", String(36), nullable=True),
    Column("answer_message_id", String(255), nullable=True),
    Column("answered_at", UTCDateTime, nullable=True),
    Column("reply_kind", String(10), nullable=True),
    Column("code", String(32), nullable=True),  # "Ergebnisstatus:01" (code_text)
    Column("message", Text, nullable=True),
    Column("answer", LargeBinary, nullable=True),
    Index("ix_replay_claim_claimed_at", "claimed_at"),
)


def _v1(conn: Connection) -> None:
    _meta.create_all(conn)


MIGRATIONS = [Migration(1, "replay claims with the original answer", _v1)]


class ClaimState(Enum):
    NEW = "new"  # this transaction executes the message
    DUPLICATE = "duplicate"  # answered before: send the stored answer again
    CONFLICT = "conflict"  # the UUID was used with other content: S100
    IN_FLIGHT = "in_flight"  # the original is still being processed


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """The original transaction's signed reply, as it was sent."""

    record_id: str
    answer_message_id: str
    reply_kind: str
    code: str
    message: str
    document: bytes


@dataclass(frozen=True, slots=True)
class Claim:
    state: ClaimState
    answer: StoredAnswer | None = None
    #: when the UUID was first claimed (CONFLICT, IN_FLIGHT)
    claimed_at: datetime | None = None


@cache
def _insert_claim(dialect: str) -> ReturningInsert[tuple[str]]:
    """The claim, built once per dialect (SQLAlchemy reuses its compiled form); RETURNING says
    whether this statement inserted (rowcount is not reliable for INSERT … ON CONFLICT across
    drivers)."""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(_claims)
    return insert.on_conflict_do_nothing().returning(_claims.c.message_uuid)


#: The original answer stored with its claim (every executed message's last write).
_STORE_ANSWER = (
    update(_claims)
    .where(_claims.c.message_uuid == bindparam("claimed_uuid"))
    .values(
        record_id=bindparam("record_id"),
        answer_message_id=bindparam("answer_message_id"),
        answered_at=bindparam("answered_at"),
        reply_kind=bindparam("reply_kind"),
        code=bindparam("code"),
        message=bindparam("message"),
        answer=bindparam("answer"),
    )
)


class ReplayStore(ComponentStore):
    """Claims of message UUIDs in the broker-state database (component ``replay``)."""

    COMPONENT = COMPONENT
    MIGRATIONS = MIGRATIONS
    HOLDS = "replay claims"

    def claim(
        self,
        message_uuid: str,
        content_digest: str,
        *,
        now: datetime,
        abandon_after: float,
        conn: Connection | None = None,
    ) -> Claim:
        """Claim ``message_uuid`` for execution, or say why not: in the caller's transaction
        ``conn``, else in a short one of its own."""
        if conn is None:
            with self._tx("claim a message") as own:
                return self.claim(
                    message_uuid, content_digest, now=now, abandon_after=abandon_after, conn=own
                )
        inserted = conn.execute(
            _insert_claim(conn.dialect.name),
            {"message_uuid": message_uuid, "content_digest": content_digest, "claimed_at": now},
        ).first()
        if inserted is not None:
            return Claim(ClaimState.NEW)
        row = (
            conn.execute(select(_claims).where(_claims.c.message_uuid == message_uuid))
            .mappings()
            .one()
        )
        if row["content_digest"] != content_digest:
            return Claim(ClaimState.CONFLICT, claimed_at=row["claimed_at"])
        if row["answer"] is not None:
            return Claim(
                ClaimState.DUPLICATE,
                StoredAnswer(
                    record_id=row["record_id"],
                    answer_message_id=row["answer_message_id"],
                    reply_kind=row["reply_kind"],
                    code=row["code"],
                    message=row["message"] or "",
                    document=bytes(row["answer"]),
                ),
            )
        if row["claimed_at"] < now - timedelta(seconds=abandon_after):
            # The claimant died before it answered (no commit): take the claim over, once.
            taken = conn.execute(
                update(_claims)
                .where(
                    _claims.c.message_uuid == message_uuid,
                    _claims.c.claimed_at == row["claimed_at"],
                    _claims.c.answer.is_(None),
                )
                .values(claimed_at=now)
            )
            if taken.rowcount == 1:
                return Claim(ClaimState.NEW)
        return Claim(ClaimState.IN_FLIGHT, claimed_at=row["claimed_at"])

    @staticmethod
    def answer_in(
        conn: Connection,
        message_uuid: str,
        *,
        answer: StoredAnswer,
        answered_at: datetime,
    ) -> None:
        """Store the original answer with its claim, in the caller's transaction (the one that
        commits the § 40 record: an answer that was not recorded is never replayed)."""
        conn.execute(
            _STORE_ANSWER,
            {
                "claimed_uuid": message_uuid,
                "record_id": answer.record_id,
                "answer_message_id": answer.answer_message_id,
                "answered_at": answered_at,
                "reply_kind": answer.reply_kind,
                "code": answer.code,
                "message": answer.message,
                "answer": answer.document,
            },
        )

    @staticmethod
    def unclaim_in(conn: Connection, message_uuid: str) -> None:
        """Drop a claim just made in the caller's transaction (the UUID is used already)."""
        conn.execute(
            delete(_claims).where(
                _claims.c.message_uuid == message_uuid, _claims.c.answer.is_(None)
            )
        )

    def release(self, message_uuid: str) -> None:
        """Give up an unanswered claim (the record could not be written): a retry of the same
        message is then executed, not kept waiting. Best effort — a claim left behind is taken
        over after ``abandon_after``."""
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    delete(_claims).where(
                        _claims.c.message_uuid == message_uuid, _claims.c.answer.is_(None)
                    )
                )
        except SQLAlchemyError:
            pass

    def purge(self, *, claimed_before: datetime) -> int:
        """Delete claims (and their answers) of messages that can no longer arrive in their
        creation-time window; idempotent, safe to run from every worker."""
        with self._tx("purge replay claims") as conn:
            result = conn.execute(delete(_claims).where(_claims.c.claimed_at < claimed_before))
        return int(result.rowcount or 0)
