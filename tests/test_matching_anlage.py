"""Matching of the Personensuche as BMeldDAV Anlage Nr. 4 writes it, as a table of cases.

Each case: the search data (against the small register below), and either the records that
must be found or the rejection code that must come back, with the paragraph that says so.
Every case runs the whole admission chain on SQLite *and* PostgreSQL — the broker's check
(:func:`check_personensuche_query` with the register's ``known_municipality``), the street
check the Personensuche handler makes (reason 02), then the indexed search — and, for hits,
the reference matcher in Python too; all must agree.

Below the table: the reader (XÖV element → query), the register's own guards, the
municipality check, and the register migration that recomputes the stored keys.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import select

from datenspiegel.register.errors import InadmissibleSearchDataError
from datenspiegel.register.jsonl import person_to_json
from datenspiegel.register.keyrows import KEY_TABLES, key_rows, rebuild_search_keys
from datenspiegel.register.keys import UNBEKANNT, person_keys
from datenspiegel.register.matching import person_matches
from datenspiegel.register.migrations import MIGRATIONS
from datenspiegel.register.model import Anschrift, Auskunftssperre, Person, TeilbekanntesDatum
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.register.schema import (
    anschrift_table,
    name_table,
    person_table,
    sperre_table,
    vorname_table,
)
from datenspiegel.register.store import COMPONENT, RegisterStore
from datenspiegel.store import migrate
from datenspiegel.transformers import BusinessRejection, check_personensuche_query
from datenspiegel.transformers.header import Behoerde
from datenspiegel.transformers.request import (
    AUSWAHLDATEN_ELEMENTE,
    AnfragendeStelle,
    read_personensuche,
)
from datenspiegel.transformers.request_builder import build_personensuche
from datenspiegel.xsd.codelists import Grund
from datenspiegel.xsd.loader import schema_path
from tests.conftest import pg_schema

HANNOVER = "03241001"
CELLE = "03351006"
NIE_GELIEFERT = "03999999"  # well-formed Lower Saxony AGS the mirror holds nothing of
KOELN = "05315000"
D = TeilbekanntesDatum.parse
UNBEKANNTES = TeilbekanntesDatum(None)

ANLAGE = "BMeldDAV Anlage Nr. 4"


def _adr(strasse: str, nummer: str = "1", ags: str = HANNOVER) -> Anschrift:
    return Anschrift(
        ags=ags, postleitzahl="30159", strasse=strasse, hausnummer=nummer, wohnungsstatus="0"
    )


REGISTER: tuple[Person, ...] = (
    Person(
        id=1,
        ags=HANNOVER,
        familienname="Müller-Lüdenscheidt",
        vornamen=("Karl-Heinz", "Otto"),
        geburtsdatum=D("1960-02-29"),
        geschlecht="m",
        anschriften=(_adr("Lange Straße", "5"),),
    ),
    Person(
        id=2,
        ags=HANNOVER,
        familienname="von der Heide",
        vornamen=("Karl Heinz",),  # two first names in one field
        geburtsdatum=UNBEKANNTES,
        geschlecht="m",
        anschriften=(_adr("Marktplatz", "2"),),
    ),
    Person(
        id=3,
        ags=HANNOVER,
        familienname="Klostermann",
        vornamen=("Anna",),
        ordensname="Schwester Maria Benedikta",
        geburtsdatum=D("1951-11-11"),
        geschlecht="w",
        anschriften=(_adr("Mühlenwegle", "4"),),
    ),
    Person(
        id=4,
        ags=HANNOVER,
        familienname="Blaumann",
        vornamen=("Gertrud",),
        kuenstlername="Lola Blau",
        geburtsdatum=D("1975-05"),
        geschlecht="w",
        anschriften=(_adr("Kirchgässle", "1"),),
    ),
    Person(
        id=5,
        ags=HANNOVER,
        familienname="Ungewiss",
        vornamen=("Erich",),
        geburtsdatum=D("1930"),
        geschlecht="m",
        sterbedatum=UNBEKANNTES,  # died, date not known
        sterbeort="Hannover",
        anschriften=(_adr("Bahnhofstr.", "9"),),  # delivered abbreviated
    ),
    Person(
        id=6,
        ags=HANNOVER,
        familienname="Ungewiss",
        vornamen=("Erich",),
        geburtsdatum=D("1931"),
        geschlecht="m",
        sterbedatum=D("2020-04-01"),
        anschriften=(_adr("Bahnhofstraße", "9"),),
    ),
    Person(
        id=7,
        ags=CELLE,
        familienname="Müller-Lüdenscheidt",
        vornamen=("Karl-Heinz",),
        geburtsdatum=D("1960-02-29"),
        geschlecht="m",
        anschriften=(_adr("Lange Straße", "5", ags=CELLE),),
    ),
)


@dataclass(frozen=True)
class Case:
    id: str
    paragraph: str
    query: dict[str, Any]
    #: the ids that must be found, or the one rejection code
    expect: frozenset[int] | Grund
    #: AGS of the addressed reader; default: the search AGS
    leser: str | None = field(default=None)


def hits(*ids: int) -> frozenset[int]:
    return frozenset(ids)


def _ml(**extra: Any) -> dict[str, Any]:
    """Search data for person 1 with the minimum (name, first name, sex), plus ``extra``."""
    query: dict[str, Any] = {
        "familienname": "Müller-Lüdenscheidt",
        "vornamen": ("Karl-Heinz",),
        "geschlecht": "m",
    }
    query.update(extra)
    return query


CASES: tuple[Case, ...] = (
    # -- names: every character outside the base letters is removed ------------------------
    Case("surname-blank", ANLAGE, _ml(familienname="Müller Lüdenscheidt"), hits(1)),
    Case("surname-together", ANLAGE, _ml(familienname="MuellerLuedenscheidt"), hits(1)),
    Case("surname-hyphen", ANLAGE, _ml(familienname="Mueller-Luedenscheidt"), hits(1)),
    Case("surname-dot", ANLAGE, _ml(familienname="Müller.Lüdenscheidt"), hits(1)),
    Case("surname-whole-string", ANLAGE, _ml(familienname="Müller"), hits()),
    Case(
        "surname-particles",
        ANLAGE,
        {"familienname": "Von-der-Heide", "vornamen": ("Karl",), "geschlecht": "m"},
        hits(2),
    ),
    Case(
        "surname-particles-together",
        ANLAGE,
        {"familienname": "vonderheide", "vornamen": ("Heinz",), "geschlecht": "m"},
        hits(2),
    ),
    # -- first names: split at blanks (not hyphens) before normalising -----------------------
    Case("vorname-hyphen-is-one-name", ANLAGE, _ml(vornamen=("Karlheinz",)), hits(1)),
    Case("vorname-hyphen-kept-whole", ANLAGE, _ml(vornamen=("Karl-Heinz",)), hits(1)),
    Case("vorname-no-split-at-hyphen", ANLAGE, _ml(vornamen=("Karl",)), hits()),
    Case("vorname-blank-splits", ANLAGE, _ml(vornamen=("Karl Heinz",)), hits()),
    Case("vorname-order-irrelevant", ANLAGE, _ml(vornamen=("Otto Karl-Heinz",)), hits(1)),
    Case(
        "vorname-two-names-one-field",
        ANLAGE,
        {"familienname": "von der Heide", "vornamen": ("Heinz Karl",), "geschlecht": "m"},
        hits(2),
    ),
    Case(
        "vorname-joined-is-not-two",
        ANLAGE,
        {"familienname": "von der Heide", "vornamen": ("Karl-Heinz",), "geschlecht": "m"},
        hits(),
    ),
    Case(
        "vorname-from-ordensname",
        f"{ANLAGE}; DSMeld 0501",
        {"familienname": "Klostermann", "vornamen": ("Benedikta",), "geschlecht": "w"},
        hits(3),
    ),
    Case(
        "vorname-from-ordensname-and-first-name",
        f"{ANLAGE}; DSMeld 0501",
        {"familienname": "Klostermann", "vornamen": ("Maria Anna",), "geschlecht": "w"},
        hits(3),
    ),
    Case(
        "vorname-from-kuenstlername",
        f"{ANLAGE}; DSMeld 0502",
        {"familienname": "Blaumann", "vornamen": ("Lola",), "geschlecht": "w"},
        hits(4),
    ),
    Case(
        "kuenstlername-as-surname",
        f"{ANLAGE}; DSMeld 0502",
        {"familienname": "Lola-Blau", "vornamen": ("Gertrud",), "geschlecht": "w"},
        hits(4),
    ),
    Case(
        "ordensname-alone",
        "§ 38 Abs. 1 BMG, BMeldDAV § 4 Abs. 1 Nr. 1 c",
        {"ordensname": "Schwester Maria-Benedikta", "geschlecht": "w"},
        hits(3),
    ),
    # -- streets: separators removed, trailing abbreviations and suffixes --------------------
    *(
        Case(f"strasse-{spelling}", ANLAGE, _ml(strasse=spelling), hits(1))
        for spelling in (
            "Lange Straße",
            "Lange-Strasse",
            "LangeStrasse",
            "Lange Str.",
            "Lange-Str",
            "Langestr.",
            "LANGE STR",
        )
    ),
    Case("strasse-unknown", f"{ANLAGE}; reason 02", _ml(strasse="Lange Gasse"), Grund("02")),
    Case(
        "strasse-registered-abbreviated",
        ANLAGE,
        {"familienname": "Ungewiss", "vornamen": ("Erich",), "strasse": "Bahnhof Straße"},
        hits(5, 6),
    ),
    Case(
        "strasse-pl",
        ANLAGE,
        {"familienname": "von der Heide", "vornamen": ("Karl",), "strasse": "Markt-Pl."},
        hits(2),
    ),
    Case(
        "strasse-wegle",
        ANLAGE,
        {"familienname": "Klostermann", "vornamen": ("Anna",), "strasse": "Mühlenweg"},
        hits(3),
    ),
    Case(
        "strasse-gaessle",
        ANLAGE,
        {"familienname": "Blaumann", "vornamen": ("Gertrud",), "strasse": "Kirch-Gasse"},
        hits(4),
    ),
    # -- dates: an unknown date matches only an unknown date ---------------------------------
    Case(
        "geburtsdatum-unknown-matches-unknown",
        ANLAGE,
        {"familienname": "von der Heide", "vornamen": ("Karl",), "geburtsdatum": UNBEKANNTES},
        hits(2),
    ),
    Case(
        "geburtsdatum-unknown-never-known",
        ANLAGE,
        _ml(geburtsdatum=UNBEKANNTES),
        hits(),
    ),
    Case(
        "geburtsdatum-known-never-unknown",
        ANLAGE,
        {"familienname": "von der Heide", "vornamen": ("Karl",), "geburtsdatum": D("1960")},
        hits(),
    ),
    Case(
        "geburtsdatum-partial-only-its-equal",
        ANLAGE,
        {"familienname": "Blaumann", "vornamen": ("Gertrud",), "geburtsdatum": D("1975")},
        hits(),
    ),
    Case(
        "sterbedatum-unknown-matches-unknown",
        ANLAGE,
        {"familienname": "Ungewiss", "vornamen": ("Erich",), "sterbedatum": UNBEKANNTES},
        hits(5),
    ),
    Case(
        "sterbedatum-known",
        ANLAGE,
        {"familienname": "Ungewiss", "vornamen": ("Erich",), "sterbedatum": D("2020-04-01")},
        hits(6),
    ),
    Case(
        "sterbedatum-unknown-never-alive",
        ANLAGE,
        _ml(sterbedatum=UNBEKANNTES),
        hits(),
    ),
    # -- placeholders: refused, never stripped ----------------------------------------------
    Case(
        "platzhalter-surname",
        "BMeldDAV § 4 Abs. 7",
        _ml(familienname="Müller-Lü*"),
        Grund.SONSTIGER_FACHLICHER_FEHLER,
    ),
    Case(
        "platzhalter-vorname",
        "BMeldDAV § 4 Abs. 7",
        _ml(vornamen=("Karl-H?inz",)),
        Grund.SONSTIGER_FACHLICHER_FEHLER,
    ),
    Case(
        "platzhalter-strasse",
        "BMeldDAV § 4 Abs. 7",
        _ml(strasse="Lange*"),
        Grund.SONSTIGER_FACHLICHER_FEHLER,
    ),
    Case(
        "platzhalter-geburtsort",
        "BMeldDAV § 4 Abs. 7",
        _ml(geburtsort="Hann?ver"),
        Grund.SONSTIGER_FACHLICHER_FEHLER,
    ),
    Case(
        "platzhalter-only",
        "BMeldDAV § 4 Abs. 7",
        _ml(familienname="*"),
        Grund.SONSTIGER_FACHLICHER_FEHLER,
    ),
    Case(
        "platzhalter-phonetic",
        "BMeldDAV § 4 Abs. 7; code list 15",
        _ml(familienname="M*ller", phonetisch=True),
        Grund.PLATZHALTER_BEI_PHONETIK,
    ),
    # -- only the criteria of § 38 Abs. 1 BMG / BMeldDAV § 4 Abs. 1 --------------------------
    Case(
        "doktorgrad-no-criterion",
        "§ 38 Abs. 1 BMG, BMeldDAV § 4 Abs. 1",
        _ml(doktorgrad="Dr."),
        Grund.SONSTIGER_FACHLICHER_FEHLER,
    ),
    Case(
        "unknown-date-is-second-criterion",
        "§ 38 Abs. 1 BMG, BMeldDAV § 4 Abs. 1 Nr. 2 b bb",
        {"familienname": "von der Heide", "vornamen": ("Heinz",), "geburtsdatum": UNBEKANNTES},
        hits(2),
    ),
    Case(
        "minimum-missing",
        "§ 38 Abs. 1 BMG, BMeldDAV § 4 Abs. 1",
        {"familienname": "Müller-Lüdenscheidt", "vornamen": ("Karl-Heinz",)},
        Grund.MINDESTANGABEN_FEHLEN,
    ),
    # -- the search AGS: 14 before 22 ------------------------------------------------------
    Case("ags-celle-known", "§ 38 Abs. 1 BMG", {**_ml(), "ags": CELLE}, hits(7)),
    Case(
        "ags-not-the-readers",
        "BMeldDAV § 1 Abs. 5, Anlage Nr. 2; reason 14",
        {**_ml(), "ags": CELLE},
        Grund.AGS_UNGLEICH_LESER,
        leser=HANNOVER,
    ),
    Case(
        "ags-foreign-and-not-the-readers",
        "code list order: 14 before 22",
        {**_ml(), "ags": KOELN},
        Grund.AGS_UNGLEICH_LESER,
        leser=HANNOVER,
    ),
    Case(
        "ags-not-held-by-the-mirror",
        "reason 22",
        {**_ml(), "ags": NIE_GELIEFERT},
        Grund.SUCHBEREICH_NICHT_ZUSTAENDIG,
    ),
    Case(
        "ags-outside-lower-saxony",
        "reason 22",
        {**_ml(), "ags": KOELN},
        Grund.SUCHBEREICH_NICHT_ZUSTAENDIG,
    ),
)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def store(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Iterator[RegisterStore]:
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('anlage') / 'register.sqlite'}"
        else:
            url = stack.enter_context(pg_schema())
        register = stack.enter_context(RegisterStore(url))
        register.migrate()
        register.import_persons(REGISTER, source="test_matching_anlage", kind="test")
        yield register


def _ask(store: RegisterStore, query: PersonensucheQuery, leser: str) -> frozenset[int] | Grund:
    """The admission chain of a Personensuche, as the handler runs it; hits or the code."""
    try:
        check_personensuche_query(query, leser_ags=leser, gemeinde_bekannt=store.known_municipality)
        if query.strasse and not store.known_street(query.ags, query.strasse):
            return Grund.STRASSE_UNBEKANNT
    except BusinessRejection as exc:
        (code,) = exc.codes
        assert isinstance(code, Grund)
        assert exc.freitext
        return code
    return frozenset(p.id for p in store.search_personen(query) if p.id is not None)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_anlage_case(store: RegisterStore, case: Case) -> None:
    values = {"ags": HANNOVER, **case.query}
    query = PersonensucheQuery(**values)
    outcome = _ask(store, query, case.leser or query.ags)
    assert outcome == case.expect, f"{case.id} ({case.paragraph}): {query}"
    if isinstance(case.expect, frozenset):
        reference = frozenset(p.id for p in REGISTER if p.id and person_matches(p, query))
        assert reference == case.expect, f"reference matcher, {case.id} ({case.paragraph})"


def test_placeholder_names_the_field_and_keeps_it() -> None:
    """BMeldDAV § 4 Abs. 7: the freitext names the element; nothing is stripped."""
    query = PersonensucheQuery(ags=HANNOVER, **_ml(strasse="Lange Str*"))
    with pytest.raises(BusinessRejection) as caught:
        check_personensuche_query(query, leser_ags=HANNOVER)
    assert "anschrift/strasse" in caught.value.freitext
    assert query.strasse == "Lange Str*"


def test_doktorgrad_rejection_names_the_field() -> None:
    """§ 38 Abs. 1 BMG, BMeldDAV § 4 Abs. 1: reason 17 with the element in the freitext."""
    query = PersonensucheQuery(ags=HANNOVER, **_ml(doktorgrad="Dr. med."))
    with pytest.raises(BusinessRejection) as caught:
        check_personensuche_query(query, leser_ags=HANNOVER)
    assert caught.value.codes == (Grund.SONSTIGER_FACHLICHER_FEHLER,)
    assert "doktorgrad" in caught.value.freitext


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        (_ml(familienname="Mü*"), Grund.SONSTIGER_FACHLICHER_FEHLER),
        (_ml(vornamen=("?",)), Grund.SONSTIGER_FACHLICHER_FEHLER),
        (_ml(familienname="Mü*", phonetisch=True), Grund.PLATZHALTER_BEI_PHONETIK),
        (_ml(doktorgrad="Dr."), Grund.SONSTIGER_FACHLICHER_FEHLER),
    ],
)
def test_register_refuses_inadmissible_data_itself(
    store: RegisterStore, fields: dict[str, Any], code: Grund
) -> None:
    """BMeldDAV § 4 Abs. 7, § 38 Abs. 1 BMG: the register's own guard, whoever asks it."""
    with pytest.raises(InadmissibleSearchDataError) as caught:
        store.search_personen(PersonensucheQuery(ags=HANNOVER, **fields))
    assert caught.value.code == code


