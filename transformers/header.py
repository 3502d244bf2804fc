"""The message header (nachrichtenkopf.g2g): read from requests, written into answers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from datenspiegel.transformers.xmlutil import code_element, read_text, sub
from datenspiegel.xsd import codelists
from datenspiegel.xsd.codelists import Nachrichtentyp
from datenspiegel.xsd.loader import NAMESPACE, SCHEMA_VERSION

__all__ = [
    "Behoerde",
    "Nachrichtenkopf",
    "answer_root",
    "message_root",
    "read_kopf",
    "write_kopf",
]


@dataclass(frozen=True, slots=True)
class Behoerde:
    kennung: str
    name: str

    @property
    def ags(self) -> str | None:
        """The AGS when this is a municipality (``ags:03241001``)."""
        return self.kennung[4:] if self.kennung.startswith("ags:") else None


@dataclass(frozen=True, slots=True)
class Nachrichtenkopf:
    nachrichten_uuid: str
    nachrichtentyp: str
    erstellungszeitpunkt: datetime
    leser: Behoerde | None
    autor: Behoerde


def _read_behoerde(kopf: etree._Element, name: str) -> Behoerde | None:
    element = kopf.find(name)
    if element is None:
        return None
    return Behoerde(
        kennung=read_text(element, "kennung") or "", name=read_text(element, "name") or ""
    )


def read_kopf(root: etree._Element) -> Nachrichtenkopf:
    """Read the header of a schema-valid message."""
    kopf = root.find("nachrichtenkopf.g2g")
    if kopf is None:  # impossible after validation; guard for callers that skip it
        raise ValueError("message has no nachrichtenkopf.g2g")
    ident = kopf.find("identifikation.nachricht")
    autor = _read_behoerde(kopf, "autor")
    if ident is None or autor is None:
        raise ValueError("message header is incomplete")
    return Nachrichtenkopf(
        nachrichten_uuid=read_text(ident, "nachrichtenUUID") or "",
        nachrichtentyp=read_text(ident, "nachrichtentyp/code") or "",
        erstellungszeitpunkt=datetime.fromisoformat(read_text(ident, "erstellungszeitpunkt") or ""),
        leser=_read_behoerde(kopf, "leser"),
        autor=autor,
    )


def _write_behoerde(parent: etree._Element, name: str, behoerde: Behoerde) -> None:
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


def message_root(
    tag: str,
    *,
    nachrichtentyp: Nachrichtentyp,
    erstellt: datetime,
    leser: Behoerde | None,
    autor: Behoerde,
    nachrichten_uuid: str | None = None,
) -> tuple[etree._Element, str]:
    """A new message ``tag`` of this schema version with its header; and its UUID."""
    root = etree.Element(tag, nsmap={"dsa": NAMESPACE})
    root.set("version", SCHEMA_VERSION)
    message_id = write_kopf(
        root,
        nachrichtentyp=nachrichtentyp,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
        nachrichten_uuid=nachrichten_uuid,
    )
    return root, message_id


def answer_root(
    tag: str,
    *,
    nachrichtentyp: Nachrichtentyp,
    erstellt: datetime,
    leser: Behoerde,
    autor: Behoerde,
    ursprung: str,
) -> tuple[etree._Element, str]:
    """A new answer ``tag`` with its header and the request it answers (``ursprungsnachricht``);
    and its UUID."""
    root, message_id = message_root(
        tag, nachrichtentyp=nachrichtentyp, erstellt=erstellt, leser=leser, autor=autor
    )
    sub(root, "ursprungsnachricht", ursprung)
    return root, message_id


def write_kopf(
    root: etree._Element,
    *,
    nachrichtentyp: Nachrichtentyp,
    erstellt: datetime,
    leser: Behoerde | None,
    autor: Behoerde,
    nachrichten_uuid: str | None = None,
) -> str:
    """Append a header to ``root``; returns the new message's UUID."""
    message_id = nachrichten_uuid or str(uuid.uuid4())
    kopf = sub(root, "nachrichtenkopf.g2g")
    ident = sub(kopf, "identifikation.nachricht")
    sub(ident, "nachrichtenUUID", message_id)
    code_element(
        ident,
        "nachrichtentyp",
        nachrichtentyp,
        list_uri=codelists.NACHRICHTENTYP.uri,
        version=codelists.NACHRICHTENTYP.version,
    )
    sub(ident, "erstellungszeitpunkt", erstellt.isoformat(timespec="seconds"))
    if leser is not None:
        _write_behoerde(kopf, "leser", leser)
    _write_behoerde(kopf, "autor", autor)
    return message_id
