"""Register person → the ``person`` / ``treffer`` parts of an answer, element by element.

Status 01 carries exactly the requested elements (Personensuche code list 1–185) and never
more; elements the mirror does not hold (evidence data "Nachweisdaten", some registration
dates) are simply absent. The writer walks the schema's sequence in order, because the XSD
fixes the order of the children.

The law's cut of the data, per recipient and day (DOMAIN.md § 3 "Answer"):

- Data of a legal representative, spouse, life partner or child who has an Auskunftssperre of
  their own is left out (§ 51 Abs. 1 BMG).
- Children (elements 146–162) only while minor: under 18 on the transaction's date (§ 3
  Abs. 1 Nr. 16 BMG: the register's data "zu minderjährigen Kindern"). A child whose minority
  cannot be established from a partially known or unknown date of birth is left out.
- A hit-list entry (status 02) carries only the BMeldDAV § 6 data: names (0101a–0105a,
  0201a, 0203a), first names incl. former first names (0301, 0303), date of birth, and of the
  current main address only 1201–1209 and 1213a — never the flat number (1210), address
  additions (1211) or the Wohnungsinhaber (1212). (Married and partnership name and former
  first names wait for the contract's ``Treffer`` type; 1213a is not held by the mirror.)

Every writer returns the element codes it actually wrote (a code counts once a datum of it is
in the document, not when it was asked for): the § 40 record's "data retrieved" is taken from
there. The facts always added (``hinweise``, the ``bedingterSperrvermerk`` flag) and the
Identifikationsmerkmal are not element codes and are not counted.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from lxml import etree

from datenspiegel.register.model import (
    Angehoeriger,
    Anschrift,
    BehoerdlicherVermerk,
    Person,
    TeilbekanntesDatum,
)
from datenspiegel.transformers.xmlutil import code_element, sub, write_partial_date
from datenspiegel.xsd import codelists

__all__ = [
    "AVAILABLE_ELEMENTS",
    "TREFFER_ELEMENTE",
    "minderjaehrig_am",
    "write_person",
    "write_treffer",
]

#: Age of majority (§ 2 BGB): children are transmitted only while younger.
_VOLLJAEHRIG = 18

# Address parts in schema order, relative to the block's "Anschrift - unbekannt" code.
_ADDRESS_PARTS: tuple[tuple[str, str | None], ...] = (
    ("unbekannt", None),
    ("gemeindeschluessel", "ags"),
    ("postleitzahl", "postleitzahl"),
    ("wohnort", "wohnort"),
    ("wohnortFruehererGemeindename", "frueherer_gemeindename"),
    ("strasse", "strasse"),
    ("hausnummer", "hausnummer"),
    ("hausnummerBuchstabe", "hausnummer_buchstabe"),
    ("teilnummer", "teilnummer"),
    ("wohnungsnummer", "wohnungsnummer"),
    ("zusatzangaben", "zusatzangaben"),
    ("wohnungsinhaber", "wohnungsinhaber"),
)

#: BMeldDAV § 6 as element codes of the current address: 1201–1209 (codes 44–51). 1213a (Art
#: der Wohnung, code 56) belongs to the list too, but the mirror does not hold it.
_TREFFER_ANSCHRIFT = frozenset(range(44, 52))
#: What a hit-list entry carries, as Personensuche element codes (BMeldDAV § 6): surname (1),
#: married name (2), partnership name (3), birth name (4), former surnames (5), first names (7),
#: former first names (8), date of birth (13) and the address parts above.
TREFFER_ELEMENTE = frozenset({1, 2, 3, 4, 5, 7, 8, 13}) | _TREFFER_ANSCHRIFT


class _Cut:
    """The element codes asked for, and those a datum was actually written for."""

    __slots__ = ("asked", "written")

    def __init__(self, asked: Collection[int]) -> None:
        self.asked = frozenset(asked)
        self.written: set[int] = set()

    def __call__(self, code: int | None) -> bool:
        return code is not None and code in self.asked

    def wrote(self, code: int) -> None:
        self.written.add(code)

    def text(self, parent: etree._Element, tag: str, code: int, value: object) -> None:
        """``tag`` with ``value`` when ``code`` is asked for and the register holds a value."""
        if self(code) and value:
            sub(parent, tag, str(value))
            self.wrote(code)

    def partial_date(
        self, parent: etree._Element, tag: str, code: int, value: TeilbekanntesDatum | None
    ) -> None:
        if self(code) and value is not None:
            write_partial_date(parent, tag, value)
            self.wrote(code)

    def names(self, parent: etree._Element, tag: str, code: int, values: Collection[str]) -> None:
        if self(code):
            for value in values:
                sub(parent, tag, value)
                self.wrote(code)


def minderjaehrig_am(geburtsdatum: TeilbekanntesDatum | None, stichtag: date) -> bool:
    """Whether a person born on ``geburtsdatum`` is certainly under 18 on ``stichtag``.

    Age counts from the day of birth (§ 187 Abs. 2 Satz 2 BGB): 18 on the 18th birthday; one
    born on 29 February is 18 on 1 March of a common year (§ 188 Abs. 3 BGB). Of a partially
    known date the earliest possible day is taken, so the answer is "minor" only when it holds
    for every day the date may mean; an unknown date never establishes minority.
    """
    if geburtsdatum is None:
        return False
    earliest = geburtsdatum.bereichsbeginn()
    if earliest is None:
        return False
    year = earliest.year + _VOLLJAEHRIG
    if year > date.max.year:
        return True
    try:
        volljaehrig = earliest.replace(year=year)
    except ValueError:  # 29 February in a common year
        volljaehrig = date(year, 3, 1)
    return stichtag < volljaehrig


def _code(parent: etree._Element, name: str, info: codelists.CodeListInfo, value: str) -> None:
    code_element(parent, name, value, list_uri=info.uri, version=info.version)


def _write_address(
    parent: etree._Element,
    name: str,
    anschrift: Anschrift | None,
    cut: _Cut,
    *,
    base: int,
    status: int | None = None,
    staat: int | None = None,
    einzug: int | None = None,
    auszug: int | None = None,
    unbekannt: bool = False,
    always: bool = False,
) -> None:
    """Write one address with the parts asked for; the Sperrvermerk flag always goes along."""
    parts = [(base + offset, tag, attr) for offset, (tag, attr) in enumerate(_ADDRESS_PARTS)]
    extra = any(cut(c) for c in (status, staat, einzug, auszug))
    if not always and not extra and not any(cut(code) for code, _, _ in parts):
        return
    element = sub(parent, name)
    for code, tag, attr in parts:
        if attr is None:
            if cut(code):
                sub(element, tag, _bool(unbekannt or anschrift is None))
                cut.wrote(code)
            continue
        cut.text(element, tag, code, getattr(anschrift, attr, None) if anschrift else None)
    if anschrift is not None:
        if staat is not None:
            cut.text(element, "staat", staat, anschrift.staat)
        if cut(status) and anschrift.wohnungsstatus:
            assert status is not None
            _code(element, "wohnungsstatus", codelists.WOHNUNGSSTATUS, anschrift.wohnungsstatus)
            cut.wrote(status)
        if einzug is not None:
            cut.partial_date(element, "einzugsdatum", einzug, anschrift.einzugsdatum)
        if auszug is not None:
            cut.partial_date(element, "auszugsdatum", auszug, anschrift.auszugsdatum)
    sub(
        element,
        "bedingterSperrvermerk",
        _bool(anschrift.bedingter_sperrvermerk if anschrift else False),
    )


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _write_vornamen(
    parent: etree._Element, tag: str, person: Person | Angehoeriger, cut: _Cut, code: int
) -> None:
    if not cut(code):
        return
    usual = getattr(person, "gebraeuchlicher_vorname", None)
    for vorname in person.vornamen:
        element = sub(parent, tag, vorname)
        if usual and vorname == usual:
            element.set("gebraeuchlich", "true")
        cut.wrote(code)


def _write_hinweise(parent: etree._Element, person: Person) -> None:
    hinweise = sub(parent, "hinweise")
    sub(hinweise, "verzogenInland", _bool(person.verzogen_inland))
    sub(hinweise, "verzogenUnbekannt", _bool(person.verzogen_unbekannt))
    sub(hinweise, "verzogenAusland", _bool(person.verzogen_ins_ausland))
    sub(hinweise, "verstorben", _bool(person.verstorben))
    sub(hinweise, "verringerterDatenumfang", _bool(person.verringerter_datenumfang))


def _write_relative(
    parent: etree._Element,
    tag: str,
    relative: Angehoeriger,
    cut: _Cut,
    codes: dict[str, int],
) -> None:
    keys = [k for k in codes if k != "adresse"]
    address_codes = [codes["adresse"] + i for i in range(len(_ADDRESS_PARTS))]
    if not any(cut(codes[k]) for k in keys) and not any(cut(c) for c in address_codes):
        return
    element = sub(parent, tag)
    if "art" in codes:
        cut.text(element, "artDerVertretung", codes["art"], relative.art_der_vertretung)
    cut.text(element, "familienname", codes["familienname"], relative.familienname)
    if "geburtsname" in codes:
        cut.text(element, "geburtsname", codes["geburtsname"], relative.geburtsname)
    _write_vornamen(element, "vorname", relative, cut, codes["vornamen"])
    if "doktorgrad" in codes:
        cut.text(element, "doktorgrad", codes["doktorgrad"], relative.doktorgrad)
    cut.partial_date(element, "geburtsdatum", codes["geburtsdatum"], relative.geburtsdatum)
    if cut(codes["geschlecht"]) and relative.geschlecht:
        _code(element, "geschlecht", codelists.GESCHLECHT, relative.geschlecht)
        cut.wrote(codes["geschlecht"])
    _write_address(
        element,
        "anschrift",
        relative.anschrift,
        cut,
        base=codes["adresse"],
        status=codes.get("status"),
        staat=codes.get("staat"),
        unbekannt=relative.anschrift_unbekannt,
    )
    cut.partial_date(element, "sterbedatum", codes["sterbedatum"], relative.sterbedatum)
    if "vertretung_endet" in codes and relative.vertretung_endet:
        cut.text(
            element,
            "vertretungEndet",
            codes["vertretung_endet"],
            relative.vertretung_endet.isoformat(),
        )


_VERTRETER = {
    "art": 20,
    "familienname": 21,
    "vornamen": 22,
    "doktorgrad": 23,
    "geburtsdatum": 24,
    "adresse": 25,
    "staat": 37,
    "sterbedatum": 38,
    "vertretung_endet": 39,
    "geschlecht": 40,
}
_EHEGATTE = {
    "familienname": 102,
    "geburtsname": 103,
    "vornamen": 104,
    "doktorgrad": 105,
    "geburtsdatum": 106,
    "geschlecht": 107,
    "adresse": 108,
    "status": 120,
    "staat": 122,
    "sterbedatum": 123,
}
_LEBENSPARTNER = {key: code + 22 for key, code in _EHEGATTE.items()}
_KIND = {
    "familienname": 146,
    "vornamen": 147,
    "geburtsdatum": 148,
    "adresse": 149,
    "geschlecht": 161,
    "sterbedatum": 162,
}

# Codes for which the mirror holds data; the rest (Nachweisdaten, some dates) never appear.
_WOHNUNGSART = frozenset({56, 70, 121, 143})  # "Art der Wohnung": not held by the mirror
AVAILABLE_ELEMENTS = (
    frozenset(
        {1, 2, 3, 4, 5, 7, 8, 10, 11, 12, 13, 14, 15, 16, 19, 41, 71, 72, 73, 74, 80, 82, 94, 95}
        | {100, 172, 174, 175}
        | set(range(20, 41))
        | set(range(43, 56))
        | set(range(57, 70))
        | set(range(102, 163))
        | set(range(163, 172))
        | set(range(176, 186))
    )
    - _WOHNUNGSART
)


def _write_vermerk(
    parent: etree._Element,
    tag: str,
    vermerk: BehoerdlicherVermerk | None,
    cut: _Cut,
    *,
    fact: int,
    detail: int,
) -> None:
    """An authority's entry. ``vorhanden`` (the schema always wants it) is the "Tatsache" that
    both codes' labels begin with (code list Anforderungselemente: 176 "Tatsache des
    Vorliegens …", 177 "Tatsache des Vorliegens … – Behörde und Aktenzeichen"; 178/179,
    180/181, 182/183 likewise): it is recorded under the fact's code where that was asked
    for, else under the detail's — never under a code that was not requested (§ 40 Abs. 1
    BMG: the record names what was transmitted, BMeldDAV § 4 Abs. 2: what was requested)."""
    if not (cut(fact) or cut(detail)):
        return
    element = sub(parent, tag)
    sub(element, "vorhanden", _bool(vermerk is not None))
    cut.wrote(fact if cut(fact) else detail)
    if vermerk is None:
        return
    if cut(fact) and vermerk.datum:
        sub(element, "datum", vermerk.datum.isoformat())
    cut.text(element, "behoerde", detail, vermerk.behoerde)
    cut.text(element, "aktenzeichen", detail, vermerk.aktenzeichen)


def _transmitted(relative: Angehoeriger, stichtag: date) -> bool:
    """A relative's data may leave: no Auskunftssperre of their own (§ 51 Abs. 1 BMG) and, for
    a child, still minor on the transaction's date (§ 3 Abs. 1 Nr. 16 BMG)."""
    if relative.auskunftssperre:
        return False
    return relative.art != "kind" or minderjaehrig_am(relative.geburtsdatum, stichtag)


