"""Audits of an authority's measures: findings, demanded remedies with deadlines.

The operator audits the technical and organisational measures of the authorities that
retrieve from the mirror (DOMAIN.md § 7: "The operator may block an authority or a user at any
time, contacts an authority on suspected unlawful retrievals, and audits the authority's
measures"; Nds. NMeldVO § 26 and the operator's info sheet). What it audits are the
authority's own duties: § 39 BMG (registration, keeping credentials secret, disabling users
who are no longer entitled, access only over the state network from authorised machines) and
§ 41 BMG (its users bound to the purpose of the data and instructed on it, ``belehrt_am``).

An :class:`Audit` is opened on one authority with its scope, collects findings
(:class:`AuditNote`) and demands remedies (:class:`Remedy`) with a deadline, and is closed with
its result. A remedy is open until the operator records it fulfilled (with how it was shown)
or withdraws it (with why). An open remedy past its deadline is *overdue*
(:meth:`Remedy.overdue`): ``datenspiegel audit list --overdue`` reports it and the running
service logs and exports a gauge of them (service/overdue_remedies.py). Closing an audit does
not discharge its open remedies: they stay tracked until fulfilled or withdrawn.

The audit is the authority's file: it lives in the access registry beside the registration
(:mod:`datenspiegel.access._audit_schema`, revision 0003 of the broker-state database) and
every change is one event of the administrative event log
(:mod:`datenspiegel.access.admin_log`), in the change's transaction
(:class:`~datenspiegel.access.audit_store.AuditStore`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from datenspiegel.access.errors import InvalidAudit

__all__ = [
    "GERMAN_TIME",
    "MAX_NOTE",
    "MAX_REMEDY",
    "MAX_SCOPE",
    "Audit",
    "AuditFile",
    "AuditNote",
    "AuditStatus",
    "OverdueRemedy",
    "Remedy",
    "RemedyStatus",
    "audit_text",
    "german_day",
]

#: Deadlines are days of the German calendar: a remedy due on 31 March is overdue from the
#: first of April, Hannover time, whatever the server's zone.
GERMAN_TIME = ZoneInfo("Europe/Berlin")

MAX_SCOPE = 1_000
MAX_REMEDY = 2_000
MAX_NOTE = 20_000


def german_day(moment: datetime) -> date:
    """The German calendar day of ``moment`` (a timezone-aware time)."""
    if moment.tzinfo is None:
        raise InvalidAudit("a moment must be timezone-aware to give its German day")
    return moment.astimezone(GERMAN_TIME).date()


def audit_text(value: object, what: str, *, maximum: int) -> str:
    """``value`` stripped; refused when empty, too long or holding NUL (PostgreSQL cannot
    store it)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidAudit(f"{what} must be a non-empty text")
    text = value.strip()
    if len(text) > maximum:
        raise InvalidAudit(f"{what} must not exceed {maximum} characters (got {len(text)})")
    if "\x00" in text:
        raise InvalidAudit(f"{what} must not contain NUL characters")
    return text


class AuditStatus(Enum):
    OPEN = "open"
    CLOSED = "closed"


class RemedyStatus(Enum):
    OPEN = "open"
    #: the authority showed the remedy done (the operator records how: ``settlement``)
    FULFILLED = "fulfilled"
    #: the operator no longer demands it (``settlement`` says why)
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Audit:
    """One audit of one authority's measures."""

    id: int
    authority_id: int
    authority_kennung: str
    scope: str
    status: AuditStatus
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None = None
    closed_by: str | None = None
    result: str | None = None
    #: why it was closed while remedies were still open (they stay tracked)
    closed_with_open_remedies: str | None = None

    @property
    def open(self) -> bool:
        return self.status is AuditStatus.OPEN

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "authority": self.authority_kennung,
            "scope": self.scope,
            "status": self.status.value,
            "opened_at": self.opened_at.isoformat(),
            "opened_by": self.opened_by,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "closed_by": self.closed_by,
            "result": self.result,
            "closed_with_open_remedies": self.closed_with_open_remedies,
        }


@dataclass(frozen=True, slots=True)
class AuditNote:
    """A finding of the audit, as the operator wrote it down."""

    id: int
    audit_id: int
    at: datetime
    author: str
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "author": self.author, "text": self.text}


@dataclass(frozen=True, slots=True)
class Remedy:
    """A remedy the operator demanded of the authority, due by ``deadline`` (a German day)."""

    id: int
    audit_id: int
    text: str
    deadline: date
    status: RemedyStatus
    demanded_at: datetime
    demanded_by: str
    settled_at: datetime | None = None
    settled_by: str | None = None
    #: how the fulfilment was shown, or why it was withdrawn
    settlement: str | None = None

    def overdue(self, today: date) -> bool:
        """Open and past its deadline on ``today`` (due on the deadline, overdue the day
        after)."""
        return self.status is RemedyStatus.OPEN and self.deadline < today

    def days_overdue(self, today: date) -> int:
        return (today - self.deadline).days if self.overdue(today) else 0

    def as_json(self, today: date | None = None) -> dict[str, Any]:
        document: dict[str, Any] = {
            "id": self.id,
            "audit_id": self.audit_id,
            "text": self.text,
            "deadline": self.deadline.isoformat(),
            "status": self.status.value,
            "demanded_at": self.demanded_at.isoformat(),
            "demanded_by": self.demanded_by,
            "settled_at": self.settled_at.isoformat() if self.settled_at else None,
            "settled_by": self.settled_by,
            "settlement": self.settlement,
        }
        if today is not None:
            document["overdue"] = self.overdue(today)
            document["days_overdue"] = self.days_overdue(today)
        return document


@dataclass(frozen=True, slots=True)
class AuditFile:
    """An audit with its findings and remedies, in the order they were written."""

    audit: Audit
    notes: tuple[AuditNote, ...]
    remedies: tuple[Remedy, ...]

    def open_remedies(self) -> tuple[Remedy, ...]:
        return tuple(r for r in self.remedies if r.status is RemedyStatus.OPEN)

    def overdue_remedies(self, today: date) -> tuple[Remedy, ...]:
        return tuple(r for r in self.remedies if r.overdue(today))

    def as_json(self, today: date) -> dict[str, Any]:
        return {
            **self.audit.as_json(),
            "notes": [n.as_json() for n in self.notes],
            "remedies": [r.as_json(today) for r in self.remedies],
            "overdue_remedies": len(self.overdue_remedies(today)),
        }


@dataclass(frozen=True, slots=True)
class OverdueRemedy:
    """An overdue remedy with the audit and authority it belongs to."""

    remedy: Remedy
    audit: Audit

    def as_json(self, today: date) -> dict[str, Any]:
        return {
            "authority": self.audit.authority_kennung,
            "audit_id": self.audit.id,
            "audit_scope": self.audit.scope,
            "audit_status": self.audit.status.value,
            **self.remedy.as_json(today),
        }
