"""The findings store: what the detectors found, its review, and how far evaluation got.

The operator reviews the § 40 BMG protocol for signs of misuse and contacts an authority on
suspected unlawful retrievals (DOMAIN.md §§ 6–7). A :class:`~datenspiegel.protocol.anomalies.
model.Finding` becomes a *stored finding* with a review state (:class:`FindingStatus`), a
reviewer, and an append-only history of :class:`FindingEvent` s — every change of status,
reviewer or evidence, each written in the transaction of the change.

**Keyed by** :attr:`Finding.key <datenspiegel.protocol.anomalies.model.Finding.key>`
(detector | subject | period). :meth:`FindingStore.upsert` inserts a new key as
:attr:`FindingStatus.OPEN` and merges a known one with what was stored
(:func:`~datenspiegel.protocol.anomalies.model.merge_findings`: records united, window widened,
the strongest trigger kept) — so the running service evaluating in increments, a worker
re-evaluating after another, and ``datenspiegel anomalies scan`` over the same period all
leave the same findings, and a re-evaluation that adds nothing writes nothing.

**What new evidence does to a reviewed finding** (decided here, docs/anomalies.md): the
evidence is merged and an ``updated`` event says what grew; the status stays as the reviewer
left it — a confirmed finding stays confirmed, a letter sent stays sent. One exception, never
silent: a *dismissed* finding whose severity rises above what was dismissed is reopened
(status open, a ``reopened`` event naming both severities), since the reviewer judged a
weaker sign.

The same tables hold the shared evaluation state of the running service: the watermark (every
record received before it has been evaluated) and, on SQLite, the lease of the one process
that evaluates (:mod:`~datenspiegel.protocol.anomalies.leader`). Tables: broker revision 0005.
"""

from __future__ import annotations

import builtins
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from datenspiegel.protocol.anomalies._store_schema import evaluation, finding_events, findings
from datenspiegel.protocol.anomalies.errors import (
    AnomalyError,
    InvalidTransition,
    UnknownFinding,
)
from datenspiegel.protocol.anomalies.model import (
    DetectorKind,
    Finding,
    Severity,
    Subject,
    merge_findings,
)
from datenspiegel.protocol.errors import ProtocolError, ProtocolUnavailable
from datenspiegel.store import BROKER, create_store_engine, upgrade

__all__ = [
    "SYSTEM_ACTOR",
    "EvaluationState",
    "FindingAction",
    "FindingEvent",
    "FindingStatus",
    "FindingStore",
    "StoredFinding",
    "Upserted",
    "finding_json",
]

#: Who the detection's own changes are by (new findings, grown evidence, automatic blocks).
SYSTEM_ACTOR = "anomaly detection"
_MAX_TEXT = 4000
_KEYS_PER_QUERY = 500
_RETRIES = 3


class FindingStatus(StrEnum):
    """Where a finding stands in its review (issue 10, point 3)."""

    #: found, nobody has looked at it yet
    OPEN = "open"
    #: a reviewer works on it
    IN_REVIEW = "in_review"
    #: the authority was asked to check (a letter, ``anomalies letter``)
    AUTHORITY_ASKED = "authority_asked"
    #: misuse (or a fault) confirmed
    CONFIRMED = "confirmed"
    #: no misuse: explained, legitimate
    DISMISSED = "dismissed"

    @property
    def resolved(self) -> bool:
        return self in (FindingStatus.CONFIRMED, FindingStatus.DISMISSED)


class FindingAction(StrEnum):
    """What one event of a finding's history did."""

    DETECTED = "detected"
    #: new evidence merged (more records, a stronger trigger)
    UPDATED = "updated"
    #: a dismissed finding whose severity rose (see the module docstring)
    REOPENED = "reopened"
    ASSIGNED = "assigned"
    #: a reviewer set the status (``anomalies resolve``)
    STATUS = "status"
    #: the letter to the authority was sent: status authority_asked
    LETTER = "letter"
    #: the user was blocked automatically because of this finding
    BLOCKED = "blocked"
    #: that block was lifted
    UNBLOCKED = "unblocked"


