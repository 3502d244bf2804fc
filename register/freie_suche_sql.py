"""The SQL of a freie Suche (BMeldDAV § 7): indexed, on SQLite and PostgreSQL alike.

The statement gives person ids only (:func:`freie_suche_statement`); the records are read
afterwards, only for a list the broker may answer with (at most 1 000 persons, BMeldDAV § 7
Abs. 4 — a refused search reads none). Every criterion with an index of its own (a name field,
the street, first names, an exact or ranged date of birth, a nationality) is a semi-join on the
person id; the first of them, in the order of :func:`_id_sets` (roughly: most selective
first), is written as ``id IN (…)`` so that SQLite drives the search from that index, the rest as
correlated ``EXISTS`` checked per candidate (PostgreSQL plans both forms as semi-joins and
chooses itself). With a surname among the criteria the driving set is the name rows themselves
(they carry the record's municipality), so the person rows are read only for criteria kept
there. The search area is part of every name and address semi-join, so the composite
indexes ``(value, ags)`` / ``(phon, ags)`` / ``(ags, strasse)`` answer "name in district".
Placeholders become an index range on the prefix plus a ``LIKE`` on the rest
(:class:`~datenspiegel.register.freie_suche.Muster`).

Persons with a blocking Auskunftssperre in force on the day of the search (§ 51 BMG codes 1, 3,
6, 11, 12) are left out *in SQL*, before the limit: they are never part of the result list and
never counted towards the 1 000 of rejection 13, so neither the list nor its size lets the
requester infer a block (DOMAIN.md § 4).
"""

from __future__ import annotations

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


def _name_sets(name: NameKey, suche: NormalisierteFreieSuche) -> list[Select[Any]]:
    """One id set per value of ``name``: each value must match (first names: each of them)."""
    sets = []
    for wert in name.werte:
        if name.kinds is None:
            table = vorname_table.c
            column = table.phon if name.phonetisch else table.value
            sets.append(select(table.person_id).where(_matches(column, wert)))
        else:
            table = name_table.c
            column = table.phon if name.phonetisch else table.value
            kinds = table.kind.in_(name.kinds)
            area = _in_area(table.ags, suche)
            sets.append(select(table.person_id).where(_matches(column, wert), area, kinds))
    return sets


def _anschrift_set(suche: NormalisierteFreieSuche) -> Select[Any]:
    a = anschrift_table.c
    where: list[ColumnElement[bool]] = [_in_area(a.ags, suche)]
    if suche.strasse is not None:
        where.append(_matches(a.strasse, suche.strasse))
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
    if suche.hausnummern is not None:
        where.append(a.hausnummer_zahl.between(*suche.hausnummern))
    if suche.einzugstage is not None:
        where.append(a.einzug.between(*suche.einzugstage))
    if suche.auszugstage is not None:
        where.append(a.auszug.between(*suche.auszugstage))
    return select(a.person_id).where(*where)


def _id_sets(suche: NormalisierteFreieSuche) -> list[Select[Any]]:
    """Every indexed criterion as a set of person ids, the likely most selective first."""
    surnames = [n for n in suche.namen if n.kinds is not None and not n.phonetisch]
    phonetic = [n for n in suche.namen if n.kinds is not None and n.phonetisch]
    vornamen = [n for n in suche.namen if n.kinds is None]
    sets: list[Select[Any]] = []
    for name in (*surnames, *phonetic):
        sets.extend(_name_sets(name, suche))
    if suche.hat_anschrift and suche.strasse is not None:
        sets.append(_anschrift_set(suche))
    if suche.geburtsdatum is not None:
        g = geburtsdatum_table.c
        sets.append(select(g.person_id).where(g.datum == suche.geburtsdatum))
    for name in vornamen:
        sets.extend(_name_sets(name, suche))
    if suche.staatsangehoerigkeit is not None:
        s = staatsangehoerigkeit_table.c
        sets.append(select(s.person_id).where(s.staat == suche.staatsangehoerigkeit))
    if suche.geburtstage is not None:
        g = geburtsdatum_table.c
        sets.append(select(g.person_id).where(g.beginn.between(*suche.geburtstage)))
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


def _area_on_name_rows(suche: NormalisierteFreieSuche) -> bool:
    """Whether the first id set is a surname (or phonetic surname) set: its rows carry the
    record's own municipality (``register_name.ags`` is written with ``register_person.ags``
    and replaced with the record), so that set alone keeps the search in its area."""
    return any(name.kinds is not None for name in suche.namen)


def freie_suche_statement(
    suche: NormalisierteFreieSuche, *, stichtag: date, limit: int
) -> Select[Any]:
    """The ids of the persons matching ``suche``, without blocked persons, by id, at most
    ``limit`` — ids only: the caller reads records only for a list it may answer with.

    With a surname among the criteria the statement starts from the name rows of the area and
    touches ``register_person`` only for criteria kept there: a municipality's 3 000 WAGNER
    are counted from the name index and the blocks, not by reading 3 000 records (at 10 M
    persons the records were most of a refused search's time). Without one it starts from the
    person rows of the area.
    """
    sets = _id_sets(suche)
    person_conditions = _person_conditions(suche)
    if sets and _area_on_name_rows(suche):
        treffer = sets[0].subquery("treffer")
        person_id = treffer.c.person_id
        conditions = [_correlated(s, person_id) for s in sets[1:]]
        if person_conditions:
            person = person_table.c
            conditions.append(exists().where(person.id == person_id, *person_conditions))
        conditions.append(_not_blocked(person_id, stichtag))
        return (
            select(person_id)
            .where(*conditions)
            .group_by(person_id)  # a person may carry the name more than once (kinds)
            .order_by(person_id)
            .limit(limit)
        )
    person = person_table.c
    conditions = [_in_area(person.ags, suche)]
    if sets:
        conditions.append(person.id.in_(sets[0]))
        conditions.extend(_correlated(s, person.id) for s in sets[1:])
    conditions.extend(person_conditions)
    conditions.append(_not_blocked(person.id, stichtag))
    return select(person.id).where(*conditions).order_by(person.id).limit(limit)