# -- the municipality check (reason 22) ----------------------------------------------------


def test_known_municipality_from_the_register(database_url: str) -> None:
    """Reason 22: a search AGS the mirror holds nothing of is outside its competence."""
    with RegisterStore(database_url) as register:
        register.migrate()
        assert not register.known_municipality(CELLE)
        register.import_persons(REGISTER[-1:], source="celle", kind="test")
        assert register.known_municipality(CELLE)
        assert register.known_municipality(CELLE)  # remembered
        assert not register.known_municipality(HANNOVER)
        for bad in ("", "0335100", "03351006 ", "0335100x"):
            assert not register.known_municipality(bad)
        assert register.import_log(ags=CELLE)


# -- the reader: XÖV elements → query, nothing dropped -------------------------------------


def test_reader_covers_every_criterion_and_schema_element() -> None:
    """Every field of the query and every element of the schema's auswahldaten is read, so
    that nothing a requester sends is silently dropped (§ 38 Abs. 1 BMG: refused, not used)."""
    assert set(AUSWAHLDATEN_ELEMENTE) == {f.name for f in fields(PersonensucheQuery)}
    xs = "{http://www.w3.org/2001/XMLSchema}"
    schema = etree.parse(str(schema_path("datenabruf-personensuche.xsd")))
    auswahl = schema.find(f"{xs}complexType[@name='Auswahldaten.Personensuche']")
    assert auswahl is not None
    declared = set()
    for element in auswahl.iter(f"{xs}element"):
        parent = element.getparent().getparent().getparent()  # type: ignore[union-attr]
        prefix = "anschrift/" if parent is not None and parent.get("name") == "anschrift" else ""
        if element.get("name") != "anschrift":
            declared.add(prefix + element.get("name", ""))
    assert declared == set(AUSWAHLDATEN_ELEMENTE.values())


