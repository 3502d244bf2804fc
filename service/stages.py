"""What each stage of a transaction knows, as immutable values (DESIGN.md "The transaction").

The frame (:mod:`datenspiegel.service.broker`) passes these from stage to stage instead of
changing one accumulator as a side effect; what a failed transaction had learnt before its
failure is exactly the stage values it got to, and the protocol record is built from them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from lxml import etree

from datenspiegel.access.decision import handelt_als_sicherheitsbehoerde
from datenspiegel.access.model import Principal, UserRole
from datenspiegel.protocol.side_effect import SideEffect
from datenspiegel.service.merkmale import Merkmal
from datenspiegel.service.trace import TransactionTrace
from datenspiegel.transformers import (
    AnfragendeStelle,
    AnswerDocument,
    Behoerde,
    Nachrichtenkopf,
    Requester,
)
from datenspiegel.xsd.codelists import Ergebnisstatus

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "Authorised",
    "Claimed",
    "Handled",
    "Read",
    "Received",
    "Request",
]


@dataclass(frozen=True, slots=True)
class Received:
    """The request as it arrived: before anything in it is believed."""

    record_id: str
    received_at: datetime
    #: SHA-256 of the HTTP request body as received (``ursprungsnachrichtPruefsumme``).
    request_digest: str
    client_address: str | None
    #: The operation the message was dispatched to (its service label in the protocol).
    service: str
    #: The message element as taken out of the SOAP body (unverified; ``None`` when the
    #: request never reached an operation). Only for keeping the request as received.
    message: etree._Element | None = field(default=None, compare=False, repr=False)
    #: SHA-256 (hex) of the connection's TLS client certificate (mutual TLS), if any
    tls_fingerprint: str | None = None
    #: Bytes of the HTTP request body as received (the record's ``request_bytes``)
    request_bytes: int | None = None
    #: The transaction's stage timings, entered as it passes them (service/trace.py): the
    #: one mutable companion of the stage values, owned by the transaction's thread.
    trace: TransactionTrace = field(default_factory=TransactionTrace, compare=False, repr=False)

    def message_as_received(self) -> bytes | None:
        """The message as a document of its own, signature included: it verifies as it did
        in the envelope (exclusive C14N), e.g. for the 1322 hand-over of the request."""
        if self.message is None:
            return None
        return etree.tostring(self.message, encoding="UTF-8", xml_declaration=True)


@dataclass(frozen=True, slots=True)
class Claimed:
    """What the *unverified* message claims: only to address and reference a 0910."""

    message_id: str | None = None
    autor: Behoerde | None = None

    @classmethod
    def of(cls, root: etree._Element) -> Claimed:
        found = root.findtext("nachrichtenkopf.g2g/identifikation.nachricht/nachrichtenUUID")
        text = (found or "").strip()
        try:
            parsed = uuid.UUID(text) if text else None
        except ValueError:
            parsed = None
        # Only an id the schema would accept may be referenced in the broker's own 0910.
        valid = (
            parsed is not None
            and parsed.variant == uuid.RFC_4122
            and 1 <= (parsed.version or 0) <= 8
        )
        return cls(message_id=str(parsed) if valid else None)


class Request(Protocol):
    """The parts every verified request has, whatever the operation."""

    @property
    def kopf(self) -> Nachrichtenkopf: ...

    @property
    def anfragende_stelle(self) -> AnfragendeStelle: ...

    @property
    def anforderungselemente(self) -> frozenset[int]: ...

    @property
    def search_data(self) -> Mapping[str, str]: ...


@dataclass(frozen=True, slots=True)
class Read:
    """A verified request: parsed, schema-valid, signed by ``fingerprint``'s certificate."""

    request: Request
    fingerprint: str
    #: SHA-256 (hex) of the signed content's exclusive canonical form: "the same message"
    #: for replay protection (protocol/replay.py)
    content_digest: str = ""


@dataclass(frozen=True, slots=True)
class Authorised:
    """The registered principal behind the signature, allowed to make this request."""

    principal: Principal
    requester: Requester

    @classmethod
    def of(
        cls, principal: Principal, *, sicherheitsbehoerde_behauptet: bool | None = None
    ) -> Authorised:
        """The requester facts the disclosure rules need: the registration, and the request's
        claim (``anfragendeStelle/sicherheitsbehoerde``) as far as the law lets it count.

        The claim never raises the class (a public body claiming ``true`` was refused with 03
        by the access decision). It lowers it for sub-types 4, 11 and 13, security authorities
        only "soweit" they act in that task (§ 34 Abs. 4 Satz 1 Nr. 4, 11, 13 BMG): sending
        ``false``, they are answered as the public body they then are — data, rejection codes
        and the § 34 Abs. 5 notices alike (one judgement for all:
        :func:`~datenspiegel.access.decision.handelt_als_sicherheitsbehoerde`). ``None``: the
        message makes no claim; the registration alone decides.
        """
        authority = principal.authority
        sicherheitsbehoerde = handelt_als_sicherheitsbehoerde(
            authority, sicherheitsbehoerde_behauptet=sicherheitsbehoerde_behauptet
        )
        return cls(
            principal,
            Requester(
                sicherheitsbehoerde=sicherheitsbehoerde,
                # A public body has no sub-type (§ 34 Abs. 4 Satz 1 BMG numbers security
                # authorities only).
                untertyp=authority.untertyp if sicherheitsbehoerde else None,
                besonders_ermaechtigt=(
                    UserRole.BEHOERDENLEITUNG_ODER_BESONDERS_ERMAECHTIGT in principal.user.roles
                ),
            ),
        )


def _nothing() -> Mapping[int, tuple[int, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Handled:
    """What an operation's handler produced: the answer and what the protocol must keep.

    § 40 Abs. 1 BMG: ``hits`` are the persons found (Nr. 7); ``disclosed`` says per person id
    which element codes ``document`` carries (Nr. 2, as the answer writers report them);
    ``withheld`` are the persons found but held back because of an Auskunftssperre.
    """

    document: AnswerDocument
    status: Ergebnisstatus
    hits: tuple[int, ...] = ()
    disclosed: Mapping[int, tuple[int, ...]] = field(default_factory=_nothing)
    withheld: tuple[int, ...] = ()
    hit_count: int = 0
    side_effects: tuple[SideEffect, ...] = ()
    #: Identifikationsmerkmale handed out in ``document``: stored in the record's commit.
    merkmale: tuple[Merkmal, ...] = field(default=())
    #: Further writes of the record's own commit (hand-over cases, their delivery state):
    #: they happen exactly when the record is written.
    with_record: tuple[Callable[[Connection], None], ...] = field(default=())
    #: What the protocol record's ``detail`` says of this answer (e.g. an administration
    #: change done or refused); ``None``: nothing beyond the status.
    detail: str | None = None
