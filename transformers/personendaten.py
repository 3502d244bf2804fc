"""Register person → the ``person`` / ``treffer`` parts of an answer, element by element.

Status 01 carries exactly the requested elements (Personensuche code list 1–185) and never
more; elements the mirror does not hold (evidence data "Nachweisdaten", some registration
dates) are simply absent. The writer walks the schema's sequence in order, because the XSD
fixes the order of the children.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from lxml import etree

from datenspiegel.register.model import Angehoeriger, Anschrift, BehoerdlicherVermerk, Person
from datenspiegel.transformers.xmlutil import code_element, sub, write_partial_date
from datenspiegel.xsd import codelists

__all__ = ["AVAILABLE_ELEMENTS", "write_person", "write_treffer"]

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


def _code(parent: etree._Element, name: str, info: codelists.CodeListInfo, value: str) -> None:
    code_element(parent, name, value, list_uri=info.uri, version=info.version)


def _write_address(
    parent: etree._Element,
    name: str,
    anschrift: Anschrift | None,
    wanted: Callable[[int], bool],
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
    parts = [(offset, tag, attr) for offset, (tag, attr) in enumerate(_ADDRESS_PARTS)]
    extra = any(wanted(c) for c in (status, staat, einzug, auszug) if c is not None)
    if not always and not extra and not any(wanted(base + offset) for offset, _, _ in parts):
        return
    element = sub(parent, name)
    for offset, tag, attr in parts:
        if not wanted(base + offset):
            continue
        if attr is None:
            sub(element, tag, _bool(unbekannt or anschrift is None))
            continue
        value = getattr(anschrift, attr, None) if anschrift is not None else None
        if value:
            sub(element, tag, str(value))
    if anschrift is not None:
        if staat is not None and wanted(staat) and anschrift.staat:
            sub(element, "staat", anschrift.staat)
        if status is not None and wanted(status) and anschrift.wohnungsstatus:
            _code(element, "wohnungsstatus", codelists.WOHNUNGSSTATUS, anschrift.wohnungsstatus)
        if einzug is not None and wanted(einzug):
            write_partial_date(element, "einzugsdatum", anschrift.einzugsdatum)
        if auszug is not None and wanted(auszug):
            write_partial_date(element, "auszugsdatum", anschrift.auszugsdatum)
    sub(
        element,
        "bedingterSperrvermerk",
        _bool(anschrift.bedingter_sperrvermerk if anschrift else False),
    )


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _write_vornamen(parent: etree._Element, tag: str, person: Person | Angehoeriger) -> None:
    usual = getattr(person, "gebraeuchlicher_vorname", None)
    for vorname in person.vornamen:
        element = sub(parent, tag, vorname)
        if usual and vorname == usual:
            element.set("gebraeuchlich", "true")


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
    wanted: Callable[[int], bool],
    codes: dict[str, int],
) -> None:
    def want(key: str) -> bool:
        return key in codes and wanted(codes[key])

    keys = [k for k in codes if k != "adresse"]
    address_codes = [codes["adresse"] + i for i in range(len(_ADDRESS_PARTS))]
    if not any(want(k) for k in keys) and not any(wanted(c) for c in address_codes):
        return
    element = sub(parent, tag)
    if want("art") and relative.art_der_vertretung:
        sub(element, "artDerVertretung", relative.art_der_vertretung)
    if want("familienname") and relative.familienname:
        sub(element, "familienname", relative.familienname)
    if want("geburtsname") and relative.geburtsname:
        sub(element, "geburtsname", relative.geburtsname)
    if want("vornamen"):
        _write_vornamen(element, "vorname", relative)
    if want("doktorgrad") and relative.doktorgrad:
        sub(element, "doktorgrad", relative.doktorgrad)
    if want("geburtsdatum"):
        write_partial_date(element, "geburtsdatum", relative.geburtsdatum)
    if want("geschlecht") and relative.geschlecht:
        _code(element, "geschlecht", codelists.GESCHLECHT, relative.geschlecht)
    _write_address(
        element,
        "anschrift",
        relative.anschrift,
        wanted,
        base=codes["adresse"],
        status=codes.get("status"),
        staat=codes.get("staat"),
        unbekannt=relative.anschrift_unbekannt,
    )
    if want("sterbedatum"):
        write_partial_date(element, "sterbedatum", relative.sterbedatum)
    if want("vertretung_endet") and relative.vertretung_endet:
        sub(element, "vertretungEndet", relative.vertretung_endet.isoformat())


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
    wanted: Callable[[int], bool],
    *,
    fact: int,
    detail: int,
) -> None:
    if not (wanted(fact) or wanted(detail)):
        return
    element = sub(parent, tag)
    sub(element, "vorhanden", _bool(vermerk is not None))
    if vermerk is None:
        return
    if wanted(fact) and vermerk.datum:
        sub(element, "datum", vermerk.datum.isoformat())
    if wanted(detail):
        if vermerk.behoerde:
            sub(element, "behoerde", vermerk.behoerde)
        if vermerk.aktenzeichen:
            sub(element, "aktenzeichen", vermerk.aktenzeichen)


def write_person(parent: etree._Element, person: Person, elemente: Collection[int]) -> None:
    """Append ``person`` with exactly the requested ``elemente`` (plus the Hinweise)."""
    codes = frozenset(elemente)

    def wanted(code: int) -> bool:
        return code in codes

    element = sub(parent, "person")
    _write_hinweise(element, person)
    for code, tag, value in (
        (1, "familienname", person.familienname),
        (2, "ehename", person.ehename),
        (3, "lebenspartnerschaftsname", person.lebenspartnerschaftsname),
        (4, "geburtsname", person.geburtsname),
    ):
        if wanted(code) and value:
            sub(element, tag, value)
    if wanted(5):
        for name in person.fruehere_familiennamen:
            sub(element, "fruehererFamilienname", name)
    if wanted(7):
        _write_vornamen(element, "vorname", person)
    if wanted(8):
        for name in person.fruehere_vornamen:
            sub(element, "fruehererVorname", name)
    for code, tag, value in (
        (10, "doktorgrad", person.doktorgrad),
        (11, "ordensname", person.ordensname),
        (12, "kuenstlername", person.kuenstlername),
    ):
        if wanted(code) and value:
            sub(element, tag, value)
    if wanted(13):
        write_partial_date(element, "geburtsdatum", person.geburtsdatum)
    if wanted(14):
        for datum in person.fruehere_geburtsdaten:
            write_partial_date(element, "fruehereGeburtsdatum", datum)
    if wanted(15) and person.geburtsort:
        sub(element, "geburtsort", person.geburtsort)
    if wanted(16) and person.geburtsstaat:
        sub(element, "geburtsstaat", person.geburtsstaat)
    if wanted(19) and person.geschlecht:
        _code(element, "geschlecht", codelists.GESCHLECHT, person.geschlecht)
    relatives = [r for r in person.angehoerige if not r.auskunftssperre]
    for relative in relatives:
        if relative.art == "gesetzlicherVertreter":
            _write_relative(element, "gesetzlicherVertreter", relative, wanted, _VERTRETER)
    if wanted(41):
        for staat in person.staatsangehoerigkeiten:
            sub(element, "staatsangehoerigkeit", staat)
    current = person.aktuelle_anschriften
    for anschrift in current:
        _write_address(
            element, "aktuelleAnschrift", anschrift, wanted, base=43, status=55, einzug=74
        )
    if not current and wanted(43):
        _write_address(element, "aktuelleAnschrift", None, wanted, base=43, unbekannt=True)
    for anschrift in person.fruehere_anschriften:
        _write_address(
            element,
            "fruehereAnschrift",
            anschrift,
            wanted,
            base=57,
            status=69,
            einzug=80,
            auszug=82,
        )
    for code, tag, value in (
        (71, "zuzugAusAuslandStaat", person.zuzug_aus_ausland_staat),
        (72, "wegzugAuslandStaat", person.wegzug_ausland_staat),
        (73, "wegzugAuslandAnschrift", person.wegzug_ausland_anschrift),
    ):
        if wanted(code) and value:
            sub(element, tag, value)
    if (wanted(94) or wanted(95) or wanted(100)) and person.familienstand:
        stand = sub(element, "familienstand")
        if wanted(94):
            sub(stand, "familienstand", person.familienstand)
        if wanted(95) and person.familienstand_datum:
            sub(stand, "datum", person.familienstand_datum.isoformat())
        if wanted(100) and person.familienstand_ort:
            sub(stand, "ort", person.familienstand_ort)
    for art, tag, table in (
        ("ehegatte", "ehegatte", _EHEGATTE),
        ("lebenspartner", "lebenspartner", _LEBENSPARTNER),
        ("kind", "kind", _KIND),
    ):
        for relative in relatives:
            if relative.art == art:
                _write_relative(element, tag, relative, wanted, table)
    _write_ausweise(element, person, wanted)
    if wanted(172):
        write_partial_date(element, "sterbedatum", person.sterbedatum)
    if wanted(174) and person.sterbeort:
        sub(element, "sterbeort", person.sterbeort)
    if wanted(175) and person.sterbestaat:
        sub(element, "sterbestaat", person.sterbestaat)
    _write_vermerk(element, "passversagung", person.passversagung, wanted, fact=176, detail=177)
    _write_vermerk(element, "waffenerlaubnis", person.waffenerlaubnis, wanted, fact=178, detail=179)
    _write_vermerk(
        element, "waffenbesitzverbot", person.waffenbesitzverbot, wanted, fact=180, detail=181
    )
    _write_vermerk(
        element, "sprengstofferlaubnis", person.sprengstofferlaubnis, wanted, fact=182, detail=183
    )
    for geber in person.wohnungsgeber:
        code = 185 if geber.ist_eigentuemer_nicht_wohnungsgeber else 184
        if not wanted(code):
            continue
        entry = sub(element, "wohnungsgeber")
        sub(entry, "name", geber.name)
        if code == 184 and geber.anschrift:
            sub(entry, "anschrift", geber.anschrift)
        sub(
            entry, "eigentuemerNichtWohnungsgeber", _bool(geber.ist_eigentuemer_nicht_wohnungsgeber)
        )


def _write_ausweise(parent: etree._Element, person: Person, wanted: Callable[[int], bool]) -> None:
    for ausweis in person.ausweise:
        is_pass = ausweis.art == "RP"
        behoerde, datum, gueltig, serie = (167, 168, 169, 171) if is_pass else (164, 165, 166, 170)
        if not any(wanted(c) for c in (163, behoerde, datum, gueltig, serie)):
            continue
        element = sub(parent, "ausweis")
        if wanted(163):
            sub(element, "art", ausweis.art)
        if wanted(behoerde) and ausweis.ausstellungsbehoerde:
            sub(element, "ausstellungsbehoerde", ausweis.ausstellungsbehoerde)
        if wanted(datum) and ausweis.ausstellungsdatum:
            sub(element, "ausstellungsdatum", ausweis.ausstellungsdatum.isoformat())
        if wanted(gueltig) and ausweis.gueltig_bis:
            sub(element, "gueltigBis", ausweis.gueltig_bis.isoformat())
        if wanted(serie) and ausweis.seriennummer:
            sub(element, "seriennummer", ausweis.seriennummer)


def write_treffer(parent: etree._Element, person: Person, identifikationsmerkmal: str) -> None:
    """Append one hit-list entry: only the data § 34a Abs. 2 / BMeldDAV allow in a hit list."""
    element = sub(parent, "treffer")
    sub(element, "identifikationsmerkmal", identifikationsmerkmal)
    _write_hinweise(element, person)
    if person.familienname:
        sub(element, "familienname", person.familienname)
    if person.geburtsname:
        sub(element, "geburtsname", person.geburtsname)
    for name in person.fruehere_familiennamen:
        sub(element, "fruehererFamilienname", name)
    _write_vornamen(element, "vorname", person)
    write_partial_date(element, "geburtsdatum", person.geburtsdatum)
    haupt = person.aktuelle_hauptanschrift
    if haupt is not None:
        _write_address(element, "hauptanschrift", haupt, lambda c: True, base=0, always=True)
