"""What a Personensuche asks of the register (built by the transformers, answered by the store).

:class:`PersonensucheQuery` holds the search data *as the requester sent it* (raw, not
normalised): the protocol records it that way, and normalisation is the register's business
(:func:`normalisierte_suche`). Whether the minimum search data of § 38 Abs. 1 BMG are present
is the broker's check; the register refuses what it cannot or must not run
(:class:`~datenspiegel.register.errors.InvalidQueryError`): a query without AGS or name (no
index to start on), and search data the Personensuche does not admit
(:class:`~datenspiegel.register.errors.InadmissibleSearchDataError`) — placeholders (BMeldDAV
§ 4 Abs. 7) and fields that are no criterion of § 38 Abs. 1 BMG / BMeldDAV § 4 Abs. 1. Both are
found by :func:`platzhalter_felder` and :func:`unzulaessige_kriterien`, which the broker's
check uses too, so the two can never disagree.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from datenspiegel.register.errors import InadmissibleSearchDataError, InvalidQueryError
from datenspiegel.register.keys import date_key
from datenspiegel.register.model import TeilbekanntesDatum
from datenspiegel.register.normalize import (
    has_placeholder,
    normalize,
    normalize_code,
    normalize_strasse,
    normalize_vornamen,
)
from datenspiegel.register.phonetics import koelner_phonetik
from datenspiegel.xsd.codelists import Grund

__all__ = [
    "NICHT_KRITERIEN",
    "NormalisierteSuche",
    "PersonensucheQuery",
    "normalisierte_suche",
    "platzhalter_felder",
    "unzulaessige_kriterien",
]

_AGS = re.compile(r"\d{8}")


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonensucheQuery:
    """Search data of a Personensuche (1330), raw as sent.

    The fields are the search criteria of § 38 Abs. 1 BMG and BMeldDAV § 4 Abs. 1 (names
    0101a–0303, 0501, 0502; address 1201–1209; 0601–0603, 0701, 1901, 1904, 1905; the AZR
    number 1712 as an additional criterion) — plus :data:`NICHT_KRITERIEN`, fields a requester
    can send but the Personensuche does not admit: they are carried so that they can be
    refused (and protocolled as sent), never used.
    """

    ags: str
    familienname: str | None = None
    frueherer_familienname: str | None = None
    vornamen: tuple[str, ...] = ()
    ordensname: str | None = None
    kuenstlername: str | None = None
    #: not a criterion of the Personensuche (only of the freie Suche, BMeldDAV § 7 Abs. 1 Nr. 4)
    doktorgrad: str | None = None
    postleitzahl: str | None = None
    strasse: str | None = None
    hausnummer: str | None = None
    hausnummer_buchstabe: str | None = None
    teilnummer: str | None = None
    geburtsdatum: TeilbekanntesDatum | None = None
    geburtsort: str | None = None
    geburtsstaat: str | None = None
    geschlecht: str | None = None
    sterbedatum: TeilbekanntesDatum | None = None
    sterbeort: str | None = None
    sterbestaat: str | None = None
    azr_nummer: str | None = None
    #: match names exclusively by Kölner Phonetik
    phonetisch: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.vornamen, tuple):
            if isinstance(self.vornamen, str):
                object.__setattr__(self, "vornamen", (self.vornamen,))
            else:
                object.__setattr__(self, "vornamen", tuple(self.vornamen))


@dataclass(frozen=True, slots=True)
class NormalisierteSuche:
    """A query reduced to the keys the register compares (all normalised; None = absent).

    With ``phonetisch`` the name keys (``familiennamen``, ``ordensname``, ``kuenstlername``,
    ``vornamen``) hold Kölner Phonetik codes instead of normalised names.
    """

    ags: str
    phonetisch: bool
    #: surname and former surname: each must equal some surname variant of the person
    familiennamen: tuple[str, ...]
    ordensname: str | None
    kuenstlername: str | None
    vornamen: tuple[str, ...]
    postleitzahl: str | None
    strasse: str | None
    hausnummer: str | None
    hausnummer_buchstabe: str | None
    teilnummer: str | None
    geburtsdatum: str | None
    geburtsort: str | None
    geburtsstaat: str | None
    geschlecht: str | None
    sterbedatum: str | None
    sterbeort: str | None
    sterbestaat: str | None
    azr_nummer: str | None

    @property
    def hat_anschrift(self) -> bool:
        return any(
            value is not None
            for value in (
                self.postleitzahl,
                self.strasse,
                self.hausnummer,
                self.hausnummer_buchstabe,
                self.teilnummer,
            )
        )

    @property
    def hat_namen(self) -> bool:
        return (
            bool(self.familiennamen)
            or self.ordensname is not None
            or (self.kuenstlername is not None)
        )


def _name_key(value: str | None, phonetisch: bool) -> str | None:
    return koelner_phonetik(value) if phonetisch else normalize(value)


#: Fields of :class:`PersonensucheQuery` that are no search criterion of a Personensuche
#: (§ 38 Abs. 1 BMG, BMeldDAV § 4 Abs. 1 lists them exhaustively; the Doktorgrad 0401 is a
#: criterion of the freie Suche only, § 7 Abs. 1 Nr. 4).
NICHT_KRITERIEN = ("doktorgrad",)


def _given(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, tuple):
        return any(_given(v) for v in value)
    return value is not None


def unzulaessige_kriterien(query: PersonensucheQuery) -> tuple[str, ...]:
    """Fields of ``query`` that were sent although they are no criterion of a Personensuche
    (:data:`NICHT_KRITERIEN`; § 38 Abs. 1 BMG, BMeldDAV § 4 Abs. 1)."""
    return tuple(name for name in NICHT_KRITERIEN if _given(getattr(query, name)))


def platzhalter_felder(query: PersonensucheQuery) -> tuple[str, ...]:
    """Fields of ``query`` whose raw text holds a placeholder ``*`` or ``?``.

    A Personensuche admits none (BMeldDAV § 4 Abs. 7): they are refused, never stripped or
    split — normalisation would remove them and silently widen the search.
    """
    found = []
    for field in dataclasses.fields(query):
        value = getattr(query, field.name)
        values = value if isinstance(value, tuple) else (value,)
        if any(isinstance(v, str) and has_placeholder(v) for v in values):
            found.append(field.name)
    return tuple(found)


def _refuse_inadmissible(query: PersonensucheQuery) -> None:
    placeholders = platzhalter_felder(query)
    if placeholders:
        raise InadmissibleSearchDataError(
            f"placeholders (* or ?) are not allowed in a Personensuche (BMeldDAV § 4 Abs. 7); "
            f"found in: {', '.join(placeholders)}",
            fields=placeholders,
            code=Grund.PLATZHALTER_BEI_PHONETIK if query.phonetisch else None,
        )
    extra = unzulaessige_kriterien(query)
    if extra:
        raise InadmissibleSearchDataError(
            f"{', '.join(extra)} is no search criterion of a Personensuche (§ 38 Abs. 1 BMG, "
            "BMeldDAV § 4 Abs. 1)",
            fields=extra,
        )


def normalisierte_suche(query: PersonensucheQuery) -> NormalisierteSuche:
    """Normalise ``query`` for matching (BMeldDAV Anlage Nr. 4); raises InvalidQueryError if it
    cannot or must not be run.

    The register needs the municipality (exactly one 8-digit AGS) and at least one name
    (surname, former surname, Ordensname or Künstlername) to search on an index; it refuses
    placeholders (BMeldDAV § 4 Abs. 7) and non-criteria such as the Doktorgrad (§ 38 Abs. 1
    BMG) with :class:`~datenspiegel.register.errors.InadmissibleSearchDataError`. An unknown
    date (all zeros) is a criterion: it matches only an unknown date (Anlage Nr. 4).
    """
    _refuse_inadmissible(query)
    ags = (query.ags or "").strip()
    if not _AGS.fullmatch(ags):
        raise InvalidQueryError(
            f"a Personensuche needs exactly one 8-digit Gemeindeschlüssel, got {query.ags!r}"
        )
    phon = query.phonetisch
    familiennamen: dict[str, None] = {}
    for raw in (query.familienname, query.frueherer_familienname):
        key = _name_key(raw, phon)
        if key is not None:
            familiennamen.setdefault(key, None)
    vornamen = normalize_vornamen(query.vornamen)
    if phon:
        vornamen = tuple(
            dict.fromkeys(code for code in map(koelner_phonetik, vornamen) if code is not None)
        )
    suche = NormalisierteSuche(
        ags=ags,
        phonetisch=phon,
        familiennamen=tuple(familiennamen),
        ordensname=_name_key(query.ordensname, phon),
        kuenstlername=_name_key(query.kuenstlername, phon),
        vornamen=vornamen,
        postleitzahl=normalize(query.postleitzahl),
        strasse=normalize_strasse(query.strasse),
        hausnummer=normalize(query.hausnummer),
        hausnummer_buchstabe=normalize(query.hausnummer_buchstabe),
        teilnummer=normalize(query.teilnummer),
        geburtsdatum=date_key(query.geburtsdatum),
        geburtsort=normalize(query.geburtsort),
        geburtsstaat=normalize_code(query.geburtsstaat),
        geschlecht=normalize_code(query.geschlecht),
        sterbedatum=date_key(query.sterbedatum),
        sterbeort=normalize(query.sterbeort),
        sterbestaat=normalize_code(query.sterbestaat),
        azr_nummer=normalize(query.azr_nummer),
    )
    if not suche.hat_namen:
        raise InvalidQueryError(
            "a Personensuche needs a surname, former surname, Ordensname or Künstlername "
            "(after normalisation nothing was left)"
        )
    return suche
