"""The register's freie Suche counts by person ids and reads records only for a list it may
give (issue 11), on SQLite and PostgreSQL.

BMeldDAV § 7 Abs. 4: a result list holds at most 1 000 persons; more are rejection 13, never a
truncated list. § 51 BMG / DOMAIN.md § 4: persons with a blocking Auskunftssperre are neither
listed nor counted. A surname search starts from the name rows of the area: they carry the
record's own municipality, so persons of other municipalities never enter, and a person who
holds the name twice (Familienname and Ehename) is one hit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from datenspiegel.register.errors import ErgebnislisteZuGrossError
from datenspiegel.register.freie_suche import (
    FreieSucheQuery,
    NameKriterium,
    Suchbereich,
    SuchbereichArt,
)
from datenspiegel.register.model import Auskunftssperre, Person
from datenspiegel.register.store import RegisterStore
from datenspiegel.xsd.codelists import Grund
from tests.conftest import statements_sent

HANNOVER = "03241001"
CELLE = "03351006"
STICHTAG = date(2025, 7, 1)


def _person(pid: int, ags: str, familienname: str, **kw: Any) -> Person:
    return Person(id=pid, ags=ags, familienname=familienname, vornamen=("Ida",), **kw)


@pytest.fixture
def register(database_url: str) -> Iterator[RegisterStore]:
    persons = [_person(pid, HANNOVER, "Vielzahl") for pid in range(1, 13)]
    persons += [
        _person(13, HANNOVER, "Vielzahl", auskunftssperren=(Auskunftssperre(code="3"),)),
        _person(14, CELLE, "Vielzahl"),
        _person(15, HANNOVER, "Doppel", ehename="Doppel", geschlecht="w"),
        _person(16, HANNOVER, "Doppel", geschlecht="m"),
        _person(17, CELLE, "Doppel", geschlecht="w"),
        _person(19, HANNOVER, "Zweifach", geburtsname="Ursprung"),
        _person(20, HANNOVER, "Zweifach"),
        _person(21, HANNOVER, "Anders", geburtsname="Ursprung"),
    ]
    with RegisterStore(database_url) as store:
        store.migrate()
        store.import_persons(persons, source="tests", kind="test")
        yield store


def _surname(name: str, ags: str = HANNOVER, **kw: Any) -> FreieSucheQuery:
    bereich = Suchbereich(SuchbereichArt.GEMEINDE, ags)
    return FreieSucheQuery(suchbereich=bereich, familienname=NameKriterium(name), **kw)


def test_more_than_the_limit_is_13_and_no_record_is_read(register: RegisterStore) -> None:
    """BMeldDAV § 7 Abs. 4: 12 matches against a limit of 11 are refused (code 13) from their
    ids alone — no statement reads a record."""
    sent = statements_sent(register.engine)
    with pytest.raises(ErgebnislisteZuGrossError) as refused:
        register.search_freie_suche(_surname("Vielzahl"), stichtag=STICHTAG, limit=11)
    assert refused.value.code is Grund.ERGEBNISLISTE_ZU_GROSS
    assert str(refused.value) == (
        "more than 11 persons match; narrow the Suchbereich or add search data"
    )
    assert sent and not [s for s in sent if "record" in s], sent


def test_a_full_list_is_given_and_blocked_persons_do_not_count(register: RegisterStore) -> None:
    """Exactly the limit is a list (BMeldDAV § 7 Abs. 4); the blocked namesake (§ 51 BMG) is
    neither in it nor counted, the one in Celle is outside the Suchbereich (§ 34a Abs. 3 BMG)."""
    found = register.search_freie_suche(_surname("Vielzahl"), stichtag=STICHTAG, limit=12)
    assert [p.id for p in found] == list(range(1, 13))
    assert all(p.familienname == "Vielzahl" and p.ags == HANNOVER for p in found)
    celle = register.search_freie_suche(_surname("Vielzahl", CELLE), stichtag=STICHTAG)
    assert [p.id for p in celle] == [14]


def test_a_block_ended_before_the_day_counts_again(register: RegisterStore) -> None:
    """§ 51 BMG: a block until yesterday no longer keeps the person out (nor uncounted)."""
    ended = _person(
        18,
        HANNOVER,
        "Vielzahl",
        auskunftssperren=(Auskunftssperre(code="3", bis=date(2025, 6, 30)),),
    )
    register.import_persons([ended], source="tests", kind="test")
    with pytest.raises(ErgebnislisteZuGrossError):
        register.search_freie_suche(_surname("Vielzahl"), stichtag=STICHTAG, limit=12)
    found = register.search_freie_suche(_surname("Vielzahl"), stichtag=STICHTAG, limit=13)
    assert [p.id for p in found] == [*range(1, 13), 18]


def test_a_name_held_twice_is_one_person(register: RegisterStore) -> None:
    """The Familienname field matches Familienname, Ehename and Lebenspartnerschaftsname
    (BMeldDAV Anlage Nr. 4): person 15 holds "Doppel" as both and is listed once."""
    found = register.search_freie_suche(_surname("Doppel"), stichtag=STICHTAG, limit=2)
    assert [p.id for p in found] == [15, 16]


def test_criteria_on_the_person_row_apply(register: RegisterStore) -> None:
    """BMeldDAV § 7 Abs. 1: the Geschlecht (kept on the person row) narrows a surname search;
    the namesake of the same sex in Celle stays outside the Suchbereich."""
    found = register.search_freie_suche(
        _surname("Doppel", geschlecht="w"), stichtag=STICHTAG, limit=1000
    )
    assert [p.id for p in found] == [15]


def test_a_changed_record_is_found_in_its_new_municipality_only(register: RegisterStore) -> None:
    """A record re-imported with another municipality: its name rows move with it, so the
    search of the old municipality no longer finds it (the area is taken from the name rows)."""
    register.import_persons([_person(16, CELLE, "Doppel", geschlecht="m")], source="t", kind="t")
    hannover = register.search_freie_suche(_surname("Doppel"), stichtag=STICHTAG)
    celle = register.search_freie_suche(_surname("Doppel", CELLE), stichtag=STICHTAG)
    assert ([p.id for p in hannover], [p.id for p in celle]) == ([15], [16, 17])


def test_every_name_field_must_match(register: RegisterStore) -> None:
    """BMeldDAV § 7 Abs. 1: Familienname and Geburtsname given together are both criteria —
    the Geburtsname is checked on the name rows of each person the Familienname found."""
    query = _surname("Zweifach", geburtsname=NameKriterium("Ursprung"))
    found = register.search_freie_suche(query, stichtag=STICHTAG)
    assert [p.id for p in found] == [19]
