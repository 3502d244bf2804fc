"""The matching rules of BMeldDAV Anlage Nr. 4 as plain Python over one record.

This is the readable statement of the rules (DOMAIN.md § 3 "Matching"). The store runs the
same rules as indexed SQL; the test suite checks that both give the same answer, so this
module is the reference whenever the SQL is rewritten for speed. All values are compared in
the normalised form of :mod:`datenspiegel.register.normalize` (base letters and digits only:
blanks, hyphens and dots removed — "Lange Straße" = "Lange-Strasse" = "LangeStrasse").

- surname (and former surname): equal to *some* surname variant — Familienname, Ehename,
  Lebenspartnerschaftsname, Geburtsname, former surnames, Ordensname, Künstlername;
  Ordensname / Künstlername given as such: equal to that name;
- every given first name (split at blanks, not hyphens) among the first names incl. former
  ones and the words of the Ordensname and Künstlername (0501/0502); order irrelevant;
- address parts (postcode, street with suffix rule, house number, letter, Teilnummer): all
  given parts match *one* address period in the searched municipality (current or former: a
  requester who knows only the last address must learn that the person moved);
- dates: equal text form (partially known matches only its equal; an unknown date only an
  unknown date); earlier birth dates count;
- place / state of birth and death, sex, AZR number: equal after normalisation;
- the record must be held by the searched municipality (AGS).

Search data the Personensuche does not admit (placeholders, the Doktorgrad) never get here:
:func:`~datenspiegel.register.query.normalisierte_suche` refuses them.
"""

from __future__ import annotations

from datenspiegel.register.codes import NameKind
from datenspiegel.register.keys import AnschriftKey, PersonKeys, person_keys
from datenspiegel.register.model import Person
from datenspiegel.register.query import NormalisierteSuche, PersonensucheQuery, normalisierte_suche

__all__ = ["keys_match", "person_matches"]


def _anschrift_matches(key: AnschriftKey, suche: NormalisierteSuche) -> bool:
    if key.ags != suche.ags:
        return False
    for wanted, have in (
        (suche.postleitzahl, key.postleitzahl),
        (suche.strasse, key.strasse),
        (suche.hausnummer, key.hausnummer),
        (suche.hausnummer_buchstabe, key.hausnummer_buchstabe),
        (suche.teilnummer, key.teilnummer),
    ):
        if wanted is not None and wanted != have:
            return False
    return True


def keys_match(ags: str, keys: PersonKeys, suche: NormalisierteSuche) -> bool:
    """Whether a record of municipality ``ags`` with ``keys`` matches ``suche``."""
    if ags != suche.ags:
        return False

    def name_values(kinds: frozenset[NameKind] | None) -> set[str]:
        return {
            (key.phon if suche.phonetisch else key.value) or ""
            for key in keys.namen
            if kinds is None or key.kind in kinds
        } - {""}

    all_names = name_values(None)
    if any(name not in all_names for name in suche.familiennamen):
        return False
    if suche.ordensname is not None and suche.ordensname not in name_values(
        frozenset({NameKind.ORDENSNAME})
    ):
        return False
    if suche.kuenstlername is not None and suche.kuenstlername not in name_values(
        frozenset({NameKind.KUENSTLERNAME})
    ):
        return False
    vornamen = {(v.phon if suche.phonetisch else v.value) for v in keys.vornamen}
    if any(name not in vornamen for name in suche.vornamen):
        return False
    if suche.hat_anschrift and not any(_anschrift_matches(a, suche) for a in keys.anschriften):
        return False
    if suche.geburtsdatum is not None and suche.geburtsdatum not in keys.geburtsdaten:
        return False
    for wanted, have in (
        (suche.geburtsort, keys.geburtsort),
        (suche.geburtsstaat, keys.geburtsstaat),
        (suche.geschlecht, keys.geschlecht),
        (suche.sterbedatum, keys.sterbedatum),
        (suche.sterbeort, keys.sterbeort),
        (suche.sterbestaat, keys.sterbestaat),
        (suche.azr_nummer, keys.azr_nummer),
    ):
        if wanted is not None and wanted != have:
            return False
    return True


def person_matches(person: Person, query: PersonensucheQuery) -> bool:
    """Whether ``person`` is a hit for ``query`` (no disclosure rules applied)."""
    return keys_match(person.ags, person_keys(person), normalisierte_suche(query))
