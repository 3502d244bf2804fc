"""The § 40 protocol record of one transaction, built from what its stages learnt.

§ 40 Abs. 1 BMG: (1) the requesting body, (2) the data retrieved, (3) the time, (4) the
Aktenzeichen, (5) the Anlass, (6) the Kennung of the requesting person or the name of the
automated procedure, (7) the hits. What left is taken from the handler's report of what the
answer writers actually put into the document, per person (``disclosed``), and kept apart from
the persons held back because of an Auskunftssperre (``withheld``) — never from the request.

The record is of the class the request was answered in
(:func:`~datenspiegel.access.decision.handelt_als_sicherheitsbehoerde`): a security authority
of sub-type 4, 11 or 13 that sent ``sicherheitsbehoerde=false`` retrieved as a public body, so
its record is a public body's — full content, visible to the data subject (§ 11 Abs. 1 Nr. 3
BMG). For every retrieval as a security authority the operator's log keeps only technical
metadata (:meth:`ProtocolRecord.without_content`), because such an authority logs its own
retrievals (§ 40 Abs. 3 BMG). If it commissioned the operator to log on its behalf
("Protokollierung erforderlich"), the full record is handed back as well, to be sealed to the
authority's key (protocol/sealed.py): kept, but not readable by the operator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from datenspiegel.access.decision import handelt_als_sicherheitsbehoerde
from datenspiegel.access.model import Principal
from datenspiegel.protocol.record import ProtocolRecord, digest
from datenspiegel.service.endings import Ending
from datenspiegel.service.stages import Claimed, Read, Received

__all__ = ["Recorded", "record_of"]


@dataclass(frozen=True, slots=True)
class Recorded:
    """The record the operator's log keeps, and the full record to seal (or ``None``)."""

    kept: ProtocolRecord
    #: the full content of a security authority's retrieval logged on its behalf (§ 40 Abs. 3
    #: BMG), to be sealed to its key; ``None`` for everything else
    to_seal: ProtocolRecord | None = None


def record_of(
    *,
    received: Received,
    claimed: Claimed,
    read: Read | None,
    principal: Principal | None,
    ending: Ending,
    answer_message_id: str,
    answer: bytes,
    answered_at: datetime,
    pseudonym: Callable[[str], str] | None = None,
    sealable: bool = True,
) -> Recorded:
    """The record of one transaction (see the module docstring). ``sealable``: whether a
    commissioned security authority's content is to be sealed (not for the fetch of its own
    sealed records: their content is those envelopes)."""
    request = read.request if read is not None else None
    stelle = request.anfragende_stelle if request is not None else None
    authority = principal.authority if principal is not None else None
    handled = ending.handled
    als_sicherheitsbehoerde = authority is not None and handelt_als_sicherheitsbehoerde(
        authority, sicherheitsbehoerde_behauptet=stelle.sicherheitsbehoerde if stelle else None
    )
    record = ProtocolRecord(
        record_id=received.record_id,
        received_at=received.received_at,
        answered_at=answered_at,
        service=received.service,
        outcome=ending.outcome,
        outcome_codes=ending.codes,
        request_digest=received.request_digest,
        sicherheitsbehoerde=als_sicherheitsbehoerde,
        request_message_id=request.kopf.nachrichten_uuid if request else claimed.message_id,
        answer_message_id=answer_message_id,
        answer_digest=digest(answer),
        client_address=received.client_address,
        certificate_fingerprint=read.fingerprint if read is not None else None,
        authority_id=authority.id if authority else None,
        authority_kennung=authority.kennung if authority else None,
        authority_name=authority.name if authority else None,
        user_id=principal.user.id if principal else None,
        user_kennung=(
            (stelle.kennung_anfragende_person or stelle.verfahrensname) if stelle else None
        )
        or (principal.user.kennung if principal else None),
        aktenzeichen=stelle.aktenzeichen if stelle else None,
        anlass=stelle.anlass if stelle else None,
        requesting_body=stelle.as_protocol() if stelle else {},
        search_data=dict(request.search_data) if request else {},
        requested_elements=tuple(sorted(request.anforderungselemente)) if request else (),
        disclosed=handled.disclosed if handled else {},
        withheld=handled.withheld if handled else (),
        hits=handled.hits if handled else (),
        hit_count=handled.hit_count if handled else 0,
        detail=ending.detail,
        request_bytes=received.request_bytes,
        answer_bytes=len(answer),
    )
    if authority is None or not als_sicherheitsbehoerde:
        return Recorded(record)
    commissioned = authority.protokollierung_durch_betreiber and sealable
    return Recorded(record.without_content(pseudonym), record if commissioned else None)
