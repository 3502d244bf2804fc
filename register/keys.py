"""Search keys derived from a person record — the one place that decides what is compared.

The store writes these keys into its indexed tables at import, and the reference matcher
(:mod:`datenspiegel.register.matching`) compares them directly; both read them from here so
that SQL and Python can never disagree about a rule.

A change of a rule here changes what the stored keys must be: it comes with a register
migration that recomputes them (:mod:`datenspiegel.register.keyrows`), so that a register
imported under the old rule is upgraded, not silently half-matched.
"""

from __future__ import annotations

from dataclasses import dataclass

from datenspiegel.register.codes import NameKind
from datenspiegel.register.model import Person, TeilbekanntesDatum
from datenspiegel.register.normalize import (
    normalize,
    normalize_code,
    normalize_strasse,
    normalize_vornamen,
)
from datenspiegel.register.phonetics import koelner_phonetik

__all__ = [
    "UNBEKANNT",
    "AnschriftKey",
    "NameKey",
    "PersonKeys",
    "VornameKey",
    "beginn_key",
    "date_key",
    "hausnummer_zahl",
    "person_keys",
]


#: Key of an unknown date ("all zeros"): it matches only an unknown date, never a known one
#: (BMeldDAV Anlage Nr. 4) — so it is a value of its own, not the absence of a criterion.
UNBEKANNT = "0000-00-00"


def date_key(value: TeilbekanntesDatum | None) -> str | None:
    """Text form of a (partially known) date; :data:`UNBEKANNT` for an unknown one.

    Partially known dates match only their equal (``1998-03`` never ``1998-03-12``), so the
    text form is the key (BMeldDAV Anlage Nr. 4).
    """
    if value is None:
        return None
    return UNBEKANNT if value.unbekannt else str(value)


def beginn_key(value: TeilbekanntesDatum | None) -> str | None:
    """The day a range search compares (freie Suche, DOMAIN.md § 4): unknown parts count as
    the 1st of the month / 1 January; an unknown date has none and never matches a range."""
    if value is None:
        return None
    day = value.bereichsbeginn()
    return day.isoformat() if day is not None else None


def hausnummer_zahl(value: str | None) -> int | None:
    """The leading number of a house number, for house number ranges (``17a`` → 17)."""
    if not value:
        return None
    digits = ""
    for char in value.strip():
        if not char.isdigit():
            break
        digits += char
    return int(digits) if digits and len(digits) < 9 else None


@dataclass(frozen=True, slots=True)
class NameKey:
    kind: NameKind
    value: str
    phon: str | None


@dataclass(frozen=True, slots=True)
class VornameKey:
    value: str
    phon: str | None
    frueher: bool


@dataclass(frozen=True, slots=True)
class AnschriftKey:
    """Matchable parts of one address period (position ``lfd_nr`` in ``Person.anschriften``)."""

    lfd_nr: int
    ags: str | None
    postleitzahl: str | None
    strasse: str | None
    hausnummer: str | None
    hausnummer_buchstabe: str | None
    teilnummer: str | None
    aktuell: bool
    #: freie Suche (migration 3): normalised municipality name, house number as a number,
    #: dwelling status, move-in and move-out day (range form, :func:`beginn_key`)
    wohnort: str | None = None
    hausnummer_zahl: int | None = None
    wohnungsstatus: str | None = None
    einzug: str | None = None
    auszug: str | None = None


@dataclass(frozen=True, slots=True)
class PersonKeys:
    namen: tuple[NameKey, ...]
    vornamen: tuple[VornameKey, ...]
    #: current and earlier dates of birth, text form (partially known dates as they are,
    #: :data:`UNBEKANNT` for an unknown one)
    geburtsdaten: tuple[str, ...]
    anschriften: tuple[AnschriftKey, ...]
    doktorgrad: str | None
    geburtsort: str | None
    geburtsstaat: str | None
    geschlecht: str | None
    sterbedatum: str | None
    sterbeort: str | None
    sterbestaat: str | None
    azr_nummer: str | None
    #: freie Suche (migration 3)
    staatsangehoerigkeiten: tuple[str, ...] = ()
    familienstand: str | None = None
    #: registered now: a current address and not deceased ("aktuell" of the freie Suche)
    aktuell: bool = True
    waffenerlaubnis: bool = False
    waffenbesitzverbot: bool = False
    sprengstofferlaubnis: bool = False


