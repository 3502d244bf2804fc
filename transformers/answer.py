"""Build the 1331 answer document (unsigned; the broker signs it).

Beside the document, an answer says what of whom it carries (:attr:`AnswerDocument.disclosed`):
per person id the element codes the writers actually put into it, hit-list entries included —
the "data retrieved" of the § 40 Abs. 1 Nr. 2 BMG record, taken from what was written, never
from what was requested.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from types import MappingProxyType

from lxml import etree

from datenspiegel.register.model import Person
from datenspiegel.transformers.disclosure import Disclosure
from datenspiegel.transformers.header import Behoerde, write_kopf
from datenspiegel.transformers.personendaten import write_person, write_treffer
from datenspiegel.transformers.xmlutil import code_element, qname, sub
from datenspiegel.xsd import codelists
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund, Nachrichtentyp
from datenspiegel.xsd.loader import NAMESPACE, SCHEMA_VERSION

__all__ = ["ANSWER_ROOT", "AnswerDocument", "build_answer", "build_rueckweisung"]

ANSWER_ROOT = qname("datenabruf.personensuche.antwort.1331")


_NOTHING: Mapping[int, tuple[int, ...]] = MappingProxyType({})


class AnswerDocument:
    """An unsigned answer, the id it was given, and per person id the element codes it carries
    (empty for a neutral answer, a rejection or a 0910)."""

    __slots__ = ("disclosed", "message_id", "root")

    def __init__(
        self,
        root: etree._Element,
        message_id: str,
        disclosed: Mapping[int, Collection[int]] = _NOTHING,
    ) -> None:
        self.root = root
        self.message_id = message_id
        self.disclosed: Mapping[int, tuple[int, ...]] = MappingProxyType(
            {person: tuple(sorted(codes)) for person, codes in sorted(disclosed.items())}
        )


def _start(
    *, erstellt: datetime, leser: Behoerde, autor: Behoerde, ursprung: str
) -> tuple[etree._Element, str]:
    root = etree.Element(ANSWER_ROOT, nsmap={"dsa": NAMESPACE})
    root.set("version", SCHEMA_VERSION)
    message_id = write_kopf(
        root,
        nachrichtentyp=Nachrichtentyp.PERSONENSUCHE_ANTWORT,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
    )
    sub(root, "ursprungsnachricht", ursprung)
    return root, message_id


def build_answer(
    disclosure: Disclosure,
    *,
    elemente: Collection[int],
    merkmale: Mapping[int, str],
    erstellt: datetime,
    leser: Behoerde,
    autor: Behoerde,
    ursprung: str,
) -> AnswerDocument:
    """Status 01/02/03 answer. ``merkmale`` maps person id → Identifikationsmerkmal (02).

    01 carries at most the requested ``elemente``, cut to the law on ``disclosure.stichtag``;
    02 carries only the BMeldDAV § 6 data, whatever was requested; 03 carries nobody.
    """
    root, message_id = _start(erstellt=erstellt, leser=leser, autor=autor, ursprung=ursprung)
    disclosed: dict[int, frozenset[int]] = {}
    ergebnis = sub(root, "ergebnis")
    code_element(
        ergebnis,
        "ergebnisstatus",
        disclosure.status,
        list_uri=codelists.ERGEBNISSTATUS.uri,
        version=codelists.ERGEBNISSTATUS.version,
    )
    if disclosure.status is Ergebnisstatus.PERSON and disclosure.person is not None:
        person = disclosure.person
        disclosed[_id(person)] = write_person(
            ergebnis, person, elemente, stichtag=disclosure.stichtag
        )
    elif disclosure.status is Ergebnisstatus.TREFFERLISTE:
        liste = sub(ergebnis, "trefferliste")
        for person in disclosure.trefferliste:
            person_id = _id(person)
            disclosed[person_id] = write_treffer(liste, person, merkmale[person_id])
    return AnswerDocument(root, message_id, disclosed)


def _id(person: Person) -> int:
    if person.id is None:
        raise ValueError("a register person without id cannot be disclosed or listed")
    return person.id


def build_rueckweisung(
    codes: tuple[Grund, ...],
    freitext: str | None,
    *,
    erstellt: datetime,
    leser: Behoerde,
    autor: Behoerde,
    ursprung: str,
) -> AnswerDocument:
    """A business rejection: an ordinary answer carrying ``rueckweisung`` with reason codes."""
    root, message_id = _start(erstellt=erstellt, leser=leser, autor=autor, ursprung=ursprung)
    rueckweisung = sub(root, "rueckweisung")
    for code in codes:
        code_element(
            rueckweisung,
            "grund",
            code,
            list_uri=codelists.NICHTERSTELLUNG_GRUND.uri,
            version=codelists.NICHTERSTELLUNG_GRUND.version,
        )
    if freitext:
        sub(rueckweisung, "freitext", freitext[:240])
    return AnswerDocument(root, message_id)
