"""The authority dossier: what an audit of an authority's measures needs, as one document.

The operator audits the authorities' technical and organisational measures (DOMAIN.md § 7;
Nds. NMeldVO § 26 and the operator's info sheet). The dossier gathers what it checks them
against:

- the registration now and its history (§ 39 BMG: the administrative event log
  ``access_event`` and the status history), and who was main administrator when (NMeldVO
  § 26);
- the users with their roles, certificates and validity, and the day each was instructed on
  the purpose limitation — current, due, or overdue and suspended (§ 41 BMG,
  :mod:`datenspiegel.access.belehrung`); users removed, and changes of users;
- every block and unblock of the authority and its users, with reason and actor;
- retrieval statistics from the § 40 protocol — counts per month and per user, outcomes and
  codes, services (:mod:`datenspiegel.service.dossier_statistics`; metadata only for a security
  authority);
- the audits with their findings and demanded remedies (:mod:`datenspiegel.access.audits`);
- the findings of the protocol's anomaly detection, from a :class:`FindingsSource` plugged in
  by the caller; without one the section says so (:data:`NO_FINDINGS_STORE`).

:func:`read_registry` reads the registry's part; :func:`build_dossier` puts the document
together from what it is given (it reads nothing itself, except through the findings source
it is handed). The protocol is read by the caller, with reader and purpose, every read logged
(service/cli_authority_dossier.py). The registry sections cover the whole file; the retrieval
statistics and the findings cover the dossier's period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from datenspiegel.access import (
    AdminEvent,
    AuditFile,
    AuditStore,
    Authority,
    BoundCertificate,
    StatusChange,
    User,
)
from datenspiegel.access.audits import german_day
from datenspiegel.access.belehrung import Belehrungsfrist
from datenspiegel.service.cli_access import authority_json, user_json
from datenspiegel.service.dossier_statistics import RetrievalStatistics

__all__ = [
    "DOSSIER_FORMAT",
    "NO_FINDINGS_STORE",
    "DossierRequest",
    "Finding",
    "FindingsSource",
    "RegistryFacts",
    "build_dossier",
    "read_registry",
]

DOSSIER_FORMAT = "datenspiegel-authority-dossier/1"
#: The findings section when no findings source is plugged in.
NO_FINDINGS_STORE = (
    "no findings store yet: the anomaly detection of the protocol is not in place, so there "
    "are no findings to list; this section lists its findings on the authority once it is"
)
_MAX_EVENTS = 100_000


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding on the authority, e.g. an anomaly the protocol review detected: from an
    anomaly finding, ``at`` is its window's start, ``kind`` its detector, ``summary`` its
    subject and explanation, ``records`` how many records are behind it."""

    at: datetime
    kind: str
    summary: str
    severity: str | None = None
    records: int | None = None
    #: e.g. open, confirmed, dismissed; ``None`` when the source has no review state
    status: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "severity": self.severity,
            "summary": self.summary,
            "records": self.records,
            "status": self.status,
        }


class FindingsSource(Protocol):
    """Where the dossier's findings section comes from — the hook for the anomaly detection
    (protocol review): an adapter over its store that returns the findings on one authority
    in ``[since, until)``, oldest first. A source that reads protocol records logs those
    reads itself (§ 40 BMG)."""

    def findings(
        self, authority_kennung: str, *, since: datetime, until: datetime
    ) -> Sequence[Finding]: ...


@dataclass(frozen=True, slots=True)
class RegistryFacts:
    """The registry's part of the dossier, as read at one moment."""

    authority: Authority
    users: tuple[User, ...]
    certificates: Mapping[int, tuple[BoundCertificate, ...]]
    authority_history: tuple[StatusChange, ...]
    user_histories: Mapping[int, tuple[StatusChange, ...]]
    events: tuple[AdminEvent, ...]
    audits: tuple[AuditFile, ...]


@dataclass(frozen=True, slots=True)
class DossierRequest:
    """Who makes the dossier, why, when, and the period of its retrieval statistics."""

    reader: str
    occasion: str
    created_at: datetime
    since: datetime
    until: datetime


def read_registry(store: AuditStore, authority: Authority) -> RegistryFacts:
    """The registry's facts on ``authority``: its users, certificates, histories, events and
    audits. Plain reads: a change's write lock (``atomically``) would hold up the protocol's
    appends in the same database for as long as the dossier reads."""
    users = tuple(store.users(authority.id))
    return RegistryFacts(
        authority=authority,
        users=users,
        certificates={u.id: tuple(store.certificates(u.id)) for u in users},
        authority_history=tuple(store.status_history(authority.id)),
        user_histories={u.id: tuple(store.status_history(authority.id, u.id)) for u in users},
        events=tuple(store.admin_events(authority_kennung=authority.kennung, limit=_MAX_EVENTS)),
        audits=tuple(store.audit_files(authority.id)),
    )


