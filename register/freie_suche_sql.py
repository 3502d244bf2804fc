"""The SQL of a freie Suche (BMeldDAV § 7): indexed, on SQLite and PostgreSQL alike.

The statement gives person ids only (:func:`freie_suche_statement`); the records are read
afterwards, only for a list the broker may answer with (at most 1 000 persons, BMeldDAV § 7
Abs. 4 — a refused search reads none). Every criterion with an index of its own (a name field,
the street, first names, an exact or ranged date of birth, a nationality) is a semi-join on the
person id; the first of them, in the order of :func:`_id_sets` (roughly: most selective
first), is written as ``id IN (…)`` so that SQLite drives the search from that index, the rest as
correlated ``EXISTS`` checked per candidate (PostgreSQL plans both forms as semi-joins and
chooses itself). When the first set's rows carry the record's municipality — a surname, a
street, an exact date of birth (``register_name.ags``; ``register_anschrift.person_ags`` and
``register_geburtsdatum.ags`` since register revision 0005) — the driving set is those rows
themselves, so the person rows are read only for criteria kept there. The search area is part
of every such semi-join, so the composite indexes ``(value|phon, ags, kind, person_id)``,
``(ags, strasse, hausnummer_zahl, person_ags, person_id)`` and ``(datum, ags, person_id)``
answer "name / street / date in the area" from the index.
Placeholders become an index range on the prefix plus a ``LIKE`` on the rest
(:class:`~datenspiegel.register.freie_suche.Muster`).

Persons with a blocking Auskunftssperre in force on the day of the search (§ 51 BMG codes 1, 3,
6, 11, 12) are left out *in SQL*, before the limit: they are never part of the result list and
never counted towards the 1 000 of rejection 13, so neither the list nor its size lets the
requester infer a block (DOMAIN.md § 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from datenspiegel.register.codes import SPERRENDE_AUSKUNFTSSPERREN
from datenspiegel.register.freie_suche import Muster, NameKey, NormalisierteFreieSuche
from datenspiegel.register.schema import (
    anschrift_table,
    geburtsdatum_table,
    name_table,
    person_table,
    sperre_table,
    staatsangehoerigkeit_table,
    vorname_table,
)

__all__ = ["freie_suche_statement"]

_BLOCKING = tuple(sorted(str(code) for code in SPERRENDE_AUSKUNFTSSPERREN))


def _matches(column: Any, key: str | Muster) -> ColumnElement[bool]:
    if isinstance(key, str):
        return column == key
    parts = [column >= key.von]
    if key.bis is not None:
        parts.append(column < key.bis)
    # Keys hold base letters and digits only, so % and _ in the pattern are the placeholders.
    parts.append(column.like(key.like))
    return and_(*parts)


def _in_area(column: Any, suche: NormalisierteFreieSuche) -> ColumnElement[bool]:
    if suche.ags_von == suche.ags_bis:
        return column == suche.ags_von
    return column.between(suche.ags_von, suche.ags_bis)


@dataclass(frozen=True, slots=True)
class _IdSet:
    """The person ids of one indexed criterion."""

    ids: Select[Any]
    #: its rows carry the record's municipality and ``ids`` keeps to the search area with it
    im_bereich: bool


def _name_sets(name: NameKey, suche: NormalisierteFreieSuche) -> list[_IdSet]:
    """One id set per value of ``name``: each value must match (first names: each of them)."""
    sets = []
    for wert in name.werte:
        if name.kinds is None:
            table = vorname_table.c
            column = table.phon if name.phonetisch else table.value
            sets.append(_IdSet(select(table.person_id).where(_matches(column, wert)), False))
        else:
            table = name_table.c
            column = table.phon if name.phonetisch else table.value
            kinds = table.kind.in_(name.kinds)
            area = _in_area(table.ags, suche)
            ids = select(table.person_id).where(_matches(column, wert), area, kinds)
            sets.append(_IdSet(ids, True))
    return sets


def _anschrift_set(suche: NormalisierteFreieSuche) -> _IdSet:
    """The addresses in the area of records of the area (``ags`` is the address' own
    municipality, ``person_ags`` the record's), in the order of their index."""
    a = anschrift_table.c
    where: list[ColumnElement[bool]] = [_in_area(a.ags, suche)]
    if suche.strasse is not None:
        where.append(_matches(a.strasse, suche.strasse))
    if suche.hausnummern is not None:
        where.append(a.hausnummer_zahl.between(*suche.hausnummern))
    where.append(_in_area(a.person_ags, suche))
    for column, value in (
        (a.postleitzahl, suche.postleitzahl),
        (a.hausnummer, suche.hausnummer),
        (a.hausnummer_buchstabe, suche.hausnummer_buchstabe),
        (a.teilnummer, suche.teilnummer),
        (a.wohnungsstatus, suche.wohnungsstatus),
        (a.aktuell, suche.anschrift_aktuell),
    ):
        if value is not None:
            where.append(column == value)
    if suche.einzugstage is not None:
        where.append(a.einzug.between(*suche.einzugstage))
    if suche.auszugstage is not None:
        where.append(a.auszug.between(*suche.auszugstage))
    return _IdSet(select(a.person_id).where(*where), True)


def _id_sets(suche: NormalisierteFreieSuche) -> list[_IdSet]:
    """Every indexed criterion as a set of person ids, the likely most selective first."""
    surnames = [n for n in suche.namen if n.kinds is not None and not n.phonetisch]
    phonetic = [n for n in suche.namen if n.kinds is not None and n.phonetisch]
    vornamen = [n for n in suche.namen if n.kinds is None]
    sets: list[_IdSet] = []
    for name in (*surnames, *phonetic):
        sets.extend(_name_sets(name, suche))
    if suche.hat_anschrift and suche.strasse is not None:
        sets.append(_anschrift_set(suche))
    if suche.geburtsdatum is not None:
        g = geburtsdatum_table.c
        exact = select(g.person_id).where(g.datum == suche.geburtsdatum, _in_area(g.ags, suche))
        sets.append(_IdSet(exact, True))
    for name in vornamen:
        sets.extend(_name_sets(name, suche))
    if suche.staatsangehoerigkeit is not None:
        s = staatsangehoerigkeit_table.c
        sets.append(_IdSet(select(s.person_id).where(s.staat == suche.staatsangehoerigkeit), False))
    if suche.geburtstage is not None:
        g = geburtsdatum_table.c
        sets.append(_IdSet(select(g.person_id).where(g.beginn.between(*suche.geburtstage)), False))
    if suche.hat_anschrift and suche.strasse is None:
        sets.append(_anschrift_set(suche))
    return sets


def _correlated(subquery: Select[Any], person_id: Any) -> ColumnElement[bool]:
    """``EXISTS`` of ``subquery``'s rows for the person ``person_id`` (its first column is the
    id)."""
    column = subquery.selected_columns[0]
    return exists(subquery.where(column == person_id).with_only_columns(literal(1)))


def _person_conditions(suche: NormalisierteFreieSuche) -> list[ColumnElement[bool]]:
    """The criteria kept on the ``register_person`` row itself (the area excepted)."""
    person = person_table.c
    return [
        column == value
        for column, value in (
            (person.doktorgrad, suche.doktorgrad),
            (person.geburtsort, suche.geburtsort),
            (person.geburtsstaat, suche.geburtsstaat),
            (person.geschlecht, suche.geschlecht),
            (person.familienstand, suche.familienstand),
            (person.sterbedatum, suche.sterbedatum),
            (person.sterbeort, suche.sterbeort),
            (person.waffenerlaubnis, suche.waffenerlaubnis),
            (person.waffenbesitzverbot, suche.waffenbesitzverbot),
            (person.sprengstofferlaubnis, suche.sprengstofferlaubnis),
            (person.aktuell, suche.person_aktuell),
        )
        if value is not None
    ]


def _not_blocked(person_id: Any, stichtag: date) -> ColumnElement[bool]:
    """No blocking Auskunftssperre (§ 51 BMG codes 1, 3, 6, 11, 12) in force on ``stichtag``."""
    sperre = sperre_table.c
    return ~exists().where(
        sperre.person_id == person_id,
        sperre.code.in_(_BLOCKING),
        or_(sperre.bis.is_(None), sperre.bis >= stichtag),
    )


def freie_suche_statement(
    suche: NormalisierteFreieSuche, *, stichtag: date, limit: int
) -> Select[Any]:
    """The ids of the persons matching ``suche``, without blocked persons, by id, at most
    ``limit`` — ids only: the caller reads records only for a list it may answer with.

    When the first criterion's rows carry the record's municipality (a surname, a street, an
    exact date of birth: written with ``register_person.ags`` and replaced with the record)
    the statement starts from those rows of the area and touches ``register_person`` only for
    criteria kept there: a municipality's 3 000 WAGNER are counted from the name index and the
    blocks, not by reading 3 000 records (at 10 M persons the records were most of a refused
    search's time), and a street's residents from the address index. Otherwise it starts from
    the person rows of the area.
    """
    sets = _id_sets(suche)
    person_conditions = _person_conditions(suche)
    if sets and sets[0].im_bereich:
        treffer = sets[0].ids.subquery("treffer")
        person_id = treffer.c.person_id
        conditions = [_correlated(s.ids, person_id) for s in sets[1:]]
        if person_conditions:
            person = person_table.c
            conditions.append(exists().where(person.id == person_id, *person_conditions))
        conditions.append(_not_blocked(person_id, stichtag))
        return (
            select(person_id)
            .where(*conditions)
            .group_by(person_id)  # a name under two kinds, two periods on one street
            .order_by(person_id)
            .limit(limit)
        )
    person = person_table.c
    conditions = [_in_area(person.ags, suche)]
    if sets:
        conditions.append(person.id.in_(sets[0].ids))
        conditions.extend(_correlated(s.ids, person.id) for s in sets[1:])
    conditions.extend(person_conditions)
    conditions.append(_not_blocked(person.id, stichtag))
    return select(person.id).where(*conditions).order_by(person.id).limit(limit)