def test_reader_splits_first_names_at_blanks_and_keeps_raw_text() -> None:
    """BMeldDAV Anlage Nr. 4 (split at blanks, not hyphens), § 4 Abs. 7 (placeholders kept
    for the refusal), § 38 Abs. 1 BMG (the Doktorgrad read so that it can be refused)."""
    sent = PersonensucheQuery(
        ags=HANNOVER,
        familienname="Müller-Lü*",
        vornamen=("Karl-Heinz", "Otto"),
        doktorgrad="Dr.",
        geburtsdatum=UNBEKANNTES,
        strasse="Lange Str.",
    )
    root = build_personensuche(
        leser=Behoerde(kennung=f"ags:{HANNOVER}", name="Hannover"),
        autor=Behoerde(kennung="dbs:test", name="Test"),
        stelle=AnfragendeStelle(
            behoerdenname="Ordnungsamt",
            strasse="Am Markt",
            hausnummer="1",
            postleitzahl="30159",
            ort="Hannover",
            telefon="0511 1",
            email="a@example.org",
            aktenzeichen="AZ-1",
            anlass="Test",
            kennung_anfragende_person="T-1",
            verfahrensname=None,
            sicherheitsbehoerde=False,
        ),
        elemente=(1,),
        query=sent,
        erstellt=datetime.now(UTC),
    )
    query = read_personensuche(root).query
    assert query is not None
    assert query.vornamen == ("Karl-Heinz", "Otto")
    assert query.familienname == "Müller-Lü*"
    assert query.doktorgrad == "Dr."
    assert query.geburtsdatum is not None and query.geburtsdatum.unbekannt
    assert query == sent