def write_person(
    parent: etree._Element, person: Person, elemente: Collection[int], *, stichtag: date
) -> frozenset[int]:
    """Append ``person`` with at most the requested ``elemente`` (plus the Hinweise), cut to
    the law on ``stichtag`` (see the module docstring); return the codes actually written."""
    cut = _Cut(elemente)
    element = sub(parent, "person")
    _write_hinweise(element, person)
    cut.text(element, "familienname", 1, person.familienname)
    cut.text(element, "ehename", 2, person.ehename)
    cut.text(element, "lebenspartnerschaftsname", 3, person.lebenspartnerschaftsname)
    cut.text(element, "geburtsname", 4, person.geburtsname)
    cut.names(element, "fruehererFamilienname", 5, person.fruehere_familiennamen)
    _write_vornamen(element, "vorname", person, cut, 7)
    cut.names(element, "fruehererVorname", 8, person.fruehere_vornamen)
    cut.text(element, "doktorgrad", 10, person.doktorgrad)
    cut.text(element, "ordensname", 11, person.ordensname)
    cut.text(element, "kuenstlername", 12, person.kuenstlername)
    cut.partial_date(element, "geburtsdatum", 13, person.geburtsdatum)
    if cut(14):
        for datum in person.fruehere_geburtsdaten:
            write_partial_date(element, "fruehereGeburtsdatum", datum)
            cut.wrote(14)
    cut.text(element, "geburtsort", 15, person.geburtsort)
    cut.text(element, "geburtsstaat", 16, person.geburtsstaat)
    if cut(19) and person.geschlecht:
        _code(element, "geschlecht", codelists.GESCHLECHT, person.geschlecht)
        cut.wrote(19)
    relatives = [r for r in person.angehoerige if _transmitted(r, stichtag)]
    for relative in relatives:
        if relative.art == "gesetzlicherVertreter":
            _write_relative(element, "gesetzlicherVertreter", relative, cut, _VERTRETER)
    cut.names(element, "staatsangehoerigkeit", 41, person.staatsangehoerigkeiten)
    current = person.aktuelle_anschriften
    for anschrift in current:
        _write_address(element, "aktuelleAnschrift", anschrift, cut, base=43, status=55, einzug=74)
    if not current and cut(43):
        _write_address(element, "aktuelleAnschrift", None, cut, base=43, unbekannt=True)
    for anschrift in person.fruehere_anschriften:
        _write_address(
            element,
            "fruehereAnschrift",
            anschrift,
            cut,
            base=57,
            status=69,
            einzug=80,
            auszug=82,
        )
    cut.text(element, "zuzugAusAuslandStaat", 71, person.zuzug_aus_ausland_staat)
    cut.text(element, "wegzugAuslandStaat", 72, person.wegzug_ausland_staat)
    cut.text(element, "wegzugAuslandAnschrift", 73, person.wegzug_ausland_anschrift)
    if (cut(94) or cut(95) or cut(100)) and person.familienstand:
        stand = sub(element, "familienstand")
        cut.text(stand, "familienstand", 94, person.familienstand)
        seit = person.familienstand_datum
        cut.text(stand, "datum", 95, seit.isoformat() if seit else None)
        cut.text(stand, "ort", 100, person.familienstand_ort)
    for art, tag, table in (
        ("ehegatte", "ehegatte", _EHEGATTE),
        ("lebenspartner", "lebenspartner", _LEBENSPARTNER),
        ("kind", "kind", _KIND),
    ):
        for relative in relatives:
            if relative.art == art:
                _write_relative(element, tag, relative, cut, table)
    _write_ausweise(element, person, cut)
    cut.partial_date(element, "sterbedatum", 172, person.sterbedatum)
    cut.text(element, "sterbeort", 174, person.sterbeort)
    cut.text(element, "sterbestaat", 175, person.sterbestaat)
    _write_vermerk(element, "passversagung", person.passversagung, cut, fact=176, detail=177)
    _write_vermerk(element, "waffenerlaubnis", person.waffenerlaubnis, cut, fact=178, detail=179)
    _write_vermerk(
        element, "waffenbesitzverbot", person.waffenbesitzverbot, cut, fact=180, detail=181
    )
    _write_vermerk(
        element, "sprengstofferlaubnis", person.sprengstofferlaubnis, cut, fact=182, detail=183
    )
    for geber in person.wohnungsgeber:
        code = 185 if geber.ist_eigentuemer_nicht_wohnungsgeber else 184
        if not cut(code):
            continue
        entry = sub(element, "wohnungsgeber")
        sub(entry, "name", geber.name)
        if code == 184 and geber.anschrift:
            sub(entry, "anschrift", geber.anschrift)
        sub(
            entry, "eigentuemerNichtWohnungsgeber", _bool(geber.ist_eigentuemer_nicht_wohnungsgeber)
        )
        cut.wrote(code)
    return frozenset(cut.written)


