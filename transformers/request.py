"""XÖV 1330 (Personensuche request) → typed request and :class:`RegisterQuery`.

Works only on the tree the signature verifier returned (never on the raw input).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.transformers.errors import UnsupportedMessage
from datenspiegel.transformers.header import Nachrichtenkopf, read_kopf
from datenspiegel.transformers.xmlutil import (
    qname,
    read_bool,
    read_code,
    read_partial_date,
    read_text,
)
from datenspiegel.xsd.codelists import Ruecksendung
from datenspiegel.xsd.loader import SCHEMA_VERSION

__all__ = [
    "PERSONENSUCHE_ROOT",
    "AnfragendeStelle",
    "PersonensucheRequest",
    "read_personensuche",
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


def _read_stelle(root: etree._Element) -> AnfragendeStelle:
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


def _read_query(auswahl: etree._Element) -> tuple[PersonensucheQuery, dict[str, str]]:
    vornamen_text = read_text(auswahl, "vornamen")
    geburtsdatum = read_partial_date(auswahl, "geburtsdatum")
    sterbedatum = read_partial_date(auswahl, "sterbedatum")
    query = PersonensucheQuery(
        ags=read_text(auswahl, "anschrift/gemeindeschluessel") or "",
        familienname=read_text(auswahl, "familienname"),
        frueherer_familienname=read_text(auswahl, "fruehererFamilienname"),
        vornamen=tuple(vornamen_text.split()) if vornamen_text else (),
        ordensname=read_text(auswahl, "ordensname"),
        kuenstlername=read_text(auswahl, "kuenstlername"),
        doktorgrad=read_text(auswahl, "doktorgrad"),
        postleitzahl=read_text(auswahl, "anschrift/postleitzahl"),
        strasse=read_text(auswahl, "anschrift/strasse"),
        hausnummer=read_text(auswahl, "anschrift/hausnummer"),
        hausnummer_buchstabe=read_text(auswahl, "anschrift/hausnummerBuchstabe"),
        teilnummer=read_text(auswahl, "anschrift/teilnummer"),
        geburtsdatum=geburtsdatum,
        geburtsort=read_text(auswahl, "geburtsort"),
        geburtsstaat=read_text(auswahl, "geburtsstaat"),
        geschlecht=read_code(auswahl, "geschlecht"),
        sterbedatum=sterbedatum,
        sterbeort=read_text(auswahl, "sterbeort"),
        sterbestaat=read_text(auswahl, "sterbestaat"),
        azr_nummer=read_text(auswahl, "azrNummer"),
        phonetisch=read_bool(auswahl, "phonetischeSuche"),
    )
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
        anfragende_stelle=_read_stelle(root),
        verzicht_auf_mitteilung=read_bool(root, "verzichtAufMitteilung"),
        anforderungselemente=elemente,
        query=query,
        identifikationsmerkmal=read_text(root, "identifikationsmerkmal"),
        search_data=search_data,
    )
