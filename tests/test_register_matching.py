"""Matching rules of the Personensuche (DOMAIN.md § 3, BMeldDAV Anlage Nr. 4), one by one.

Every case runs twice over: as indexed SQL in the store — on SQLite *and* PostgreSQL — and
through the reference matcher in Python; both must return exactly the expected records.
A second part cross-checks SQL against the reference on queries drawn from a generated
register.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from typing import Any

import pytest

from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.register.errors import InadmissibleSearchDataError, InvalidQueryError
from datenspiegel.register.keys import person_keys
from datenspiegel.register.matching import keys_match, person_matches
from datenspiegel.register.model import Anschrift, Auskunftssperre, Person, TeilbekanntesDatum
from datenspiegel.register.query import PersonensucheQuery, normalisierte_suche
from datenspiegel.register.store import RegisterStore
from datenspiegel.xsd.codelists import Grund
from tests.conftest import pg_schema

HANNOVER = "03241001"
CELLE = "03351006"
D = TeilbekanntesDatum.parse


def _adr(strasse: str, nummer: str = "1", **kwargs: Any) -> Anschrift:
    values: dict[str, Any] = {
        "ags": HANNOVER,
        "postleitzahl": "30159",
        "strasse": strasse,
        "hausnummer": nummer,
        "wohnungsstatus": "0",
    }
    values.update(kwargs)
    return Anschrift(**values)


PERSONS: tuple[Person, ...] = (
    Person(
        id=1,
        ags=HANNOVER,
        familienname="Adler",
        ehename="Adler",
        geburtsname="Bussard",
        fruehere_familiennamen=("Condor",),
        vornamen=("Hans-Peter", "Karl"),
        fruehere_vornamen=("Kurt",),
        geburtsdatum=D("1970-05-17"),
        fruehere_geburtsdaten=(D("1970-01-01"),),
        geburtsort="Köln",
        geburtsstaat="DEU",
        geschlecht="m",
        doktorgrad="Dr. med.",
        anschriften=(
            _adr("Bahnhofstraße", "12", hausnummer_buchstabe="a", teilnummer="1"),
            _adr("Birkenweg", "7", postleitzahl="30161", aktuell=False),
            _adr("Celler Weg", "3", ags=CELLE, postleitzahl="29221", aktuell=False),
        ),
    ),
    Person(
        id=2,
        ags=HANNOVER,
        familienname="Amsel",
        lebenspartnerschaftsname="Dohle",
        vornamen=("Karl",),
        geburtsdatum=D("1998-03"),
        geschlecht="w",
        anschriften=(_adr("Marktplatz", "2"), _adr("Am Mühlenwegle", "4", aktuell=False)),
    ),
    Person(
        id=3,
        ags=HANNOVER,
        familienname="Elstermann",
        ordensname="Frater Elster",
        vornamen=("Karl", "Otto"),
        geburtsdatum=D("1998-03-12"),
        geschlecht="m",
        anschriften=(_adr("Kirchgässle", "5"),),
    ),
    Person(
        id=4,
        ags=HANNOVER,
        familienname="Fink",
        kuenstlername="Falke Star",
        vornamen=("Karl",),
        geburtsdatum=D("1998"),
        geschlecht="d",
        azr_nummer="AZR-123456",
        anschriften=(_adr("Bahnhofstraße", "13"),),
    ),
    Person(
        id=5,
        ags=HANNOVER,
        familienname="Meyer",
        vornamen=("Jürgen",),
        geburtsdatum=D("1950-02-01"),
        geschlecht="m",
        sterbedatum=D("2021-12-24"),
        sterbeort="Hannover",
        sterbestaat="DEU",
        anschriften=(_adr("Lindenstraße", "5", aktuell=False),),
        # blocked persons are found; the broker, not the store, applies the block
        auskunftssperren=(Auskunftssperre("3"),),
    ),
    Person(
        id=6,
        ags=CELLE,
        familienname="Meyer",
        vornamen=("Jürgen",),
        geburtsdatum=D("1950-02-01"),
        geschlecht="m",
        anschriften=(_adr("Lindenstraße", "5", ags=CELLE, postleitzahl="29221"),),
    ),
    Person(
        id=7,
        ags=HANNOVER,
        familienname="Müller-Lüdenscheidt",
        vornamen=("Zoë",),
        geburtsdatum=D("1985-07-01"),
        geburtsort="Oldenburg (Oldb)",
        geschlecht="w",
        anschriften=(_adr("Große Düwelstraße", "1"),),
    ),
)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def module_url(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Iterator[str]:
    """One database per back-end for the whole module (loading it per test would be slow)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('matching') / 'register.sqlite'}"
    else:
        with pg_schema() as url:
            yield url