def build_dossier(
    facts: RegistryFacts,
    statistics: RetrievalStatistics,
    *,
    request: DossierRequest,
    belehrung: Belehrungsfrist,
    findings: FindingsSource | None = None,
) -> dict[str, Any]:
    """The dossier as plain data (its JSON form; the Markdown and HTML forms render it)."""
    today = german_day(request.created_at)
    authority = facts.authority
    registered = facts.authority_history[0].at if facts.authority_history else None
    return {
        "format": DOSSIER_FORMAT,
        "created_at": request.created_at.isoformat(),
        "created_by": request.reader,
        "occasion": request.occasion,
        "read_purpose": "datenschutzkontrolle",
        "period": {
            "from": request.since.isoformat(),
            "until": request.until.isoformat(),
            # the same as German calendar days, both inclusive
            "first_day": german_day(request.since).isoformat(),
            "last_day": german_day(request.until - timedelta(microseconds=1)).isoformat(),
        },
        "authority": {
            **authority_json(authority),
            "registered_at": registered.isoformat() if registered else None,
        },
        "registration_history": [
            _event_json(e) for e in facts.events if e.action.value.startswith("authority.")
        ],
        "status_history": [c.as_json() for c in facts.authority_history],
        "administrators": _administrators(facts),
        "users": [_user(facts, u, belehrung, request.created_at) for u in facts.users],
        "removed_users": [
            {"kennung": e.target, "removed_at": e.at.isoformat(), "by": e.actor.label}
            for e in facts.events
            if e.action.value == "user.delete"
        ],
        "user_changes": [
            _event_json(e) for e in facts.events if e.action.value.startswith("user.")
        ],
        "blocks": _blocks(facts),
        "retrievals": statistics.as_json(),
        "audits": [f.as_json(today) for f in facts.audits],
        "findings": _findings(findings, authority.kennung, request),
    }


def _event_json(event: AdminEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "action": event.action.value,
        "target": event.target,
        "by": event.actor.label,
        "details": dict(event.details),
    }


def _administrators(facts: RegistryFacts) -> list[dict[str, Any]]:
    """Who was main administrator when: from the registration and each ``set-admin``.

    A registration from before access schema version 2 has no ``authority.add`` event: its
    first administrator is known by name only, since an unknown time."""
    periods: list[dict[str, Any]] = []

    def begin(person: Mapping[str, Any] | str | None, at: datetime | None) -> None:
        if periods:
            periods[-1]["until"] = at.isoformat() if at else None
        if isinstance(person, Mapping):
            kennung, name, user_id = (
                person.get("kennung"),
                person.get("name"),
                person.get("user_id"),
            )
        else:
            kennung, name, user_id = None, person, None
        periods.append(
            {
                "kennung": kennung,
                "name": name,
                "user_id": user_id,
                "named_only": user_id is None,
                "from": at.isoformat() if at else None,
                "until": None,
            }
        )

    for event in facts.events:
        if event.action.value == "authority.add":
            begin(event.details.get("administrator"), event.at)
        elif event.action.value == "authority.set-admin":
            if not periods:  # registered before the event log: known only as "from"
                begin(event.details.get("from"), None)
            begin(event.details.get("to"), event.at)
    if not periods:
        authority = facts.authority
        current = next((u for u in facts.users if u.id == authority.administrator_id), None)
        begin(
            {"kennung": current.kennung, "name": current.name, "user_id": current.id}
            if current
            else authority.administrator,
            None,
        )
    return periods


def _belehrung(user: User, frist: Belehrungsfrist, now: datetime) -> dict[str, Any]:
    """§ 41 BMG: the instruction's state on the dossier's day."""
    today = german_day(now)
    due = frist.faellig_seit(user.belehrt_am)
    if user.belehrt_am is None:
        state = "unknown"
    elif frist.gesperrt(user.belehrt_am, today):
        state = "overdue"  # past the grace period too: the user is suspended (T070)
    elif frist.faellig(user.belehrt_am, today):
        state = "due"
    else:
        state = "current"
    return {"state": state, "due_on": due.isoformat() if due else None}


def _user(
    facts: RegistryFacts, user: User, frist: Belehrungsfrist, now: datetime
) -> dict[str, Any]:
    history = facts.user_histories.get(user.id, ())
    plain = user_json(user)
    plain.pop("kontakt", None)  # not needed to audit the measures: data minimisation
    return {
        **plain,
        "main_administrator": facts.authority.administrator_id == user.id,
        "registered_at": history[0].at.isoformat() if history else None,
        "belehrung": _belehrung(user, frist, now),
        "certificates": [
            {**c.as_json(), "valid": c.not_after > now} for c in facts.certificates.get(user.id, ())
        ],
        "history": [c.as_json() for c in history],
    }


def _blocks(facts: RegistryFacts) -> list[dict[str, Any]]:
    """Every block and unblock, with reason and actor, oldest first: from the status history
    of the authority and its users, and from the event log for users since removed (their
    status history went with them)."""
    found: list[dict[str, Any]] = []

    def of(subject: str, history: Sequence[StatusChange]) -> None:
        for index, change in enumerate(history):
            if index == 0 and not change.gesperrt:  # the registration itself
                continue
            found.append(
                {
                    "at": change.at.isoformat(),
                    "subject": subject,
                    "status": change.status,
                    "by": change.actor,
                    "grund": change.grund,
                }
            )

    of("authority", facts.authority_history)
    current = set()
    for user in facts.users:
        current.add(user.kennung)
        of(f"user {user.kennung}", facts.user_histories.get(user.id, ()))
    for event in facts.events:
        if event.action.value in ("user.block", "user.unblock") and event.target not in current:
            found.append(
                {
                    "at": event.at.isoformat(),
                    "subject": f"user {event.target} (removed)",
                    "status": "blocked" if event.action.value == "user.block" else "active",
                    "by": event.actor.label,
                    "grund": event.details.get("grund"),
                }
            )
    return sorted(found, key=lambda b: b["at"])


def _findings(
    source: FindingsSource | None, kennung: str, request: DossierRequest
) -> dict[str, Any]:
    if source is None:
        return {"available": False, "note": NO_FINDINGS_STORE, "items": []}
    items = source.findings(kennung, since=request.since, until=request.until)
    return {"available": True, "note": None, "items": [f.as_json() for f in items]}
