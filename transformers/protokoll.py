"""The Protokollabruf messages (9200 → 9201): pure builders and readers.

A security authority that has the operator log on its behalf (§ 40 Abs. 3 BMG) fetches its own
records, sealed to its key (protocol/sealed.py). The request names a period and a page; the
answer carries the envelopes as kept — this module never sees what is inside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from datenspiegel.transformers.answer import AnswerDocument
from datenspiegel.transformers.errors import UnsupportedMessage
from datenspiegel.transformers.header import Behoerde, Nachrichtenkopf, answer_root, read_kopf
from datenspiegel.transformers.request import AnfragendeStelle, read_stelle, request_root
from datenspiegel.transformers.xmlutil import qname, read_text, sub
from datenspiegel.xsd.codelists import Nachrichtentyp, Ruecksendung

__all__ = [
    "ABRUF_ROOT",
    "ANTWORT_ROOT",
    "MAX_EINTRAEGE",
    "Protokollabruf",
    "Protokollantwort",
    "Protokolleintrag",
    "build_protokollabruf",
    "build_protokollantwort",
    "read_protokollabruf",
    "read_protokollantwort",
]

ABRUF_ROOT = qname("protokoll.abruf.9200")
ANTWORT_ROOT = qname("protokoll.antwort.9201")
#: Most entries in one answer (schema type Protokoll.AnzahlEintraege).
MAX_EINTRAEGE = 100


@dataclass(frozen=True, slots=True)
class Protokollabruf:
    """A verified ``protokollAbrufen`` request."""

    kopf: Nachrichtenkopf
    anfragende_stelle: AnfragendeStelle
    von: datetime | None
    bis: datetime | None
    fortsetzung_nach: int | None
    maximale_anzahl: int

    @property
    def anforderungselemente(self) -> frozenset[int]:
        return frozenset()

    @property
    def search_data(self) -> Mapping[str, str]:
        """The period and page asked for, for the protocol record of the fetch."""
        data = {
            "zeitraumVon": self.von.isoformat() if self.von else None,
            "zeitraumBis": self.bis.isoformat() if self.bis else None,
            "fortsetzungNach": str(self.fortsetzung_nach) if self.fortsetzung_nach else None,
        }
        return {k: v for k, v in data.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Protokolleintrag:
    """One sealed record as the answer carries it."""

    nummer: int
    protokoll_id: str
    eingang: datetime
    schluessel: str
    umschlag: str


@dataclass(frozen=True, slots=True)
class Protokollantwort:
    """A ``protokoll.antwort.9201`` as a client reads it."""

    message_id: str
    ursprung: str
    anzahl_im_zeitraum: int
    eintraege: tuple[Protokolleintrag, ...]
    fortsetzung_nach: int | None


def _expect(root: etree._Element, tag: str) -> None:
    if root.tag != tag:
        raise UnsupportedMessage(
            Ruecksendung.X001, f"expected a {etree.QName(tag).localname}, got {root.tag}"
        )


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _number(text: str | None) -> int | None:
    return int(text) if text else None


def read_protokollabruf(root: etree._Element) -> Protokollabruf:
    """The request as the schema-valid, verified tree has it."""
    _expect(root, ABRUF_ROOT)
    von, bis = _moment(read_text(root, "zeitraumVon")), _moment(read_text(root, "zeitraumBis"))
    if von is not None and bis is not None and bis <= von:
        raise UnsupportedMessage(
            Ruecksendung.X001,
            f"zeitraumBis {bis.isoformat()} must lie after zeitraumVon {von.isoformat()}",
        )
    return Protokollabruf(
        kopf=read_kopf(root),
        anfragende_stelle=read_stelle(root),
        von=von,
        bis=bis,
        fortsetzung_nach=_number(read_text(root, "fortsetzungNach")),
        maximale_anzahl=_number(read_text(root, "maximaleAnzahl")) or MAX_EINTRAEGE,
    )


def build_protokollabruf(
    *,
    leser: Behoerde,
    autor: Behoerde,
    stelle: AnfragendeStelle,
    erstellt: datetime,
    von: datetime | None = None,
    bis: datetime | None = None,
    fortsetzung_nach: int | None = None,
    maximale_anzahl: int | None = None,
    nachrichten_uuid: str | None = None,
) -> etree._Element:
    """An unsigned ``protokollAbrufen`` request (clients and tests)."""
    root = request_root(
        ABRUF_ROOT,
        nachrichtentyp=Nachrichtentyp.PROTOKOLL_ABRUF,
        leser=leser,
        autor=autor,
        stelle=stelle,
        erstellt=erstellt,
        nachrichten_uuid=nachrichten_uuid,
    )
    if von is not None:
        sub(root, "zeitraumVon", von.isoformat())
    if bis is not None:
        sub(root, "zeitraumBis", bis.isoformat())
    if fortsetzung_nach is not None:
        sub(root, "fortsetzungNach", str(fortsetzung_nach))
    if maximale_anzahl is not None:
        sub(root, "maximaleAnzahl", str(maximale_anzahl))
    return root


def build_protokollantwort(
    eintraege: Sequence[Protokolleintrag],
    *,
    anzahl_im_zeitraum: int,
    fortsetzung_nach: int | None,
    erstellt: datetime,
    leser: Behoerde,
    autor: Behoerde,
    ursprung: str,
) -> AnswerDocument:
    """The answer: the envelopes as kept, oldest first, and where to continue."""
    root, message_id = answer_root(
        ANTWORT_ROOT,
        nachrichtentyp=Nachrichtentyp.PROTOKOLL_ANTWORT,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
        ursprung=ursprung,
    )
    sub(root, "anzahlImZeitraum", str(anzahl_im_zeitraum))
    for eintrag in eintraege:
        element = sub(root, "eintrag")
        sub(element, "eintragNr", str(eintrag.nummer))
        sub(element, "protokollId", eintrag.protokoll_id)
        sub(element, "eingang", eintrag.eingang.isoformat())
        sub(element, "schluessel", eintrag.schluessel)
        sub(element, "umschlag", eintrag.umschlag)
    if fortsetzung_nach is not None:
        sub(root, "fortsetzungNach", str(fortsetzung_nach))
    return AnswerDocument(root, message_id)


def read_protokollantwort(root: etree._Element) -> Protokollantwort:
    """A verified answer, as a client reads it."""
    _expect(root, ANTWORT_ROOT)
    eintraege = tuple(
        Protokolleintrag(
            nummer=int(read_text(e, "eintragNr") or 0),
            protokoll_id=read_text(e, "protokollId") or "",
            eingang=datetime.fromisoformat(read_text(e, "eingang") or ""),
            schluessel=read_text(e, "schluessel") or "",
            umschlag=read_text(e, "umschlag") or "",
        )
        for e in root.iterfind("eintrag")
    )
    return Protokollantwort(
        message_id=read_kopf(root).nachrichten_uuid,
        ursprung=read_text(root, "ursprungsnachricht") or "",
        anzahl_im_zeitraum=int(read_text(root, "anzahlImZeitraum") or 0),
        eintraege=eintraege,
        fortsetzung_nach=_number(read_text(root, "fortsetzungNach")),
    )
