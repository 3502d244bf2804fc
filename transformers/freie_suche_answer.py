"""Build the 1333 answer of a freie Suche (unsigned; the broker signs it).

Status 04 carries the result list (``ergebnisliste``), 03 the empty result; a rejection is a
1333 with ``rueckweisung``. Each person carries exactly the requested elements of the freie
Suche code list (1–46) and never more — items 1–8 and 16 of § 34 Abs. 1 Satz 1 BMG and the
current main address (codes 1–27, 38–41); move-in date (28), identity documents (29–37),
weapons / explosives facts (42–44) and the landlord (45–46) only reach a security authority,
because the access decision refused them to anybody else (§ 34 Abs. 4 Satz 1 BMG). Always
added: the Hinweise and the bedingter Sperrvermerk flag of the address (§ 52 BMG), and an
``identifikationsmerkmal`` per person when the list has more than one (§ 39 Abs. 2 BMG).

Like the Personensuche's writers, :func:`build_freie_suche_answer` reports per person the
element codes it actually wrote (:attr:`AnswerDocument.disclosed`): the "data retrieved" and
"results" of the § 40 record.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from lxml import etree

from datenspiegel.register.model import BehoerdlicherVermerk, Person, TeilbekanntesDatum
from datenspiegel.transformers.answer import AnswerDocument
from datenspiegel.transformers.header import Behoerde, write_kopf
from datenspiegel.transformers.xmlutil import code_element, qname, sub, write_partial_date
from datenspiegel.xsd import codelists
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund, Nachrichtentyp
from datenspiegel.xsd.loader import NAMESPACE, SCHEMA_VERSION

__all__ = [
    "FREIE_SUCHE_ANSWER_ROOT",
    "build_freie_suche_answer",
    "build_freie_suche_rueckweisung",
]

FREIE_SUCHE_ANSWER_ROOT = qname("datenabruf.freieSuche.antwort.1333")

# Current main address (Anschrift type, schema order): element → freie Suche code.
_ANSCHRIFT: tuple[tuple[str, str, int], ...] = (
    ("gemeindeschluessel", "ags", 17),
    ("postleitzahl", "postleitzahl", 18),
    ("wohnort", "wohnort", 19),
    ("wohnortFruehererGemeindename", "frueherer_gemeindename", 20),
    ("strasse", "strasse", 21),
    ("hausnummer", "hausnummer", 22),
    ("hausnummerBuchstabe", "hausnummer_buchstabe", 23),
    ("teilnummer", "teilnummer", 24),
    ("wohnungsnummer", "wohnungsnummer", 25),
    ("zusatzangaben", "zusatzangaben", 26),
    ("wohnungsinhaber", "wohnungsinhaber", 27),
)
_EINZUG = 28
#: identity card / passport: authority, date of issue, valid until, serial number
_AUSWEIS = {"PA": (30, 31, 32, 36), "RP": (33, 34, 35, 37)}


class _Cut:
    __slots__ = ("asked", "written")

    def __init__(self, asked: Collection[int]) -> None:
        self.asked = frozenset(asked)
        self.written: set[int] = set()

    def __call__(self, code: int) -> bool:
        return code in self.asked

    def text(self, parent: etree._Element, tag: str, code: int, value: object) -> None:
        if self(code) and value:
            sub(parent, tag, str(value))
            self.written.add(code)

    def names(self, parent: etree._Element, tag: str, code: int, values: Sequence[str]) -> None:
        if self(code):
            for value in values:
                sub(parent, tag, value)
                self.written.add(code)

    def date(
        self, parent: etree._Element, tag: str, code: int, value: TeilbekanntesDatum | None
    ) -> None:
        if self(code) and value is not None:
            write_partial_date(parent, tag, value)
            self.written.add(code)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _hinweise(parent: etree._Element, person: Person) -> None:
    hinweise = sub(parent, "hinweise")
    sub(hinweise, "verzogenInland", _bool(person.verzogen_inland))
    sub(hinweise, "verzogenUnbekannt", _bool(person.verzogen_unbekannt))
    sub(hinweise, "verzogenAusland", _bool(person.verzogen_ins_ausland))
    sub(hinweise, "verstorben", _bool(person.verstorben))
    sub(hinweise, "verringerterDatenumfang", _bool(person.verringerter_datenumfang))


def _hauptanschrift(parent: etree._Element, person: Person, cut: _Cut) -> None:
    anschrift = person.aktuelle_hauptanschrift
    codes = [code for _, _, code in _ANSCHRIFT] + [_EINZUG]
    if anschrift is None or not any(cut(code) for code in codes):
        return
    element = sub(parent, "hauptanschrift")
    for tag, attribute, code in _ANSCHRIFT:
        cut.text(element, tag, code, getattr(anschrift, attribute))
    cut.date(element, "einzugsdatum", _EINZUG, anschrift.einzugsdatum)
    sub(element, "bedingterSperrvermerk", _bool(anschrift.bedingter_sperrvermerk))


def _vermerk(
    parent: etree._Element, tag: str, vermerk: BehoerdlicherVermerk | None, cut: _Cut, code: int
) -> None:
    """The fact and the date of its first grant / order (DSMeld 2601, 2603, 2801)."""
    if not cut(code):
        return
    element = sub(parent, tag)
    sub(element, "vorhanden", _bool(vermerk is not None))
    if vermerk is not None and vermerk.datum is not None:
        sub(element, "datum", vermerk.datum.isoformat())
    cut.written.add(code)


def _ausweise(parent: etree._Element, person: Person, cut: _Cut) -> None:
    for ausweis in person.ausweise:
        behoerde, datum, gueltig, serie = _AUSWEIS.get(ausweis.art, _AUSWEIS["PA"])
        if not any(cut(c) for c in (29, behoerde, datum, gueltig, serie)):
            continue
        element = sub(parent, "ausweis")
        cut.text(element, "art", 29, ausweis.art)
        cut.text(element, "ausstellungsbehoerde", behoerde, ausweis.ausstellungsbehoerde)
        issued, valid = ausweis.ausstellungsdatum, ausweis.gueltig_bis
        cut.text(element, "ausstellungsdatum", datum, issued.isoformat() if issued else None)
        cut.text(element, "gueltigBis", gueltig, valid.isoformat() if valid else None)
        cut.text(element, "seriennummer", serie, ausweis.seriennummer)


def write_ergebnis_person(
    parent: etree._Element, person: Person, elemente: Collection[int], merkmal: str | None
) -> frozenset[int]:
    """Append one result-list entry with at most ``elemente``; return the codes written."""
    cut = _Cut(elemente)
    element = sub(parent, "person")
    if merkmal is not None:
        sub(element, "identifikationsmerkmal", merkmal)
    _hinweise(element, person)
    cut.text(element, "familienname", 1, person.familienname)
    cut.text(element, "ehename", 2, person.ehename)
    cut.text(element, "lebenspartnerschaftsname", 3, person.lebenspartnerschaftsname)
    cut.text(element, "geburtsname", 4, person.geburtsname)
    cut.names(element, "fruehererFamilienname", 5, person.fruehere_familiennamen)
    if cut(6):
        for vorname in person.vornamen:
            entry = sub(element, "vorname", vorname)
            if vorname == person.gebraeuchlicher_vorname:
                entry.set("gebraeuchlich", "true")
            cut.written.add(6)
    cut.names(element, "fruehererVorname", 7, person.fruehere_vornamen)
    cut.text(element, "doktorgrad", 8, person.doktorgrad)
    cut.text(element, "ordensname", 9, person.ordensname)
    cut.text(element, "kuenstlername", 10, person.kuenstlername)
    cut.date(element, "geburtsdatum", 11, person.geburtsdatum)
    if cut(12):
        for datum in person.fruehere_geburtsdaten:
            write_partial_date(element, "fruehereGeburtsdatum", datum)
            cut.written.add(12)
    cut.text(element, "geburtsort", 13, person.geburtsort)
    cut.text(element, "geburtsstaat", 14, person.geburtsstaat)
    if cut(15) and person.geschlecht:
        info = codelists.GESCHLECHT
        code_element(
            element, "geschlecht", person.geschlecht, list_uri=info.uri, version=info.version
        )
        cut.written.add(15)
    cut.names(element, "staatsangehoerigkeit", 16, person.staatsangehoerigkeiten)
    _hauptanschrift(element, person, cut)
    _ausweise(element, person, cut)
    cut.date(element, "sterbedatum", 38, person.sterbedatum)
    cut.text(element, "sterbeort", 40, person.sterbeort)
    cut.text(element, "sterbestaat", 41, person.sterbestaat)
    _vermerk(element, "waffenerlaubnis", person.waffenerlaubnis, cut, 42)
    _vermerk(element, "waffenbesitzverbot", person.waffenbesitzverbot, cut, 43)
    _vermerk(element, "sprengstofferlaubnis", person.sprengstofferlaubnis, cut, 44)
    for geber in person.wohnungsgeber:
        code = 46 if geber.ist_eigentuemer_nicht_wohnungsgeber else 45
        if not cut(code):
            continue
        entry = sub(element, "wohnungsgeber")
        sub(entry, "name", geber.name)
        if code == 45 and geber.anschrift:
            sub(entry, "anschrift", geber.anschrift)
        sub(entry, "eigentuemerNichtWohnungsgeber", _bool(code == 46))
        cut.written.add(code)
    return frozenset(cut.written)


def _start(
    *, erstellt: datetime, leser: Behoerde, autor: Behoerde, ursprung: str
) -> tuple[etree._Element, str]:
    root = etree.Element(FREIE_SUCHE_ANSWER_ROOT, nsmap={"dsa": NAMESPACE})
    root.set("version", SCHEMA_VERSION)
    message_id = write_kopf(
        root,
        nachrichtentyp=Nachrichtentyp.FREIE_SUCHE_ANTWORT,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
    )
    sub(root, "ursprungsnachricht", ursprung)
    return root, message_id


def build_freie_suche_answer(
    persons: Sequence[Person],
    *,
    elemente: Collection[int],
    merkmale: Mapping[int, str],
    erstellt: datetime,
    leser: Behoerde,
    autor: Behoerde,
    ursprung: str,
) -> AnswerDocument:
    """Status 04 with ``persons`` (already cleared of blocked persons), or 03 when empty.
    ``merkmale`` maps person id → Identifikationsmerkmal (given when more than one)."""
    root, message_id = _start(erstellt=erstellt, leser=leser, autor=autor, ursprung=ursprung)
    ergebnis = sub(root, "ergebnis")
    status = Ergebnisstatus.ERGEBNISLISTE if persons else Ergebnisstatus.NEUTRAL
    info = codelists.ERGEBNISSTATUS
    code_element(ergebnis, "ergebnisstatus", status, list_uri=info.uri, version=info.version)
    disclosed: dict[int, frozenset[int]] = {}
    if persons:
        liste = sub(ergebnis, "ergebnisliste")
        for person in persons:
            if person.id is None:
                raise ValueError("a register person without id cannot be disclosed")
            disclosed[person.id] = write_ergebnis_person(
                liste, person, elemente, merkmale.get(person.id)
            )
    return AnswerDocument(root, message_id, disclosed)


def build_freie_suche_rueckweisung(
    codes: tuple[Grund, ...],
    freitext: str | None,
    *,
    erstellt: datetime,
    leser: Behoerde,
    autor: Behoerde,
    ursprung: str,
) -> AnswerDocument:
    """A business rejection of a freie Suche: a 1333 carrying ``rueckweisung``."""
    root, message_id = _start(erstellt=erstellt, leser=leser, autor=autor, ursprung=ursprung)
    rueckweisung = sub(root, "rueckweisung")
    info = codelists.NICHTERSTELLUNG_GRUND
    for code in codes:
        code_element(rueckweisung, "grund", code, list_uri=info.uri, version=info.version)
    if freitext:
        sub(rueckweisung, "freitext", freitext[:240])
    return AnswerDocument(root, message_id)
