"""The 1322 hand-over and its fetch/acknowledge messages: pure builders and readers.

A case (``datenabruf.aussteuerung.1322``) is built when the retrieval happens, from what the
transaction has in hand — the signed request as received, the requesting body, the search
data and the persons as the register held them — and stored without its header
(:func:`build_fall_inhalt`); the header, naming its recipient and the broker, is put in front
when the recipient fetches it (:func:`build_faelle_antwort`).
"""

from __future__ import annotations

import base64
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from datenspiegel.register.model import Person
from datenspiegel.transformers.answer import AnswerDocument
from datenspiegel.transformers.errors import UnsupportedMessage
from datenspiegel.transformers.header import (
    Behoerde,
    Nachrichtenkopf,
    answer_root,
    message_root,
    read_kopf,
)
from datenspiegel.transformers.personendaten import write_person
from datenspiegel.transformers.request import (
    AnfragendeStelle,
    read_stelle,
    request_root,
    write_stelle,
)
from datenspiegel.transformers.xmlutil import code_element, qname, read_text, sub
from datenspiegel.xsd import codelists
from datenspiegel.xsd.codelists import Nachrichtentyp, Ruecksendung
from datenspiegel.xsd.loader import NAMESPACE, SCHEMA_VERSION

__all__ = [
    "ABRUF_ROOT",
    "FALL_ROOT",
    "IDENTIFIZIERENDE_ELEMENTE",
    "MAX_FAELLE",
    "QUITTUNG_ROOT",
    "FaelleAbruf",
    "FaelleQuittung",
    "Fallart",
    "GefundenePerson",
    "Schreiben",
    "build_faelle_abruf",
    "build_faelle_antwort",
    "build_fall_inhalt",
    "build_quittung",
    "build_quittungsantwort",
    "read_faelle_abruf",
    "read_quittung",
    "write_stelle",
]

FALL_ROOT = qname("datenabruf.aussteuerung.1322")
ABRUF_ROOT = qname("datenabruf.aussteuerung.abruf.1322")
QUITTUNG_ROOT = qname("datenabruf.aussteuerung.quittung.1322")
FAELLE_ANTWORT_ROOT = qname("datenabruf.aussteuerung.faelle.1322")
QUITTUNGSANTWORT_ROOT = qname("datenabruf.aussteuerung.quittungsantwort.1322")
#: Most cases in one answer (schema type AnzahlFaelle).
MAX_FAELLE = 100
#: What identifies a found person for the clerk, whatever was requested: names, date and place
#: of birth and the current address (Personensuche element codes).
IDENTIFIZIERENDE_ELEMENTE = frozenset({1, 4, 7, 13, 15, *range(43, 56)})


class Fallart:
    """Values of the schema type ``Fallart``."""

    AUSSTEUERUNG = "aussteuerung"
    MITTEILUNG_SICHERHEITSBEHOERDE = "mitteilungSicherheitsbehoerde"
    MITTEILUNG_BETROFFENE_PERSON = "mitteilungBetroffenePerson"


@dataclass(frozen=True, slots=True)
class GefundenePerson:
    person: Person
    #: This person's Auskunftssperre caused the case.
    gesperrt: bool
    elemente: frozenset[int]


@dataclass(frozen=True, slots=True)
class Schreiben:
    anschriftzeilen: tuple[str, ...]
    betreff: str
    zeilen: tuple[str, ...]


def _behoerde(parent: etree._Element, name: str, behoerde: Behoerde) -> None:
    element = sub(parent, name)
    code_element(
        element,
        "verzeichnisdienst",
        "DVDV",
        list_uri=codelists.VERZEICHNISDIENST.uri,
        version=codelists.VERZEICHNISDIENST.version,
    )
    sub(element, "kennung", behoerde.kennung)
    sub(element, "name", behoerde.name[:120])


