"""The register store on both back-ends: schema, import (batches, replacement, delivery log),
record retrieval, street lookup, statistics, and its failures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from datenspiegel.fixtures.testpersons import TEST_PERSONS, find_test_person
from datenspiegel.register.errors import ImportFormatError, RegisterUnavailableError
from datenspiegel.register.migrations import MIGRATIONS
from datenspiegel.register.model import Anschrift, Person
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.register.store import RegisterStore
from datenspiegel.register.strassen import Strasse, read_strassen

HANNOVER = "03241001"
NEWEST = MIGRATIONS[-1].version


@pytest.fixture
def store(database_url: str) -> Iterator[RegisterStore]:
    with RegisterStore(database_url, batch_size=4) as register:
        assert register.migrate() == NEWEST
        yield register


def test_migrate_is_idempotent(store: RegisterStore) -> None:
    assert store.migrate() == NEWEST
    assert store.schema_version() == NEWEST


def test_import_writes_records_and_logs_each_municipality(store: RegisterStore) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    report = store.import_persons(TEST_PERSONS, source="testpersonen.jsonl", kind="bestand")
    assert report.records == len(TEST_PERSONS)
    assert report.replaced == 0
    expected_per_ags: dict[str, int] = {}
    for person in TEST_PERSONS:
        expected_per_ags[person.ags] = expected_per_ags.get(person.ags, 0) + 1
    assert dict(report.per_ags) == expected_per_ags
    log = store.import_log()
    assert [(e.ags, e.records) for e in log] == sorted(expected_per_ags.items())
    assert {(e.kind, e.source, e.complete) for e in log} == {
        ("bestand", "testpersonen.jsonl", True)
    }
    assert all(before <= e.received_at <= datetime.now(UTC) for e in log)
    assert [e.ags for e in store.import_log(ags=HANNOVER)] == [HANNOVER]


def test_get_person_returns_the_record_as_delivered(store: RegisterStore) -> None:
    store.import_persons(TEST_PERSONS, source="t", kind="t")
    for person in TEST_PERSONS:
        assert store.get_person(person.id or 0) == person
    assert store.get_person(999_999) is None


def test_ids_are_assigned_after_the_highest(store: RegisterStore) -> None:
    store.import_persons(TEST_PERSONS, source="t", kind="t")
    new = [Person(ags=HANNOVER, familienname=f"Neu{i}") for i in range(3)]
    store.import_persons(new, source="t", kind="t")
    highest = max(p.id or 0 for p in TEST_PERSONS)
    for offset, person in enumerate(new, start=1):
        (found,) = store.search_personen(
            PersonensucheQuery(ags=HANNOVER, familienname=person.familienname)
        )
        assert found.id == highest + offset


def test_a_delivery_replaces_records_with_the_same_id(store: RegisterStore) -> None:
    store.import_persons(TEST_PERSONS, source="first", kind="bestand")
    old = find_test_person(11)
    moved = Person(
        id=old.id,
        ags=old.ags,
        familienname="Öhlschläger",
        vornamen=old.vornamen,
        anschriften=(Anschrift(ags=HANNOVER, strasse="Lister Meile", hausnummer="1"),),
    )
    report = store.import_persons([moved], source="update", kind="aenderung")
    assert (report.records, report.replaced) == (1, 1)
    assert store.get_person(11) == moved
    assert store.stats().persons == len(TEST_PERSONS)
    # no search key of the old record survives
    gone = PersonensucheQuery(ags=HANNOVER, familienname=old.familienname)
    assert store.search_personen(gone) == []
    # ... but the street stays in the municipality's directory: whether a street is known
    # never depends on who lives there (§ 34a Abs. 5 BMG, register/strassen.py)
    assert store.known_street(HANNOVER, "Große Düwelstraße")
    assert [
        p.id
        for p in store.search_personen(
            PersonensucheQuery(ags=HANNOVER, familienname="Oehlschlaeger", strasse="Lister Meile")
        )
    ] == [11]


def test_the_later_of_two_equal_ids_in_one_delivery_wins(store: RegisterStore) -> None:
    first = Person(id=500, ags=HANNOVER, familienname="Erster")
    second = Person(id=500, ags=HANNOVER, familienname="Zweiter")
    report = store.import_persons([first, second], source="t", kind="t")
    assert (report.records, report.replaced) == (2, 1)
    assert store.get_person(500) == second


def test_known_street(store: RegisterStore) -> None:
    store.import_persons(TEST_PERSONS, source="t", kind="t")
    assert store.known_street(HANNOVER, "Podbielskistraße")
    assert store.known_street(HANNOVER, "PODBIELSKISTR.")
    assert store.known_street(HANNOVER, "Lister Meile")  # a former address is a street too
    assert store.known_street(HANNOVER, "grosse duewelstr")
    assert not store.known_street(HANNOVER, "Podbielski")
    assert not store.known_street("03101000", "Podbielskistraße")  # other municipality
    assert not store.known_street(HANNOVER, "")


def test_the_street_directory_decides_rejection_02_not_the_residents(
    store: RegisterStore,
) -> None:
    """Rejection 02 depends on the municipality's street directory alone (§ 34a Abs. 5,
    § 51 BMG: no answer may differ because of a blocked person; code list Grund 02)."""
    report = store.import_strassen(
        [Strasse(HANNOVER, "Am Küchengarten"), Strasse("03101000", "Bohlweg")], source="verz"
    )
    assert (report.kind, report.records, report.per_ags) == (
        "strassenverzeichnis",
        2,
        (("03101000", 1), (HANNOVER, 1)),
    )
    # a street no one lives in is known, in its own municipality only, in every spelling
    assert store.known_street(HANNOVER, "Am Kuechengarten")
    assert store.known_street(HANNOVER, "am küchen-garten")
    assert not store.known_street("03101000", "Am Küchengarten")
    # a directory delivery makes the municipality known before any person is delivered
    assert store.known_municipality("03101000")
    # delivering again adds nothing and fails nothing; removal of residents removes nothing
    store.import_strassen([Strasse(HANNOVER, "Am Küchengarten")], source="verz")
    person = Person(
        id=900,
        ags=HANNOVER,
        familienname="X",
        anschriften=(Anschrift(ags=HANNOVER, strasse="Hohe Str."),),
    )
    store.import_persons([person], source="p", kind="t")
    store.import_persons([replace(person, anschriften=())], source="p", kind="t")
    assert store.known_street(HANNOVER, "Hohe Straße")
    assert store.stats().streets == 3


def test_a_street_directory_file_is_read_strictly(tmp_path: Path) -> None:
    """Malformed lines name the line and what is wrong; nothing is guessed."""
    good = tmp_path / "ok.jsonl"
    good.write_text('{"ags": "03241001", "strasse": " Lister Meile "}\n\n', encoding="utf-8")
    assert list(read_strassen(good)) == [Strasse(HANNOVER, "Lister Meile")]
    for line, message in (
        ("[1]", "a JSON object is expected"),
        ('{"ags": "03241001"}', "strasse must name a street"),
        ('{"ags": "09162000", "strasse": "Marienplatz"}', "AGS of Lower Saxony"),
        ('{"ags": "03241001", "strasse": "-.-"}', "strasse must name a street"),
        ('{"ags": "03241001", "strasse": "X", "plz": "1"}', "unknown field(s) plz"),
        ("{", "not JSON"),
    ):
        bad = tmp_path / "bad.jsonl"
        bad.write_text('{"ags": "03241001", "strasse": "A"}\n' + line + "\n", encoding="utf-8")
        with pytest.raises(ImportFormatError, match=re.escape(message)) as raised:
            list(read_strassen(bad))
        assert raised.value.line == 2


def test_stats(store: RegisterStore) -> None:
    empty = store.stats()
    assert (empty.persons, empty.addresses, empty.deliveries) == (0, 0, 0)
    store.import_persons(TEST_PERSONS, source="t", kind="t")
    stats = store.stats()
    assert stats.schema_version == NEWEST
    assert stats.persons == len(TEST_PERSONS)
    assert stats.addresses == sum(len(p.anschriften) for p in TEST_PERSONS)
    assert stats.persons_with_sperre == sum(1 for p in TEST_PERSONS if p.auskunftssperren)
    assert stats.municipalities == len({p.ags for p in TEST_PERSONS})
    assert sum(n for _ags, n in stats.persons_per_ags) == stats.persons
    assert stats.surname_variants >= stats.persons
    assert stats.deliveries == stats.municipalities


def test_an_interrupted_import_keeps_committed_batches_and_logs_them(
    store: RegisterStore,
) -> None:
    def delivery() -> Iterator[Person]:
        yield from TEST_PERSONS[:6]  # batch_size 4: one full batch, then a partial one
        raise OSError("connection to the municipality lost")

    with pytest.raises(OSError):
        store.import_persons(delivery(), source="abgebrochen", kind="bestand")
    assert store.stats().persons == 4
    log = store.import_log()
    assert sum(e.records for e in log) == 4
    assert {e.complete for e in log} == {False}


def test_search_without_schema_says_what_to_do(database_url: str) -> None:
    with RegisterStore(database_url) as register:
        with pytest.raises(RegisterUnavailableError) as caught:
            register.search_personen(PersonensucheQuery(ags=HANNOVER, familienname="Meier"))
    assert caught.value.code == "16"
    assert "migrate" in str(caught.value)


def test_unusable_url() -> None:
    with pytest.raises(RegisterUnavailableError) as caught:
        RegisterStore("nosuchdb://user:secret@host/db")
    assert "secret" not in str(caught.value)
    with pytest.raises(ValueError):
        RegisterStore("sqlite://", batch_size=0)
