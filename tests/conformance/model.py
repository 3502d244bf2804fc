"""The case format of the conformance corpora (see ``tests/conformance/personensuche.py``).

A case is: a register state (persons with local ids 1…n, all in the case's own municipality),
one or more requests (who asks, in which class, which elements, which search data or
Identifikationsmerkmal), and per request what the law expects (status or rejection/0910 code,
elements present or absent, hit-list entries, the § 40 record, the outbox), with the rule and
the paragraph it checks.

Every case runs in a municipality of its own (the runner gives each a fresh AGS and maps the
placeholder :data:`AGS` onto it), so cases never see each other's persons.

A freie Suche (1332, § 34a Abs. 3 BMG) searches a district or the whole state, too: its cases
run in a district of their own (:meth:`tests.conformance.runner.Korpus.place_in_kreisen`), with
:data:`NACHBAR` a second municipality of that district and :data:`ANDERER_KREIS` a municipality
of a second district of the case's own; :data:`KREIS` and :data:`ANDERER_KREIS_SCHLUESSEL` are
their district keys. Searches of the whole state (``03``) see every case and so search for
names no other case uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from datenspiegel.register.model import Person

__all__ = [
    "AGS",
    "ANDERER_KREIS",
    "ANDERER_KREIS_SCHLUESSEL",
    "KREIS",
    "NACHBAR",
    "Anfrage",
    "Erwartet",
    "Fall",
    "Schritt",
]

#: Placeholder for "the case's own municipality"; the runner replaces it everywhere.
AGS = "03000000"
#: freie Suche only: the district of :data:`AGS` (its first 5 digits), another municipality of
#: that district, and a municipality of another district (with its district key).
KREIS = AGS[:5]
NACHBAR = "03000001"
ANDERER_KREIS = "03001000"
ANDERER_KREIS_SCHLUESSEL = ANDERER_KREIS[:5]

#: What a Personensuche asks for unless the case says otherwise: surname, first names, date
#: of birth, and the current address' AGS, postcode, place, street and house number.
STANDARD_ELEMENTE = (1, 7, 13, 44, 45, 46, 48, 49)


def _frozen(mapping: Mapping[Any, Any] | None) -> Mapping[Any, Any] | None:
    return None if mapping is None else MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Anfrage:
    """One request of a case: a 1330 (Personensuche), or a 1332 when ``freie_suche`` is set."""

    #: key of the registered requester (see ``ANFRAGENDE`` in the corpus)
    wer: str = "oe"
    #: ``sicherheitsbehoerde`` as sent; None: what the registration says
    claim: bool | None = None
    elemente: tuple[int, ...] = STANDARD_ELEMENTE
    #: search data (fields of PersonensucheQuery, ``ags`` defaults to the case's); None with
    #: ``merkmal``
    suche: Mapping[str, Any] | None = None
    #: an Identifikationsmerkmal: ``"treffer:<first name>"`` takes the one of the entry of the
    #: previous answer's hit list with that first name (``"liste:<first name>"``: of the
    #: previous freie Suche's result list); anything else is sent as it is
    merkmal: str | None = None
    verzicht: bool = False
    #: AGS of the addressed reader; None: the search AGS
    leser: str | None = None
    aktenzeichen: str | None = None
    anlass: str | None = None
    #: the broker's clock this many hours ahead (Identifikationsmerkmal validity)
    nach_stunden: int = 0
    #: the broker's clock stands at this UTC time of today (e.g. ``"23:30"``: already
    #: tomorrow in Lower Saxony); None: the real clock
    uhr_utc: str | None = None
    #: a freie Suche (1332) instead of a Personensuche: its search data, fields of
    #: ``FreieSucheQuery`` (name fields as text or ``NameKriterium``); ``suchbereich`` is an
    #: 8-, 5- or 2-digit key (municipality, district, state) and may use the placeholders
    #: above. ``elemente`` are then codes of the freie Suche's list (1–46).
    freie_suche: Mapping[str, Any] | None = None
    #: freie Suche: the Suchbereich sent as this municipality name instead of the key
    gemeindename: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "suche", _frozen(self.suche))
        object.__setattr__(self, "freie_suche", _frozen(self.freie_suche))
        if self.freie_suche is not None and "suchbereich" not in self.freie_suche:
            raise ValueError("a freie Suche needs a suchbereich (§ 34a Abs. 3 BMG)")


@dataclass(frozen=True)
class Erwartet:
    """What the signed answer and the § 40 record must show (None / empty: not checked)."""

    status: str | None = None
    grund: str | None = None
    ruecksendung: str | None = None
    #: element codes whose data must be in the answer's ``person`` (status 01)
    vorhanden: tuple[int, ...] = ()
    #: element codes whose data must not be in the answer
    fehlend: tuple[int, ...] = ()
    #: texts that must be nowhere in the answer
    nicht_im_text: tuple[str, ...] = ()
    #: local ids listed in the hit list (status 02)
    treffer: tuple[int, ...] | None = None
    #: the record's ``disclosed``: local id → element codes
    offengelegt: Mapping[int, tuple[int, ...]] | None = None
    #: the record's ``hits`` (local ids); None: not checked
    gefunden: tuple[int, ...] | None = None
    #: the record's ``withheld`` (local ids)
    zurueckgehalten: tuple[int, ...] = ()
    #: kinds of the outbox entries (sorted), always checked
    folgen: tuple[str, ...] = ()
    #: facts always added (``hinweise``), of the person (01) or every hit-list entry (02)
    hinweise: Mapping[str, bool] = field(default_factory=dict)
    #: the ``bedingterSperrvermerk`` flags of the addresses written, in document order
    sperrvermerk: tuple[bool, ...] | None = None
    #: the record's class (``sicherheitsbehoerde``); None: not checked
    sicherheitsbehoerde: bool | None = None
    inhalt_protokolliert: bool = True
    #: freie Suche: the local ids of the result list (status 04), in any order
    ergebnisliste: tuple[int, ...] | None = None
    #: entries the record's ``search_data`` must hold (path → value; placeholders allowed)
    suchdaten: Mapping[str, str] | None = None
    #: texts that must be in the answer
    im_text: tuple[str, ...] = ()
    #: the answer's ``ergebnis`` equals that of this earlier step (1-based), the
    #: Identifikationsmerkmale aside: what the requester sees cannot tell the two apart
    wie_schritt: int | None = None

    def __post_init__(self) -> None:
        codes = [c for c in (self.status, self.grund, self.ruecksendung) if c is not None]
        if len(codes) != 1:
            raise ValueError("a step expects exactly one of status, grund, ruecksendung")
        if (self.status == "04") != (self.ergebnisliste is not None):
            raise ValueError("status 04 and ergebnisliste go together")
        object.__setattr__(self, "suchdaten", _frozen(self.suchdaten))
        object.__setattr__(self, "offengelegt", _frozen(self.offengelegt))
        object.__setattr__(self, "hinweise", MappingProxyType(dict(self.hinweise)))
        object.__setattr__(self, "folgen", tuple(sorted(self.folgen)))


@dataclass(frozen=True)
class Schritt:
    anfrage: Anfrage
    erwartet: Erwartet


@dataclass(frozen=True)
class Fall:
    """One conformance case; ``id`` names the rule, ``regel`` groups cases for the report."""

    id: str
    regel: str
    paragraph: str
    register: tuple[Person, ...]
    schritte: tuple[Schritt, ...]

    def __post_init__(self) -> None:
        ids = [p.id for p in self.register]
        if None in ids or len(set(ids)) != len(ids):
            raise ValueError(f"{self.id}: every person needs its own local id")
        if not self.schritte:
            raise ValueError(f"{self.id}: a case needs at least one request")