def build_fall_inhalt(
    *,
    fall_id: str,
    fallart: str,
    ursprung: str,
    eingang: datetime,
    anfragende_behoerde: Behoerde,
    stelle: AnfragendeStelle,
    anfrage: bytes | None,
    verzicht_auf_mitteilung: bool | None,
    elemente: Collection[int],
    suchdaten: etree._Element | None,
    personen: Sequence[GefundenePerson],
    stichtag: date,
    weiterleitung_an: Sequence[str] = (),
    schreiben: Schreiben | None = None,
) -> tuple[bytes, dict[int, tuple[int, ...]]]:
    """A case without its header, and per person id the element codes it carries.

    ``suchdaten`` is the request's ``auswahldaten`` or ``identifikationsmerkmal`` element,
    copied as sent.
    """
    root = etree.Element(FALL_ROOT, nsmap={"dsa": NAMESPACE})
    root.set("version", SCHEMA_VERSION)
    sub(root, "fallId", fall_id)
    sub(root, "fallart", fallart)
    sub(root, "ursprungsnachricht", ursprung)
    sub(root, "eingangszeitpunkt", eingang.isoformat(timespec="seconds"))
    _behoerde(root, "anfragendeBehoerde", anfragende_behoerde)
    write_stelle(root, "anfragendeStelle", stelle)
    if anfrage is not None:
        sub(root, "anfrage", base64.b64encode(anfrage).decode("ascii"))
    if verzicht_auf_mitteilung is not None:
        sub(root, "verzichtAufMitteilung", "true" if verzicht_auf_mitteilung else "false")
    for code in sorted(elemente):
        code_element(
            root,
            "anforderungselement",
            str(code),
            list_uri=codelists.PERSONENSUCHE_ANFORDERUNGSELEMENT.uri,
            version=codelists.PERSONENSUCHE_ANFORDERUNGSELEMENT.version,
        )
    if suchdaten is not None:
        copy = etree.fromstring(etree.tostring(suchdaten))
        copy.tail = None
        root.append(copy)
    disclosed: dict[int, tuple[int, ...]] = {}
    for gefunden in personen:
        element = sub(root, "gefundenePerson")
        sub(element, "gesperrt", "true" if gefunden.gesperrt else "false")
        for sperre in gefunden.person.auskunftssperren:
            if sperre.in_kraft(stichtag):
                code_element(
                    element,
                    "auskunftssperre",
                    sperre.code,
                    list_uri=codelists.AUSKUNFTSSPERRE.uri,
                    version=codelists.AUSKUNFTSSPERRE.version,
                )
        written = write_person(element, gefunden.person, gefunden.elemente, stichtag=stichtag)
        if gefunden.person.id is not None:
            disclosed[gefunden.person.id] = tuple(sorted(written))
    for name in weiterleitung_an:
        sub(root, "weiterleitungAn", name[:120])
    if schreiben is not None:
        brief = sub(root, "mitteilungBetroffenePerson")
        for zeile in schreiben.anschriftzeilen:
            sub(brief, "anschriftzeile", zeile[:240])
        sub(brief, "betreff", schreiben.betreff[:240])
        for zeile in schreiben.zeilen:
            sub(brief, "zeile", zeile[:240])
    return etree.tostring(root, encoding="UTF-8"), disclosed


def _with_header(
    inhalt: etree._Element, *, fall_id: str, erstellt: datetime, leser: Behoerde, autor: Behoerde
) -> etree._Element:
    root, _ = message_root(
        FALL_ROOT,
        nachrichtentyp=Nachrichtentyp.AUSSTEUERUNG,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
        nachrichten_uuid=fall_id,
    )
    for child in list(inhalt):
        root.append(child)
    return root


@dataclass(frozen=True, slots=True)
class StoredFall:
    """What :func:`build_faelle_antwort` needs of a stored case."""

    fall_id: str
    created_at: datetime
    inhalt: etree._Element  # parsed with the hardened parser by the caller


def _answer_root(
    tag: str, *, erstellt: datetime, leser: Behoerde, autor: Behoerde, ursprung: str
) -> tuple[etree._Element, str]:
    return answer_root(
        tag,
        nachrichtentyp=Nachrichtentyp.AUSSTEUERUNG,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
        ursprung=ursprung,
    )


def build_faelle_antwort(
    faelle: Iterable[StoredFall],
    *,
    anzahl_offen: int,
    disclosed: Mapping[int, Collection[int]],
    erstellt: datetime,
    leser: Behoerde,
    autor: Behoerde,
    ursprung: str,
) -> AnswerDocument:
    """The answer to ``faelleAbrufen``: each case a complete 1322 addressed to ``leser``."""
    root, message_id = _answer_root(
        FAELLE_ANTWORT_ROOT, erstellt=erstellt, leser=leser, autor=autor, ursprung=ursprung
    )
    sub(root, "anzahlOffen", str(anzahl_offen))
    for fall in faelle:
        root.append(
            _with_header(
                fall.inhalt,
                fall_id=fall.fall_id,
                erstellt=fall.created_at,
                leser=leser,
                autor=autor,
            )
        )
    return AnswerDocument(root, message_id, disclosed)