# -- the migration: an older register gets the new keys ------------------------------------


def _key_tables(register: RegisterStore) -> dict[str, list[tuple[Any, ...]]]:
    with register.engine.connect() as conn:
        return {
            table.name: sorted(tuple(row) for row in conn.execute(select(*table.c)).all())
            for table in KEY_TABLES
        }


def _expected_key_tables(persons: tuple[Person, ...]) -> dict[str, list[tuple[Any, ...]]]:
    expected: dict[str, list[tuple[Any, ...]]] = {table.name: [] for table in KEY_TABLES}
    for person in persons:
        assert person.id is not None
        for name, rows in key_rows(person.id, person.ags, person_keys(person)).items():
            table = next(t for t in KEY_TABLES if t.name == name)
            expected[name].extend(tuple(row[c.name] for c in table.c) for row in rows)
    return {name: sorted(rows) for name, rows in expected.items()}


def _write_version_1_register(register: RegisterStore, persons: tuple[Person, ...]) -> None:
    """Records as version 1 stored them: separators kept in the keys, no key for an unknown
    date, first names only from the first-name fields."""
    imported_at = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    old_name = {
        "Müller-Lüdenscheidt": "MUELLER-LUEDENSCHEIDT",
        "von der Heide": "VON DER HEIDE",
        "Ungewiss": "UNGEWISS",
    }
    with register.engine.begin() as conn:
        for person in persons:
            assert person.id is not None and person.familienname is not None
            record = person_to_json(person)
            record["id"] = person.id
            conn.execute(
                person_table.insert(),
                {
                    "id": person.id,
                    "ags": person.ags,
                    "geschlecht": (person.geschlecht or "").upper() or None,
                    "sterbedatum": None,  # version 1 had no key for an unknown date
                    "record": record,
                    "imported_at": imported_at,
                },
            )
            conn.execute(
                name_table.insert(),
                {
                    "person_id": person.id,
                    "kind": "familienname",
                    "value": old_name[person.familienname],
                    "ags": person.ags,
                    "phon": None,
                },
            )
            for value in ("KARL-HEINZ", "OTTO") if person.id == 1 else ():
                conn.execute(
                    vorname_table.insert(),
                    {"person_id": person.id, "value": value, "phon": None, "frueher": False},
                )
            conn.execute(
                anschrift_table.insert(),
                {
                    "person_id": person.id,
                    "lfd_nr": 0,
                    "ags": person.ags,
                    "strasse": "LANGE STRASSE",
                    "aktuell": True,
                },
            )
        # a row of a table that holds no search key: the recomputation must leave it alone
        conn.execute(sperre_table.insert(), {"person_id": 2, "lfd_nr": 0, "code": "3", "bis": None})


