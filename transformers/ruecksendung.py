"""Build the 0910 return-to-sender document (unsigned; the broker signs it)."""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from datenspiegel.transformers.answer import AnswerDocument
from datenspiegel.transformers.header import Behoerde, write_kopf
from datenspiegel.transformers.xmlutil import code_element, qname, sub
from datenspiegel.xsd import codelists
from datenspiegel.xsd.codelists import Nachrichtentyp, Ruecksendung
from datenspiegel.xsd.loader import NAMESPACE, SCHEMA_VERSION

__all__ = ["RUECKSENDUNG_ROOT", "build_ruecksendung"]

RUECKSENDUNG_ROOT = qname("ruecksendung.nachricht.0910")


def build_ruecksendung(
    code: Ruecksendung,
    beschreibung: str,
    *,
    erstellt: datetime,
    autor: Behoerde,
    leser: Behoerde | None,
    ursprung: str | None,
    pruefsumme: str,
) -> AnswerDocument:
    code = Ruecksendung(code)  # ValueError for anything else
    root = etree.Element(RUECKSENDUNG_ROOT, nsmap={"dsa": NAMESPACE})
    root.set("version", SCHEMA_VERSION)
    message_id = write_kopf(
        root,
        nachrichtentyp=Nachrichtentyp.RUECKSENDUNG,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
    )
    if ursprung:
        sub(root, "ursprungsnachricht", ursprung)
    sub(root, "ursprungsnachrichtPruefsumme", pruefsumme)
    code_element(
        root,
        "grund",
        code,
        list_uri=codelists.RUECKSENDUNG.uri,
        version=codelists.RUECKSENDUNG.version,
    )
    text = " ".join(beschreibung.split()) or code.label
    sub(root, "fehlerbeschreibung", text[:240])
    return AnswerDocument(root, message_id)