def build_quittungsantwort(
    *,
    quittiert: Sequence[str],
    unbekannt: Sequence[str],
    anzahl_offen: int,
    erstellt: datetime,
    leser: Behoerde,
    autor: Behoerde,
    ursprung: str,
) -> AnswerDocument:
    root, message_id = _answer_root(
        QUITTUNGSANTWORT_ROOT, erstellt=erstellt, leser=leser, autor=autor, ursprung=ursprung
    )
    for fall_id in quittiert:
        sub(root, "quittiert", fall_id)
    for fall_id in unbekannt:
        sub(root, "unbekannt", fall_id)
    sub(root, "anzahlOffen", str(anzahl_offen))
    return AnswerDocument(root, message_id)


# -- requests ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FaelleAbruf:
    """A verified ``faelleAbrufen`` request."""

    kopf: Nachrichtenkopf
    anfragende_stelle: AnfragendeStelle
    maximale_anzahl: int

    @property
    def anforderungselemente(self) -> frozenset[int]:
        return frozenset()

    @property
    def search_data(self) -> Mapping[str, str]:
        return {}


@dataclass(frozen=True, slots=True)
class FaelleQuittung:
    """A verified ``faelleQuittieren`` request."""

    kopf: Nachrichtenkopf
    anfragende_stelle: AnfragendeStelle
    fall_ids: tuple[str, ...]

    @property
    def anforderungselemente(self) -> frozenset[int]:
        return frozenset()

    @property
    def search_data(self) -> Mapping[str, str]:
        """The acknowledged case ids, for the protocol record."""
        return {"fallId": " ".join(self.fall_ids)}


def _expect(root: etree._Element, tag: str) -> None:
    if root.tag != tag:
        raise UnsupportedMessage(
            Ruecksendung.X001, f"expected a {etree.QName(tag).localname}, got {root.tag}"
        )


def read_faelle_abruf(root: etree._Element) -> FaelleAbruf:
    _expect(root, ABRUF_ROOT)
    anzahl = read_text(root, "maximaleAnzahl")
    return FaelleAbruf(
        kopf=read_kopf(root),
        anfragende_stelle=read_stelle(root),
        maximale_anzahl=int(anzahl) if anzahl else MAX_FAELLE,
    )


def read_quittung(root: etree._Element) -> FaelleQuittung:
    _expect(root, QUITTUNG_ROOT)
    ids = tuple(
        dict.fromkeys((e.text or "").strip().lower() for e in root.iterfind("fallId") if e.text)
    )
    return FaelleQuittung(kopf=read_kopf(root), anfragende_stelle=read_stelle(root), fall_ids=ids)


def _request_root(
    tag: str,
    *,
    leser: Behoerde,
    autor: Behoerde,
    stelle: AnfragendeStelle,
    erstellt: datetime,
    nachrichten_uuid: str | None,
) -> etree._Element:
    return request_root(
        tag,
        nachrichtentyp=Nachrichtentyp.AUSSTEUERUNG,
        leser=leser,
        autor=autor,
        stelle=stelle,
        erstellt=erstellt,
        nachrichten_uuid=nachrichten_uuid,
    )


def build_faelle_abruf(
    *,
    leser: Behoerde,
    autor: Behoerde,
    stelle: AnfragendeStelle,
    erstellt: datetime,
    maximale_anzahl: int | None = None,
    nachrichten_uuid: str | None = None,
) -> etree._Element:
    """An unsigned ``faelleAbrufen`` request (clients and tests)."""
    root = _request_root(
        ABRUF_ROOT,
        leser=leser,
        autor=autor,
        stelle=stelle,
        erstellt=erstellt,
        nachrichten_uuid=nachrichten_uuid,
    )
    if maximale_anzahl is not None:
        sub(root, "maximaleAnzahl", str(maximale_anzahl))
    return root


def build_quittung(
    fall_ids: Sequence[str],
    *,
    leser: Behoerde,
    autor: Behoerde,
    stelle: AnfragendeStelle,
    erstellt: datetime,
    nachrichten_uuid: str | None = None,
) -> etree._Element:
    """An unsigned ``faelleQuittieren`` request (clients and tests)."""
    root = _request_root(
        QUITTUNG_ROOT,
        leser=leser,
        autor=autor,
        stelle=stelle,
        erstellt=erstellt,
        nachrichten_uuid=nachrichten_uuid,
    )
    for fall_id in fall_ids:
        sub(root, "fallId", fall_id)
    return root