def test_migration_recomputes_the_keys_of_an_older_register(database_url: str) -> None:
    """BMeldDAV Anlage Nr. 4 as written: a register imported under version 1 (blanks and
    hyphens kept in the keys) is upgraded by migration 2 — its keys are recomputed from the
    records, nothing stale stays, the records themselves are untouched."""
    persons = (
        REGISTER[0],
        REGISTER[1],
        REGISTER[4],
    )
    with RegisterStore(database_url) as register:
        migrate(register.engine, COMPONENT, MIGRATIONS[:1])
        assert register.schema_version() == 1
        _write_version_1_register(register, persons)
        query = PersonensucheQuery(
            ags=HANNOVER, familienname="Müller Lüdenscheidt", vornamen=("Karlheinz",)
        )
        unknown_death = PersonensucheQuery(
            ags=HANNOVER, familienname="Ungewiss", sterbedatum=UNBEKANNTES
        )
        # under the old keys the Anlage's own equivalences are not found
        assert register.search_personen(query) == []
        assert register.search_personen(unknown_death) == []

        assert register.migrate() == MIGRATIONS[-1].version  # 2, and later ones
        assert register.schema_version() == MIGRATIONS[-1].version
        # migration 4 seeds the street directory from every address held (§ 34a Abs. 5 BMG:
        # rejection 02 from the directory, register/strassen.py)
        streets = [(a.ags, a.strasse) for p in persons for a in p.anschriften if a.strasse]
        assert streets
        assert all(register.known_street(ags or "", name or "") for ags, name in streets)
        assert [p.id for p in register.search_personen(query)] == [1]
        assert [p.id for p in register.search_personen(unknown_death)] == [5]
        assert _key_tables(register) == _expected_key_tables(persons)
        with register.engine.connect() as conn:
            person_rows = {
                row.id: row
                for row in conn.execute(
                    select(
                        person_table.c.id, person_table.c.sterbedatum, person_table.c.imported_at
                    )
                )
            }
            sperren = conn.execute(select(sperre_table.c.person_id)).scalars().all()
        assert person_rows[5].sterbedatum == UNBEKANNT
        assert all(row.imported_at.year == 2024 for row in person_rows.values())
        assert sperren == [2]  # not a search key: left alone
        assert [register.get_person(p.id) for p in persons if p.id] == list(persons)
        assert register.migrate() == MIGRATIONS[-1].version  # idempotent