@dataclass(frozen=True, slots=True)
class StoredFinding:
    """A finding as stored: its id, the (merged) finding, and its review state."""

    id: int
    finding: Finding
    status: FindingStatus
    reviewer: str | None
    first_seen: datetime
    updated_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status.value,
            "reviewer": self.reviewer,
            "first_seen": self.first_seen.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            **finding_json(self.finding),
        }


@dataclass(frozen=True, slots=True)
class FindingEvent:
    """One change of a finding: when, by whom, what, the status after it, and why."""

    at: datetime
    actor: str
    action: FindingAction
    status: FindingStatus
    note: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action.value,
            "status": self.status.value,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Upserted:
    """What :meth:`FindingStore.merge` did with one finding: ``change`` is the event it
    wrote (detected, updated, reopened) or None when the stored finding already held it."""

    stored: StoredFinding
    change: FindingAction | None
    #: the severity stored before (None: new)
    severity_before: Severity | None = None


@dataclass(frozen=True, slots=True)
class EvaluationState:
    """The running service's evaluation: up to where, by whom, when last."""

    watermark: datetime | None
    holder: str | None
    lease_until: datetime | None
    evaluated_at: datetime | None


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as JSON (the key, the subject's parts, the window in UTC, the evidence)."""
    s = finding.subject
    return {
        "key": finding.key,
        "kind": finding.kind.value,
        "severity": finding.severity.value,
        "subject": {
            "authority_id": s.authority_id,
            "authority_kennung": s.authority_kennung,
            "user_id": s.user_id,
            "user_kennung": s.user_kennung,
            "source": s.source,
            "person_id": s.person_id,
        },
        "bucket": finding.bucket,
        "window_start": finding.window_start.isoformat(),
        "window_end": finding.window_end.isoformat(),
        "measured": finding.measured,
        "threshold": finding.threshold,
        "explanation": finding.explanation,
        "record_ids": list(finding.record_ids),
        "record_count": finding.record_count,
    }


def _text(value: object, what: str, *, required: bool = True) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidTransition(f"{what} is required")
        return None
    if not isinstance(value, str) or len(value) > _MAX_TEXT or "\x00" in value:
        raise InvalidTransition(f"{what} must be plain text of at most {_MAX_TEXT} characters")
    return value.strip()


def _aware(moment: datetime, what: str) -> None:
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise AnomalyError(f"{what} must be a timezone-aware datetime")


def _finding_row(finding: Finding) -> dict[str, Any]:
    s = finding.subject
    return {
        "key": finding.key,
        "kind": finding.kind.value,
        "severity": finding.severity.value,
        "authority_id": s.authority_id,
        "authority_kennung": s.authority_kennung,
        "user_id": s.user_id,
        "user_kennung": s.user_kennung,
        "source": s.source,
        "person_id": s.person_id,
        "bucket": finding.bucket,
        "window_start": finding.window_start,
        "window_end": finding.window_end,
        "measured": float(finding.measured),
        "threshold": float(finding.threshold),
        "explanation": finding.explanation,
        "record_ids": list(finding.record_ids),
        "record_count": finding.record_count,
    }


def _finding_of(row: RowMapping) -> Finding:
    return Finding(
        kind=DetectorKind(row["kind"]),
        severity=Severity(row["severity"]),
        subject=Subject(
            authority_id=row["authority_id"],
            authority_kennung=row["authority_kennung"],
            user_id=row["user_id"],
            user_kennung=row["user_kennung"],
            source=row["source"],
            person_id=row["person_id"],
        ),
        bucket=row["bucket"],
        window_start=row["window_start"],
        window_end=row["window_end"],
        measured=row["measured"],
        threshold=row["threshold"],
        explanation=row["explanation"],
        record_ids=tuple(row["record_ids"]),
        record_count=row["record_count"],
    )


def _stored_of(row: RowMapping) -> StoredFinding:
    return StoredFinding(
        id=row["id"],
        finding=_finding_of(row),
        status=FindingStatus(row["status"]),
        reviewer=row["reviewer"],
        first_seen=row["first_seen"],
        updated_at=row["updated_at"],
    )


def _growth(before: Finding, after: Finding) -> str:
    parts = []
    if after.record_count != before.record_count:
        parts.append(f"{after.record_count} record(s), {before.record_count} before")
    if after.severity is not before.severity:
        parts.append(f"severity {after.severity.value}, {before.severity.value} before")
    if after.measured != before.measured:
        parts.append(f"measured {after.measured:g}, {before.measured:g} before")
    if not parts:
        parts.append(f"window now {after.window_start.isoformat()}–{after.window_end.isoformat()}")
    return "; ".join(parts)


class FindingStore:
    """Stored findings, their events and the evaluation state in the broker-state database
    at ``url`` — or on the broker database's one shared ``engine`` (the service)."""

    def __init__(
        self,
        url: str | None = None,
        *,
        engine: Engine | None = None,
        lock_timeout: float = 30.0,
        max_evidence: int = 500,
    ) -> None:
        if engine is None:
            if url is None:
                raise ValueError("FindingStore needs a URL or an engine")
            engine = create_store_engine(url, durable=True, lock_timeout=lock_timeout)
        self._engine = engine
        self._max_evidence = max_evidence

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    dispose = close

    def migrate(self) -> None:
        """Create or upgrade the broker-state database (its whole Alembic history) to head."""
        try:
            upgrade(self._engine, BROKER)
        except SQLAlchemyError as exc:
            raise ProtocolUnavailable(f"cannot migrate the findings tables: {exc}") from exc

    # -- transactions ------------------------------------------------------------------------

    @contextmanager
    def _tx(self, what: str, *, write: bool = False) -> Iterator[Connection]:
        """A transaction; ``write``: the SQLite write lock first (BEGIN IMMEDIATE), so that a
        read-modify-write cannot interleave with another process's."""
        try:
            with self._engine.begin() as conn:
                if write and conn.dialect.name == "sqlite":
                    dbapi: Any = conn.connection.dbapi_connection
                    if not dbapi.in_transaction:
                        conn.exec_driver_sql("BEGIN IMMEDIATE")
                yield conn
        except (ProtocolError, IntegrityError):
            raise
        except SQLAlchemyError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ProtocolUnavailable(f"anomaly findings: cannot {what}: {first}") from exc

    @staticmethod
    def _row_for_update(conn: Connection, finding_id: int) -> RowMapping:
        row = (
            conn.execute(select(findings).where(findings.c.id == finding_id).with_for_update())
            .mappings()
            .first()
        )
        if row is None:
            raise UnknownFinding(f"no finding with id {finding_id}")
        return row

    @staticmethod
    def _event(
        conn: Connection,
        finding_id: int,
        *,
        at: datetime,
        actor: str,
        action: FindingAction,
        status: FindingStatus,
        note: str | None,
    ) -> None:
        conn.execute(
            finding_events.insert().values(
                finding_id=finding_id,
                at=at,
                actor=actor,
                action=action.value,
                status=status.value,
                note=note,
            )
        )

    # -- detection ---------------------------------------------------------------------------

    def upsert(self, findings_: Iterable[Finding], *, at: datetime) -> builtins.list[StoredFinding]:
        """Insert new findings (open) and merge known ones (see the module docstring); return
        them as stored, one per key, sorted by key. One transaction; every change with its
        event."""
        return [u.stored for u in self.merge(findings_, at=at)]

    def merge(
        self,
        findings_: Iterable[Finding],
        *,
        at: datetime,
        watermark: datetime | None = None,
    ) -> builtins.list[Upserted]:
        """:meth:`upsert`, saying for each finding what changed; with ``watermark``, the
        evaluation watermark is advanced to it in the same transaction (the running service:
        findings and "evaluated up to here" commit together)."""
        _aware(at, "at")
        given = merge_findings(findings_, max_evidence=self._max_evidence)
        for attempt in range(_RETRIES):
            try:
                with self._tx("store findings", write=True) as conn:
                    done = [
                        self._merge_one(conn, f, at, known) for f, known in self._known(conn, given)
                    ]
                    if watermark is not None:
                        self._advance(conn, watermark, at)
                    return done
            except IntegrityError as exc:  # a key inserted by another process meanwhile
                if attempt == _RETRIES - 1:
                    raise ProtocolUnavailable(f"anomaly findings: cannot store: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _known(
        self, conn: Connection, given: Sequence[Finding]
    ) -> Iterator[tuple[Finding, RowMapping | None]]:
        rows: dict[str, RowMapping] = {}
        keys = [f.key for f in given]
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start : start + _KEYS_PER_QUERY]
            for row in (
                conn.execute(select(findings).where(findings.c.key.in_(chunk)).with_for_update())
                .mappings()
                .all()
            ):
                rows[row["key"]] = row
        for finding in given:
            yield finding, rows.get(finding.key)

    def _merge_one(
        self, conn: Connection, finding: Finding, at: datetime, row: RowMapping | None
    ) -> Upserted:
        if row is None:
            values = {
                **_finding_row(finding),
                "status": FindingStatus.OPEN.value,
                "reviewer": None,
                "first_seen": at,
                "updated_at": at,
            }
            inserted = conn.execute(findings.insert().values(**values)).inserted_primary_key
            assert inserted is not None
            new_id = int(inserted[0])
            self._event(
                conn,
                new_id,
                at=at,
                actor=SYSTEM_ACTOR,
                action=FindingAction.DETECTED,
                status=FindingStatus.OPEN,
                note=f"{finding.severity.value}: {finding.explanation}",
            )
            stored = StoredFinding(new_id, finding, FindingStatus.OPEN, None, at, at)
            return Upserted(stored, FindingAction.DETECTED)
        before = _finding_of(row)
        merged = merge_findings([before, finding], max_evidence=self._max_evidence)[0]
        status = FindingStatus(row["status"])
        if merged == before:
            return Upserted(_stored_of(row), None, before.severity)
        action = FindingAction.UPDATED
        note = _growth(before, merged)
        if status is FindingStatus.DISMISSED and merged.severity.rank > before.severity.rank:
            status, action = FindingStatus.OPEN, FindingAction.REOPENED
            note = (
                f"severity rose from {before.severity.value} (dismissed) to "
                f"{merged.severity.value}: {merged.explanation}"
            )
        conn.execute(
            findings.update()
            .where(findings.c.id == row["id"])
            .values(**_finding_row(merged), status=status.value, updated_at=at)
        )
        self._event(
            conn, row["id"], at=at, actor=SYSTEM_ACTOR, action=action, status=status, note=note
        )
        stored = StoredFinding(row["id"], merged, status, row["reviewer"], row["first_seen"], at)
        return Upserted(stored, action, before.severity)

    # -- reading -----------------------------------------------------------------------------

    def list(
        self,
        *,
        status: Collection[FindingStatus] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        authority_kennung: str | None = None,
        limit: int = 1000,
    ) -> builtins.list[StoredFinding]:
        """Stored findings, newest window first. ``since``/``until``: those whose window
        overlaps ``[since, until)``; ``status``: only these; ``authority_kennung``: of that
        authority."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise AnomalyError(f"limit must be a positive whole number, not {limit!r}")
        query = select(findings)
        if status is not None:
            query = query.where(findings.c.status.in_([FindingStatus(s).value for s in status]))
        if since is not None:
            _aware(since, "since")
            query = query.where(findings.c.window_end >= since)
        if until is not None:
            _aware(until, "until")
            query = query.where(findings.c.window_start < until)
        if authority_kennung is not None:
            query = query.where(findings.c.authority_kennung == authority_kennung)
        query = query.order_by(findings.c.window_start.desc(), findings.c.id.desc()).limit(limit)
        with self._tx("list findings") as conn:
            rows = conn.execute(query).mappings().all()
        return [_stored_of(r) for r in rows]

    def get(self, finding_id: int) -> StoredFinding | None:
        with self._tx("read a finding") as conn:
            row = (
                conn.execute(select(findings).where(findings.c.id == finding_id)).mappings().first()
            )
        return _stored_of(row) if row else None

    def by_key(self, key: str) -> StoredFinding | None:
        with self._tx("read a finding") as conn:
            row = conn.execute(select(findings).where(findings.c.key == key)).mappings().first()
        return _stored_of(row) if row else None

    def history(self, finding_id: int) -> builtins.list[FindingEvent]:
        """Every change of the finding, oldest first."""
        with self._tx("read a finding's history") as conn:
            rows = (
                conn.execute(
                    select(finding_events)
                    .where(finding_events.c.finding_id == finding_id)
                    .order_by(finding_events.c.id)
                )
                .mappings()
                .all()
            )
        return [
            FindingEvent(
                at=r["at"],
                actor=r["actor"],
                action=FindingAction(r["action"]),
                status=FindingStatus(r["status"]),
                note=r["note"],
            )
            for r in rows
        ]

    def counts(self) -> dict[tuple[FindingStatus, Severity], int]:
        """Findings by status and severity (for ``/metrics``)."""
        with self._tx("count findings") as conn:
            rows = conn.execute(
                select(findings.c.status, findings.c.severity, func.count()).group_by(
                    findings.c.status, findings.c.severity
                )
            ).all()
        return {(FindingStatus(s), Severity(v)): int(n) for s, v, n in rows}

    # -- review ------------------------------------------------------------------------------

    def assign(
        self, finding_id: int, *, reviewer: str, note: str | None = None, at: datetime
    ) -> StoredFinding:
        """``reviewer`` takes the finding: an open one goes in review; another status stays."""
        name = _text(reviewer, "the reviewer's name")
        text = _text(note, "the note", required=False)
        _aware(at, "at")
        with self._tx("assign a finding", write=True) as conn:
            row = self._row_for_update(conn, finding_id)
            status = FindingStatus(row["status"])
            if status is FindingStatus.OPEN:
                status = FindingStatus.IN_REVIEW
            conn.execute(
                findings.update()
                .where(findings.c.id == finding_id)
                .values(reviewer=name, status=status.value, updated_at=at)
            )
            self._event(
                conn,
                finding_id,
                at=at,
                actor=name or "",
                action=FindingAction.ASSIGNED,
                status=status,
                note=f"reviewer {name}" + (f": {text}" if text else ""),
            )
            return _stored_of(self._row_for_update(conn, finding_id))

    def resolve(
        self,
        finding_id: int,
        *,
        status: FindingStatus,
        reviewer: str,
        note: str,
        at: datetime,
    ) -> StoredFinding:
        """Set the status (in review, authority asked, confirmed, dismissed) with the
        reviewer's note; ``open`` is the detection's alone."""
        return self._set_status(
            finding_id,
            status=status,
            reviewer=reviewer,
            note=note,
            at=at,
            action=FindingAction.STATUS,
        )

    def letter_sent(
        self, finding_id: int, *, reviewer: str, note: str, at: datetime
    ) -> StoredFinding:
        """The letter asking the authority to check was sent: status authority_asked."""
        return self._set_status(
            finding_id,
            status=FindingStatus.AUTHORITY_ASKED,
            reviewer=reviewer,
            note=note,
            at=at,
            action=FindingAction.LETTER,
            again=True,
        )

    def _set_status(
        self,
        finding_id: int,
        *,
        status: FindingStatus,
        reviewer: str,
        note: str,
        at: datetime,
        action: FindingAction,
        again: bool = False,
    ) -> StoredFinding:
        try:
            status = FindingStatus(status)
        except ValueError:
            raise InvalidTransition(f"{status!r} is not a finding status") from None
        if status is FindingStatus.OPEN:
            raise InvalidTransition(
                "a finding is open only until someone looks at it; choose in_review, "
                "authority_asked, confirmed or dismissed"
            )
        name = _text(reviewer, "the reviewer's name")
        text = _text(note, "a note saying why")
        _aware(at, "at")
        with self._tx("change a finding's status", write=True) as conn:
            row = self._row_for_update(conn, finding_id)
            if row["status"] == status.value and not again:
                raise InvalidTransition(f"finding {finding_id} is already {status.value}")
            conn.execute(
                findings.update()
                .where(findings.c.id == finding_id)
                .values(reviewer=name, status=status.value, updated_at=at)
            )
            self._event(
                conn, finding_id, at=at, actor=name or "", action=action, status=status, note=text
            )
            return _stored_of(self._row_for_update(conn, finding_id))

    def add_event(
        self,
        finding_id: int,
        *,
        actor: str,
        action: FindingAction,
        note: str,
        at: datetime,
    ) -> FindingEvent:
        """Record something done because of the finding that does not change its status (an
        automatic block and its lifting)."""
        who = _text(actor, "the actor")
        text = _text(note, "the note")
        _aware(at, "at")
        with self._tx("record a finding event", write=True) as conn:
            row = self._row_for_update(conn, finding_id)
            status = FindingStatus(row["status"])
            conn.execute(findings.update().where(findings.c.id == finding_id).values(updated_at=at))
            self._event(
                conn, finding_id, at=at, actor=who or "", action=action, status=status, note=text
            )
        return FindingEvent(at, who or "", action, status, text)

    # -- the running service's evaluation state ----------------------------------------------

    def state(self) -> EvaluationState:
        with self._tx("read the evaluation state") as conn:
            row = conn.execute(select(evaluation).where(evaluation.c.id == 1)).mappings().one()
        return EvaluationState(
            row["watermark"], row["holder"], row["lease_until"], row["evaluated_at"]
        )

    def watermark(self) -> datetime | None:
        """Every record received before it has been evaluated by the running service (None:
        it never ran)."""
        return self.state().watermark

    def advance(self, to: datetime, *, at: datetime | None = None) -> datetime:
        """Move the watermark to ``to`` — never back; return where it stands."""
        _aware(to, "to")
        with self._tx("advance the evaluation watermark", write=True) as conn:
            return self._advance(conn, to, at or to)

    @staticmethod
    def _advance(conn: Connection, to: datetime, at: datetime) -> datetime:
        conn.execute(
            evaluation.update()
            .where(evaluation.c.id == 1)
            .where(or_(evaluation.c.watermark.is_(None), evaluation.c.watermark < to))
            .values(watermark=to)
        )
        conn.execute(evaluation.update().where(evaluation.c.id == 1).values(evaluated_at=at))
        value = conn.execute(
            select(evaluation.c.watermark).where(evaluation.c.id == 1)
        ).scalar_one()
        assert isinstance(value, datetime)
        return value

    def claim(self, holder: str, *, now: datetime, until: datetime, force: bool = False) -> bool:
        """Take or renew the evaluation lease for ``holder`` until ``until``: True when it is
        ``holder``'s now (free, expired, or already its own). Under the write lock on SQLite
        (a few milliseconds), a row lock on PostgreSQL. ``force``: write it whoever held it
        (the holder of PostgreSQL's advisory lock records itself)."""
        _aware(now, "now")
        _aware(until, "until")
        query = evaluation.update().where(evaluation.c.id == 1)
        if not force:
            query = query.where(
                or_(
                    evaluation.c.holder.is_(None),
                    evaluation.c.holder == holder,
                    evaluation.c.lease_until.is_(None),
                    evaluation.c.lease_until <= now,
                )
            )
        with self._tx("claim the evaluation lease", write=True) as conn:
            claimed = conn.execute(query.values(holder=holder, lease_until=until)).rowcount
        return bool(claimed)

    def release(self, holder: str) -> None:
        """Give the lease up (a worker stopping), if ``holder`` has it."""
        with self._tx("release the evaluation lease", write=True) as conn:
            conn.execute(
                evaluation.update()
                .where(evaluation.c.id == 1, evaluation.c.holder == holder)
                .values(holder=None, lease_until=None)
            )
