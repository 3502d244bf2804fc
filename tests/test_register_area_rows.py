"""The record's municipality on its date-of-birth and address rows (register revision 0005,
issue 11), on SQLite and PostgreSQL.

A Personensuche asks in one municipality (§ 38 Abs. 1 BMG, BMeldDAV § 4), a freie Suche in its
Suchbereich (§ 34a Abs. 3 BMG, BMeldDAV § 7). Both keep to that area on the date and address
rows now: ``register_geburtsdatum.ags`` and ``register_anschrift.person_ags`` are the record's
municipality (``register_anschrift.ags`` stays the address' own), so the searches start from
the few rows of the area instead of probing every person of a date or a street. These tests
show:

- every writer (import, full load both ways, a record re-imported elsewhere) puts the
  record's municipality on the rows and moves it with the record;
- revision 0005 fills the columns of a register written before it;
- the searches find exactly the persons of their area — a former address in the area of a
  record held elsewhere is not a hit (its record is not the area's), a blocked person is not
  counted (§ 51 BMG) — and the street search no longer reads ``register_person`` at all;
- PostgreSQL plans the new indexes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text

from datenspiegel.register.freie_suche import (
    FreieSucheQuery,
    Suchbereich,
    SuchbereichArt,
    normalisierte_freie_suche,
)
from datenspiegel.register.freie_suche_sql import freie_suche_statement
from datenspiegel.register.jsonl import dumps_person
from datenspiegel.register.model import Anschrift, Auskunftssperre, Person
from datenspiegel.register.model import TeilbekanntesDatum as D
from datenspiegel.register.query import PersonensucheQuery, normalisierte_suche
from datenspiegel.register.schema import (
    anschrift_table,
    geburtsdatum_table,
    legacy_anschrift_table,
    legacy_geburtsdatum_table,
    person_table,
)
from datenspiegel.register.search_sql import search_statement
from datenspiegel.register.store import RegisterStore
from datenspiegel.store import REGISTER, create_store_engine, upgrade
from tests.conftest import statements_sent

HANNOVER = "03241001"
CELLE = "03351006"
STICHTAG = date(2025, 7, 1)
GEBURT = D(1970, 3, 6)


def _person(
    pid: int, ags: str, *, strasse: str = "Lister Meile", nummer: str = "5", **kw: Any
) -> Person:
    """A person born on ``GEBURT``; their current address in their own municipality."""
    wohnung = Anschrift(ags=ags, strasse=strasse, hausnummer=nummer, wohnungsstatus="1")
    return Person(
        id=pid,
        ags=ags,
        familienname="Brandt",
        vornamen=("Ida",),
        geburtsdatum=GEBURT,
        anschriften=kw.pop("anschriften", (wohnung,)),
        **kw,
    )


#: 1–3 in Hannover (3 blocked), 4 in Celle, 5 in Celle with a former address in Hannover's
#: Lister Meile, 6 in Hannover on another house number
PERSONS = [
    _person(1, HANNOVER),
    _person(2, HANNOVER, nummer="12"),
    _person(3, HANNOVER, auskunftssperren=(Auskunftssperre(code="1"),)),
    _person(4, CELLE),
    _person(
        5,
        CELLE,
        anschriften=(
            Anschrift(ags=CELLE, strasse="Lister Meile", hausnummer="5"),
            Anschrift(ags=HANNOVER, strasse="Lister Meile", hausnummer="7", aktuell=False),
        ),
    ),
    _person(6, HANNOVER, nummer="40"),
]


def _area_rows(store: RegisterStore) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """(person id, record's municipality, row's area column …) of every date and address row."""
    g, a, p = geburtsdatum_table.c, anschrift_table.c, person_table.c
    with store.engine.connect() as conn:
        daten = conn.execute(
            select(g.person_id, p.ags, g.ags).join_from(
                geburtsdatum_table, person_table, p.id == g.person_id
            )
        ).all()
        adressen = conn.execute(
            select(a.person_id, p.ags, a.person_ags, a.ags).join_from(
                anschrift_table, person_table, p.id == a.person_id
            )
        ).all()
    return {tuple(r) for r in daten}, {tuple(r) for r in adressen}


def _assert_rows_carry_the_records_municipality(store: RegisterStore) -> None:
    daten, adressen = _area_rows(store)
    assert daten and adressen
    assert all(record == row for _pid, record, row in daten), daten
    assert all(record == row for _pid, record, row, _own in adressen), adressen
    # the address' own municipality stays what it is: person 5's former address in Hannover
    assert (5, CELLE, CELLE, HANNOVER) in adressen


@pytest.fixture
def register(database_url: str) -> Iterator[RegisterStore]:
    with RegisterStore(database_url) as store:
        store.migrate()
        store.import_persons(PERSONS, source="tests", kind="test")
        yield store


def test_an_import_puts_the_records_municipality_on_date_and_address_rows(
    register: RegisterStore,
) -> None:
    _assert_rows_carry_the_records_municipality(register)


@pytest.mark.parametrize("workers", [0, 2])
def test_a_full_load_puts_it_there_too(database_url: str, workers: int) -> None:
    """The bulk writers (COPY text on PostgreSQL, tuples on SQLite; in this process or in
    worker processes) lay out the same columns as the checked import."""
    with RegisterStore(database_url) as store:
        store.migrate()
        store.full_reload(
            [dumps_person(p) for p in PERSONS], source="stock", kind="bestand", workers=workers
        )
        _assert_rows_carry_the_records_municipality(store)


def test_a_record_moved_elsewhere_takes_its_rows_along(register: RegisterStore) -> None:
    """A record re-delivered by Celle (moved there): its date and address rows now name Celle,
    so the Personensuche of Hannover no longer finds it and Celle's does (§ 38 Abs. 1 BMG)."""
    register.import_persons([_person(1, CELLE)], source="t", kind="aenderung")
    _assert_rows_carry_the_records_municipality(register)
    assert _personensuche(register, HANNOVER) == [2, 3, 6]
    assert _personensuche(register, CELLE) == [1, 4, 5]