@pytest.fixture(scope="module")
def store(module_url: str) -> Iterator[RegisterStore]:
    with RegisterStore(module_url) as register:
        register.migrate()
        register.import_persons(PERSONS, source="test_register_matching", kind="test")
        yield register


def assert_hits(store: RegisterStore, expected: set[int], **fields: Any) -> None:
    fields.setdefault("ags", HANNOVER)
    query = PersonensucheQuery(**fields)
    found = [p.id for p in store.search_personen(query)]
    assert found == sorted(expected), f"SQL: {query}"
    reference = {p.id for p in PERSONS if person_matches(p, query)}
    assert reference == expected, f"reference matcher: {query}"


# -- surnames -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Adler", {1}),  # Familienname (and Ehename)
        ("Bussard", {1}),  # Geburtsname
        ("Condor", {1}),  # former surname
        ("Dohle", {2}),  # Lebenspartnerschaftsname
        ("Frater Elster", {3}),  # Ordensname counts as a surname
        ("Falke Star", {4}),  # Künstlername counts as a surname
        ("ADLER", {1}),
        ("Adl", set()),  # whole-string match, no prefixes
        ("Elster", set()),
        ("Mueller-Luedenscheidt", {7}),
        # Anlage Nr. 4: blanks and hyphens are both removed, so they meet
        ("Müller Lüdenscheidt", {7}),
        ("MuellerLuedenscheidt", {7}),
    ],
)
def test_surname_matches_every_surname_kind(
    store: RegisterStore, name: str, expected: set[int]
) -> None:
    assert_hits(store, expected, familienname=name)


def test_former_surname_field_matches_every_kind(store: RegisterStore) -> None:
    assert_hits(store, {1}, frueherer_familienname="Condor")
    assert_hits(store, {1}, frueherer_familienname="Adler")
    assert_hits(store, {1}, familienname="Adler", frueherer_familienname="Bussard")
    assert_hits(store, set(), familienname="Adler", frueherer_familienname="Dohle")


def test_ordensname_and_kuenstlername_fields_match_their_kind(store: RegisterStore) -> None:
    assert_hits(store, {3}, ordensname="Frater Elster")
    assert_hits(store, set(), ordensname="Elstermann")
    assert_hits(store, {4}, kuenstlername="falke star")
    assert_hits(store, set(), kuenstlername="Fink")


# -- first names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vornamen", "expected"),
    [
        (("Karl",), {1, 2, 3, 4}),
        (("Karl Hans-Peter",), {1}),  # several in one field, split at blanks
        (("Hans-Peter", "Karl"), {1}),
        (("Karl", "Hans-Peter"), {1}),  # order irrelevant
        (("Hans",), set()),  # not split at hyphens
        (("Kurt",), {1}),  # former first names count
        (("Karl", "Otto"), {3}),  # every given first name must match
        (("Karl", "Fritz"), set()),
        (("zoe",), {7}),
    ],
)
def test_first_names(store: RegisterStore, vornamen: tuple[str, ...], expected: set[int]) -> None:
    surnames = {1: "Adler", 2: "Amsel", 3: "Elstermann", 4: "Fink", 7: "Müller-Lüdenscheidt"}
    for pid, surname in surnames.items():
        assert_hits(store, expected & {pid}, familienname=surname, vornamen=vornamen)


