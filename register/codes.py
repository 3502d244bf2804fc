"""Code values the person record uses (XMeld / DSMeld code lists, see codelists.txt).

The record keeps plain ``str`` fields (values as delivered by the municipalities); these
enums name the valid values. ``StrEnum`` members are strings, so either form may be stored.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "SPERRENDE_AUSKUNFTSSPERREN",
    "AngehoerigenArt",
    "AuskunftssperreCode",
    "AusweisArt",
    "Familienstand",
    "Geschlecht",
    "NameKind",
    "Wohnungsstatus",
]


class Geschlecht(StrEnum):
    """XMeld Geschlecht."""

    MAENNLICH = "m"
    WEIBLICH = "w"
    DIVERS = "d"
    OHNE_ANGABE = "x"


class Familienstand(StrEnum):
    """XMeld Familienstand."""

    LEDIG = "LD"
    VERHEIRATET = "VH"
    VERWITWET = "VW"
    GESCHIEDEN = "GS"
    EHE_AUFGEHOBEN = "EA"
    LEBENSPARTNERSCHAFT = "LP"
    LEBENSPARTNERSCHAFT_AUFGEHOBEN = "LA"
    LEBENSPARTNER_VERSTORBEN = "LE"
    LEBENSPARTNER_FUER_TOT_ERKLAERT = "LV"
    NICHT_BEKANNT = "NB"


class Wohnungsstatus(StrEnum):
    """Code.Wohnungsstatus (DSMeld 1213)."""

    ALLEINIGE_WOHNUNG = "0"
    HAUPTWOHNUNG = "1"
    NEBENWOHNUNG = "2"


class AuskunftssperreCode(StrEnum):
    """Code.Auskunftssperre, version 7."""

    ADOPTIONSPFLEGE = "1"
    RELIGIONSGESELLSCHAFTEN = "2"
    GEFAHR_AUF_ANTRAG = "3"
    JUBILAEEN = "5"
    ADOPTION = "6"
    PARTEIEN = "7"
    BUNDESWEHR = "10"
    GEFAHR_SICHERHEITSBEHOERDE = "11"
    TRANSSEXUELLENGESETZ = "12"
    ADRESSBUCHVERLAGE = "13"


#: § 51 blocks; the other codes are objections to other kinds of transfer (DOMAIN.md § 5).
SPERRENDE_AUSKUNFTSSPERREN = frozenset(
    {
        AuskunftssperreCode.ADOPTIONSPFLEGE,
        AuskunftssperreCode.GEFAHR_AUF_ANTRAG,
        AuskunftssperreCode.ADOPTION,
        AuskunftssperreCode.GEFAHR_SICHERHEITSBEHOERDE,
        AuskunftssperreCode.TRANSSEXUELLENGESETZ,
    }
)


class AngehoerigenArt(StrEnum):
    GESETZLICHER_VERTRETER = "gesetzlicherVertreter"
    EHEGATTE = "ehegatte"
    LEBENSPARTNER = "lebenspartner"
    KIND = "kind"


class AusweisArt(StrEnum):
    PERSONALAUSWEIS = "PA"
    REISEPASS = "RP"


class NameKind(StrEnum):
    """The surname variants a Personensuche matches against (BMeldDAV Anlage Nr. 4)."""

    FAMILIENNAME = "familienname"
    EHENAME = "ehename"
    LEBENSPARTNERSCHAFTSNAME = "lebenspartnerschaftsname"
    GEBURTSNAME = "geburtsname"
    FRUEHERER_FAMILIENNAME = "frueherer_familienname"
    ORDENSNAME = "ordensname"
    KUENSTLERNAME = "kuenstlername"
