"""What a freie Suche asks of the register (§ 34a Abs. 3 BMG, BMeldDAV § 7), and its keys.

:class:`FreieSucheQuery` holds the search data as the requester sent them (raw: the protocol
records them that way); :func:`normalisierte_freie_suche` reduces them to the keys the register
compares, by the same normalisation as the Personensuche (BMeldDAV Anlage Nr. 4) — with the
freie Suche's own rules:

- every name field is matched against *its* register field (``familienname`` against the
  current surnames 0101a/0103a/0105a, ``geburtsname`` against 0201a, ``fruehererFamilienname``
  against 0203a, ``vornamen`` against the first names incl. former ones, ``ordensname`` /
  ``kuenstlername`` against 0501/0502), each exactly or, per field, phonetically;
- placeholders ``?`` (one character) and ``*`` (any number) on name fields and the street: not
  the first character, not alone (they would need a full scan and say nothing); they match the
  *normalised* form, so ``?`` stands for one base letter (``Müller`` is ``MUELLER``);
- ranges (birth, move-in, move-out) compare the day a partially known date begins (00 parts
  count as the 1st / 1 January, :func:`~datenspiegel.register.keys.beginn_key`); an unknown
  date never matches a range.

Whether the search data are admissible (which rejection code) is the transformers' check
(:mod:`datenspiegel.transformers.freie_suche_request`); the register refuses only what it
cannot run (:class:`~datenspiegel.register.errors.InvalidQueryError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from datenspiegel.register.errors import InvalidQueryError
from datenspiegel.register.keys import beginn_key, date_key
from datenspiegel.register.model import TeilbekanntesDatum
from datenspiegel.register.normalize import (
    PLATZHALTER,
    normalize,
    normalize_code,
    normalize_strasse,
    split_vornamen,
)
from datenspiegel.register.phonetics import koelner_phonetik
from datenspiegel.xsd.codelists import Grund

__all__ = [
    "LAND",
    "Aktualitaet",
    "FreieSucheQuery",
    "Muster",
    "NameKriterium",
    "NormalisierteFreieSuche",
    "Suchbereich",
    "SuchbereichArt",
    "Zeitraum",
    "muster",
    "normalisierte_freie_suche",
]

#: The state this mirror answers for (Lower Saxony).
LAND = "03"
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SONSTIGE = Grund.SONSTIGER_FACHLICHER_FEHLER


class SuchbereichArt(StrEnum):
    GEMEINDE = "gemeinde"  # one municipality: 8-digit AGS
    KREIS = "kreis"  # one district (Landkreis / kreisfreie Stadt): the first 5 digits
    LAND = "land"  # the whole state: "03"


_KEY_LENGTH = {SuchbereichArt.GEMEINDE: 8, SuchbereichArt.KREIS: 5, SuchbereichArt.LAND: 2}


@dataclass(frozen=True, slots=True)
class Suchbereich:
    """The mandatory search area. ``schluessel`` is the AGS (8), district (5) or state (2)
    key; a municipality given by name is resolved to its AGS before the register is asked."""

    art: SuchbereichArt
    schluessel: str

    def __post_init__(self) -> None:
        length = _KEY_LENGTH[self.art]
        if not (len(self.schluessel) == length and self.schluessel.isdigit()):
            raise InvalidQueryError(
                f"a Suchbereich of kind {self.art.value} needs a {length}-digit key, got "
                f"{self.schluessel!r}",
                code=_SONSTIGE,
            )

    @property
    def im_land(self) -> bool:
        return self.schluessel.startswith(LAND)

    def ags_bereich(self) -> tuple[str, str]:
        """The lowest and highest AGS of the area (inclusive)."""
        return self.schluessel.ljust(8, "0"), self.schluessel.ljust(8, "9")


class Aktualitaet(StrEnum):
    """Code.Datenabruf.FreieSuche.Aktualitaet.Suche.Status; absent = both."""

    AKTUELL = "01"
    INAKTUELL = "02"


@dataclass(frozen=True, slots=True)
class NameKriterium:
    """One name field: its raw text, and whether it is matched phonetically."""

    wert: str
    phonetisch: bool = False


@dataclass(frozen=True, slots=True)
class Zeitraum:
    """A closed range of days; the bounds may be partially known (00 parts = 1st / January)."""

    von: TeilbekanntesDatum
    bis: TeilbekanntesDatum

    def tage(self) -> tuple[str, str] | None:
        """``(von, bis)`` as ISO days, or None when a bound is unknown."""
        von, bis = beginn_key(self.von), beginn_key(self.bis)
        if von is None or bis is None:
            return None
        return von, bis

    @property
    def gueltig(self) -> bool:
        """von < bis (else rejection 20 for the birth range, DOMAIN.md § 4)."""
        tage = self.tage()
        return tage is not None and tage[0] < tage[1]


@dataclass(frozen=True, slots=True, kw_only=True)
class FreieSucheQuery:
    """Search data of a freie Suche (1332), raw as sent (BMeldDAV § 7 Abs. 1)."""

    suchbereich: Suchbereich
    familienname: NameKriterium | None = None
    geburtsname: NameKriterium | None = None
    frueherer_familienname: NameKriterium | None = None
    vornamen: NameKriterium | None = None
    ordensname: NameKriterium | None = None
    kuenstlername: NameKriterium | None = None
    doktorgrad: str | None = None
    geburtsdatum: TeilbekanntesDatum | None = None
    geburtszeitraum: Zeitraum | None = None
    geburtsort: str | None = None
    geburtsstaat: str | None = None
    geschlecht: str | None = None
    staatsangehoerigkeit: str | None = None
    postleitzahl: str | None = None
    strasse: str | None = None
    hausnummer: str | None = None
    #: house number range: ``hausnummer`` … ``hausnummer_bis`` (numbers; else rejection 19)
    hausnummer_bis: str | None = None
    hausnummer_buchstabe: str | None = None
    teilnummer: str | None = None
    wohnungsstatus: str | None = None
    einzugszeitraum: Zeitraum | None = None
    auszugszeitraum: Zeitraum | None = None
    familienstand: str | None = None
    sterbedatum: TeilbekanntesDatum | None = None
    sterbeort: str | None = None
    #: security authorities only (§ 34 Abs. 4 BMG; public bodies: rejection 04 / 05 / 06)
    waffenerlaubnis: bool | None = None
    waffenbesitzverbot: bool | None = None
    sprengstofferlaubnis: bool | None = None
    person_aktualitaet: Aktualitaet | None = None
    anschrift_aktualitaet: Aktualitaet | None = None

    def namen(self) -> dict[str, NameKriterium]:
        """The name fields given, by field name."""
        fields = (
            "familienname",
            "geburtsname",
            "frueherer_familienname",
            "vornamen",
            "ordensname",
            "kuenstlername",
        )
        return {f: v for f in fields if (v := getattr(self, f)) is not None}


@dataclass(frozen=True, slots=True)
class Muster:
    """A key with placeholders: an index range (``von`` ≤ key < ``bis``) and a LIKE pattern."""

    like: str
    von: str
    bis: str | None


def _after(prefix: str) -> str | None:
    """The smallest base-letter string above every string starting with ``prefix`` (letters
    and digits only, so that every collation orders it the same), None if there is none."""
    chars = list(prefix)
    while chars:
        last = chars.pop()
        position = _ALNUM.find(last)
        if 0 <= position < len(_ALNUM) - 1:
            return "".join(chars) + _ALNUM[position + 1]
    return None


def muster(raw: str, *, strasse: bool = False) -> Muster | str | None:
    """The key of ``raw``: a plain normalised value, or a :class:`Muster` if it holds
    placeholders. ``None`` when nothing is left; :class:`InvalidQueryError` when the
    placeholder comes first (after normalisation, too: ``-*`` has no prefix to search on)."""
    if PLATZHALTER.isdisjoint(raw):
        return normalize_strasse(raw) if strasse else normalize(raw)
    parts = re.split(r"([*?])", raw)
    like = ""
    last_text = max((i for i, p in enumerate(parts) if p and p not in PLATZHALTER), default=-1)
    for index, part in enumerate(parts):
        if part == "*":
            like += "%"
        elif part == "?":
            like += "_"
        elif part:
            final = strasse and index == last_text and index == len(parts) - 1
            key = normalize_strasse(part) if final else normalize(part)
            like += key or ""
    prefix = re.split(r"[%_]", like, maxsplit=1)[0]
    if not prefix:
        raise InvalidQueryError(
            f"a placeholder may not come first and not stand alone: {raw!r}", code=_SONSTIGE
        )
    return Muster(like=like, von=prefix, bis=_after(prefix))


_Key = str | Muster


@dataclass(frozen=True, slots=True)
class NameKey:
    """A name criterion as the register compares it: ``werte`` (each must match one row)
    against the ``phon`` or ``value`` column of the given name kinds (None: first names)."""

    kinds: tuple[str, ...] | None
    werte: tuple[_Key, ...]
    phonetisch: bool


@dataclass(frozen=True, slots=True)
class NormalisierteFreieSuche:
    """A freie Suche reduced to the keys the register compares (None / empty = absent)."""

    ags_von: str
    ags_bis: str
    namen: tuple[NameKey, ...]
    doktorgrad: str | None
    geburtsdatum: str | None
    geburtstage: tuple[str, str] | None
    geburtsort: str | None
    geburtsstaat: str | None
    geschlecht: str | None
    staatsangehoerigkeit: str | None
    postleitzahl: str | None
    strasse: _Key | None
    hausnummer: str | None
    hausnummern: tuple[int, int] | None
    hausnummer_buchstabe: str | None
    teilnummer: str | None
    wohnungsstatus: str | None
    einzugstage: tuple[str, str] | None
    auszugstage: tuple[str, str] | None
    anschrift_aktuell: bool | None
    familienstand: str | None
    sterbedatum: str | None
    sterbeort: str | None
    waffenerlaubnis: bool | None
    waffenbesitzverbot: bool | None
    sprengstofferlaubnis: bool | None
    person_aktuell: bool | None

    @property
    def hat_anschrift(self) -> bool:
        return any(
            v is not None
            for v in (
                self.postleitzahl,
                self.strasse,
                self.hausnummer,
                self.hausnummern,
                self.hausnummer_buchstabe,
                self.teilnummer,
                self.wohnungsstatus,
                self.einzugstage,
                self.auszugstage,
                self.anschrift_aktuell,
            )
        )


#: Register name kinds each name field of the freie Suche is matched against.
NAME_KINDS: dict[str, tuple[str, ...] | None] = {
    "familienname": ("familienname", "ehename", "lebenspartnerschaftsname"),
    "geburtsname": ("geburtsname",),
    "frueherer_familienname": ("frueherer_familienname",),
    "vornamen": None,
    "ordensname": ("ordensname",),
    "kuenstlername": ("kuenstlername",),
}


def _name_key(field: str, kriterium: NameKriterium) -> NameKey | None:
    texts = split_vornamen(kriterium.wert) if field == "vornamen" else (kriterium.wert,)
    werte: list[_Key] = []
    for text in texts:
        if kriterium.phonetisch:
            code = koelner_phonetik(normalize(text))
            if code is not None:
                werte.append(code)
            continue
        key = muster(text)
        if key is not None:
            werte.append(key)
    if not werte:
        return None
    return NameKey(NAME_KINDS[field], tuple(dict.fromkeys(werte)), kriterium.phonetisch)


def _aktuell(value: Aktualitaet | None) -> bool | None:
    return None if value is None else value is Aktualitaet.AKTUELL


def _number(text: str | None) -> int | None:
    value = (text or "").strip()
    return int(value) if value.isdigit() and len(value) < 9 else None


def normalisierte_freie_suche(query: FreieSucheQuery) -> NormalisierteFreieSuche:
    """Normalise ``query`` (BMeldDAV Anlage Nr. 4 and the rules of the module docstring)."""
    von, bis = query.suchbereich.ags_bereich()
    namen = tuple(
        key for field, k in query.namen().items() if (key := _name_key(field, k)) is not None
    )
    hausnummern = None
    if query.hausnummer_bis is not None:
        low, high = _number(query.hausnummer), _number(query.hausnummer_bis)
        if low is None or high is None:
            raise InvalidQueryError("a house number range needs two numbers", code=_SONSTIGE)
        hausnummern = (low, high)
    strasse = muster(query.strasse, strasse=True) if query.strasse else None
    return NormalisierteFreieSuche(
        ags_von=von,
        ags_bis=bis,
        namen=namen,
        doktorgrad=normalize(query.doktorgrad),
        geburtsdatum=date_key(query.geburtsdatum),
        geburtstage=query.geburtszeitraum.tage() if query.geburtszeitraum else None,
        geburtsort=normalize(query.geburtsort),
        geburtsstaat=normalize_code(query.geburtsstaat),
        geschlecht=normalize_code(query.geschlecht),
        staatsangehoerigkeit=normalize_code(query.staatsangehoerigkeit),
        postleitzahl=normalize(query.postleitzahl),
        strasse=strasse,
        hausnummer=None if hausnummern else normalize(query.hausnummer),
        hausnummern=hausnummern,
        hausnummer_buchstabe=normalize(query.hausnummer_buchstabe),
        teilnummer=normalize(query.teilnummer),
        wohnungsstatus=(query.wohnungsstatus or "").strip() or None,
        einzugstage=query.einzugszeitraum.tage() if query.einzugszeitraum else None,
        auszugstage=query.auszugszeitraum.tage() if query.auszugszeitraum else None,
        anschrift_aktuell=_aktuell(query.anschrift_aktualitaet),
        familienstand=normalize_code(query.familienstand),
        sterbedatum=date_key(query.sterbedatum),
        sterbeort=normalize(query.sterbeort),
        waffenerlaubnis=query.waffenerlaubnis,
        waffenbesitzverbot=query.waffenbesitzverbot,
        sprengstofferlaubnis=query.sprengstofferlaubnis,
        person_aktuell=_aktuell(query.person_aktualitaet),
    )
