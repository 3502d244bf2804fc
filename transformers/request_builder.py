"""Build 1330 requests: for the ``client`` command, the tests, benchmarks and vendors' tools."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from lxml import etree

from datenspiegel.register.freie_suche import (
    FreieSucheQuery,
    NameKriterium,
    SuchbereichArt,
    Zeitraum,
)
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.transformers.freie_suche_request import FREIE_SUCHE_ROOT
from datenspiegel.transformers.header import Behoerde, write_kopf
from datenspiegel.transformers.request import PERSONENSUCHE_ROOT, AnfragendeStelle, write_stelle
from datenspiegel.transformers.xmlutil import code_element, sub, write_partial_date
from datenspiegel.xsd import codelists
from datenspiegel.xsd.codelists import Nachrichtentyp
from datenspiegel.xsd.loader import NAMESPACE, SCHEMA_VERSION

__all__ = ["build_freie_suche", "build_personensuche"]


def _auswahldaten(root: etree._Element, query: PersonensucheQuery) -> None:
    auswahl = sub(root, "auswahldaten")
    if query.phonetisch:
        sub(auswahl, "phonetischeSuche", "true")
    for tag, value in (
        ("familienname", query.familienname),
        ("fruehererFamilienname", query.frueherer_familienname),
        ("vornamen", " ".join(query.vornamen) or None),
        ("ordensname", query.ordensname),
        ("kuenstlername", query.kuenstlername),
        ("doktorgrad", query.doktorgrad),
    ):
        if value:
            sub(auswahl, tag, value)
    write_partial_date(auswahl, "geburtsdatum", query.geburtsdatum)
    if query.geburtsort:
        sub(auswahl, "geburtsort", query.geburtsort)
    if query.geburtsstaat:
        sub(auswahl, "geburtsstaat", query.geburtsstaat)
    if query.geschlecht:
        code_element(
            auswahl,
            "geschlecht",
            query.geschlecht,
            list_uri=codelists.GESCHLECHT.uri,
            version=codelists.GESCHLECHT.version,
        )
    anschrift = sub(auswahl, "anschrift")
    sub(anschrift, "gemeindeschluessel", query.ags)
    for tag, value in (
        ("postleitzahl", query.postleitzahl),
        ("strasse", query.strasse),
        ("hausnummer", query.hausnummer),
        ("hausnummerBuchstabe", query.hausnummer_buchstabe),
        ("teilnummer", query.teilnummer),
    ):
        if value:
            sub(anschrift, tag, value)
    write_partial_date(auswahl, "sterbedatum", query.sterbedatum)
    if query.sterbeort:
        sub(auswahl, "sterbeort", query.sterbeort)
    if query.sterbestaat:
        sub(auswahl, "sterbestaat", query.sterbestaat)
    if query.azr_nummer:
        sub(auswahl, "azrNummer", query.azr_nummer)


def build_personensuche(
    *,
    leser: Behoerde,
    autor: Behoerde,
    stelle: AnfragendeStelle,
    elemente: Iterable[int],
    query: PersonensucheQuery | None = None,
    identifikationsmerkmal: str | None = None,
    verzicht_auf_mitteilung: bool = False,
    erstellt: datetime,
    nachrichten_uuid: str | None = None,
    version: str = SCHEMA_VERSION,
) -> etree._Element:
    """An unsigned 1330; exactly one of ``query`` and ``identifikationsmerkmal``."""
    if (query is None) == (identifikationsmerkmal is None):
        raise ValueError("give either search data (query) or an identifikationsmerkmal")
    root = etree.Element(PERSONENSUCHE_ROOT, nsmap={"dsa": NAMESPACE})
    root.set("version", version)
    root.set("produkt", "datenspiegel client")
    write_kopf(
        root,
        nachrichtentyp=Nachrichtentyp.PERSONENSUCHE_ANFRAGE,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
        nachrichten_uuid=nachrichten_uuid,
    )
    write_stelle(root, "anfragendeStelle", stelle)
    if verzicht_auf_mitteilung:
        sub(root, "verzichtAufMitteilung", "true")
    for code in sorted(set(elemente)):
        code_element(
            root,
            "anforderungselement",
            str(code),
            list_uri=codelists.PERSONENSUCHE_ANFORDERUNGSELEMENT.uri,
            version=codelists.PERSONENSUCHE_ANFORDERUNGSELEMENT.version,
        )
    if query is not None:
        _auswahldaten(root, query)
    else:
        sub(root, "identifikationsmerkmal", identifikationsmerkmal)
    return root


_BEREICH_TAGS = {
    SuchbereichArt.GEMEINDE: "gemeindeschluessel",
    SuchbereichArt.KREIS: "kreisschluessel",
    SuchbereichArt.LAND: "land",
}


def _name_field(parent: etree._Element, tag: str, kriterium: NameKriterium | None) -> None:
    if kriterium is not None:
        element = sub(parent, tag, kriterium.wert)
        if kriterium.phonetisch:
            element.set("phonetisch", "true")


def _grenzen(parent: etree._Element, tag: str, zeitraum: Zeitraum | None) -> None:
    if zeitraum is None:
        return
    element = sub(parent, tag)
    write_partial_date(element, "von", zeitraum.von)
    write_partial_date(element, "bis", zeitraum.bis)


def _aktualitaet(parent: etree._Element, tag: str, value: str | None) -> None:
    if value is not None:
        info = codelists.FREIESUCHE_AKTUALITAET
        code_element(parent, tag, str(value), list_uri=info.uri, version=info.version)


def _freie_auswahldaten(
    root: etree._Element, query: FreieSucheQuery, gemeindename: str | None
) -> None:
    auswahl = sub(root, "auswahldaten")
    bereich = sub(auswahl, "suchbereich")
    if gemeindename is not None:
        sub(bereich, "gemeindename", gemeindename)
    else:
        sub(bereich, _BEREICH_TAGS[query.suchbereich.art], query.suchbereich.schluessel)
    _aktualitaet(auswahl, "aktualitaetPerson", query.person_aktualitaet)
    for tag, field in (
        ("familienname", "familienname"),
        ("geburtsname", "geburtsname"),
        ("fruehererFamilienname", "frueherer_familienname"),
        ("vornamen", "vornamen"),
        ("ordensname", "ordensname"),
        ("kuenstlername", "kuenstlername"),
    ):
        _name_field(auswahl, tag, getattr(query, field))
    if query.doktorgrad:
        sub(auswahl, "doktorgrad", query.doktorgrad)
    write_partial_date(auswahl, "geburtsdatum", query.geburtsdatum)
    _grenzen(auswahl, "geburtszeitraum", query.geburtszeitraum)
    for tag, value in (
        ("geburtsort", query.geburtsort),
        ("geburtsstaat", query.geburtsstaat),
    ):
        if value:
            sub(auswahl, tag, value)
    if query.geschlecht:
        info = codelists.GESCHLECHT
        code_element(
            auswahl, "geschlecht", query.geschlecht, list_uri=info.uri, version=info.version
        )
    if query.staatsangehoerigkeit:
        sub(auswahl, "staatsangehoerigkeit", query.staatsangehoerigkeit)
    address = (
        query.anschrift_aktualitaet,
        query.postleitzahl,
        query.strasse,
        query.hausnummer,
        query.hausnummer_buchstabe,
        query.teilnummer,
        query.wohnungsstatus,
        query.einzugszeitraum,
        query.auszugszeitraum,
    )
    if any(value is not None for value in address):
        anschrift = sub(auswahl, "anschrift")
        _aktualitaet(anschrift, "aktualitaet", query.anschrift_aktualitaet)
        for tag, value in (("postleitzahl", query.postleitzahl), ("strasse", query.strasse)):
            if value:
                sub(anschrift, tag, value)
        if query.hausnummer_bis is not None:
            bereich = sub(anschrift, "hausnummernbereich")
            sub(bereich, "von", query.hausnummer or "")
            sub(bereich, "bis", query.hausnummer_bis)
        elif query.hausnummer:
            sub(anschrift, "hausnummer", query.hausnummer)
        for tag, value in (
            ("hausnummerBuchstabe", query.hausnummer_buchstabe),
            ("teilnummer", query.teilnummer),
        ):
            if value:
                sub(anschrift, tag, value)
        if query.wohnungsstatus:
            info = codelists.WOHNUNGSSTATUS
            code_element(
                anschrift,
                "wohnungsstatus",
                query.wohnungsstatus,
                list_uri=info.uri,
                version=info.version,
            )
        _grenzen(anschrift, "einzugszeitraum", query.einzugszeitraum)
        _grenzen(anschrift, "auszugszeitraum", query.auszugszeitraum)
    if query.familienstand:
        sub(auswahl, "familienstand", query.familienstand)
    write_partial_date(auswahl, "sterbedatum", query.sterbedatum)
    if query.sterbeort:
        sub(auswahl, "sterbeort", query.sterbeort)
    for tag, flag in (
        ("waffenrechtlicheErlaubnis", query.waffenerlaubnis),
        ("waffenbesitzverbot", query.waffenbesitzverbot),
        ("sprengstoffrechtlicheErlaubnis", query.sprengstofferlaubnis),
    ):
        if flag is not None:
            sub(auswahl, tag, "true" if flag else "false")


def build_freie_suche(
    *,
    leser: Behoerde,
    autor: Behoerde,
    stelle: AnfragendeStelle,
    elemente: Iterable[int],
    query: FreieSucheQuery,
    gemeindename: str | None = None,
    erstellt: datetime,
    nachrichten_uuid: str | None = None,
    version: str = SCHEMA_VERSION,
) -> etree._Element:
    """An unsigned 1332 (freie Suche). ``gemeindename`` sends the Suchbereich as a
    municipality's name instead of ``query.suchbereich``."""
    root = etree.Element(FREIE_SUCHE_ROOT, nsmap={"dsa": NAMESPACE})
    root.set("version", version)
    root.set("produkt", "datenspiegel client")
    write_kopf(
        root,
        nachrichtentyp=Nachrichtentyp.FREIE_SUCHE_ANFRAGE,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
        nachrichten_uuid=nachrichten_uuid,
    )
    write_stelle(root, "anfragendeStelle", stelle)
    for code in sorted(set(elemente)):
        info = codelists.FREIESUCHE_ANFORDERUNGSELEMENT
        code_element(
            root, "anforderungselement", str(code), list_uri=info.uri, version=info.version
        )
    _freie_auswahldaten(root, query, gemeindename)
    return root