def _personensuche(store: RegisterStore, ags: str, **kw: Any) -> list[int]:
    query = PersonensucheQuery(
        ags=ags, familienname="Brandt", vornamen=("Ida",), geburtsdatum=GEBURT, **kw
    )
    return sorted(p.id or 0 for p in store.search_personen(query))


def test_a_personensuche_by_date_keeps_to_its_municipality(register: RegisterStore) -> None:
    """§ 38 Abs. 1 BMG: the same name and date in Celle is not a hit of Hannover's search; the
    blocked person 3 is found (the broker answers it neutrally, DOMAIN.md § 5)."""
    assert _personensuche(register, HANNOVER) == [1, 2, 3, 6]
    assert _personensuche(register, CELLE) == [4, 5]
    assert _personensuche(register, HANNOVER, strasse="Lister Meile", hausnummer="12") == [2]
    # the address condition is the address' own municipality: 5's former Hannover address
    assert _personensuche(register, CELLE, strasse="Lister Meile", hausnummer="7") == []


def _strasse(ags: str, von: str | None = None, bis: str | None = None) -> FreieSucheQuery:
    return FreieSucheQuery(
        suchbereich=Suchbereich(SuchbereichArt.GEMEINDE, ags),
        strasse="Lister Meile",
        hausnummer=von,
        hausnummer_bis=bis,
    )


