"""What a Personensuche asks of the register (built by the transformers, answered by the store).

:class:`PersonensucheQuery` holds the search data *as the requester sent it* (raw, not
normalised): the protocol records it that way, and normalisation is the register's business
(:func:`normalisierte_suche`). The query does not judge the law — whether the minimum search
data of § 38 Abs. 1 BMG are present is the broker's check; the store only refuses a query it
cannot run on an index (:class:`~datenspiegel.register.errors.InvalidQueryError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datenspiegel.register.errors import InvalidQueryError
from datenspiegel.register.model import TeilbekanntesDatum
from datenspiegel.register.normalize import (
    normalize,
    normalize_code,
    normalize_strasse,
    normalize_vornamen,
)
from datenspiegel.register.phonetics import koelner_phonetik

__all__ = ["NormalisierteSuche", "PersonensucheQuery", "normalisierte_suche"]

_AGS = re.compile(r"\d{8}")


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonensucheQuery:
    """Search data of a Personensuche (1330), raw as sent."""

    ags: str
    familienname: str | None = None
    frueherer_familienname: str | None = None
    vornamen: tuple[str, ...] = ()
    ordensname: str | None = None
    kuenstlername: str | None = None
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
    doktorgrad: str | None
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


def _date_key(value: TeilbekanntesDatum | None) -> str | None:
    # An unknown date in a request is no criterion ("a field empty after normalisation is
    # absent"); a partially known one matches only its equal, so compare the text form.
    if value is None or value.unbekannt:
        return None
    return str(value)


def normalisierte_suche(query: PersonensucheQuery) -> NormalisierteSuche:
    """Normalise ``query`` for matching; raises InvalidQueryError if it cannot be run.

    The register needs the municipality (exactly one 8-digit AGS) and at least one name
    (surname, former surname, Ordensname or Künstlername) to search on an index.
    """
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
        doktorgrad=normalize(query.doktorgrad),
        postleitzahl=normalize(query.postleitzahl),
        strasse=normalize_strasse(query.strasse),
        hausnummer=normalize(query.hausnummer),
        hausnummer_buchstabe=normalize(query.hausnummer_buchstabe),
        teilnummer=normalize(query.teilnummer),
        geburtsdatum=_date_key(query.geburtsdatum),
        geburtsort=normalize(query.geburtsort),
        geburtsstaat=normalize_code(query.geburtsstaat),
        geschlecht=normalize_code(query.geschlecht),
        sterbedatum=_date_key(query.sterbedatum),
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
