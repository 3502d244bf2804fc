"""XÖV 1332 (freie Suche request) → typed request, and the admissibility of its search data.

Works only on the tree the signature verifier returned. The rules (DOMAIN.md § 4; § 34a Abs. 3
BMG, BMeldDAV § 7) are checked before the register is touched, one reason per answer, the
first that fails in this order:

1. 22 — the Suchbereich lies outside Lower Saxony, or is a municipality / district the mirror
   does not hold (§ 34a Abs. 3 BMG: the search is for a *Suchbereich* of the competent
   register; BMeldDAV § 7 Abs. 2);
2. 04 / 05 / 06 — a public body searches by weapons licence, weapons ban or explosives licence
   (§ 34 Abs. 4 Satz 1 BMG: these data are for security authorities only; BMeldDAV § 7 Abs. 1);
3. 15 — placeholders together with a phonetic search (BMeldDAV § 7 Abs. 3);
   17 — a placeholder first or alone, or in a field that is no name and no street
   (BMeldDAV § 7 Abs. 3 admits them on names and the street only);
4. 20 — a birth range whose end is not after its start; 17 the same for move-in / move-out;
5. 19 — a house number range whose end is not above its start;
6. 21 — current / former addresses asked for without a street.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from datenspiegel.register.errors import InvalidQueryError
from datenspiegel.register.freie_suche import (
    Aktualitaet,
    FreieSucheQuery,
    NameKriterium,
    Suchbereich,
    SuchbereichArt,
    Zeitraum,
    muster,
)
from datenspiegel.register.model import TeilbekanntesDatum
from datenspiegel.register.normalize import PLATZHALTER
from datenspiegel.transformers.errors import BusinessRejection, UnsupportedMessage
from datenspiegel.transformers.header import Nachrichtenkopf, read_kopf
from datenspiegel.transformers.request import AnfragendeStelle, read_stelle
from datenspiegel.transformers.xmlutil import (
    qname,
    read_bool,
    read_code,
    read_partial_date,
    read_text,
)
from datenspiegel.xsd.codelists import Grund, Ruecksendung
from datenspiegel.xsd.loader import SCHEMA_VERSION

__all__ = [
    "FREIE_SUCHE_ROOT",
    "FreieSucheRequest",
    "GemeindeSuchbereich",
    "check_freie_suche",
    "read_freie_suche",
]

FREIE_SUCHE_ROOT = qname("datenabruf.freieSuche.suchanfrage.1332")

#: Name fields of the query → their element in ``auswahldaten``.
NAME_ELEMENTE = {
    "familienname": "familienname",
    "geburtsname": "geburtsname",
    "frueherer_familienname": "fruehererFamilienname",
    "vornamen": "vornamen",
    "ordensname": "ordensname",
    "kuenstlername": "kuenstlername",
}
#: Text fields where a placeholder is no search data (BMeldDAV § 7 Abs. 3): refused.
_OHNE_PLATZHALTER = {
    "doktorgrad": "doktorgrad",
    "geburtsort": "geburtsort",
    "sterbeort": "sterbeort",
    "hausnummer": "anschrift/hausnummer",
    "hausnummer_buchstabe": "anschrift/hausnummerBuchstabe",
    "teilnummer": "anschrift/teilnummer",
}


@dataclass(frozen=True, slots=True)
class GemeindeSuchbereich:
    """A municipality given by its name: resolved to the AGS by the register."""

    gemeindename: str


@dataclass(frozen=True, slots=True)
class FreieSucheRequest:
    version: str
    kopf: Nachrichtenkopf
    anfragende_stelle: AnfragendeStelle
    anforderungselemente: frozenset[int]
    query: FreieSucheQuery
    #: set when the Suchbereich was a municipality name (``query`` then holds the state)
    gemeindename: str | None = None
    search_data: dict[str, str] = field(default_factory=dict)


def _name(auswahl: etree._Element, tag: str) -> NameKriterium | None:
    element = auswahl.find(tag)
    text = (element.text or "").strip() if element is not None else ""
    if element is None or not text:
        return None
    return NameKriterium(text, element.get("phonetisch") in ("true", "1"))


def _grenze(element: etree._Element | None, path: str) -> TeilbekanntesDatum | None:
    return read_partial_date(element, path)


def _zeitraum(parent: etree._Element | None, path: str) -> Zeitraum | None:
    element = parent.find(path) if parent is not None else None
    if element is None:
        return None
    von, bis = _grenze(element, "von"), _grenze(element, "bis")
    if von is None or bis is None:  # impossible after validation
        raise UnsupportedMessage(Ruecksendung.X001, f"{path} needs von and bis")
    return Zeitraum(von, bis)


def _suchbereich(auswahl: etree._Element) -> tuple[Suchbereich, str | None]:
    bereich = auswahl.find("suchbereich")
    ags = read_text(bereich, "gemeindeschluessel")
    if ags:
        return Suchbereich(SuchbereichArt.GEMEINDE, ags), None
    kreis = read_text(bereich, "kreisschluessel")
    if kreis:
        return Suchbereich(SuchbereichArt.KREIS, kreis), None
    land = read_text(bereich, "land")
    if land:
        return Suchbereich(SuchbereichArt.LAND, land), None
    name = read_text(bereich, "gemeindename")
    if name:
        # resolved by the handler; until then the whole state stands in
        return Suchbereich(SuchbereichArt.LAND, "03"), name
    raise UnsupportedMessage(Ruecksendung.X001, "auswahldaten/suchbereich is empty")


def _aktualitaet(parent: etree._Element | None, path: str) -> Aktualitaet | None:
    code = read_code(parent, path)
    return Aktualitaet(code) if code else None


def _optional_bool(parent: etree._Element, path: str) -> bool | None:
    return read_bool(parent, path) if parent.find(path) is not None else None


def _read_query(auswahl: etree._Element) -> tuple[FreieSucheQuery, str | None]:
    suchbereich, gemeindename = _suchbereich(auswahl)
    anschrift = auswahl.find("anschrift")
    query = FreieSucheQuery(
        suchbereich=suchbereich,
        **{field: _name(auswahl, tag) for field, tag in NAME_ELEMENTE.items()},
        doktorgrad=read_text(auswahl, "doktorgrad"),
        geburtsdatum=read_partial_date(auswahl, "geburtsdatum"),
        geburtszeitraum=_zeitraum(auswahl, "geburtszeitraum"),
        geburtsort=read_text(auswahl, "geburtsort"),
        geburtsstaat=read_text(auswahl, "geburtsstaat"),
        geschlecht=read_code(auswahl, "geschlecht"),
        staatsangehoerigkeit=read_text(auswahl, "staatsangehoerigkeit"),
        postleitzahl=read_text(anschrift, "postleitzahl"),
        strasse=read_text(anschrift, "strasse"),
        hausnummer=read_text(anschrift, "hausnummer")
        or read_text(anschrift, "hausnummernbereich/von"),
        hausnummer_bis=read_text(anschrift, "hausnummernbereich/bis"),
        hausnummer_buchstabe=read_text(anschrift, "hausnummerBuchstabe"),
        teilnummer=read_text(anschrift, "teilnummer"),
        wohnungsstatus=read_code(anschrift, "wohnungsstatus"),
        einzugszeitraum=_zeitraum(anschrift, "einzugszeitraum"),
        auszugszeitraum=_zeitraum(anschrift, "auszugszeitraum"),
        familienstand=read_text(auswahl, "familienstand"),
        sterbedatum=read_partial_date(auswahl, "sterbedatum"),
        sterbeort=read_text(auswahl, "sterbeort"),
        waffenerlaubnis=_optional_bool(auswahl, "waffenrechtlicheErlaubnis"),
        waffenbesitzverbot=_optional_bool(auswahl, "waffenbesitzverbot"),
        sprengstofferlaubnis=_optional_bool(auswahl, "sprengstoffrechtlicheErlaubnis"),
        person_aktualitaet=_aktualitaet(auswahl, "aktualitaetPerson"),
        anschrift_aktualitaet=_aktualitaet(anschrift, "aktualitaet"),
    )
    return query, gemeindename


def _search_data(auswahl: etree._Element) -> dict[str, str]:
    """The search data as sent, for the protocol (§ 40 BMG: the search data used)."""
    data: dict[str, str] = {}
    tree = auswahl.getroottree()
    for element in auswahl.iter():
        path = tree.getpath(element).split("auswahldaten/", 1)[-1]
        if len(element) == 0 and element.text and element.text.strip():
            data[path] = element.text.strip()
        for name, value in element.attrib.items():
            data[f"{path}/@{name!s}"] = str(value)
    return data


def read_freie_suche(root: etree._Element) -> FreieSucheRequest:
    """Read a verified, schema-valid 1332."""
    if root.tag != FREIE_SUCHE_ROOT:
        raise UnsupportedMessage(
            Ruecksendung.X001, f"expected a datenabruf.freieSuche.suchanfrage.1332, got {root.tag}"
        )
    version = root.get("version", "")
    if version != SCHEMA_VERSION:
        raise UnsupportedMessage(
            Ruecksendung.V000,
            f"message version {version!r} is not supported; this service speaks {SCHEMA_VERSION}",
        )
    auswahl = root.find("auswahldaten")
    if auswahl is None:  # impossible after validation
        raise UnsupportedMessage(Ruecksendung.X001, "auswahldaten is missing")
    elemente = frozenset(
        int(code.text) for code in root.iterfind("anforderungselement/code") if code.text
    )
    try:
        query, gemeindename = _read_query(auswahl)
    except InvalidQueryError as exc:
        raise BusinessRejection(Grund.SONSTIGER_FACHLICHER_FEHLER, str(exc)) from None
    return FreieSucheRequest(
        version=version,
        kopf=read_kopf(root),
        anfragende_stelle=read_stelle(root),
        anforderungselemente=elemente,
        query=query,
        gemeindename=gemeindename,
        search_data=_search_data(auswahl),
    )


def _placeholder_rules(query: FreieSucheQuery) -> None:
    namen = query.namen()
    with_placeholder = [
        NAME_ELEMENTE[f] for f, k in namen.items() if not PLATZHALTER.isdisjoint(k.wert)
    ]
    if query.strasse and not PLATZHALTER.isdisjoint(query.strasse):
        with_placeholder.append("anschrift/strasse")
    phonetic = [NAME_ELEMENTE[f] for f, k in namen.items() if k.phonetisch]
    if with_placeholder and phonetic:
        raise BusinessRejection(
            Grund.PLATZHALTER_BEI_PHONETIK,
            f"placeholders ({', '.join(with_placeholder)}) and a phonetic search "
            f"({', '.join(phonetic)}) exclude each other (BMeldDAV § 7 Abs. 3); send one of them",
        )
    elsewhere = [
        path
        for field, path in _OHNE_PLATZHALTER.items()
        if (value := getattr(query, field)) and not PLATZHALTER.isdisjoint(value)
    ]
    if elsewhere:
        raise BusinessRejection(
            Grund.SONSTIGER_FACHLICHER_FEHLER,
            f"placeholders (* or ?) are allowed on name fields and the street only, found in "
            f"{', '.join(elsewhere)} (BMeldDAV § 7 Abs. 3)",
        )
    texts = [(NAME_ELEMENTE[f], k.wert) for f, k in namen.items() if not k.phonetisch]
    if query.strasse:
        texts.append(("anschrift/strasse", query.strasse))
    for path, text in texts:
        words = text.split() if path == "vornamen" else [text]
        for word in words:
            try:
                muster(word, strasse=path == "anschrift/strasse")
            except InvalidQueryError:
                raise BusinessRejection(
                    Grund.SONSTIGER_FACHLICHER_FEHLER,
                    f"{path}: a placeholder may not be the first character nor stand alone "
                    f"({word!r}); give at least the first letter (BMeldDAV § 7 Abs. 3)",
                ) from None


def check_freie_suche(
    query: FreieSucheQuery,
    *,
    sicherheitsbehoerde: bool,
    bereich_bekannt: Callable[[Suchbereich], bool] | None = None,
) -> None:
    """Raise :class:`BusinessRejection` unless the search is admissible (order: module doc).

    ``sicherheitsbehoerde``: the requester is answered as a security authority (§ 34 Abs. 4
    Satz 1 BMG); ``bereich_bekannt``: whether the mirror holds the Suchbereich (e.g.
    :meth:`RegisterStore.known_area`).
    """
    bereich = query.suchbereich
    if not bereich.im_land or (bereich_bekannt is not None and not bereich_bekannt(bereich)):
        raise BusinessRejection(
            Grund.SUCHBEREICH_NICHT_ZUSTAENDIG,
            f"the Suchbereich {bereich.art.value} {bereich.schluessel} is not within Lower Saxony "
            "or not held by this mirror; give a municipality, district or the state (03) of "
            "Lower Saxony",
        )
    if not sicherheitsbehoerde:
        for value, code, element in (
            (query.waffenerlaubnis, Grund.WAFFENERLAUBNIS_NICHT_BERECHTIGT, "waffenrechtliche"),
            (query.waffenbesitzverbot, Grund.WAFFENBESITZVERBOT_NICHT_BERECHTIGT, "waffenbesitz"),
            (
                query.sprengstofferlaubnis,
                Grund.SPRENGSTOFFERLAUBNIS_NICHT_BERECHTIGT,
                "sprengstoffrechtliche",
            ),
        ):
            if value is not None:
                raise BusinessRejection(
                    code,
                    f"only security authorities may search by {element} data (§ 34 Abs. 4 "
                    "Satz 1 BMG); send the search without it",
                )
    _placeholder_rules(query)
    if query.geburtszeitraum is not None and not query.geburtszeitraum.gueltig:
        raise BusinessRejection(
            Grund.GEBURTSZEITRAUM_UNGUELTIG,
            "the end of the birth range (geburtszeitraum/bis) must lie after its start (von)",
        )
    for name, zeitraum in (
        ("einzugszeitraum", query.einzugszeitraum),
        ("auszugszeitraum", query.auszugszeitraum),
    ):
        if zeitraum is not None and not zeitraum.gueltig:
            raise BusinessRejection(
                Grund.SONSTIGER_FACHLICHER_FEHLER,
                f"the end of anschrift/{name} (bis) must lie after its start (von)",
            )
    if query.hausnummer_bis is not None:
        low, high = (query.hausnummer or "").strip(), query.hausnummer_bis.strip()
        if not (low.isdigit() and high.isdigit() and int(high) > int(low)):
            raise BusinessRejection(
                Grund.HAUSNUMMERNBEREICH_UNGUELTIG,
                "the end of the house number range (hausnummernbereich/bis) must be above its "
                "start (von)",
            )
    # A street that is empty once normalised ("--") is no street (BMeldDAV Anlage Nr. 4).
    if (
        query.anschrift_aktualitaet is not None
        and muster(query.strasse or "", strasse=True) is None
    ):
        raise BusinessRejection(
            Grund.AKTUALITAET_OHNE_STRASSE,
            "current or former addresses (anschrift/aktualitaet) can only be asked for together "
            "with a street (anschrift/strasse)",
        )