def test_a_street_search_keeps_to_its_area_on_the_address_rows(register: RegisterStore) -> None:
    """BMeldDAV § 7 / § 34a Abs. 3 BMG: the street in Hannover lists Hannover's records living
    there — not person 5 of Celle, whose former address lies there, not the blocked person 3
    (§ 51 BMG) — and the statement that counts them reads no person row."""
    sent = statements_sent(register.engine)
    found = register.search_freie_suche(_strasse(HANNOVER, "1", "20"), stichtag=STICHTAG)
    assert [p.id for p in found] == [1, 2]
    counting = [s for s in sent if "register_anschrift" in s]
    assert len(counting) == 1 and "register_person" not in counting[0], counting
    assert [p.id for p in register.search_freie_suche(_strasse(HANNOVER), stichtag=STICHTAG)] == [
        1,
        2,
        6,
    ]
    assert [p.id for p in register.search_freie_suche(_strasse(CELLE), stichtag=STICHTAG)] == [
        4,
        5,
    ]


def test_revision_0005_fills_a_register_written_before_it(database_url: str) -> None:
    """A register at revision 0004 with rows written then (no municipality on date and address
    rows) is upgraded: every row gets its record's municipality, and the searches find it."""
    engine = create_store_engine(database_url)
    try:
        upgrade(engine, REGISTER, to="0004")
        with engine.begin() as conn:
            for pid, ags in ((1, HANNOVER), (4, CELLE)):
                conn.execute(
                    person_table.insert().values(
                        id=pid, ags=ags, record={"ags": ags}, imported_at=STICHTAG
                    )
                )
                conn.execute(
                    legacy_geburtsdatum_table.insert().values(person_id=pid, datum="1970-03-06")
                )
                conn.execute(
                    legacy_anschrift_table.insert().values(
                        person_id=pid, lfd_nr=0, ags=HANNOVER, strasse="LISTERMEILE", aktuell=True
                    )
                )
        upgrade(engine, REGISTER)
        g, a = geburtsdatum_table.c, anschrift_table.c
        with engine.connect() as conn:
            daten = conn.execute(select(g.person_id, g.ags).order_by(g.person_id)).all()
            adressen = conn.execute(
                select(a.person_id, a.ags, a.person_ags).order_by(a.person_id)
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in daten] == [(1, HANNOVER), (4, CELLE)]
    assert [tuple(r) for r in adressen] == [(1, HANNOVER, HANNOVER), (4, HANNOVER, CELLE)]


@pytest.mark.postgres
def test_postgresql_plans_the_municipality_on_date_and_address_rows(pg_url: str) -> None:
    """The Personensuche starts from ``(datum, ags, person_id)``; the street search answers
    from ``(ags, strasse, hausnummer_zahl, person_ags, person_id)`` without ``register_person``."""
    persons = [
        _person(pid, HANNOVER if pid % 2 else CELLE, nummer=str(pid % 40 + 1))
        for pid in range(1, 400)
    ]
    with RegisterStore(pg_url) as store:
        store.migrate()
        store.import_persons(persons, source="plans", kind="test")
        suche = normalisierte_suche(
            PersonensucheQuery(
                ags=HANNOVER, familienname="Brandt", vornamen=("Ida",), geburtsdatum=GEBURT
            )
        )
        statement, params = search_statement(suche, 10)
        strasse = freie_suche_statement(
            normalisierte_freie_suche(_strasse(HANNOVER, "1", "20")), stichtag=STICHTAG, limit=1001
        )
        dialect = store.engine.dialect
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            conn.execute(text("SET LOCAL enable_bitmapscan = off"))
            plans = []
            for compiled in (
                statement.params(params).compile(
                    dialect=dialect, compile_kwargs={"literal_binds": True}
                ),
                strasse.compile(dialect=dialect, compile_kwargs={"literal_binds": True}),
            ):
                rows = conn.execute(text(f"EXPLAIN {compiled}"))
                plans.append("\n".join(row[0] for row in rows))
    personensuche, freie_suche = plans
    assert "ix_register_geburtsdatum_datum_ags_person" in personensuche, personensuche
    assert "ix_register_anschrift_strasse_person" in freie_suche, freie_suche
    assert "register_person" not in freie_suche, freie_suche