# -- address --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"strasse": "Bahnhofstraße"}, {1}),
        ({"strasse": "Bahnhofstr."}, {1}),
        ({"strasse": "BAHNHOFSTR"}, {1}),
        # Anlage Nr. 4: written apart or together is the same street (BAHNHOFSTRASSE)
        ({"strasse": "Bahnhof Str."}, {1}),
        ({"strasse": "Bahnhof-Straße"}, {1}),
        ({"strasse": "Bahnhofstraße", "hausnummer": "12"}, {1}),  # letter not given: any
        ({"strasse": "Bahnhofstraße", "hausnummer": "12", "hausnummer_buchstabe": "A"}, {1}),
        ({"strasse": "Bahnhofstraße", "hausnummer": "12", "hausnummer_buchstabe": "b"}, set()),
        ({"strasse": "Bahnhofstraße", "hausnummer": "13"}, set()),
        ({"strasse": "Bahnhofstraße", "hausnummer": "12", "teilnummer": "1"}, {1}),
        ({"strasse": "Bahnhofstraße", "hausnummer": "12", "teilnummer": "2"}, set()),
        ({"strasse": "Bahnhofstraße", "postleitzahl": "30159"}, {1}),
        ({"strasse": "Bahnhofstraße", "postleitzahl": "30161"}, set()),
        # a former address in the municipality counts ...
        ({"strasse": "Birkenweg", "hausnummer": "7", "postleitzahl": "30161"}, {1}),
        # ... but all parts must meet on one and the same address period
        ({"strasse": "Birkenweg", "hausnummer": "12"}, set()),
        ({"strasse": "Bahnhofstraße", "postleitzahl": "30161"}, set()),
        # an address in another municipality never matches this municipality's search
        ({"strasse": "Celler Weg"}, set()),
        # without a street: postcode and house number alone
        ({"postleitzahl": "30161", "hausnummer": "7"}, {1}),
        ({"hausnummer": "3"}, set()),
    ],
)
def test_address_parts(store: RegisterStore, fields: dict[str, str], expected: set[int]) -> None:
    assert_hits(store, expected, familienname="Adler", **fields)


@pytest.mark.parametrize(
    ("surname", "strasse", "expected"),
    [
        ("Amsel", "Marktpl.", {2}),
        ("Amsel", "Am Mühlenweg", {2}),  # stored as "Am Mühlenwegle": WEGLE → WEG
        ("Amsel", "Am Muehlenwegle", {2}),
        ("Elstermann", "Kirchgasse", {3}),  # stored as "Kirchgässle": GAESSLE → GASSE
        ("Müller-Lüdenscheidt", "Grosse Duewelstr.", {7}),
    ],
)
def test_street_suffix_rule(
    store: RegisterStore, surname: str, strasse: str, expected: set[int]
) -> None:
    assert_hits(store, expected, familienname=surname, strasse=strasse)


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("datum", "expected"),
    [
        ("1998-03", {2}),  # 03/1998 matches only 03/1998 ...
        ("1998-03-12", {3}),  # ... not 12/03/1998 ...
        ("1998", {4}),  # ... and not 1998
        ("1998-04", set()),
        ("", set()),  # an unknown date matches only an unknown date (Anlage Nr. 4)
    ],
)
def test_partially_known_dates_match_only_their_equal(
    store: RegisterStore, datum: str, expected: set[int]
) -> None:
    query: dict[str, Any] = {"vornamen": ("Karl",), "geburtsdatum": D(datum)}
    for pid, surname in {2: "Amsel", 3: "Elstermann", 4: "Fink"}.items():
        assert_hits(store, expected & {pid}, familienname=surname, **query)


def test_earlier_dates_of_birth_count(store: RegisterStore) -> None:
    assert_hits(store, {1}, familienname="Adler", geburtsdatum=D("1970-05-17"))
    assert_hits(store, {1}, familienname="Adler", geburtsdatum=D("1970-01-01"))
    assert_hits(store, set(), familienname="Adler", geburtsdatum=D("1970-01"))


