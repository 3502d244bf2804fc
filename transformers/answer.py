"""Build the 1331 answer document (unsigned; the broker signs it)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

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


class AnswerDocument:
    """An unsigned answer and the id it was given."""

    __slots__ = ("message_id", "root")

    def __init__(self, root: etree._Element, message_id: str) -> None:
        self.root = root
        self.message_id = message_id


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
    """Status 01/02/03 answer. ``merkmale`` maps person id → Identifikationsmerkmal (02)."""
    root, message_id = _start(erstellt=erstellt, leser=leser, autor=autor, ursprung=ursprung)
    ergebnis = sub(root, "ergebnis")
    code_element(
        ergebnis,
        "ergebnisstatus",
        disclosure.status,
        list_uri=codelists.ERGEBNISSTATUS.uri,
        version=codelists.ERGEBNISSTATUS.version,
    )
    if disclosure.status is Ergebnisstatus.PERSON and disclosure.person is not None:
        write_person(ergebnis, disclosure.person, elemente)
    elif disclosure.status is Ergebnisstatus.TREFFERLISTE:
        liste = sub(ergebnis, "trefferliste")
        for person in disclosure.trefferliste:
            write_treffer(liste, person, merkmale[_id(person)])
    return AnswerDocument(root, message_id)


def _id(person: Person) -> int:
    if person.id is None:
        raise ValueError("a register person without id cannot be listed")
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
