"""Hand-over cases delivered: ``faelleAbrufen`` and ``faelleQuittieren`` (1322).

The competent municipality (``ags:<AGS>``) fetches the 1322 hand-overs of retrievals it must
answer by hand (§ 34a Abs. 5 BMG), an instigating security authority its § 34 Abs. 5 BMG
notices; both acknowledge what they took over. Like every operation these are transactions on
the shared frame: signed, verified, authorised, answered with a signed document and recorded —
the protocol record of a fetch names the persons whose data it carried.

The rule of who gets which case (T070 otherwise): the recipient of a case is fixed when the
case is created; a request gets the cases of the authority its signing certificate belongs
to, whose Kennung the message's ``autor`` must be (access decision rule 10). Only
municipalities and security authorities receive cases; any other authority is refused with
T070, because the service is not offered to it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lxml import etree
from sqlalchemy import Engine

from datenspiegel.access.decision import AccessRequest
from datenspiegel.access.entitlement import FAELLE
from datenspiegel.access.errors import AccessDenied
from datenspiegel.access.model import Authority
from datenspiegel.protocol.cases import CaseStore
from datenspiegel.service.operations import (
    Handler,
    Operation,
    broker_access_request,
    check_leser,
    keine_rueckweisung,
)
from datenspiegel.service.stages import Authorised, Handled, Read, Received, Request
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.aussteuerung import (
    FaelleAbruf,
    FaelleQuittung,
    StoredFall,
    build_faelle_antwort,
    build_quittungsantwort,
    read_faelle_abruf,
    read_quittung,
)
from datenspiegel.xsd import ParserLimits, parse_message
from datenspiegel.xsd.codelists import Ergebnisstatus, Ruecksendung

__all__ = [
    "FAELLE_ABRUFEN_OPERATION",
    "FAELLE_QUITTIEREN_OPERATION",
    "FaelleAbrufenHandler",
    "FaelleQuittierenHandler",
    "case_handlers",
]

FAELLE_ABRUFEN_OPERATION = Operation(
    name="faelleAbrufen", request_element="datenabruf.aussteuerung.abruf.1322"
)
FAELLE_QUITTIEREN_OPERATION = Operation(
    name="faelleQuittieren", request_element="datenabruf.aussteuerung.quittung.1322"
)
#: The answer to a fetch: each case is a list of entries, not a 01 person or a neutral 03.
_STATUS = Ergebnisstatus.ERGEBNISLISTE
# Stored cases are the broker's own documents; they are read with the answer limits.
_STORED = ParserLimits.for_answer()


def empfaenger(authority: Authority) -> str:
    """The Kennung whose cases ``authority`` receives; AccessDenied(T070) if it receives none."""
    if authority.kennung.startswith("ags:") or authority.ist_sicherheitsbehoerde:
        return authority.kennung
    raise AccessDenied(
        Ruecksendung.T070,
        "hand-over cases are delivered to municipalities and security authorities only",
        detail=f"authority {authority.kennung} (id {authority.id}) is neither a municipality "
        "nor a security authority and receives no hand-over cases",
    )


def _access_request(read: Read, received: Received) -> AccessRequest:
    return broker_access_request(FAELLE, read, received)


class FaelleAbrufenHandler:
    """Answers a verified, authorised ``faelleAbrufen`` with the sender's open cases."""

    operation = FAELLE_ABRUFEN_OPERATION
    rueckweisung = staticmethod(keine_rueckweisung)

    def __init__(
        self, *, cases: CaseStore, broker: Behoerde, clock: Callable[[], datetime]
    ) -> None:
        self._cases = cases
        self._broker = broker
        self._clock = clock

    def read(self, root: etree._Element) -> FaelleAbruf:
        return read_faelle_abruf(root)

    def access_request(self, read: Read, received: Received) -> AccessRequest:
        return _access_request(read, received)

    def handle(self, request: Request, authorised: Authorised, received: Received) -> Handled:
        assert isinstance(request, FaelleAbruf)
        recipient = empfaenger(authorised.principal.authority)
        broker = check_leser(request, self._broker)
        now = self._clock()
        found = self._cases.open_for(recipient, limit=request.maximale_anzahl)
        offen = self._cases.count_open(recipient)
        faelle = [
            StoredFall(c.case_id, c.created_at, parse_message(c.content, limits=_STORED))
            for c in found
            if c.content is not None
        ]
        disclosed: dict[int, set[int]] = {}
        for case in found:
            for person, codes in case.disclosed.items():
                disclosed.setdefault(person, set()).update(codes)
        document = build_faelle_antwort(
            faelle,
            anzahl_offen=offen,
            disclosed=disclosed,
            erstellt=now,
            leser=request.kopf.autor,
            autor=broker,
            ursprung=request.kopf.nachrichten_uuid,
        )
        ids = [c.case_id for c in found]
        return Handled(
            document=document,
            status=_STATUS,
            hits=tuple(sorted(disclosed)),
            disclosed=document.disclosed,
            hit_count=len(found),
            with_record=(
                lambda conn: CaseStore.mark_fetched_in(
                    conn, ids, at=now, record_id=received.record_id
                ),
            )
            if ids
            else (),
        )


class FaelleQuittierenHandler:
    """Acknowledges the sender's cases: they leave its open list, their duties are delivered."""

    operation = FAELLE_QUITTIEREN_OPERATION
    rueckweisung = staticmethod(keine_rueckweisung)

    def __init__(
        self, *, cases: CaseStore, broker: Behoerde, clock: Callable[[], datetime]
    ) -> None:
        self._cases = cases
        self._broker = broker
        self._clock = clock

    def read(self, root: etree._Element) -> FaelleQuittung:
        return read_quittung(root)

    def access_request(self, read: Read, received: Received) -> AccessRequest:
        return _access_request(read, received)

    def handle(self, request: Request, authorised: Authorised, received: Received) -> Handled:
        assert isinstance(request, FaelleQuittung)
        recipient = empfaenger(authorised.principal.authority)
        broker = check_leser(request, self._broker)
        now = self._clock()
        known = self._cases.addressed_to(recipient, request.fall_ids)
        quittiert = [i for i in request.fall_ids if i in known]
        unbekannt = [i for i in request.fall_ids if i not in known]
        still_open = self._cases.addressed_to(recipient, quittiert, open_only=True)
        offen_danach = self._cases.count_open(recipient) - len(still_open)
        document = build_quittungsantwort(
            quittiert=quittiert,
            unbekannt=unbekannt,
            anzahl_offen=max(offen_danach, 0),
            erstellt=now,
            leser=request.kopf.autor,
            autor=broker,
            ursprung=request.kopf.nachrichten_uuid,
        )
        return Handled(
            document=document,
            status=_STATUS,
            with_record=(
                lambda conn: CaseStore.acknowledge_in(
                    conn, recipient, quittiert, at=now, record_id=received.record_id
                ),
            )
            if quittiert
            else (),
        )


def case_handlers(
    *, engine: Engine, broker: Behoerde, clock: Callable[[], datetime]
) -> tuple[Handler, ...]:
    """Both operations on the broker database's ``engine`` (the case tables are migrated)."""
    cases = CaseStore(engine=engine)
    cases.migrate()
    return (
        FaelleAbrufenHandler(cases=cases, broker=broker, clock=clock),
        FaelleQuittierenHandler(cases=cases, broker=broker, clock=clock),
    )
