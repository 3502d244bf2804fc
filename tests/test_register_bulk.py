"""Full reload at bulk speed (issue 11): the same register as the batched import, swapped in
whole, refused whole, and searchable throughout — on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select

from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.fixtures.testpersons import TEST_CASES, TEST_PERSONS
from datenspiegel.register.errors import ImportFormatError
from datenspiegel.register.jsonl import dumps_person, read_jsonl
from datenspiegel.register.keyrows import stored_person
from datenspiegel.register.model import Person
from datenspiegel.register.schema import import_log_table, strasse_table
from datenspiegel.register.store import RegisterStore
from datenspiegel.register.tablerows import ROW_TABLES

_RANDOM = 300


@pytest.fixture
def store(database_url: str) -> RegisterStore:
    register = RegisterStore(database_url)
    register.migrate()
    yield register  # type: ignore[misc]
    register.close()


def _lines(persons: list[Person]) -> list[str]:
    return [dumps_person(person) + "\n" for person in persons]


def _persons(count: int = _RANDOM, seed: int = 3) -> list[Person]:
    return list(generate_persons(seed=seed, count=count))


def _snapshot(store: RegisterStore) -> dict[str, Any]:
    """Every row of every record table (the record itself parsed), and the street directory."""
    out: dict[str, Any] = {}
    with store.engine.connect() as conn:
        for table in ROW_TABLES:
            columns = [c for c in table.columns if c.name not in ("record", "imported_at")]
            out[table.name] = sorted(tuple(row) for row in conn.execute(select(*columns)).all())
        records = conn.execute(select(ROW_TABLES[0].c.id, ROW_TABLES[0].c.record)).all()
        out["records"] = sorted(
            ((int(pid), stored_person(pid, record)) for pid, record in records),
            key=lambda item: item[0],
        )
        out["streets"] = sorted(
            conn.execute(
                select(strasse_table.c.ags, strasse_table.c.strasse, strasse_table.c.bezeichnung)
            ).all()
        )
    return out


def _answers(store: RegisterStore) -> dict[str, tuple[int | None, ...]]:
    return {
        case.kennung: tuple(p.id for p in store.search_personen(case.query)) for case in TEST_CASES
    }


def test_a_full_load_gives_the_register_the_import_gives(store: RegisterStore) -> None:
    persons = _persons()
    store.import_persons(read_jsonl(io.StringIO("".join(_lines(persons)))), source="a", kind="k")
    imported, imported_answers = _snapshot(store), _answers(store)
    assert imported_answers == {case.kennung: case.treffer for case in TEST_CASES}

    report = store.full_reload(_lines(persons), source="stock.jsonl", kind="bestand", workers=0)

    assert report.records == report.previous_records == len(persons)
    assert _snapshot(store) == imported  # rows, keys, records and streets alike
    assert _answers(store) == imported_answers
    logged = [e for e in store.import_log() if e.source == "stock.jsonl"]
    assert sorted((e.ags, e.records) for e in logged) == sorted(report.per_ags)
    assert all(e.kind == "bestand" and e.complete for e in logged)
    assert not [name for name in inspect(store.engine).get_table_names() if "_load" in name]


def test_a_full_load_replaces_every_record_but_never_a_street(store: RegisterStore) -> None:
    store.full_reload(_lines(_persons(seed=4)), source="old", kind="bestand", workers=0)
    streets_before = set(_snapshot(store)["streets"])
    smaller = list(TEST_PERSONS[:5])

    report = store.full_reload(_lines(smaller), source="new", kind="bestand", workers=0)

    assert report.previous_records == _RANDOM + len(TEST_PERSONS)
    assert store.stats().persons == 5
    assert [p.id for p, _ in _kept(store)] == [p.id for p in smaller]
    assert streets_before <= set(_snapshot(store)["streets"])
    # the register's indexes are back under their names (the next revision can rely on them)
    names = {i["name"] for i in inspect(store.engine).get_indexes("register_name")}
    assert {"ix_register_name_value_ags", "ix_register_name_phon_ags"} <= names


def _kept(store: RegisterStore) -> list[tuple[Person, None]]:
    return [(person, None) for _, person in _snapshot(store)["records"]]


def test_a_full_load_with_worker_processes(tmp_path: Path) -> None:
    store = RegisterStore(f"sqlite:///{tmp_path / 'r.sqlite'}")
    store.migrate()
    persons = _persons(count=900)
    try:
        report = store.full_reload(_lines(persons), source="s", kind="bestand", workers=2)
        assert report.records == len(persons) and report.workers == 2
        assert _answers(store) == {case.kennung: case.treffer for case in TEST_CASES}
    finally:
        store.close()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"id": 5000, "ags": "0324100"}', "8-digit"),
        ('{"ags": "03241001", "familienname": "Ohneid"}', "has no id"),
        ("{not json", "not JSON"),
    ],
)
def test_a_bad_line_stops_the_load_and_the_register_stays(
    store: RegisterStore, bad: str, message: str
) -> None:
    store.full_reload(_lines(_persons(count=50)), source="old", kind="bestand", workers=0)
    before, answers = _snapshot(store), _answers(store)
    lines = _lines(_persons(count=120, seed=9))
    lines.insert(100, bad + "\n")

    with pytest.raises(ImportFormatError) as caught:
        store.full_reload(lines, source="bad", kind="bestand", workers=0, chunk_lines=40)

    assert caught.value.line == 101 and message in str(caught.value)
    assert _snapshot(store) == before and _answers(store) == answers
    assert not [e for e in store.import_log() if e.source == "bad"]
    assert not [name for name in inspect(store.engine).get_table_names() if "_load" in name]


def test_an_id_twice_in_a_stock_is_refused(store: RegisterStore) -> None:
    persons = _persons(count=20)
    twice = [*persons, dataclasses.replace(persons[3], familienname="Doppelt")]

    with pytest.raises(ImportFormatError, match="names each record once"):
        store.full_reload(_lines(twice), source="bad", kind="bestand", workers=0)

    assert store.stats().persons == 0
    assert not [name for name in inspect(store.engine).get_table_names() if "_load" in name]


def test_searches_answer_from_the_old_or_the_new_register_during_a_reload(
    store: RegisterStore,
) -> None:
    case = next(c for c in TEST_CASES if len(c.treffer) == 1 and not c.query.phonetisch)
    (target,) = case.treffer
    old = _persons(count=600)
    new = [
        dataclasses.replace(p, geburtsort="Neustadt") if p.id == target else p
        for p in _persons(count=700, seed=8)
    ]
    store.full_reload(_lines(old), source="old", kind="bestand", workers=0)
    seen: list[str | None] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def search() -> None:
        while True:
            finished = done.is_set()
            try:
                hits = store.search_personen(case.query)
                assert [p.id for p in hits] == [target], hits
                seen.append(hits[0].geburtsort)
            except BaseException as exc:
                failures.append(exc)
                return
            if finished:
                return

    searcher = threading.Thread(target=search)
    searcher.start()
    try:
        for _ in range(2):
            store.full_reload(_lines(new), source="new", kind="bestand", workers=0)
            store.full_reload(_lines(old), source="old", kind="bestand", workers=0)
        store.full_reload(_lines(new), source="new", kind="bestand", workers=0)
    finally:
        done.set()
        searcher.join(timeout=60)
    assert not failures, failures
    original = next(p for p in old if p.id == target).geburtsort
    assert set(seen) <= {original, "Neustadt"} and seen[-1] == "Neustadt"
    assert len(seen) > 5


def test_the_delivery_log_of_a_full_load_names_every_municipality(store: RegisterStore) -> None:
    persons = _persons(count=100)
    store.full_reload(_lines(persons), source="stock", kind="bestand", workers=0)
    with store.engine.connect() as conn:
        logged = dict(
            conn.execute(select(import_log_table.c.ags, import_log_table.c.records)).all()
        )
    expected: dict[str, int] = {}
    for person in persons:
        expected[person.ags] = expected.get(person.ags, 0) + 1
    assert logged == expected


def test_sqlite_bulk_pragmas_are_restored(tmp_path: Path) -> None:
    store = RegisterStore(f"sqlite:///{tmp_path / 'r.sqlite'}", pool_size=1)
    store.migrate()
    try:
        with store.engine.connect() as conn:
            before = [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in _PRAGMAS]
        store.full_reload(_lines(_persons(count=30)), source="s", kind="bestand", workers=0)
        with store.engine.connect() as conn:  # SQLite's pool hands the same connection back
            after = [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in _PRAGMAS]
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        assert after == before and before[0] == 1 and mode == "wal"
    finally:
        store.close()


_PRAGMAS = ("foreign_keys", "cache_size", "temp_store", "synchronous")
