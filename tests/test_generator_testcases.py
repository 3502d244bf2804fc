"""Every documented test case finds exactly its test persons in a generated register of
~2 000 persons, on both back-ends — and the documentation shows what the code defines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from datenspiegel.fixtures.generator import STICHTAG, generate_persons
from datenspiegel.fixtures.testpersons import (
    TEST_CASES,
    TEST_PERSONS,
    Fakt,
    TestCase,
    find_test_person,
    markdown_table,
)
from datenspiegel.register.store import RegisterStore

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture
def register(database_url: str) -> Iterator[RegisterStore]:
    with RegisterStore(database_url) as store:
        store.migrate()
        store.import_persons(generate_persons(seed=1, count=2000), source="gen", kind="test")
        yield store


def test_every_test_case_finds_its_persons(register: RegisterStore) -> None:
    for case in TEST_CASES:
        found = tuple(p.id for p in register.search_personen(case.query))
        assert found == case.treffer, f"{case.kennung} {case.titel}"


def _status_for_a_public_body(case: TestCase, stichtag: date) -> str:
    """The answer status the documented rules give (DOMAIN.md § 3), from the records."""
    hits = [find_test_person(pid) for pid in case.treffer]
    visible = [p for p in hits if not p.sperrt_auskunft_am(stichtag)]
    if not visible:
        return "03"
    return "01" if len(hits) == 1 else "02"


@pytest.mark.parametrize("case", TEST_CASES, ids=[c.kennung for c in TEST_CASES])
def test_documented_status_and_facts_follow_from_the_records(case: TestCase) -> None:
    assert _status_for_a_public_body(case, STICHTAG) == case.status
    persons = [find_test_person(pid) for pid in case.treffer]
    facts = set(case.fakten)
    if case.status == "01":
        (person,) = persons
        assert (Fakt.VERSTORBEN in facts) == person.verstorben
        assert (Fakt.VERZOGEN_INS_AUSLAND in facts) == person.verzogen_ins_ausland
        assert (Fakt.VERZOGEN_INLAND in facts) == person.verzogen_inland
        assert (Fakt.VERRINGERTER_DATENUMFANG in facts) == person.verringerter_datenumfang
        assert (Fakt.BEDINGTER_SPERRVERMERK in facts) == person.bedingter_sperrvermerk
        if Fakt.ANGEHOERIGER_AUSGELASSEN in facts:
            assert any(a.auskunftssperre for a in person.angehoerige)
    if Fakt.SICHERHEITSBEHOERDE_INFORMIEREN in facts:
        assert any(p.gesperrt_durch_sicherheitsbehoerde_am(STICHTAG) for p in persons)


def test_the_required_kinds_of_test_person_exist() -> None:
    statuses = {case.status for case in TEST_CASES}
    assert statuses == {"01", "02", "03"}
    codes = {s.code for p in TEST_PERSONS for s in p.auskunftssperren}
    assert {"3", "11"} <= codes
    assert any(p.bedingter_sperrvermerk for p in TEST_PERSONS)
    assert any(p.verstorben for p in TEST_PERSONS)
    assert any(p.verzogen_ins_ausland for p in TEST_PERSONS)
    assert any(p.verzogen_inland for p in TEST_PERSONS)
    assert any(p.fruehere_familiennamen for p in TEST_PERSONS)
    assert any(p.geburtsdatum.tag is None for p in TEST_PERSONS)
    assert any("ß" in (p.familienname or "") for p in TEST_PERSONS)


def test_docs_show_the_test_cases() -> None:
    text = (DOCS / "testpersonen.md").read_text(encoding="utf-8")
    assert markdown_table() in text, "docs/testpersonen.md is out of date: paste markdown_table()"
