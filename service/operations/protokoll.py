"""A security authority fetches its own protocol records: ``protokollAbrufen`` (9200 → 9201).

§ 40 Abs. 3 BMG: security authorities log their own retrievals. One that commissioned the
operator to do it on its behalf ("Protokollierung erforderlich") gets access to those records
(DOMAIN.md § 6); the operator keeps them sealed to the authority's registered key
(protocol/sealed.py) and hands them over as kept — it cannot open them, and neither can
anybody who intercepts the answer. Like every operation this is a transaction on the shared
frame: signed, verified, authorised (role ``protokolleinsicht``, access rule 4b), answered
with a signed document and recorded; the read is logged as a read of the protocol for its
commissioning authority (purpose ``auftraggeber``) in the same commit.

Who gets what (T070 otherwise): only the records of the authority the signing certificate
belongs to (its Kennung must be the message's ``autor``, access rule 10), and only when that
authority is a security authority that commissioned the protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lxml import etree
from sqlalchemy import Engine

from datenspiegel.access.decision import AccessRequest
from datenspiegel.access.entitlement import PROTOKOLL
from datenspiegel.access.errors import AccessDenied
from datenspiegel.access.model import Authority
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.sealed import SealedEntry, count_sealed, sealed_for
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.service.operations import (
    Handler,
    Operation,
    broker_access_request,
    check_leser,
    keine_rueckweisung,
)
from datenspiegel.service.stages import Authorised, Handled, Read, Received, Request
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.protokoll import (
    Protokollabruf,
    Protokolleintrag,
    build_protokollantwort,
    read_protokollabruf,
)
from datenspiegel.xsd.codelists import Ergebnisstatus, Ruecksendung

__all__ = [
    "ANSWER_BUDGET",
    "PROTOKOLL_ABRUFEN_OPERATION",
    "UNSEALED_OPERATIONS",
    "ProtokollAbrufenHandler",
]

PROTOKOLL_ABRUFEN_OPERATION = Operation(
    name="protokollAbrufen", request_element="protokoll.abruf.9200"
)
#: Operations whose records are not sealed even for a commissioning authority: the fetch of
#: the sealed records themselves (its content would be those envelopes again).
UNSEALED_OPERATIONS = frozenset({PROTOKOLL_ABRUFEN_OPERATION.name})
#: Envelope bytes in one answer at most: a client reads answers up to about 20 MB
#: (``ParserLimits.for_answer``); more entries follow with ``fortsetzungNach``. One entry is
#: always sent, however large, so that a fetch never stalls.
ANSWER_BUDGET = 16 * 1024 * 1024


def auftraggeber(authority: Authority) -> Authority:
    """``authority`` if the operator keeps sealed records on its behalf; else T070."""
    if authority.ist_sicherheitsbehoerde and authority.protokollierung_durch_betreiber:
        return authority
    raise AccessDenied(
        Ruecksendung.T070,
        "the operator keeps protocol records on the behalf of security authorities that "
        "commissioned it (§ 40 Abs. 3 BMG) only; there are none for this authority",
        detail=f"authority {authority.kennung} (id {authority.id}) did not commission the "
        "protocol ('Protokollierung erforderlich')",
    )


class ProtokollAbrufenHandler:
    """Answers a verified, authorised ``protokollAbrufen`` with the sender's sealed records."""

    operation = PROTOKOLL_ABRUFEN_OPERATION
    rueckweisung = staticmethod(keine_rueckweisung)

    def __init__(
        self,
        *,
        engine: Engine,
        broker: Behoerde,
        clock: Callable[[], datetime],
        budget: int = ANSWER_BUDGET,
    ) -> None:
        self._engine = engine
        self._broker = broker
        self._clock = clock
        self._budget = budget

    def read(self, root: etree._Element) -> Protokollabruf:
        return read_protokollabruf(root)

    def access_request(self, read: Read, received: Received) -> AccessRequest:
        return broker_access_request(PROTOKOLL, read, received)

    def handle(self, request: Request, authorised: Authorised, received: Received) -> Handled:
        assert isinstance(request, Protokollabruf)
        authority = auftraggeber(authorised.principal.authority)
        broker = check_leser(request, self._broker)
        with self._engine.connect() as conn:
            found = sealed_for(
                conn,
                authority.id,
                von=request.von,
                bis=request.bis,
                nach=request.fortsetzung_nach,
                limit=request.maximale_anzahl + 1,  # one more: is there a next page?
            )
            total = count_sealed(conn, authority.id, von=request.von, bis=request.bis)
        page: list[SealedEntry] = []
        used = 0
        for entry in found[: request.maximale_anzahl]:
            if page and used + len(entry.envelope) > self._budget:
                break
            page.append(entry)
            used += len(entry.envelope)
        more = len(page) < len(found)
        document = build_protokollantwort(
            [
                Protokolleintrag(
                    nummer=e.seq,
                    protokoll_id=e.record_id,
                    eingang=e.received_at,
                    schluessel=e.recipient,
                    umschlag=e.envelope,
                )
                for e in page
            ],
            anzahl_im_zeitraum=total,
            fortsetzung_nach=page[-1].seq if more and page else None,
            erstellt=self._clock(),
            leser=request.kopf.autor,
            autor=broker,
            ursprung=request.kopf.nachrichten_uuid,
        )
        ids = [e.record_id for e in page]
        reader = f"{authority.kennung} / {authorised.principal.user.kennung}"
        query = {"operation": self.operation.name, "record": received.record_id}
        query.update(request.search_data)
        return Handled(
            document=document,
            status=Ergebnisstatus.ERGEBNISLISTE,
            hit_count=len(page),
            with_record=(
                lambda conn: ProtocolStore.log_read_in(
                    conn,
                    reader=reader,
                    purpose=ReadPurpose.AUFTRAGGEBER,
                    query=query,
                    record_ids=ids,
                ),
            ),
            detail=f"{len(page)} sealed record(s) of {total} in the period handed over",
        )


def protokoll_handlers(
    *, engine: Engine, broker: Behoerde, clock: Callable[[], datetime]
) -> tuple[Handler, ...]:
    """The operation on the broker database's ``engine``."""
    return (ProtokollAbrufenHandler(engine=engine, broker=broker, clock=clock),)
