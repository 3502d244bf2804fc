"""A light, read-once projection of a :class:`ProtocolRecord` for the detectors.

The projection decides, in one place, what a detector may see. For a record of a security
authority (``sicherheitsbehoerde``) — and for any record whose content was not kept — it reads
*only* metadata: time, service, outcome and codes, the broker's detail, authority, the
(pseudonymous) user, certificate and client address. Its :attr:`RecordView.content` is then
None, and the content fields of the record are never touched: the operator does not review
what a security authority asked or found, even where it logs on its behalf (§ 40 Abs. 3 BMG,
DOMAIN.md § 6: "does not review their content but still watches technical signs").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from datenspiegel.protocol.anomalies.clock import LocalClock, Slot
from datenspiegel.protocol.anomalies.model import Subject
from datenspiegel.protocol.record import Outcome, ProtocolRecord

__all__ = ["Content", "RecordView", "view_of"]


@dataclass(frozen=True, slots=True)
class Content:
    """What was asked and found (public bodies' records only)."""

    hits: tuple[int, ...]
    hit_count: int
    search_data: Mapping[str, Any]

    @property
    def looked_up(self) -> int | None:
        """The one person identified by this retrieval (a single hit, disclosed or held back
        because of an Auskunftssperre), else None: a person on a hit list of many was not
        looked up."""
        return self.hits[0] if self.hit_count == 1 and len(self.hits) == 1 else None


@dataclass(frozen=True, slots=True)
class RecordView:
    record_id: str
    at: datetime
    #: ``at`` as epoch seconds
    t: float
    slot: Slot
    service: str
    outcome: Outcome
    codes: tuple[str, ...]
    detail: str | None
    authority_id: int | None
    authority_kennung: str | None
    user_id: int | None
    user_kennung: str | None
    client_address: str | None
    certificate_fingerprint: str | None
    sicherheitsbehoerde: bool
    content: Content | None
    #: :attr:`Subject.key` of the user and of the authority (None when not named)
    user_key: str | None
    authority_key: str | None

    @property
    def is_activity(self) -> bool:
        """Counts as the sender's own work: every transaction but the broker's re-sending of
        an earlier answer (a replay is the replay detector's)."""
        return self.outcome is not Outcome.DUPLICATE

    @property
    def user(self) -> Subject | None:
        if self.user_id is None and self.user_kennung is None:
            return None
        return Subject(
            authority_id=self.authority_id,
            authority_kennung=self.authority_kennung,
            user_id=self.user_id,
            user_kennung=self.user_kennung,
        )

    @property
    def authority(self) -> Subject | None:
        if self.authority_id is None and self.authority_kennung is None:
            return None
        return Subject(authority_id=self.authority_id, authority_kennung=self.authority_kennung)

    @property
    def source(self) -> str | None:
        """Where the request came from: the client address, else the certificate."""
        if self.client_address:
            return self.client_address
        if self.certificate_fingerprint:
            return f"cert:{self.certificate_fingerprint}"
        return None

    def sender(self) -> Subject | None:
        """The user if the record names one, else the source."""
        user = self.user
        if user is not None:
            return user
        source = self.source
        return Subject(source=source) if source is not None else None


def view_of(record: ProtocolRecord, clock: LocalClock) -> RecordView:
    """The record as the detectors see it (see the module docstring)."""
    at = record.received_at
    t = at.timestamp()
    content = None
    if not record.sicherheitsbehoerde and record.content_recorded:
        content = Content(record.hits, record.hit_count, record.search_data)
    authority_id, user_id = record.authority_id, record.user_id
    authority_key = (
        f"authority:{authority_id}"
        if authority_id is not None
        else (f"authority:{record.authority_kennung}" if record.authority_kennung else None)
    )
    # a security authority's metadata-only record: no registry id, the user's pseudonym
    user = user_id if user_id is not None else record.user_kennung
    user_key = None
    if user is not None:
        user_key = f"{authority_key}/user:{user}" if authority_key else f"user:{user}"
    return RecordView(
        record_id=record.record_id,
        at=at,
        t=t,
        slot=clock.slot(t),
        service=record.service,
        outcome=record.outcome,
        codes=record.outcome_codes,
        detail=record.detail,
        authority_id=record.authority_id,
        authority_kennung=record.authority_kennung,
        user_id=record.user_id,
        user_kennung=record.user_kennung,
        client_address=record.client_address,
        certificate_fingerprint=record.certificate_fingerprint,
        sicherheitsbehoerde=record.sicherheitsbehoerde,
        content=content,
        user_key=user_key,
        authority_key=authority_key,
    )
