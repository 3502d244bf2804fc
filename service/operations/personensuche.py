"""Personensuche (1330 → 1331, § 34a Abs. 2 BMG): the first handler on the shared frame.

Search data rules (§ 38 Abs. 1 BMG, BMeldDAV § 4), the register search, the disclosure rules
(§§ 34a, 51 BMG) and the follow-up duties for blocked persons (§ 34a Abs. 5, § 51 Abs. 3 BMG);
everything else — reading, signature, authorisation, signing, the protocol — is the frame's.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from lxml import etree

from datenspiegel.access.decision import AccessRequest
from datenspiegel.access.entitlement import PERSONENSUCHE
from datenspiegel.protocol.cases import CaseStore
from datenspiegel.register.errors import InvalidQueryError
from datenspiegel.register.model import Person
from datenspiegel.register.normalize import normalize_strasse
from datenspiegel.register.stichtag import stichtag
from datenspiegel.register.store import RegisterStore
from datenspiegel.service.follow_ups import cases_for, follow_ups
from datenspiegel.service.merkmale import GUELTIGKEIT, Merkmal, MerkmalStore
from datenspiegel.service.operations import Operation, retrieval_access_request
from datenspiegel.service.stages import (
    Authorised,
    Handled,
    Read,
    Received,
    Request,
)
from datenspiegel.transformers import (
    MAX_TREFFER,
    BusinessRejection,
    PersonensucheRequest,
    build_answer,
    build_rueckweisung,
    check_personensuche_query,
    decide_disclosure,
    read_personensuche,
)
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund

__all__ = ["PERSONENSUCHE_OPERATION", "PersonensucheHandler"]

PERSONENSUCHE_OPERATION = Operation(
    name=PERSONENSUCHE, request_element="datenabruf.personensuche.suchanfrage.1330"
)


class PersonensucheHandler:
    """Answers a verified, authorised 1330."""

    operation = PERSONENSUCHE_OPERATION
    #: a rejected 1330 is answered with a 1331 carrying ``rueckweisung`` (BMeldDAV § 4)
    rueckweisung = staticmethod(build_rueckweisung)

    def __init__(
        self, *, register: RegisterStore, merkmale: MerkmalStore, clock: Callable[[], datetime]
    ) -> None:
        self._register = register
        self._merkmale = merkmale
        self._clock = clock

    def read(self, root: etree._Element) -> PersonensucheRequest:
        return read_personensuche(root)

    def access_request(self, read: Read, received: Received) -> AccessRequest:
        return retrieval_access_request(PERSONENSUCHE, read, received)

    def handle(self, request: Request, authorised: Authorised, received: Received) -> Handled:
        assert isinstance(request, PersonensucheRequest)
        principal = authorised.principal
        matches = self._search(request, principal.authority.id)
        now = self._clock()
        disclosure = decide_disclosure(matches, authorised.requester, stichtag=stichtag(now))
        stored: tuple[Merkmal, ...] = ()
        if disclosure.status is Ergebnisstatus.TREFFERLISTE:
            stored = tuple(
                Merkmal(
                    merkmal=secrets.token_urlsafe(32),
                    person_id=person.id,
                    authority_id=principal.authority.id,
                    issued_at=now,
                    expires_at=now + GUELTIGKEIT,
                    request_message_id=request.kopf.nachrichten_uuid,
                )
                for person in disclosure.trefferliste
                if person.id is not None
            )
        effects = tuple(
            follow_ups(
                record_id=received.record_id,
                received_at=received.received_at,
                request=request,
                principal=principal,
                requester=authorised.requester,
                disclosure=disclosure,
                now=now,
            )
        )
        cases = cases_for(
            effects, received=received, request=request, principal=principal, disclosure=disclosure
        )
        leser = request.kopf.leser
        assert leser is not None  # the access decision refused messages without a reader
        document = build_answer(
            disclosure,
            elemente=request.anforderungselemente,
            merkmale={m.person_id: m.merkmal for m in stored},
            erstellt=now,
            leser=request.kopf.autor,
            autor=leser,
            ursprung=request.kopf.nachrichten_uuid,
        )
        return Handled(
            document=document,
            status=disclosure.status,
            hits=tuple(p.id for p in disclosure.matched if p.id is not None),
            # What the writers put into the document, per person — never what was requested.
            disclosed=document.disclosed,
            withheld=tuple(p.id for p in disclosure.withheld if p.id is not None),
            hit_count=len(disclosure.matched),
            side_effects=effects,
            merkmale=stored,
            # The duties reach their recipients as hand-over cases (1322), written with the
            # record: the signed request as received is kept only there, until acknowledged.
            with_record=(CaseStore.writer(cases),) if cases else (),
        )

    def _search(self, request: PersonensucheRequest, authority_id: int) -> list[Person]:
        leser = request.kopf.leser
        leser_ags = leser.ags if leser is not None else None
        if request.identifikationsmerkmal is not None:
            person_id = self._merkmale.resolve(
                request.identifikationsmerkmal, authority_id=authority_id, now=self._clock()
            )
            person = self._register.get_person(person_id) if person_id is not None else None
            if person is None or person.ags != leser_ags:
                raise BusinessRejection(
                    Grund.MERKMAL_UNGUELTIG,
                    "the Identifikationsmerkmal is unknown, expired (48 hours) or was issued to "
                    "another authority; search again with the search data",
                )
            return [person]
        query = request.query
        assert query is not None  # the schema requires search data or a Merkmal
        check_personensuche_query(
            query, leser_ags=leser_ags, gemeinde_bekannt=self._register.known_municipality
        )
        # A street that is empty once normalised is absent (Anlage Nr. 4), not unknown (02).
        if normalize_strasse(query.strasse) and not self._register.known_street(
            query.ags, query.strasse or ""
        ):
            raise BusinessRejection(
                Grund.STRASSE_UNBEKANNT,
                f"no street {query.strasse!r} is known in municipality {query.ags}; check the "
                "spelling or search without the street",
            )
        try:
            return self._register.search_personen(query, limit=MAX_TREFFER + 1)
        except InvalidQueryError as exc:  # the register's own guard; the check above is first
            raise BusinessRejection(exc.code or Grund.MINDESTANGABEN_FEHLEN, str(exc)) from None
