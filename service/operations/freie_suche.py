"""freie Suche (1332 → 1333, § 34a Abs. 3 BMG, BMeldDAV § 7): a handler on the shared frame.

The search for a group of persons not known by name, within a mandatory Suchbereich. The
rules (DOMAIN.md § 4), each where it is applied:

- search data (:func:`~datenspiegel.transformers.freie_suche_request.check_freie_suche`):
  Suchbereich one municipality (AGS or name), one district or the state, outside → 22
  (§ 34a Abs. 3 BMG); weapons and explosives criteria for security authorities only → 04, 05,
  06 (§ 34 Abs. 4 Satz 1 BMG); placeholders on names and street, not first nor alone, never
  with phonetics → 15 (BMeldDAV § 7 Abs. 3); birth range von < bis → 20, house number range
  → 19, address currency without street → 21 (BMeldDAV § 7 Abs. 1, 2);
- requested elements (:func:`~datenspiegel.access.decision.authorise`, catalogue
  ``FREIE_SUCHE``): items 1–8 and 16 of § 34 Abs. 1 Satz 1 BMG and the current main address
  for everybody; move-in date, identity documents, weapons/explosives facts and landlord for
  security authorities only (§ 34 Abs. 4 Satz 1 BMG) → 11, 07, 09, 10;
- the search (:meth:`RegisterStore.search_freie_suche`): persons with an Auskunftssperre in
  force (§ 51 BMG) are never included and never counted, so neither the list nor rejection
  13 lets anybody infer a block;
- the answer: more than 1 000 → 13 (BMeldDAV § 7 Abs. 4; told by the register from the ids
  alone, before any record is read); none → 03; else 04 with an
  ``identifikationsmerkmal`` per person when more than one (§ 39 Abs. 2 BMG, BMeldDAV § 9),
  stored in the record's own commit;
- the § 40 record (§ 40 Abs. 1 BMG, for a freie Suche "auch die Suchdaten und die
  Ergebnisse"): the search data as sent (``request.search_data``), every person of the result
  list (``hits``) with the element codes written for them (``disclosed``).

Reading, signature, authorisation, signing and the protocol are the frame's.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from datetime import datetime

from lxml import etree

from datenspiegel.access.decision import AccessRequest
from datenspiegel.access.entitlement import FREIE_SUCHE
from datenspiegel.register.errors import ErgebnislisteZuGrossError, InvalidQueryError
from datenspiegel.register.freie_suche import FreieSucheQuery, Suchbereich, SuchbereichArt
from datenspiegel.register.model import Person
from datenspiegel.register.stichtag import stichtag
from datenspiegel.register.store import RegisterStore
from datenspiegel.service.merkmale import GUELTIGKEIT, Merkmal
from datenspiegel.service.operations import Operation, retrieval_access_request
from datenspiegel.service.stages import Authorised, Handled, Read, Received, Request
from datenspiegel.transformers import MAX_TREFFER, BusinessRejection
from datenspiegel.transformers.freie_suche_answer import (
    build_freie_suche_answer,
    build_freie_suche_rueckweisung,
)
from datenspiegel.transformers.freie_suche_request import (
    FreieSucheRequest,
    check_freie_suche,
    read_freie_suche,
)
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund

__all__ = ["FREIE_SUCHE_OPERATION", "MAX_ERGEBNISSE", "FreieSucheHandler"]

FREIE_SUCHE_OPERATION = Operation(
    name="freieSuche", request_element="datenabruf.freieSuche.suchanfrage.1332"
)
#: BMeldDAV § 7 Abs. 4: a result list holds at most 1 000 persons (else rejection 13).
MAX_ERGEBNISSE = MAX_TREFFER


class FreieSucheHandler:
    """Answers a verified, authorised 1332."""

    operation = FREIE_SUCHE_OPERATION
    #: a rejected 1332 is answered with a 1333 carrying ``rueckweisung`` (BMeldDAV § 7)
    rueckweisung = staticmethod(build_freie_suche_rueckweisung)

    def __init__(self, *, register: RegisterStore, clock: Callable[[], datetime]) -> None:
        self._register = register
        self._clock = clock

    def read(self, root: etree._Element) -> FreieSucheRequest:
        return read_freie_suche(root)

    def access_request(self, read: Read, received: Received) -> AccessRequest:
        return retrieval_access_request(FREIE_SUCHE, read, received)

    def handle(self, request: Request, authorised: Authorised, received: Received) -> Handled:
        assert isinstance(request, FreieSucheRequest)
        now = self._clock()
        query = self._resolved(request)
        check_freie_suche(
            query,
            sicherheitsbehoerde=authorised.requester.sicherheitsbehoerde,
            bereich_bekannt=self._register.known_area,
        )
        persons = self._search(query, now)
        authority_id = authorised.principal.authority.id
        stored: tuple[Merkmal, ...] = ()
        if len(persons) > 1:
            stored = tuple(
                Merkmal(
                    merkmal=secrets.token_urlsafe(32),
                    person_id=person.id,
                    authority_id=authority_id,
                    issued_at=now,
                    expires_at=now + GUELTIGKEIT,
                    request_message_id=request.kopf.nachrichten_uuid,
                )
                for person in persons
                if person.id is not None
            )
        leser = request.kopf.leser
        assert leser is not None  # the access decision refused messages without a reader
        document = build_freie_suche_answer(
            persons,
            elemente=request.anforderungselemente,
            merkmale={m.person_id: m.merkmal for m in stored},
            erstellt=now,
            leser=request.kopf.autor,
            autor=leser,
            ursprung=request.kopf.nachrichten_uuid,
        )
        status = Ergebnisstatus.ERGEBNISLISTE if persons else Ergebnisstatus.NEUTRAL
        return Handled(
            document=document,
            status=status,
            hits=tuple(p.id for p in persons if p.id is not None),
            disclosed=document.disclosed,
            hit_count=len(persons),
            merkmale=stored,
        )

    def _resolved(self, request: FreieSucheRequest) -> FreieSucheQuery:
        """The query with a municipality given by name replaced by its AGS (else 22 / 17)."""
        if request.gemeindename is None:
            return request.query
        found = self._register.gemeinden_named(request.gemeindename)
        if not found:
            raise BusinessRejection(
                Grund.SUCHBEREICH_NICHT_ZUSTAENDIG,
                f"no municipality named {request.gemeindename!r} is held by this mirror; give "
                "its Gemeindeschlüssel",
            )
        if len(found) > 1:
            raise BusinessRejection(
                Grund.SONSTIGER_FACHLICHER_FEHLER,
                f"several municipalities are named {request.gemeindename!r} "
                f"({', '.join(found)}); give the Gemeindeschlüssel",
            )
        bereich = Suchbereich(SuchbereichArt.GEMEINDE, found[0])
        return dataclasses.replace(request.query, suchbereich=bereich)

    def _search(self, query: FreieSucheQuery, now: datetime) -> list[Person]:
        tag = stichtag(now)  # the day in Lower Saxony: blocks end with their last local day
        try:
            found = self._register.search_freie_suche(query, stichtag=tag, limit=MAX_ERGEBNISSE)
        except ErgebnislisteZuGrossError as exc:  # BMeldDAV § 7 Abs. 4: no records were read
            raise BusinessRejection(Grund.ERGEBNISLISTE_ZU_GROSS, str(exc)) from None
        except InvalidQueryError as exc:  # the register's own guard; the check above is first
            raise BusinessRejection(
                exc.code or Grund.SONSTIGER_FACHLICHER_FEHLER, str(exc)
            ) from None
        # Defence in depth: the SQL leaves blocked persons out; nobody blocked leaves here.
        return [p for p in found if not p.sperrt_auskunft_am(tag)]