def _namen(person: Person) -> tuple[NameKey, ...]:
    raw: list[tuple[NameKind, str | None]] = [
        (NameKind.FAMILIENNAME, person.familienname),
        (NameKind.EHENAME, person.ehename),
        (NameKind.LEBENSPARTNERSCHAFTSNAME, person.lebenspartnerschaftsname),
        (NameKind.GEBURTSNAME, person.geburtsname),
        *((NameKind.FRUEHERER_FAMILIENNAME, name) for name in person.fruehere_familiennamen),
        (NameKind.ORDENSNAME, person.ordensname),
        (NameKind.KUENSTLERNAME, person.kuenstlername),
    ]
    keys: dict[tuple[NameKind, str], NameKey] = {}
    for kind, value in raw:
        normalised = normalize(value)
        if normalised is not None and (kind, normalised) not in keys:
            keys[(kind, normalised)] = NameKey(kind, normalised, koelner_phonetik(normalised))
    return tuple(keys.values())


def _vornamen(person: Person) -> tuple[VornameKey, ...]:
    """First names (split at blanks, not hyphens), former first names, and the words of the
    Ordensname and Künstlername (DSMeld 0501/0502): a given first name must be among them
    (BMeldDAV Anlage Nr. 4)."""
    keys: dict[str, VornameKey] = {}
    for value in normalize_vornamen((*person.vornamen, person.ordensname, person.kuenstlername)):
        keys[value] = VornameKey(value, koelner_phonetik(value), False)
    for value in normalize_vornamen(person.fruehere_vornamen):
        keys.setdefault(value, VornameKey(value, koelner_phonetik(value), True))
    return tuple(keys.values())


def _geburtsdaten(person: Person) -> tuple[str, ...]:
    # An unknown date of birth is kept as UNBEKANNT: it matches only an unknown date.
    dates = (person.geburtsdatum, *person.fruehere_geburtsdaten)
    return tuple(dict.fromkeys(key for d in dates if (key := date_key(d)) is not None))


def _anschriften(person: Person) -> tuple[AnschriftKey, ...]:
    return tuple(
        AnschriftKey(
            lfd_nr=position,
            ags=anschrift.ags,
            postleitzahl=normalize(anschrift.postleitzahl),
            strasse=normalize_strasse(anschrift.strasse),
            hausnummer=normalize(anschrift.hausnummer),
            hausnummer_buchstabe=normalize(anschrift.hausnummer_buchstabe),
            teilnummer=normalize(anschrift.teilnummer),
            aktuell=anschrift.aktuell,
            wohnort=normalize(anschrift.wohnort),
            hausnummer_zahl=hausnummer_zahl(anschrift.hausnummer),
            wohnungsstatus=anschrift.wohnungsstatus,
            einzug=beginn_key(anschrift.einzugsdatum),
            auszug=beginn_key(anschrift.auszugsdatum),
        )
        for position, anschrift in enumerate(person.anschriften)
    )


def person_keys(person: Person) -> PersonKeys:
    return PersonKeys(
        namen=_namen(person),
        vornamen=_vornamen(person),
        geburtsdaten=_geburtsdaten(person),
        anschriften=_anschriften(person),
        doktorgrad=normalize(person.doktorgrad),
        geburtsort=normalize(person.geburtsort),
        geburtsstaat=normalize_code(person.geburtsstaat),
        geschlecht=normalize_code(person.geschlecht),
        sterbedatum=date_key(person.sterbedatum),
        sterbeort=normalize(person.sterbeort),
        sterbestaat=normalize_code(person.sterbestaat),
        azr_nummer=normalize(person.azr_nummer),
        staatsangehoerigkeiten=tuple(
            dict.fromkeys(c for s in person.staatsangehoerigkeiten if (c := normalize_code(s)))
        ),
        familienstand=normalize_code(person.familienstand),
        aktuell=bool(person.aktuelle_anschriften) and not person.verstorben,
        waffenerlaubnis=person.waffenerlaubnis is not None,
        waffenbesitzverbot=person.waffenbesitzverbot is not None,
        sprengstofferlaubnis=person.sprengstofferlaubnis is not None,
    )