def _write_ausweise(parent: etree._Element, person: Person, cut: _Cut) -> None:
    for ausweis in person.ausweise:
        is_pass = ausweis.art == "RP"
        behoerde, datum, gueltig, serie = (167, 168, 169, 171) if is_pass else (164, 165, 166, 170)
        if not any(cut(c) for c in (163, behoerde, datum, gueltig, serie)):
            continue
        element = sub(parent, "ausweis")
        cut.text(element, "art", 163, ausweis.art)
        cut.text(element, "ausstellungsbehoerde", behoerde, ausweis.ausstellungsbehoerde)
        issued = ausweis.ausstellungsdatum
        cut.text(element, "ausstellungsdatum", datum, issued.isoformat() if issued else None)
        valid = ausweis.gueltig_bis
        cut.text(element, "gueltigBis", gueltig, valid.isoformat() if valid else None)
        cut.text(element, "seriennummer", serie, ausweis.seriennummer)


def write_treffer(
    parent: etree._Element, person: Person, identifikationsmerkmal: str
) -> frozenset[int]:
    """Append one hit-list entry with only the BMeldDAV § 6 data (:data:`TREFFER_ELEMENTE`,
    whatever was requested); return the codes actually written."""
    cut = _Cut(TREFFER_ELEMENTE)
    element = sub(parent, "treffer")
    sub(element, "identifikationsmerkmal", identifikationsmerkmal)
    _write_hinweise(element, person)
    cut.text(element, "familienname", 1, person.familienname)
    cut.text(element, "ehename", 2, person.ehename)
    cut.text(element, "lebenspartnerschaftsname", 3, person.lebenspartnerschaftsname)
    cut.text(element, "geburtsname", 4, person.geburtsname)
    cut.names(element, "fruehererFamilienname", 5, person.fruehere_familiennamen)
    _write_vornamen(element, "vorname", person, cut, 7)
    cut.names(element, "fruehererVorname", 8, person.fruehere_vornamen)
    cut.partial_date(element, "geburtsdatum", 13, person.geburtsdatum)
    haupt = person.aktuelle_hauptanschrift
    if haupt is not None:
        _write_address(element, "hauptanschrift", haupt, cut, base=43, always=True)
    return frozenset(cut.written)
