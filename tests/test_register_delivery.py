"""Deliveries of changes from a municipality (issue 11): every kind of operation and its effect
on the Personensuche, all or nothing, once — on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from datenspiegel.fixtures.testpersons import TEST_PERSONS
from datenspiegel.register.delivery import read_delivery
from datenspiegel.register.delivery_schema import lieferung_table
from datenspiegel.register.errors import (
    DeliveryConflictError,
    DeliveryRejectedError,
    ImportFormatError,
    RegisterBusyError,
)
from datenspiegel.register.freie_suche import (
    FreieSucheQuery,
    NameKriterium,
    Suchbereich,
    SuchbereichArt,
)
from datenspiegel.register.jsonl import person_to_json
from datenspiegel.register.pg_locks import hold_for_reload, release_reload
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.register.store import RegisterStore

HANNOVER = "03241001"
ERIKA = PersonensucheQuery(ags=HANNOVER, familienname="Mustermann", vornamen=("Erika",))


@pytest.fixture
def store(database_url: str) -> RegisterStore:
    register = RegisterStore(database_url)
    register.migrate()
    register.import_persons(TEST_PERSONS, source="testpersonen", kind="bestand")
    yield register  # type: ignore[misc]
    register.close()


def _delivery(*operations: dict[str, Any], lieferung: str = "L1", ags: str = HANNOVER) -> Any:
    header = {"lieferung": lieferung, "ags": ags, "nachrichtentyp": "fortschreibung"}
    lines = [json.dumps(header), *(json.dumps(op, ensure_ascii=False) for op in operations)]
    return read_delivery(io.StringIO("\n".join(lines) + "\n"))


def _ids(store: RegisterStore, query: PersonensucheQuery) -> list[int | None]:
    return [p.id for p in store.search_personen(query)]


def _erika() -> dict[str, Any]:
    return person_to_json(next(p for p in TEST_PERSONS if p.id == 1))


def test_new_and_changed_records_are_found_by_their_new_data(store: RegisterStore) -> None:
    neu = {"id": 5001, "ags": HANNOVER, "familienname": "Kurzweil", "vornamen": ["Ida"]}
    neu["anschriften"] = [{"ags": HANNOVER, "postleitzahl": "30159", "strasse": "Neue Gasse 1"}]
    changed = _erika() | {"familienname": "Musterfrau"}

    report = store.apply_delivery(
        _delivery({"op": "new", "person": neu}, {"op": "changed", "person": changed}),
        source="d.jsonl",
    )

    assert not report.already_applied and report.records == 2
    assert report.per_operation == (("new", 1), ("changed", 1))
    kurzweil = PersonensucheQuery(ags=HANNOVER, familienname="Kurzweil", vornamen=("Ida",))
    assert _ids(store, kurzweil) == [5001]
    assert _ids(store, ERIKA) == []
    assert _ids(store, dataclasses.replace(ERIKA, familienname="Musterfrau")) == [1]
    assert store.known_street(HANNOVER, "Neue Gasse 1")
    (logged,) = [e for e in store.import_log() if e.source == "d.jsonl"]
    assert (logged.ags, logged.kind, logged.records) == (HANNOVER, "fortschreibung", 2)


def test_a_new_record_without_id_gets_the_next_free_one(store: RegisterStore) -> None:
    neu = {"ags": HANNOVER, "familienname": "Ohnenummer", "vornamen": ["Jan"]}
    store.apply_delivery(_delivery({"op": "new", "person": neu}), source="d")
    query = PersonensucheQuery(ags=HANNOVER, familienname="Ohnenummer", vornamen=("Jan",))
    (found,) = store.search_personen(query)
    assert found.id == max(p.id or 0 for p in TEST_PERSONS) + 1


def test_moved_away_ends_the_current_addresses_and_the_record_is_still_found(
    store: RegisterStore,
) -> None:
    store.apply_delivery(
        _delivery(
            {
                "op": "moved_away",
                "id": 1,
                "datum": "2025-06-30",
                "nach": "ausland",
                "staat": "AUT",
                "anschrift": "Mariahilfer Straße 12, 1060 Wien",
            }
        ),
        source="d",
    )
    (erika,) = store.search_personen(ERIKA)
    assert erika.verzogen_ins_ausland and erika.wegzug_ausland_staat == "AUT"
    assert not erika.aktuelle_anschriften
    assert str(erika.anschriften[0].auszugsdatum) == "2025-06-30"
    # the former address still finds her: whoever knows only it must learn that she moved
    by_address = PersonensucheQuery(
        ags=HANNOVER, familienname="Mustermann", vornamen=("Erika",), strasse="Podbielskistraße",
        postleitzahl="30177", hausnummer="17",
    )  # fmt: skip
    assert _ids(store, by_address) == [1]


def test_deceased_makes_the_date_of_death_a_criterion(store: RegisterStore) -> None:
    store.apply_delivery(
        _delivery({"op": "deceased", "id": 1, "datum": "2025-06-29", "ort": "Hannover"}),
        source="d",
    )
    (erika,) = store.search_personen(ERIKA)
    assert erika.verstorben and erika.sterbeort == "Hannover"
    query = dataclasses.replace(ERIKA, sterbedatum=erika.sterbedatum)
    assert _ids(store, query) == [1]


def _freie_suche(store: RegisterStore) -> list[int | None]:
    query = FreieSucheQuery(
        suchbereich=Suchbereich(SuchbereichArt.GEMEINDE, HANNOVER),
        familienname=NameKriterium("Mustermann"),
        vornamen=NameKriterium("Erika"),
    )
    return [p.id for p in store.search_freie_suche(query, stichtag=date(2025, 7, 1))]


def test_a_block_set_and_lifted(store: RegisterStore) -> None:
    assert _freie_suche(store) == [1]
    store.apply_delivery(
        _delivery({"op": "block_set", "id": 1, "code": "1", "veranlassende_stelle": "Stadt"}),
        source="d",
    )
    (erika,) = store.search_personen(ERIKA)  # the store finds; the broker answers 03
    assert erika.sperrt_auskunft_am(date(2025, 7, 1))
    assert _freie_suche(store) == []  # never named in a freie Suche (DOMAIN.md § 4)
    assert store.stats().persons_with_sperre >= 1

    store.apply_delivery(
        _delivery({"op": "block_lifted", "id": 1, "code": "1"}, lieferung="L2"), source="d"
    )
    (erika,) = store.search_personen(ERIKA)
    assert not erika.auskunftssperren
    assert _freie_suche(store) == [1]


def _count(store: RegisterStore, table: Any) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def test_the_same_delivery_twice_changes_nothing_the_second_time(store: RegisterStore) -> None:
    delivery = _delivery({"op": "block_set", "id": 1, "code": "3"})
    first = store.apply_delivery(delivery, source="d")
    log_entries = len(store.import_log())

    second = store.apply_delivery(delivery, source="d")

    assert not first.already_applied and second.already_applied
    assert second.applied_at == first.applied_at
    assert len(store.import_log()) == log_entries
    assert _count(store, lieferung_table) == 1
    (erika,) = store.search_personen(ERIKA)
    assert [s.code for s in erika.auskunftssperren] == ["3"]


def test_another_content_under_an_applied_id_is_refused(store: RegisterStore) -> None:
    store.apply_delivery(_delivery({"op": "block_set", "id": 1, "code": "3"}), source="d")
    with pytest.raises(DeliveryConflictError, match="other content"):
        store.apply_delivery(_delivery({"op": "block_set", "id": 1, "code": "1"}), source="d")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"op": "changed", "person": {"id": 999999, "ags": HANNOVER}}, "no record 999999"),
        ({"op": "block_lifted", "id": 1, "code": "11"}, "no Sperre with code 11"),
        ({"op": "new", "person": {"id": 1, "ags": HANNOVER}}, "held already"),
        ({"op": "deceased", "id": 2, "datum": "2025-01-01"}, "municipality 03101000"),
        ({"op": "new", "person": {"id": 6000, "ags": "03101000"}}, "of municipality 03101000"),
    ],
)
def test_a_delivery_with_a_bad_operation_changes_nothing(
    store: RegisterStore, bad: dict[str, Any], message: str
) -> None:
    log_entries = len(store.import_log())
    delivery = _delivery(
        {"op": "block_set", "id": 1, "code": "1"},
        {"op": "deceased", "id": 1, "datum": "2025-06-29"},
        bad,
    )
    with pytest.raises(DeliveryRejectedError) as caught:
        store.apply_delivery(delivery, source="d")
    assert caught.value.line == 4 and message in str(caught.value)
    (erika,) = store.search_personen(ERIKA)
    assert not erika.auskunftssperren and not erika.verstorben
    assert len(store.import_log()) == log_entries and _count(store, lieferung_table) == 0
    # the corrected delivery (the refused one was not recorded) applies under the same id
    fixed = _delivery({"op": "block_set", "id": 1, "code": "1"})
    assert not store.apply_delivery(fixed, source="d").already_applied


@pytest.mark.parametrize(
    ("lines", "line", "message"),
    [
        (['{"op": "new", "person": {}}'], 1, "header"),
        (['{"lieferung": "L", "ags": "0324100", "nachrichtentyp": "x"}'], 1, "AGS"),
        (['{"lieferung": "L", "ags": "03241001"}'], 1, "nachrichtentyp missing"),
        (['{"lieferung": "L", "ags": "03241001", "nachrichtentyp": "x"}', '{"op": "gone"}'], 2,
         "op must be one of"),
        (['{"lieferung": "L", "ags": "03241001", "nachrichtentyp": "x"}',
          '{"op": "moved_away", "id": 1, "datum": "2025-13", "nach": "inland"}'], 2, "datum"),
        (['{"lieferung": "L", "ags": "03241001", "nachrichtentyp": "x"}',
          '{"op": "moved_away", "id": 1, "datum": "2025", "nach": "ausland"}'], 2, "staat"),
        (['{"lieferung": "L", "ags": "03241001", "nachrichtentyp": "x"}',
          '{"op": "block_set", "id": 1, "code": "99"}'], 2, "not a valid code"),
        (['{"lieferung": "L", "ags": "03241001", "nachrichtentyp": "x"}',
          '{"op": "changed", "person": {"ags": "03241001", "nachname": "X"}}'], 2, "nachname"),
    ],
)  # fmt: skip
def test_a_malformed_delivery_names_the_line(lines: list[str], line: int, message: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_delivery(io.StringIO("\n".join(lines)))
    assert caught.value.line == line and message in str(caught.value)


def test_the_documented_delivery_is_read() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs" / "register.md"
    section = docs.read_text(encoding="utf-8").split("## Deliveries of changes", 1)[1]
    example = section.split("```json\n", 1)[1].split("\n```", 1)[0]
    delivery = read_delivery(io.StringIO(example))
    assert delivery.header.lieferung == "03241001-2025-07-01-1"
    assert [change.op.value for change in delivery.changes] == [
        "new", "changed", "moved_away", "moved_away", "deceased", "block_set", "block_lifted",
    ]  # fmt: skip


@pytest.mark.postgres
def test_no_delivery_while_a_full_reload_runs(pg_url: str) -> None:
    store = RegisterStore(pg_url)
    store.migrate()
    store.import_persons(TEST_PERSONS, source="testpersonen", kind="bestand")
    try:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as reload:
            key = hold_for_reload(reload)  # what a running full reload holds
            with pytest.raises(RegisterBusyError, match="full reload"):
                store.apply_delivery(
                    _delivery({"op": "block_set", "id": 1, "code": "1"}), source="d"
                )
            release_reload(reload, key)
        assert not store.apply_delivery(
            _delivery({"op": "block_set", "id": 1, "code": "1"}), source="d"
        ).already_applied
    finally:
        store.close()
