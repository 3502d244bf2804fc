"""Duties that follow a retrieval of blocked persons: the outbox entries of the protocol record
and the hand-over cases (1322) that deliver them to their recipients."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime

from datenspiegel.access.model import Principal
from datenspiegel.protocol.cases import Case
from datenspiegel.protocol.side_effect import SideEffect
from datenspiegel.register.model import Person
from datenspiegel.register.stichtag import stichtag
from datenspiegel.service.stages import Received
from datenspiegel.transformers import Behoerde, Disclosure, PersonensucheRequest, Requester
from datenspiegel.transformers.aussteuerung import (
    IDENTIFIZIERENDE_ELEMENTE,
    Fallart,
    GefundenePerson,
    Schreiben,
    build_fall_inhalt,
)

__all__ = [
    "AUSSTEUERUNG_1322",
    "MITTEILUNG_BETROFFENE_PERSON",
    "MITTEILUNG_SICHERHEITSBEHOERDE",
    "cases_for",
    "follow_ups",
]

AUSSTEUERUNG_1322 = "aussteuerung_1322"
MITTEILUNG_SICHERHEITSBEHOERDE = "mitteilung_veranlassende_sicherheitsbehoerde"
MITTEILUNG_BETROFFENE_PERSON = "mitteilung_betroffene_person"


def follow_ups(
    *,
    record_id: str,
    received_at: datetime,
    request: PersonensucheRequest,
    principal: Principal,
    requester: Requester,
    disclosure: Disclosure,
    now: datetime,
) -> list[SideEffect]:
    """Duties that follow a retrieval of blocked persons (§ 34a Abs. 5, § 34 Abs. 5 BMG).

    Written into the outbox in the protocol record's own commit, so none can be lost:
    - a manual case (1322 hand-over) for the competent municipality per withheld person,
      unless the requester waived follow-up (``verzichtAufMitteilung``, § 38 Abs. 5 BMG). It
      names every person the search found (``treffer``): when several matched and one is
      blocked, nobody was disclosed (§ 34a Abs. 5 BMG) and the municipality answers the whole
      request by hand;
    - for a block instigated by a security authority (code 11): a notice to that authority —
      also when follow-up was waived (§ 38 Abs. 5 Satz 2 BMG) — and to the person concerned,
      unless § 34 Abs. 5 BMG exempts the requester (sub-types 1–4, 6–9 and 11 acting as
      security authority; a sub-type 4 or 11 answered as a public body does not count).
    """
    effects: list[SideEffect] = []
    stelle = request.anfragende_stelle
    treffer = sorted(p.id for p in disclosure.matched if p.id is not None)
    for person in disclosure.withheld:
        base = {
            "record_id": record_id,
            "request_message_id": request.kopf.nachrichten_uuid,
            "person_id": person.id,
            "gemeinde_ags": person.ags,
            "authority_kennung": principal.authority.kennung,
            "authority_name": principal.authority.name,
            "aktenzeichen": stelle.aktenzeichen,
            "anlass": stelle.anlass,
            "received_at": received_at.isoformat(),
        }
        if not request.verzicht_auf_mitteilung:
            effects.append(SideEffect(AUSSTEUERUNG_1322, {**base, "treffer": treffer}))
        if person.gesperrt_durch_sicherheitsbehoerde_am(stichtag(now)):
            instigators = sorted(
                {
                    sperre.veranlassende_stelle or ""
                    for sperre in person.auskunftssperren
                    if sperre.veranlasst_durch_sicherheitsbehoerde
                    and sperre.in_kraft(stichtag(now))
                }
            )
            effects.append(
                SideEffect(
                    MITTEILUNG_SICHERHEITSBEHOERDE,
                    {**base, "veranlassende_stellen": instigators},
                )
            )
            if not requester.unterfaellt_34_abs_5:
                effects.append(SideEffect(MITTEILUNG_BETROFFENE_PERSON, base))
    return effects


# An instigating authority the operator can deliver to is named by its Kennung in the register;
# any other entry (a name) is passed to the municipality, which forwards the notice.
_KENNUNG = re.compile(r"ags:[0-9]{8}|dbs:[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
_UNBENANNT = "die veranlassende Sicherheitsbehörde (im Melderegister nicht benannt)"


def cases_for(
    effects: Sequence[SideEffect],
    *,
    received: Received,
    request: PersonensucheRequest,
    principal: Principal,
    disclosure: Disclosure,
) -> list[Case]:
    """The cases that deliver ``effects`` (from :func:`follow_ups`), one per recipient and
    blocked person:

    - the competent municipality (``ags:<AGS>`` of the blocked person's record) gets the
      hand-over (1322): the signed request as received, the requesting body, the requested
      elements, the search data and every person found (requested elements plus what
      identifies them). It also carries the notice to the person concerned, as a letter the
      municipality sends, and the names of instigating security authorities the operator
      cannot reach itself (``weiterleitungAn``). When the requester waived follow-up, the
      municipality still gets those notices, without the request and the search data;
    - an instigating security authority named in the register by its Kennung gets its notice
      (§ 34 Abs. 5 BMG) directly: who retrieved whom and when — not the request, not the
      search data.
    """
    if not effects:
        return []
    persons = {p.id: p for p in disclosure.matched if p.id is not None}
    by_person: dict[int, dict[str, SideEffect]] = {}
    for effect in effects:
        by_person.setdefault(int(effect.payload["person_id"]), {})[effect.kind] = effect
    message = received.message
    suchdaten = None
    if message is not None:
        suchdaten = message.find("auswahldaten")
        if suchdaten is None:
            suchdaten = message.find("identifikationsmerkmal")
    anfrage = received.message_as_received()
    behoerde = Behoerde(kennung=principal.authority.kennung, name=principal.authority.name)
    tag = stichtag(received.received_at)
    cases: list[Case] = []

    def case(
        recipient: str, kind: str, duties: list[str], person: Person, *, full: bool, **extra: object
    ) -> Case:
        case_id = str(uuid.uuid4())
        if full:
            elemente = frozenset(request.anforderungselemente) | IDENTIFIZIERENDE_ELEMENTE
            found = [
                GefundenePerson(p, p.id == person.id, elemente)
                for p in disclosure.matched
                if p.id is not None
            ]
        else:
            found = [GefundenePerson(person, True, IDENTIFIZIERENDE_ELEMENTE)]
        content, disclosed = build_fall_inhalt(
            fall_id=case_id,
            fallart=kind,
            ursprung=request.kopf.nachrichten_uuid,
            eingang=received.received_at,
            anfragende_behoerde=behoerde,
            stelle=request.anfragende_stelle,
            anfrage=anfrage if full else None,
            verzicht_auf_mitteilung=request.verzicht_auf_mitteilung if full else None,
            elemente=request.anforderungselemente if full else (),
            suchdaten=suchdaten if full else None,
            personen=found,
            stichtag=tag,
            **extra,  # type: ignore[arg-type]
        )
        return Case(
            case_id=case_id,
            record_id=received.record_id,
            request_message_id=request.kopf.nachrichten_uuid,
            person_id=person.id,
            recipient=recipient,
            kind=kind,
            duties=tuple(duties),
            created_at=received.received_at,
            content=content,
            disclosed=disclosed,
        )

    for person_id, kinds in by_person.items():
        person = persons[person_id]
        notice = kinds.get(MITTEILUNG_SICHERHEITSBEHOERDE)
        stellen = [str(s) for s in notice.payload["veranlassende_stellen"]] if notice else []
        registered = [s for s in stellen if _KENNUNG.fullmatch(s)]
        named = [s or _UNBENANNT for s in stellen if not _KENNUNG.fullmatch(s)]
        if notice is not None and not stellen:
            named = [_UNBENANNT]
        duties = [k for k in (AUSSTEUERUNG_1322, MITTEILUNG_BETROFFENE_PERSON) if k in kinds]
        if named:
            duties.append(MITTEILUNG_SICHERHEITSBEHOERDE)
        if duties:
            full = AUSSTEUERUNG_1322 in kinds
            if full:
                kind = Fallart.AUSSTEUERUNG
            elif MITTEILUNG_BETROFFENE_PERSON in kinds:
                kind = Fallart.MITTEILUNG_BETROFFENE_PERSON
            else:
                kind = Fallart.MITTEILUNG_SICHERHEITSBEHOERDE
            letter = (
                _schreiben(person, request, received)
                if MITTEILUNG_BETROFFENE_PERSON in kinds
                else None
            )
            cases.append(
                case(
                    f"ags:{person.ags}",
                    kind,
                    duties,
                    person,
                    full=full,
                    weiterleitung_an=named,
                    schreiben=letter,
                )
            )
        for kennung in registered:
            cases.append(
                case(
                    kennung,
                    Fallart.MITTEILUNG_SICHERHEITSBEHOERDE,
                    [MITTEILUNG_SICHERHEITSBEHOERDE],
                    person,
                    full=False,
                )
            )
    return cases


def _schreiben(person: Person, request: PersonensucheRequest, received: Received) -> Schreiben:
    """The notice to the person concerned (§ 34 Abs. 5 BMG), as plain text lines."""
    stelle = request.anfragende_stelle
    name = " ".join(part for part in (*person.vornamen, person.familienname or "") if part)
    zeilen = [name or "Betroffene Person"]
    haupt = person.aktuelle_hauptanschrift
    if haupt is not None:
        strasse = " ".join(x for x in (haupt.strasse, haupt.hausnummer) if x)
        ort = " ".join(x for x in (haupt.postleitzahl, haupt.wohnort) if x)
        zeilen += [x for x in (strasse, ort) if x]
    anschrift = ", ".join(
        x
        for x in (
            " ".join(x for x in (stelle.strasse, stelle.hausnummer) if x),
            f"{stelle.postleitzahl} {stelle.ort}",
        )
        if x.strip()
    )
    am = received.received_at.strftime("%d.%m.%Y")
    return Schreiben(
        anschriftzeilen=tuple(zeilen),
        betreff="Mitteilung über ein Auskunftsersuchen aus dem Melderegister (§ 34 Abs. 5 BMG)",
        zeilen=(
            f"Guten Tag {name}," if name else "Guten Tag,",
            f"am {am} hat die folgende Stelle im automatisierten Verfahren Auskunft über Sie "
            "aus dem Melderegister ersucht:",
            f"{stelle.behoerdenname}, {anschrift}",
            f"Aktenzeichen der Stelle: {stelle.aktenzeichen}",
            "Wegen der für Sie eingetragenen Auskunftssperre wurden im automatisierten "
            "Verfahren keine Daten übermittelt. Über das Ersuchen entscheidet Ihre "
            "Meldebehörde.",
            "Diese Mitteilung ergeht nach § 34 Abs. 5 des Bundesmeldegesetzes. Fragen richten "
            "Sie bitte an Ihre Meldebehörde.",
        ),
    )
