"""The SQL of a Personensuche, built once per *shape* of search data and cached.

Which criteria a search gives (surname twice? a street? a date of birth?) decides the form of
the statement; the values only fill its bind parameters. Building and cache-keying a new
statement for every search cost about 0.4 ms (the SQL itself runs in ~0.01 ms), so each shape
is built once per process and reused with fresh parameters.

Every name criterion is an indexed semi-join; the address is a correlated ``EXISTS`` per
candidate (see :func:`_anschrift_condition`). PostgreSQL's planner chooses where to start from
its statistics: from the persons born that day in the municipality (``(datum, ags,
person_id)``, register revision 0005; BMeldDAV § 4) when a date is given.

SQLite (``steered``) takes the statement's form literally: it never turns a correlated
``EXISTS`` into the set it starts from, and a register has no statistics after a load. With a
date of birth its statement therefore starts from the day's persons in the municipality — a
few dozen at most even in a city of a million — and checks names per candidate on the
person's own name rows. Starting from the surname, a common one in a large city names tens of
thousands of persons (30 703 in Hannover at 10 M): 294 ms against 0.14 ms for the day's
persons (docs/performance.md, "SQLite at ten million persons").
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, literal_column, select
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from datenspiegel.register.codes import NameKind
from datenspiegel.register.query import NormalisierteSuche
from datenspiegel.register.schema import (
    anschrift_table,
    geburtsdatum_table,
    name_table,
    person_table,
    vorname_table,
)

__all__ = ["search_statement"]

_ADDRESS_FIELDS = ("postleitzahl", "strasse", "hausnummer", "hausnummer_buchstabe", "teilnummer")
# The Doktorgrad is kept on the person row for the freie Suche; it is no Personensuche
# criterion (§ 38 Abs. 1 BMG) and never reaches this statement.
_PERSON_FIELDS = (
    "geburtsort",
    "geburtsstaat",
    "geschlecht",
    "sterbedatum",
    "sterbeort",
    "sterbestaat",
    "azr_nummer",
)

_Shape = tuple[Any, ...]
_cache: dict[_Shape, Select[Any]] = {}
_lock = threading.Lock()
_MAX_SHAPES = 1024


def search_statement(
    suche: NormalisierteSuche, limit: int, *, steered: bool = False
) -> tuple[Select[Any], dict[str, Any]]:
    """The (cached) statement for ``suche``'s shape and the parameters of this search;
    ``steered``: the form for a planner that starts where the statement says (SQLite)."""
    params: dict[str, Any] = {"ags": suche.ags}
    for i, value in enumerate(suche.familiennamen):
        params[f"familienname_{i}"] = value
    for key in ("ordensname", "kuenstlername"):
        if getattr(suche, key) is not None:
            params[key] = getattr(suche, key)
    for i, value in enumerate(suche.vornamen):
        params[f"vorname_{i}"] = value
    address = tuple(f for f in _ADDRESS_FIELDS if getattr(suche, f) is not None)
    for field in address:
        params[f"anschrift_{field}"] = getattr(suche, field)
    if suche.geburtsdatum is not None:
        params["geburtsdatum"] = suche.geburtsdatum
    columns = tuple(f for f in _PERSON_FIELDS if getattr(suche, f) is not None)
    for field in columns:
        params[f"person_{field}"] = getattr(suche, field)
    shape: _Shape = (
        suche.phonetisch,
        len(suche.familiennamen),
        "ordensname" in params,
        "kuenstlername" in params,
        len(suche.vornamen),
        address if suche.hat_anschrift else None,
        suche.geburtsdatum is not None,
        columns,
        limit,
        steered and suche.geburtsdatum is not None,
    )
    statement = _cache.get(shape)
    if statement is None:
        with _lock:
            # ``is None``, never ``or``: a statement has no truth value (TypeError), and
            # another thread may have cached this shape while this one waited for the lock.
            statement = _cache.get(shape)
            if statement is None:
                statement = _build(shape)
            if len(_cache) < _MAX_SHAPES:  # bounded: odd shapes (many first names) are built
                _cache[shape] = statement
    return statement, params


def _anschrift_condition(fields: tuple[str, ...]) -> ColumnElement[bool]:
    """All given address parts on one address period in the searched municipality."""
    anschrift = anschrift_table.c
    parts = [anschrift[field] == bindparam(f"anschrift_{field}") for field in fields]
    # Per name-matched candidate by person id; ``coalesce`` keeps the planner away from the
    # (ags, strasse) index, which would scan every address of the street or municipality.
    # Measured at 1 M persons: 0.012 ms for this against 8.5 ms for an IN (street set).
    return exists().where(
        anschrift.person_id == person_table.c.id,
        func.coalesce(anschrift.ags, "") == bindparam("ags"),
        *parts,
    )


def _build(shape: _Shape) -> Select[Any]:
    (
        phonetisch,
        familiennamen,
        orden,
        kuenstler,
        vornamen,
        address,
        geburt,
        columns,
        limit,
        from_date,
    ) = shape
    person = person_table.c
    name = name_table.c
    name_value = name.phon if phonetisch else name.value
    ags: BindParameter[Any] = bindparam("ags")
    conditions: list[ColumnElement[bool]] = [person.ags == ags]
    datum = geburtsdatum_table.c
    # The date row carries the record's municipality (register revision 0005): the index
    # (datum, ags, person_id) gives the few persons born that day in the municipality.
    on_date = (datum.datum == bindparam("geburtsdatum"), datum.ags == ags)
    if from_date:
        conditions.append(person.id.in_(select(datum.person_id).where(*on_date)))

    def named(value: ColumnElement[Any], *where: ColumnElement[bool]) -> ColumnElement[bool]:
        if not from_date:
            return person.id.in_(select(name.person_id).where(value, name.ags == ags, *where))
        # per candidate of the date, on its own name rows: ``value || ''`` (the same value,
        # NULL stays NULL) keeps SQLite off the (value|phon, ags, …) indexes, which would
        # read every person of that name
        return exists().where(name.person_id == person.id, value, name.ags == ags, *where)

    checked = name_value.op("||")(literal_column("''")) if from_date else name_value
    for i in range(familiennamen):
        conditions.append(named(checked == bindparam(f"familienname_{i}")))
    for present, kind, key in (
        (orden, NameKind.ORDENSNAME, "ordensname"),
        (kuenstler, NameKind.KUENSTLERNAME, "kuenstlername"),
    ):
        if present:
            conditions.append(named(checked == bindparam(key), name.kind == kind.value))
    vorname = vorname_table.c
    vorname_value = vorname.phon if phonetisch else vorname.value
    for i in range(vornamen):
        conditions.append(
            exists().where(
                vorname.person_id == person.id, vorname_value == bindparam(f"vorname_{i}")
            )
        )
    if address is not None:
        conditions.append(_anschrift_condition(address))
    if geburt and not from_date:
        conditions.append(exists().where(datum.person_id == person.id, *on_date))
    for field in columns:
        conditions.append(person[field] == bindparam(f"person_{field}"))
    return select(person.id, person.record).where(*conditions).order_by(person.id).limit(limit)