def test_death_data(store: RegisterStore) -> None:
    assert_hits(store, {5}, familienname="Meyer", sterbedatum=D("2021-12-24"))
    assert_hits(store, {5}, familienname="Meyer", sterbeort="HANNOVER", sterbestaat="deu")
    assert_hits(store, set(), familienname="Meyer", sterbedatum=D("2021-12"))
    assert_hits(store, set(), familienname="Meyer", sterbeort="Celle")


# -- other criteria ----------------------------------------------------------------------------


def test_place_and_state_of_birth_sex_azr(store: RegisterStore) -> None:
    assert_hits(store, {1}, familienname="Adler", geburtsort="KOELN", geburtsstaat="deu")
    assert_hits(store, set(), familienname="Adler", geburtsort="Koeln am Rhein")
    assert_hits(store, {7}, familienname="Müller-Lüdenscheidt", geburtsort="Oldenburg Oldb")
    assert_hits(store, {1}, familienname="Adler", geschlecht="M")
    assert_hits(store, set(), familienname="Adler", geschlecht="w")
    assert_hits(store, {4}, familienname="Fink", geschlecht="d")
    # the Doktorgrad is no Personensuche criterion (§ 38 Abs. 1 BMG): refused, see
    # test_queries_the_register_refuses and tests/test_matching_anlage.py
    assert_hits(store, {4}, familienname="Fink", azr_nummer="AZR-123456")
    assert_hits(store, set(), familienname="Adler", azr_nummer="AZR-123456")


def test_ags_restricts_to_the_municipality(store: RegisterStore) -> None:
    assert_hits(store, {5}, familienname="Meyer", vornamen=("Jürgen",))
    assert_hits(store, {6}, ags=CELLE, familienname="Meyer", vornamen=("Jürgen",))
    assert_hits(store, set(), ags="03101000", familienname="Meyer")


def test_phonetic_search(store: RegisterStore) -> None:
    assert_hits(store, {5}, familienname="Maier", phonetisch=True)
    assert_hits(store, set(), familienname="Maier")
    assert_hits(store, {5}, familienname="Mayr", vornamen=("Jürgen",), phonetisch=True)
    assert_hits(store, {1}, familienname="Atler", vornamen=("Carl",), phonetisch=True)
    # only names are phonetic; other criteria stay exact
    assert_hits(store, set(), familienname="Maier", geburtsdatum=D("1950-02"), phonetisch=True)


def test_blocked_persons_are_returned_by_the_store(store: RegisterStore) -> None:
    (person,) = store.search_personen(PersonensucheQuery(ags=HANNOVER, familienname="Meyer"))
    assert person.id == 5 and person.sperrt_auskunft


def test_results_ordered_by_id_and_limited(store: RegisterStore) -> None:
    karls = PersonensucheQuery(ags=HANNOVER, familienname="Fink", vornamen=("Karl",))
    assert [p.id for p in store.search_personen(karls)] == [4]
    everyone_called_karl = [
        PersonensucheQuery(ags=HANNOVER, familienname=name, vornamen=("Karl",))
        for name in ("Adler", "Amsel")
    ]
    assert [store.search_personen(q)[0].id for q in everyone_called_karl] == [1, 2]
    query = PersonensucheQuery(ags=HANNOVER, familienname="Adler")
    assert [p.id for p in store.search_personen(query, limit=1)] == [1]
    # what the store returns is the record as delivered, with its id
    assert store.search_personen(PersonensucheQuery(ags=HANNOVER, familienname="Amsel")) == [
        PERSONS[1]
    ]
    with pytest.raises(ValueError):
        store.search_personen(query, limit=0)


