"""XÖV 1330 (Personensuche request) → typed request and :class:`RegisterQuery`.

Works only on the tree the signature verifier returned (never on the raw input).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from datenspiegel.register.normalize import split_vornamen
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.transformers.errors import UnsupportedMessage
from datenspiegel.transformers.header import Behoerde, Nachrichtenkopf, message_root, read_kopf
from datenspiegel.transformers.xmlutil import (
    qname,
    read_bool,
    read_code,
    read_partial_date,
    read_text,
    sub,
)
from datenspiegel.xsd.codelists import Nachrichtentyp, Ruecksendung
from datenspiegel.xsd.loader import SCHEMA_VERSION

__all__ = [
    "AUSWAHLDATEN_ELEMENTE",
    "PERSONENSUCHE_ROOT",
    "AnfragendeStelle",
    "PersonensucheRequest",
    "read_personensuche",
    "read_stelle",
    "request_root",
    "write_stelle",
]

PERSONENSUCHE_ROOT = qname("datenabruf.personensuche.suchanfrage.1330")
SUPPORTED_VERSIONS = frozenset({SCHEMA_VERSION})


@dataclass(frozen=True, slots=True)
class AnfragendeStelle:
    """BMeldDAV § 11: the requesting body as the message states it."""

    behoerdenname: str
    strasse: str
    hausnummer: str | None
    postleitzahl: str
    ort: str
    telefon: str
    email: str
    aktenzeichen: str
    anlass: str
    kennung_anfragende_person: str | None
    verfahrensname: str | None
    sicherheitsbehoerde: bool

    def as_protocol(self) -> dict[str, str]:
        """The block as recorded in the protocol (§ 40 Abs. 1 Nr. 1)."""
        values = {
            "behoerdenname": self.behoerdenname,
            "strasse": self.strasse,
            "hausnummer": self.hausnummer,
            "postleitzahl": self.postleitzahl,
            "ort": self.ort,
            "telefon": self.telefon,
            "email": self.email,
            "kennungAnfragendePerson": self.kennung_anfragende_person,
            "verfahrensname": self.verfahrensname,
        }
        return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True, slots=True)
class PersonensucheRequest:
    version: str
    kopf: Nachrichtenkopf
    anfragende_stelle: AnfragendeStelle
    verzicht_auf_mitteilung: bool
    anforderungselemente: frozenset[int]
    query: PersonensucheQuery | None
    identifikationsmerkmal: str | None
    search_data: dict[str, str] = field(default_factory=dict)


def read_stelle(root: etree._Element) -> AnfragendeStelle:
    """The BMeldDAV § 11 block (``anfragendeStelle``) of a request, as the message states it."""
    stelle = root.find("anfragendeStelle")
    if stelle is None:
        raise UnsupportedMessage(Ruecksendung.X001, "anfragendeStelle is missing")
    return AnfragendeStelle(
        behoerdenname=read_text(stelle, "behoerdenname") or "",
        strasse=read_text(stelle, "anschrift/strasse") or "",
        hausnummer=read_text(stelle, "anschrift/hausnummer"),
        postleitzahl=read_text(stelle, "anschrift/postleitzahl") or "",
        ort=read_text(stelle, "anschrift/ort") or "",
        telefon=read_text(stelle, "telefon") or "",
        email=read_text(stelle, "email") or "",
        aktenzeichen=read_text(stelle, "aktenzeichen") or "",
        anlass=read_text(stelle, "anlass") or "",
        kennung_anfragende_person=read_text(stelle, "kennungAnfragendePerson"),
        verfahrensname=read_text(stelle, "verfahrensname"),
        sicherheitsbehoerde=read_bool(stelle, "sicherheitsbehoerde"),
    )


def request_root(
    tag: str,
    *,
    nachrichtentyp: Nachrichtentyp,
    leser: Behoerde,
    autor: Behoerde,
    stelle: AnfragendeStelle,
    erstellt: datetime,
    nachrichten_uuid: str | None = None,
) -> etree._Element:
    """A new request ``tag``: header, then the requesting body (BMeldDAV § 11)."""
    root, _ = message_root(
        tag,
        nachrichtentyp=nachrichtentyp,
        erstellt=erstellt,
        leser=leser,
        autor=autor,
        nachrichten_uuid=nachrichten_uuid,
    )
    write_stelle(root, "anfragendeStelle", stelle)
    return root


def write_stelle(parent: etree._Element, name: str, stelle: AnfragendeStelle) -> None:
    """Append the BMeldDAV § 11 block as the schema type ``AnfragendeStelle``: the requesting
    person's Kennung or, for an automated procedure, its name (the schema's choice)."""
    element = sub(parent, name)
    sub(element, "behoerdenname", stelle.behoerdenname)
    anschrift = sub(element, "anschrift")
    sub(anschrift, "strasse", stelle.strasse)
    if stelle.hausnummer:
        sub(anschrift, "hausnummer", stelle.hausnummer)
    sub(anschrift, "postleitzahl", stelle.postleitzahl)
    sub(anschrift, "ort", stelle.ort)
    sub(element, "telefon", stelle.telefon)
    sub(element, "email", stelle.email)
    sub(element, "aktenzeichen", stelle.aktenzeichen)
    sub(element, "anlass", stelle.anlass)
    if stelle.verfahrensname:
        sub(element, "verfahrensname", stelle.verfahrensname)
    else:
        sub(element, "kennungAnfragendePerson", stelle.kennung_anfragende_person or "")
    sub(element, "sicherheitsbehoerde", "true" if stelle.sicherheitsbehoerde else "false")


#: Field of :class:`PersonensucheQuery` → its element in ``auswahldaten`` (XÖV 1330). Every
#: element the schema allows there is read into the query — also those that are no criterion
#: of a Personensuche (``doktorgrad``): the broker refuses them (reason 17) instead of the
#: reader dropping them silently.
AUSWAHLDATEN_ELEMENTE: dict[str, str] = {
    "ags": "anschrift/gemeindeschluessel",
    "familienname": "familienname",
    "frueherer_familienname": "fruehererFamilienname",
    "vornamen": "vornamen",
    "ordensname": "ordensname",
    "kuenstlername": "kuenstlername",
    "doktorgrad": "doktorgrad",
    "postleitzahl": "anschrift/postleitzahl",
    "strasse": "anschrift/strasse",
    "hausnummer": "anschrift/hausnummer",
    "hausnummer_buchstabe": "anschrift/hausnummerBuchstabe",
    "teilnummer": "anschrift/teilnummer",
    "geburtsdatum": "geburtsdatum",
    "geburtsort": "geburtsort",
    "geburtsstaat": "geburtsstaat",
    "geschlecht": "geschlecht",
    "sterbedatum": "sterbedatum",
    "sterbeort": "sterbeort",
    "sterbestaat": "sterbestaat",
    "azr_nummer": "azrNummer",
    "phonetisch": "phonetischeSuche",
}
_DATES = frozenset({"geburtsdatum", "sterbedatum"})
_CODES = frozenset({"geschlecht"})


def _read_query(auswahl: etree._Element) -> tuple[PersonensucheQuery, dict[str, str]]:
    values: dict[str, Any] = {}
    for name, path in AUSWAHLDATEN_ELEMENTE.items():
        if name in _DATES:
            values[name] = read_partial_date(auswahl, path)
        elif name in _CODES:
            values[name] = read_code(auswahl, path)
        elif name == "phonetisch":
            values[name] = read_bool(auswahl, path)
        elif name == "vornamen":
            # Several first names in one element: split at blanks, never at hyphens, before
            # anything is normalised (BMeldDAV Anlage Nr. 4: "Karl-Heinz" is one name). The
            # parts are kept raw, placeholders included, so that they can be refused.
            text = read_text(auswahl, path)
            values[name] = split_vornamen(text)
        else:
            values[name] = read_text(auswahl, path)
    values["ags"] = values["ags"] or ""
    query = PersonensucheQuery(**values)
    # The search data as sent, for the protocol (§ 40: the search data used).
    search_data: dict[str, str] = {}
    for element in auswahl.iter():
        if len(element) == 0 and element.text and element.text.strip():
            path = auswahl.getroottree().getpath(element).split("auswahldaten/", 1)[-1]
            search_data[path] = element.text.strip()
    return query, search_data


def read_personensuche(root: etree._Element) -> PersonensucheRequest:
    """Read a verified, schema-valid 1330."""
    if root.tag != PERSONENSUCHE_ROOT:
        raise UnsupportedMessage(
            Ruecksendung.X001,
            f"expected a datenabruf.personensuche.suchanfrage.1330, got {root.tag}",
        )
    version = root.get("version", "")
    if version not in SUPPORTED_VERSIONS:
        raise UnsupportedMessage(
            Ruecksendung.V000,
            f"message version {version!r} is not supported; this service speaks "
            f"{', '.join(sorted(SUPPORTED_VERSIONS))}",
        )
    elemente = frozenset(
        int(code.text) for code in root.iterfind("anforderungselement/code") if code.text
    )
    auswahl = root.find("auswahldaten")
    query, search_data = _read_query(auswahl) if auswahl is not None else (None, {})
    return PersonensucheRequest(
        version=version,
        kopf=read_kopf(root),
        anfragende_stelle=read_stelle(root),
        verzicht_auf_mitteilung=read_bool(root, "verzichtAufMitteilung"),
        anforderungselemente=elemente,
        query=query,
        identifikationsmerkmal=read_text(root, "identifikationsmerkmal"),
        search_data=search_data,
    )
