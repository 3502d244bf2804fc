"""The Personensuche's statement on SQLite starts from the persons born that day in the
municipality (register/search_sql.py, ``steered``; issue 11).

BMeldDAV § 4 names the criteria of a Personensuche in one municipality (§ 38 Abs. 1 BMG); the
exact date of birth among them is the one that narrows a large city to a few dozen persons.
SQLite never turns a correlated ``EXISTS`` into the set a query starts from, and a register has
no statistics after a load, so the statement must say where to start. Measured at 10 M persons:
a common surname in Hannover (30 703 persons) took 294 ms as the starting set, the day's
persons 0.14 ms. These tests show that the steered statement finds exactly what the other form
finds (every documented test case, exact and phonetic — BMeldDAV Anlage Nr. 4), that SQLite
plans it from the date index, and that it does a fraction of the work when many persons share
the surname (counted in SQLite's virtual-machine steps, which do not depend on the machine).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Connection

from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.fixtures.testpersons import TEST_CASES
from datenspiegel.register.model import Person
from datenspiegel.register.model import TeilbekanntesDatum as D
from datenspiegel.register.query import PersonensucheQuery, normalisierte_suche
from datenspiegel.register.search_sql import search_statement
from datenspiegel.register.store import RegisterStore
from tests.conftest import statements_sent

HANNOVER = "03241001"
MEYERS = 400


def _meyers() -> list[Person]:
    """Many Meyers in Hannover, born on different days; the last one is searched."""
    template = next(p for p in generate_persons(seed=5, count=50) if p.ags == HANNOVER)
    return [
        dataclasses.replace(
            template,
            id=900_000 + i,
            familienname="Meyer",
            vornamen=("Elisabeth",),
            geburtsdatum=D(1930 + i % 60, 1 + i % 12, 1 + i % 28),
        )
        for i in range(MEYERS)
    ]


@pytest.fixture
def register(tmp_path: Path) -> Iterator[RegisterStore]:
    store = RegisterStore(f"sqlite:///{tmp_path / 'register.sqlite'}")
    store.migrate()
    store.import_persons(
        [*generate_persons(seed=5, count=300), *_meyers()], source="t", kind="test"
    )
    yield store
    store.close()


def _ids(conn: Connection, query: PersonensucheQuery, *, steered: bool) -> list[int]:
    statement, params = search_statement(normalisierte_suche(query), 1001, steered=steered)
    return [row.id for row in conn.execute(statement, params)]


def test_the_steered_statement_finds_what_the_other_form_finds(register: RegisterStore) -> None:
    """BMeldDAV Anlage Nr. 4: every documented case, exact and phonetic, with and without a
    date, gives the same persons either way — and the documented hits."""
    compared = 0
    with register.engine.connect() as conn:
        for case in TEST_CASES:
            for phonetisch in (False, True):
                query = dataclasses.replace(case.query, phonetisch=phonetisch)
                steered = _ids(conn, query, steered=True)
                assert steered == _ids(conn, query, steered=False), case.kennung
                if not phonetisch and not case.query.phonetisch:
                    assert tuple(steered) == case.treffer, case.kennung
                compared += 1
    assert compared == 2 * len(TEST_CASES)
    assert any(case.query.geburtsdatum is not None for case in TEST_CASES)


def _plan(conn: Connection, query: PersonensucheQuery, *, steered: bool) -> str:
    statement, params = search_statement(normalisierte_suche(query), 1001, steered=steered)
    compiled = statement.params(params).compile(conn.engine, compile_kwargs={"literal_binds": True})
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
    return "\n".join(str(row[3]) for row in rows)


def _steps(conn: Connection, query: PersonensucheQuery, *, steered: bool) -> tuple[int, Any]:
    """SQLite virtual-machine steps of the search (counted every 100), and its hits."""
    statement, params = search_statement(normalisierte_suche(query), 1001, steered=steered)
    dbapi: Any = conn.connection.dbapi_connection
    counted = [0]

    def count() -> int:
        counted[0] += 1
        return 0

    dbapi.set_progress_handler(count, 100)
    try:
        hits = [row.id for row in conn.execute(statement, params)]
    finally:
        dbapi.set_progress_handler(None, 100)
    return counted[0] * 100, hits


def test_sqlite_starts_from_the_days_persons_not_from_the_surname(
    register: RegisterStore,
) -> None:
    """§ 38 Abs. 1 BMG, BMeldDAV § 4: with a date, SQLite reads the day's persons of the
    municipality from ``(datum, ags, person_id)`` and checks each one's own name rows; the
    other form reads every Meyer of Hannover first."""
    target = _meyers()[-1]
    query = PersonensucheQuery(
        ags=HANNOVER,
        familienname="Meyer",
        vornamen=("Elisabeth",),
        geburtsdatum=target.geburtsdatum,
    )
    with register.engine.connect() as conn:
        plan = _plan(conn, query, steered=True)
        assert "ix_register_geburtsdatum_datum_ags_person" in plan, plan
        assert "ix_register_name_value_ags_kind_person" not in plan, plan
        assert "sqlite_autoindex_register_name_1 (person_id=?)" in plan, plan
        assert "ix_register_name_value_ags_kind_person" in _plan(conn, query, steered=False)

        steered, found = _steps(conn, query, steered=True)
        other, found_other = _steps(conn, query, steered=False)
    assert target.id in found and found == found_other
    assert steered * 10 < other, (steered, other)  # 400 Meyers: a tenth of the work at most


@pytest.mark.postgres
def test_the_store_steers_on_sqlite_only(register: RegisterStore, pg_url: str) -> None:
    """The store asks for the steered form on SQLite; PostgreSQL plans from its statistics and
    keeps the statement it was measured with (docs/performance.md)."""
    query = PersonensucheQuery(
        ags=HANNOVER, familienname="Meyer", vornamen=("Elisabeth",), geburtsdatum=D(1950, 1, 1)
    )
    sent = statements_sent(register.engine)
    register.search_personen(query)
    assert any("register_name.value || ''" in s for s in sent), sent
    with RegisterStore(pg_url) as postgres:
        postgres.migrate()
        sent = statements_sent(postgres.engine)
        postgres.search_personen(query)
    assert sent and not any("|| ''" in s for s in sent), sent
