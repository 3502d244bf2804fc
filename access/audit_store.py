"""The operator's audits of authorities, kept in the access registry (the authority's file).

The operator audits the authorities' technical and organisational measures (DOMAIN.md § 7;
Nds. NMeldVO § 26 and the operator's info sheet; the authority's duties of § 39 and § 41 BMG):
see :mod:`datenspiegel.access.audits` for what an audit holds. Every change here is the
operator's act (an authority's administrator is refused, :class:`NotPermitted`), runs in one
transaction that takes the write lock first (as every change of the registry,
:mod:`datenspiegel.access._base`) and writes exactly one event to the administrative event log
(``audit.open``, ``audit.note``, ``audit.demand``, ``audit.fulfil``, ``audit.withdraw``,
``audit.close``) in that transaction: a change without its event cannot exist.

Rules:

- notes and demands go to an open audit only; a closed audit is closed (open a follow-up);
- a deadline is a German calendar day, not in the past when demanded;
- a remedy is settled once: fulfilled (with how it was shown) or withdrawn (with why), also
  after its audit was closed — the authority's duty does not end with the audit;
- an audit with open remedies closes only with ``with_open_remedies`` saying why (e.g. "the
  remedies are followed up in audit 12"); they stay open and tracked (overdue reporting).

``AuditStore(engine=access.engine)`` shares the registry's engine (one pool); its
``migrate()`` upgrades the whole broker-state database like
:class:`~datenspiegel.access.store.AccessStore`'s (the tables: revision 0003).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection, RowMapping

from datenspiegel.access._audit_schema import audit_notes, audits, remedies
from datenspiegel.access._authorities import only_operator
from datenspiegel.access._base import StoreBase
from datenspiegel.access._schema import authorities
from datenspiegel.access.admin_log import SYSTEM, Action, Actor
from datenspiegel.access.audits import (
    MAX_NOTE,
    MAX_REMEDY,
    MAX_SCOPE,
    Audit,
    AuditFile,
    AuditNote,
    AuditStatus,
    OverdueRemedy,
    Remedy,
    RemedyStatus,
    audit_text,
    german_day,
)
from datenspiegel.access.errors import AccessError, InvalidAudit, UnknownAudit

__all__ = ["AuditStore"]

_MAX_LIMIT = 100_000


def _audit_query() -> Select[Any]:
    return select(audits, authorities.c.kennung.label("authority_kennung")).join(
        authorities, authorities.c.id == audits.c.authority_id
    )


def _audit(row: RowMapping | Mapping[str, Any]) -> Audit:
    return Audit(
        id=row["id"],
        authority_id=row["authority_id"],
        authority_kennung=row["authority_kennung"],
        scope=row["scope"],
        status=AuditStatus(row["status"]),
        opened_at=row["opened_at"],
        opened_by=row["opened_by"],
        closed_at=row["closed_at"],
        closed_by=row["closed_by"],
        result=row["result"],
        closed_with_open_remedies=row["closed_with_open_remedies"],
    )


def _note(row: RowMapping) -> AuditNote:
    return AuditNote(
        id=row["id"], audit_id=row["audit_id"], at=row["at"], author=row["author"], text=row["text"]
    )


def _remedy(row: RowMapping) -> Remedy:
    return Remedy(
        id=row["id"],
        audit_id=row["audit_id"],
        text=row["text"],
        deadline=row["deadline"],
        status=RemedyStatus(row["status"]),
        demanded_at=row["demanded_at"],
        demanded_by=row["demanded_by"],
        settled_at=row["settled_at"],
        settled_by=row["settled_by"],
        settlement=row["settlement"],
    )


def _limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= _MAX_LIMIT:
        raise AccessError(f"limit must be 1–{_MAX_LIMIT}, not {limit!r}")
    return limit


class AuditStore(StoreBase):
    """Audits, their findings and demanded remedies, in the broker-state database."""

    # -- changes -----------------------------------------------------------------------------

    def open_audit(self, authority_id: int, *, scope: str, actor: Actor = SYSTEM) -> Audit:
        """Open an audit of the authority's measures; ``scope`` says what is audited."""
        only_operator(actor, "auditing an authority")
        text = audit_text(scope, "the scope of the audit", maximum=MAX_SCOPE)
        moment = self._clock()
        with self._change() as conn:
            authority = self._authority_in(conn, authority_id)
            audit_id = int(
                conn.execute(
                    audits.insert()
                    .values(
                        authority_id=authority.id,
                        scope=text,
                        status=AuditStatus.OPEN.value,
                        opened_at=moment,
                        opened_by=actor.label,
                    )
                    .returning(audits.c.id)
                ).scalar_one()
            )
            self._event(
                conn,
                at=moment,
                actor=actor,
                action=Action.AUDIT_OPEN,
                authority=authority,
                details={"audit_id": audit_id, "scope": text},
            )
            return self._audit_in(conn, audit_id, lock=False)

    def add_note(self, audit_id: int, *, text: str, actor: Actor = SYSTEM) -> AuditNote:
        """Write down a finding of the open audit."""
        only_operator(actor, "writing an audit's findings")
        finding = audit_text(text, "a finding", maximum=MAX_NOTE)
        moment = self._clock()
        with self._change() as conn:
            audit = self._open_audit_in(conn, audit_id, "take findings")
            note_id = int(
                conn.execute(
                    audit_notes.insert()
                    .values(audit_id=audit.id, at=moment, author=actor.label, text=finding)
                    .returning(audit_notes.c.id)
                ).scalar_one()
            )
            self._audit_event(
                conn,
                audit,
                Action.AUDIT_NOTE,
                actor,
                moment,
                {"note_id": note_id, "text": finding},
            )
            row = (
                conn.execute(select(audit_notes).where(audit_notes.c.id == note_id))
                .mappings()
                .one()
            )
            return _note(row)

    def demand_remedy(
        self, audit_id: int, *, text: str, deadline: date, actor: Actor = SYSTEM
    ) -> Remedy:
        """Demand a remedy of the audited authority, due by ``deadline`` (a German day, today
        or later)."""
        only_operator(actor, "demanding a remedy of an authority")
        remedy = audit_text(text, "the remedy", maximum=MAX_REMEDY)
        if not isinstance(deadline, date) or isinstance(deadline, datetime):
            raise InvalidAudit(f"the deadline must be a date, not {deadline!r}")
        moment = self._clock()
        today = german_day(moment)
        if deadline < today:
            raise InvalidAudit(
                f"the deadline {deadline.isoformat()} lies in the past (today is "
                f"{today.isoformat()})"
            )
        with self._change() as conn:
            audit = self._open_audit_in(conn, audit_id, "demand remedies")
            remedy_id = int(
                conn.execute(
                    remedies.insert()
                    .values(
                        audit_id=audit.id,
                        text=remedy,
                        deadline=deadline,
                        status=RemedyStatus.OPEN.value,
                        demanded_at=moment,
                        demanded_by=actor.label,
                    )
                    .returning(remedies.c.id)
                ).scalar_one()
            )
            self._audit_event(
                conn,
                audit,
                Action.AUDIT_DEMAND,
                actor,
                moment,
                {"remedy_id": remedy_id, "text": remedy, "deadline": deadline.isoformat()},
            )
            return self._remedy_in(conn, audit.id, remedy_id)

    def fulfil_remedy(
        self, audit_id: int, remedy_id: int, *, how: str, actor: Actor = SYSTEM
    ) -> Remedy:
        """Record the remedy fulfilled; ``how`` says how the authority showed it (e.g. "letter
        of 12 May 2026 with the new user list")."""
        shown = audit_text(how, "how the fulfilment was shown", maximum=MAX_REMEDY)
        return self._settle(audit_id, remedy_id, RemedyStatus.FULFILLED, shown, actor)

    def withdraw_remedy(
        self, audit_id: int, remedy_id: int, *, grund: str, actor: Actor = SYSTEM
    ) -> Remedy:
        """No longer demand the remedy; ``grund`` says why."""
        reason = audit_text(grund, "the reason for withdrawing the remedy", maximum=MAX_REMEDY)
        return self._settle(audit_id, remedy_id, RemedyStatus.WITHDRAWN, reason, actor)

    def _settle(
        self, audit_id: int, remedy_id: int, status: RemedyStatus, settlement: str, actor: Actor
    ) -> Remedy:
        only_operator(actor, "settling a remedy demanded of an authority")
        moment = self._clock()
        with self._change() as conn:
            audit = self._audit_in(conn, audit_id)
            remedy = self._remedy_in(conn, audit.id, remedy_id, lock=True)
            if remedy.status is not RemedyStatus.OPEN:
                raise InvalidAudit(
                    f"remedy {remedy.id} of audit {audit.id} is already {remedy.status.value} "
                    f"({remedy.settlement})"
                )
            conn.execute(
                remedies.update()
                .where(remedies.c.id == remedy.id)
                .values(
                    status=status.value,
                    settled_at=moment,
                    settled_by=actor.label,
                    settlement=settlement,
                )
            )
            today = german_day(moment)
            action = (
                Action.AUDIT_FULFIL if status is RemedyStatus.FULFILLED else Action.AUDIT_WITHDRAW
            )
            self._audit_event(
                conn,
                audit,
                action,
                actor,
                moment,
                {
                    "remedy_id": remedy.id,
                    "deadline": remedy.deadline.isoformat(),
                    "days_overdue": remedy.days_overdue(today),
                    "how" if status is RemedyStatus.FULFILLED else "grund": settlement,
                },
            )
            return self._remedy_in(conn, audit.id, remedy.id)

    def close_audit(
        self,
        audit_id: int,
        *,
        result: str,
        with_open_remedies: str | None = None,
        actor: Actor = SYSTEM,
    ) -> Audit:
        """Close the audit with its result. With remedies still open it closes only when
        ``with_open_remedies`` says why; those remedies stay open and tracked."""
        only_operator(actor, "closing an audit")
        outcome = audit_text(result, "the result of the audit", maximum=MAX_NOTE)
        moment = self._clock()
        with self._change() as conn:
            audit = self._open_audit_in(conn, audit_id, "be closed again")
            still_open = list(
                conn.execute(
                    select(remedies.c.id)
                    .where(
                        remedies.c.audit_id == audit.id,
                        remedies.c.status == RemedyStatus.OPEN.value,
                    )
                    .order_by(remedies.c.id)
                ).scalars()
            )
            reason: str | None = None
            if still_open:
                if with_open_remedies is None:
                    raise InvalidAudit(
                        f"audit {audit.id} has open remedies ({', '.join(map(str, still_open))}):"
                        " fulfil or withdraw them first, or say why the audit closes while "
                        "they stay open (they remain tracked)"
                    )
                reason = audit_text(
                    with_open_remedies,
                    "why the audit closes with open remedies",
                    maximum=MAX_REMEDY,
                )
            conn.execute(
                audits.update()
                .where(audits.c.id == audit.id)
                .values(
                    status=AuditStatus.CLOSED.value,
                    closed_at=moment,
                    closed_by=actor.label,
                    result=outcome,
                    closed_with_open_remedies=reason,
                )
            )
            self._audit_event(
                conn,
                audit,
                Action.AUDIT_CLOSE,
                actor,
                moment,
                {
                    "result": outcome,
                    "open_remedies": still_open,
                    "closed_with_open_remedies": reason,
                },
            )
            return self._audit_in(conn, audit.id, lock=False)

    # -- within a change ---------------------------------------------------------------------

    def _audit_in(self, conn: Connection, audit_id: int, *, lock: bool = True) -> Audit:
        if isinstance(audit_id, bool) or not isinstance(audit_id, int):
            raise UnknownAudit(f"an audit is named by its number, not {audit_id!r}")
        query = _audit_query().where(audits.c.id == audit_id)
        if lock:
            query = query.with_for_update(of=audits)
        row = conn.execute(query).mappings().first()
        if row is None:
            raise UnknownAudit(f"there is no audit {audit_id} ('datenspiegel audit list')")
        return _audit(row)

    def _open_audit_in(self, conn: Connection, audit_id: int, what: str) -> Audit:
        audit = self._audit_in(conn, audit_id)
        if not audit.open:
            raise InvalidAudit(
                f"audit {audit.id} of {audit.authority_kennung} was closed on "
                f"{audit.closed_at:%Y-%m-%d}: it cannot {what} (open a follow-up audit)"
            )
        return audit

    @staticmethod
    def _remedy_in(
        conn: Connection, audit_id: int, remedy_id: int, *, lock: bool = False
    ) -> Remedy:
        if isinstance(remedy_id, bool) or not isinstance(remedy_id, int):
            raise UnknownAudit(f"a remedy is named by its number, not {remedy_id!r}")
        query = select(remedies).where(remedies.c.id == remedy_id)
        if lock:
            query = query.with_for_update()
        row = conn.execute(query).mappings().first()
        if row is None or row["audit_id"] != audit_id:
            raise UnknownAudit(
                f"audit {audit_id} has no remedy {remedy_id} ('datenspiegel audit show {audit_id}')"
            )
        return _remedy(row)

    def _audit_event(
        self,
        conn: Connection,
        audit: Audit,
        action: Action,
        actor: Actor,
        moment: datetime,
        details: dict[str, Any],
    ) -> None:
        authority = self._authority_in(conn, audit.authority_id)
        self._event(
            conn,
            at=moment,
            actor=actor,
            action=action,
            authority=authority,
            details={"audit_id": audit.id, **details},
        )

    # -- reads -------------------------------------------------------------------------------

    def audit(self, audit_id: int) -> AuditFile | None:
        """The audit with its findings and remedies, or ``None``."""
        with self._tx() as conn:
            try:
                audit = self._audit_in(conn, audit_id, lock=False)
            except UnknownAudit:
                return None
            return self._file_in(conn, audit)

    def audits(
        self, *, authority_id: int | None = None, open_only: bool = False, limit: int = 1000
    ) -> list[Audit]:
        """Audits, oldest first; of one authority, or only the open ones."""
        query = _audit_query()
        if authority_id is not None:
            query = query.where(audits.c.authority_id == authority_id)
        if open_only:
            query = query.where(audits.c.status == AuditStatus.OPEN.value)
        with self._tx() as conn:
            rows = conn.execute(query.order_by(audits.c.id).limit(_limit(limit))).mappings().all()
        return [_audit(r) for r in rows]

    def audit_files(self, authority_id: int) -> list[AuditFile]:
        """Every audit of the authority with its findings and remedies (the dossier's)."""
        with self._tx() as conn:
            rows = (
                conn.execute(
                    _audit_query()
                    .where(audits.c.authority_id == authority_id)
                    .order_by(audits.c.id)
                )
                .mappings()
                .all()
            )
            return [self._file_in(conn, _audit(r)) for r in rows]

    @staticmethod
    def _file_in(conn: Connection, audit: Audit) -> AuditFile:
        notes = (
            conn.execute(
                select(audit_notes)
                .where(audit_notes.c.audit_id == audit.id)
                .order_by(audit_notes.c.id)
            )
            .mappings()
            .all()
        )
        demanded = (
            conn.execute(
                select(remedies).where(remedies.c.audit_id == audit.id).order_by(remedies.c.id)
            )
            .mappings()
            .all()
        )
        return AuditFile(audit, tuple(_note(n) for n in notes), tuple(_remedy(r) for r in demanded))

    def overdue_remedies(
        self, today: date, *, authority_id: int | None = None, limit: int = 1000
    ) -> list[OverdueRemedy]:
        """Open remedies whose deadline lies before ``today`` (a German day), the longest
        overdue first — of every audit, open or closed."""
        query = (
            select(remedies, *(c.label(f"audit__{c.name}") for c in audits.c))
            .add_columns(authorities.c.kennung.label("audit__authority_kennung"))
            .select_from(
                remedies.join(audits, audits.c.id == remedies.c.audit_id).join(
                    authorities, authorities.c.id == audits.c.authority_id
                )
            )
            .where(remedies.c.status == RemedyStatus.OPEN.value, remedies.c.deadline < today)
        )
        if authority_id is not None:
            query = query.where(audits.c.authority_id == authority_id)
        query = query.order_by(remedies.c.deadline, remedies.c.id).limit(_limit(limit))
        with self._tx() as conn:
            rows = conn.execute(query).mappings().all()
        found: list[OverdueRemedy] = []
        for row in rows:
            audit_row = {k[len("audit__") :]: v for k, v in row.items() if k.startswith("audit__")}
            found.append(OverdueRemedy(_remedy(row), _audit(audit_row)))
        return found

    def overdue_summary(self, today: date) -> tuple[int, date | None]:
        """(open remedies past their deadline on ``today``, the oldest such deadline): one
        aggregate query, for the running service's gauge."""
        with self._tx() as conn:
            count, oldest = conn.execute(
                select(func.count(), func.min(remedies.c.deadline)).where(
                    remedies.c.status == RemedyStatus.OPEN.value, remedies.c.deadline < today
                )
            ).one()
        return int(count), oldest