def test_rebuild_in_batches_restores_every_key(database_url: str) -> None:
    """The recomputation reads the register in id batches (10–15 million records): the batch
    boundaries lose nothing (BMeldDAV Anlage Nr. 4 keys for every record)."""
    persons = tuple(
        Person(
            id=pid,
            ags=HANNOVER,
            familienname=f"Name-{pid} Teil",
            vornamen=("Ann-Kathrin", "Maria"),
            geburtsdatum=UNBEKANNTES if pid % 2 else D("1990-01-01"),
            anschriften=(_adr("Lange Str.", str(pid)),),
            auskunftssperren=(Auskunftssperre("1"),) if pid == 3 else (),
        )
        for pid in range(1, 8)
    )
    with RegisterStore(database_url) as register:
        register.migrate()
        register.import_persons(persons, source="batches", kind="test")
        expected = _expected_key_tables(persons)
        assert _key_tables(register) == expected
        with register.engine.begin() as conn:
            for table in KEY_TABLES:
                conn.execute(table.delete())
        assert (
            register.search_personen(PersonensucheQuery(ags=HANNOVER, familienname="Name-1 Teil"))
            == []
        )
        with register.engine.begin() as conn:
            assert rebuild_search_keys(conn, batch_size=2) == len(persons)
        assert _key_tables(register) == expected
        found = register.search_personen(
            PersonensucheQuery(ags=HANNOVER, familienname="name1teil", strasse="Langestraße")
        )
        assert [p.id for p in found] == [1]
