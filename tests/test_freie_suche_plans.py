"""The freie Suche is indexed for its common criteria (BMeldDAV § 7 on a register of millions):
the query plans of SQLite and PostgreSQL use indexes and never scan ``register_person`` whole
for a name + Suchbereich search (municipality, district, state), a first name + municipality,
a street + municipality, or a birth range + first name.

PostgreSQL: a few thousand persons are too few for its planner to prefer any index, so the
plans are taken with ``enable_seqscan = off`` — which still scans sequentially when no index
*can* serve the statement: a ``Seq Scan on register_person`` in the plan means the statement's
shape defeats the indexes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.register.freie_suche import (
    FreieSucheQuery,
    NameKriterium,
    Suchbereich,
    SuchbereichArt,
    Zeitraum,
    normalisierte_freie_suche,
)
from datenspiegel.register.freie_suche_sql import freie_suche_statement
from datenspiegel.register.model import TeilbekanntesDatum as D
from datenspiegel.register.store import RegisterStore

GEMEINDE = Suchbereich(SuchbereichArt.GEMEINDE, "03241001")
KREIS = Suchbereich(SuchbereichArt.KREIS, "03241")
LAND = Suchbereich(SuchbereichArt.LAND, "03")

SEARCHES = {
    "name-gemeinde": FreieSucheQuery(suchbereich=GEMEINDE, familienname=NameKriterium("Müller")),
    "name-kreis": FreieSucheQuery(suchbereich=KREIS, familienname=NameKriterium("Müller")),
    "name-land": FreieSucheQuery(suchbereich=LAND, familienname=NameKriterium("Müller")),
    "platzhalter-kreis": FreieSucheQuery(suchbereich=KREIS, familienname=NameKriterium("Mül*")),
    "phonetisch-land": FreieSucheQuery(
        suchbereich=LAND, familienname=NameKriterium("Mueller", phonetisch=True)
    ),
    "vorname-gemeinde": FreieSucheQuery(suchbereich=GEMEINDE, vornamen=NameKriterium("Erika")),
    "strasse-gemeinde": FreieSucheQuery(suchbereich=GEMEINDE, strasse="Podbielskistraße"),
    "geburtszeitraum-vorname": FreieSucheQuery(
        suchbereich=LAND,
        vornamen=NameKriterium("Erika"),
        geburtszeitraum=Zeitraum(D(1964), D(1965)),
    ),
}


@pytest.fixture(scope="module")
def persons() -> list[Any]:
    return list(generate_persons(seed=7, count=3000))


def _compiled(store: RegisterStore, query: FreieSucheQuery) -> str:
    statement = freie_suche_statement(
        normalisierte_freie_suche(query), stichtag=date(2025, 6, 30), limit=1001
    )
    return str(
        statement.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True})
    )


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_sqlite_plan_uses_indexes(tmp_path: Any, persons: list[Any], name: str) -> None:
    with RegisterStore(f"sqlite:///{tmp_path / 'r.sqlite'}") as store:
        store.migrate()
        store.import_persons(persons, source="plans", kind="test")
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            plan = [
                row[-1]
                for row in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + _compiled(store, SEARCHES[name])
                )
            ]
    text_plan = "\n".join(plan)
    assert "SCAN register_person" not in text_plan, text_plan
    assert "USING" in text_plan and "INDEX" in text_plan, text_plan


@pytest.mark.postgres
@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_postgresql_plan_uses_indexes(pg_url: str, persons: list[Any], name: str) -> None:
    with RegisterStore(pg_url) as store:
        store.migrate()
        store.import_persons(persons, source="plans", kind="test")
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(
                row[0] for row in conn.execute(text("EXPLAIN " + _compiled(store, SEARCHES[name])))
            )
    assert "Seq Scan on register_person" not in plan, plan
    assert "Index" in plan, plan