@pytest.mark.parametrize(
    "fields",
    [
        {"ags": HANNOVER, "vornamen": ("Karl",), "geburtsdatum": D("1998")},  # no name at all
        {"ags": HANNOVER, "familienname": "---"},  # nothing left after normalisation
        {"ags": "", "familienname": "Adler"},
        {"ags": "0324100", "familienname": "Adler"},
        {"ags": "03241001 03351006", "familienname": "Adler"},
    ],
)
def test_queries_the_register_refuses(store: RegisterStore, fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        store.search_personen(PersonensucheQuery(**fields))
    assert caught.value.code == Grund.MINDESTANGABEN_FEHLEN


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        # BMeldDAV § 4 Abs. 7: no placeholders in a Personensuche — refused, never stripped
        ({"familienname": "???"}, Grund.SONSTIGER_FACHLICHER_FEHLER),
        ({"familienname": "Adl*"}, Grund.SONSTIGER_FACHLICHER_FEHLER),
        ({"familienname": "Adl*", "phonetisch": True}, Grund.PLATZHALTER_BEI_PHONETIK),
        # § 38 Abs. 1 BMG, BMeldDAV § 4 Abs. 1: the Doktorgrad is no criterion
        ({"familienname": "Adler", "doktorgrad": "Dr. med."}, Grund.SONSTIGER_FACHLICHER_FEHLER),
    ],
)
def test_inadmissible_search_data_the_register_refuses(
    store: RegisterStore, fields: dict[str, Any], code: Grund
) -> None:
    with pytest.raises(InadmissibleSearchDataError) as caught:
        store.search_personen(PersonensucheQuery(ags=HANNOVER, **fields))
    assert caught.value.code == code


# -- SQL against the reference on a generated register ----------------------------------------


def _queries_from(person: Person, rng: random.Random) -> Iterator[tuple[PersonensucheQuery, bool]]:
    """Queries a requester might send for ``person`` (exact, upper case, abbreviated street,
    phonetic), each with whether it must find ``person``."""
    keys: dict[str, Any] = {"ags": person.ags}
    surname = rng.choice(
        [n for n in (person.familienname, person.geburtsname, *person.fruehere_familiennamen) if n]
    )
    keys["familienname"] = surname.upper() if rng.random() < 0.3 else surname
    if person.vornamen and rng.random() < 0.8:
        count = rng.randint(1, len(person.vornamen))
        keys["vornamen"] = tuple(rng.sample(person.vornamen, k=count))
    yield PersonensucheQuery(**keys), True
    if person.anschriften:
        anschrift = rng.choice(person.anschriften)
        here = anschrift.ags == person.ags
        strasse = anschrift.strasse or ""
        if strasse.endswith("straße") and rng.random() < 0.5:
            strasse = strasse[: -len("aße")] + "."
        yield PersonensucheQuery(**keys, strasse=strasse, hausnummer=anschrift.hausnummer), here
        yield PersonensucheQuery(**keys, postleitzahl=anschrift.postleitzahl), here
    yield (
        PersonensucheQuery(**keys, geburtsdatum=person.geburtsdatum, geschlecht=person.geschlecht),
        True,
    )
    yield PersonensucheQuery(**keys, phonetisch=True), True
    yield PersonensucheQuery(**keys, geburtsort=person.geburtsort), True


@pytest.fixture(scope="module")
def generated(
    module_url: str, tmp_path_factory: Any
) -> Iterator[tuple[RegisterStore, list[Person]]]:
    persons = list(generate_persons(seed=11, count=1500))
    with contextlib.ExitStack() as stack:
        if module_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path_factory.mktemp('generated') / 'register.sqlite'}"
        else:
            url = stack.enter_context(pg_schema())
        register = stack.enter_context(RegisterStore(url))
        register.migrate()
        register.import_persons(persons, source="generator", kind="test")
        yield register, persons


def test_sql_agrees_with_the_reference_matcher(
    generated: tuple[RegisterStore, list[Person]],
) -> None:
    register, persons = generated
    keyed = [(p.id, p.ags, person_keys(p)) for p in persons]
    rng = random.Random(3)
    sample = rng.sample(persons, 60)
    checked = 0
    for person in sample:
        for query, finds_person in _queries_from(person, rng):
            suche = normalisierte_suche(query)
            expected = [pid for pid, ags, keys in keyed if keys_match(ags, keys, suche)]
            assert [p.id for p in register.search_personen(query)] == expected, query
            assert (person.id in expected) == finds_person, query
            checked += 1
    assert checked > 250
