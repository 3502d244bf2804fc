"""Full reload at bulk speed (issue 11): the same register as the batched import, swapped in
whole, refused whole, and searchable throughout — on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, inspect, select

from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.fixtures.testpersons import TEST_CASES, TEST_PERSONS
from datenspiegel.register.bulk_chunks import ChunkTask, RowFormat, _copy_lines, encode_chunk
from datenspiegel.register.bulk_pipeline import encoded_chunks, file_slices
from datenspiegel.register.bulk_records import decode_line, record_copy_lines, record_rows
from datenspiegel.register.errors import ImportFormatError
from datenspiegel.register.jsonl import dumps_person, loads_person, person_to_json, read_jsonl
from datenspiegel.register.keyrows import stored_person
from datenspiegel.register.keys import person_keys
from datenspiegel.register.model import Person, TeilbekanntesDatum
from datenspiegel.register.normalize import normalize_strasse
from datenspiegel.register.schema import import_log_table, strasse_table
from datenspiegel.register.store import RegisterStore
from datenspiegel.register.tablerows import ROW_TABLES, record_tuples

_RANDOM = 300


@pytest.fixture
def store(database_url: str) -> RegisterStore:
    register = RegisterStore(database_url)
    register.migrate()
    yield register
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
    inspector = inspect(store.engine)
    names = {
        i["name"]
        for table in (
            "register_name",
            "register_vorname",
            "register_geburtsdatum",
            "register_anschrift",
            "register_sperre",
        )
        for i in inspector.get_indexes(table)
    }
    assert {
        "ix_register_name_value_ags_kind_person",  # revision 0004
        "ix_register_name_phon_ags_kind_person",
        "ix_register_geburtsdatum_datum_ags_person",  # revision 0005
        "ix_register_anschrift_strasse_person",
        "ix_register_vorname_person_phon",  # revision 0006
        "ix_register_sperre_code_person_bis",  # revision 0007
    } <= names
    assert not {"ix_register_sperre_code", "ix_register_geburtsdatum_datum"} & names


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


# -- the fast way (register/bulk_records.py) against the checked way ---------------------------

_AT = "2026-11-29T12:00:00+00:00"


def _checked_rows(line: str) -> tuple[list[list[tuple[Any, ...]]], dict[tuple[str, str], str]]:
    """Rows per table (dates as ISO text) and streets, as the checked way makes them."""
    person = loads_person(line)
    assert person.id is not None
    tables = record_tuples(person.id, person, person_keys(person), line, _AT)
    streets: dict[tuple[str, str], str] = {}
    for anschrift in person.anschriften:
        if anschrift.ags and anschrift.strasse:
            key = normalize_strasse(anschrift.strasse)
            if key is not None:
                streets.setdefault((anschrift.ags, key), anschrift.strasse)
    iso = [
        [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in table]
        for table in tables
    ]
    return iso, streets


def _fast_rows(line: str) -> tuple[list[list[tuple[Any, ...]]], dict[tuple[str, str], str]]:
    """Rows and streets the fast way; its COPY lines checked against those of the rows."""
    record = decode_line(line)
    assert record is not None, line
    streets: dict[tuple[str, str], str] = {}
    tables: list[list[Any]] = [[] for _ in ROW_TABLES]
    assert record_rows(record, line, _AT, streets, tables)
    copy_streets: dict[tuple[str, str], str] = {}
    lines: list[list[Any]] = [[] for _ in ROW_TABLES]
    assert record_copy_lines(record, line, _AT, copy_streets, lines)
    assert copy_streets == streets
    assert lines == [_copy_lines(rows, plain=True) for rows in tables]
    return tables, streets


def _edge_persons() -> list[Person]:
    base = TEST_PERSONS[0]
    unknown = TeilbekanntesDatum(None)
    return [
        dataclasses.replace(
            base,
            id=90001,
            familienname="Müller-Lüdenscheidt",
            ehename="Mueller Luedenscheidt",  # the same key: one row per kind, not per value
            geburtsname="---",  # nothing left after normalising: no key
            fruehere_familiennamen=("Öztürk", "Öztürk", "Łukasz"),
            vornamen=("Karl Heinz", "Karl-Heinz", "  Jean   Luc "),
            fruehere_vornamen=("Karl", "Hans-Peter", "Hans-Peter"),
            ordensname="Schwester Maria",
            kuenstlername="Heinz",
            doktorgrad="Dr. rer. nat.",
            geburtsort="São Paulo",
            geburtsstaat=" bra ",
            geburtsdatum=TeilbekanntesDatum(1998, 3),
            fruehere_geburtsdaten=(
                TeilbekanntesDatum(1998, 3),
                unknown,
                TeilbekanntesDatum(1998),
                TeilbekanntesDatum(1998, 3, 12),
            ),
            staatsangehoerigkeiten=("deu", "DEU", " ", "tur"),
            sterbedatum=unknown,
            sterbeort="Hannover",
            sterbestaat="deu",
            azr_nummer="AZR-123 456",
            familienstand="VH",
        ),
        dataclasses.replace(
            base,
            id=90002,
            familienname=None,
            vornamen=(),
            geburtsdatum=unknown,
            anschriften=tuple(
                dataclasses.replace(
                    base.anschriften[0],
                    strasse=strasse,
                    hausnummer=hausnummer,
                    hausnummer_buchstabe=buchstabe,
                    einzugsdatum=einzug,
                    auszugsdatum=TeilbekanntesDatum(2020, 2) if i % 2 else None,
                    aktuell=i == 3,
                )
                for i, (strasse, hausnummer, buchstabe, einzug) in enumerate(
                    [
                        ("Lange Str.", "17a", "a", TeilbekanntesDatum(1990)),
                        ("Marktpl.", " 0012 ", None, unknown),
                        ("Am Gässle", "1234567890", "", None),
                        ("  ", None, None, TeilbekanntesDatum(2001, 2, 28)),
                        ("Wegle", "x1", "ß", None),
                    ]
                )
            ),
            sterbedatum=TeilbekanntesDatum(2024, 1, 5),
        ),
    ]


def test_the_fast_way_gives_the_rows_and_streets_of_the_checked_way() -> None:
    persons = [*TEST_PERSONS, *_edge_persons(), *_persons(count=3000, seed=11)]
    for person in persons:
        line = dumps_person(person)
        assert _fast_rows(line) == _checked_rows(line), person.id


def _rich_record() -> dict[str, Any]:
    """A record with every part, one of each, for the refusal comparison below."""
    record = person_to_json(TEST_PERSONS[0])
    sperre = {"code": "3", "bis": "2030-01-01", "veranlassende_stelle": "Polizei"}
    vermerk = {"datum": "2020-01-02", "behoerde": "LK", "aktenzeichen": "1/2"}
    record.update(
        auskunftssperren=[sperre],
        passversagung=dict(vermerk),
        sterbedatum="2024-01",
        fruehere_geburtsdaten=["1960"],
        fruehere_familiennamen=["Alt"],
        familienstand_datum="2001-05-06",
    )
    record["angehoerige"][0]["anschrift"] = dict(record["anschriften"][0])
    assert record["ausweise"]
    assert record["wohnungsgeber"] and record["anschriften"]
    return record


_BAD_VALUES: tuple[Any, ...] = (
    None,
    "",
    " ",
    "X",
    "x",
    "0324100",
    "032410011",
    "03241001\n",
    "1998-02-30",
    "1998-13",
    "16.06.1989",
    "19980312",
    " 1998-03 ",
    0,
    7,
    -1,
    1.0,
    True,
    False,
    [],
    ["X"],
    [1],
    [None],
    {},
    {"x": 1},
)


def _parts(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every object of the record (the person and each nested part)."""
    out = [record]
    for value in record.values():
        items = value if isinstance(value, list) else [value]
        out += [p for item in items if isinstance(item, dict) for p in _parts(item)]
    return out


def test_the_fast_way_takes_no_record_the_checked_way_refuses() -> None:
    """Every field of every part set to every value of :data:`_BAD_VALUES`, and an unknown
    field in each part: where the checked way refuses, the fast way must not take the line
    (it then goes the checked way, which names the field); where it takes one, the rows are
    those of the checked way."""
    base = _rich_record()
    refused = taken = 0
    count = len(_parts(base))
    for index in range(count):
        fields = list(_parts(base)[index])
        for field in [*fields, "unbekannt"]:
            for value in _BAD_VALUES:
                record = json.loads(json.dumps(base))
                _parts(record)[index][field] = value
                line = json.dumps(record, ensure_ascii=False)
                try:
                    person = loads_person(line)
                except ImportFormatError:
                    assert decode_line(line) is None, line
                    refused += 1
                    continue
                fast = decode_line(line)
                if person.id is None:  # the checked way names the line (a full load needs ids)
                    assert fast is None or not record_rows(fast, line, _AT, {}, [[]] * 7)
                    continue
                expected = _checked_rows(line)
                if fast is not None:
                    assert _fast_rows(line) == expected, line
                    taken += 1
    assert refused > 1000 and taken > 200  # the comparison covered both outcomes


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"id": 5000, "ags": "03241001", "geburtsdatum": "1998-02-30"}', "geburtsdatum"),
        ('{"id": 5000, "ags": "03241001", "anschriften": [{"strase": "X"}]}', "anschriften[0]"),
        ('{"id": 5000, "ags": "03241001", "geschlecht": "q"}', "not a valid code"),
        ('{"id": 5000.0, "ags": "03241001"}', "expected an integer"),
    ],
)
def test_a_line_the_fast_way_refuses_is_named_as_the_checked_way_names_it(
    bad: str, message: str
) -> None:
    lines = tuple(_lines(_persons(count=30, seed=5)))
    task = ChunkTask(1, (*lines[:10], bad, *lines[10:]), RowFormat.COPY_TEXT, _AT)

    chunk = encode_chunk(task)

    assert chunk.error is not None and chunk.error[0] == 11
    with pytest.raises(ImportFormatError) as caught:
        chunk.raise_error()
    with pytest.raises(ImportFormatError) as checked:
        loads_person(bad)
    assert caught.value.line == 11 and message in str(caught.value)
    assert chunk.error[1] == str(checked.value)


def test_a_line_with_escapes_goes_the_checked_way_with_the_same_rows() -> None:
    person = dataclasses.replace(TEST_PERSONS[1], familienname='Al "Rashid" \\ Tab\there')
    line = dumps_person(person)
    assert "\\" in line
    copy = encode_chunk(ChunkTask(1, (line,), RowFormat.COPY_TEXT, _AT))
    plain = encode_chunk(ChunkTask(1, (line,), RowFormat.TUPLES, _AT))
    assert copy.error is None and plain.error is None and copy.records == plain.records == 1
    assert 'Al \\\\"Rashid\\\\" \\\\\\\\ Tab\\\\there' in copy.tables[0].decode()
    assert plain.tables == tuple(_fast_rows(line)[0])


def test_a_carriage_return_between_tokens_is_escaped_for_copy() -> None:
    line = '{"id": 7,\r"ags": "03241001", "familienname": "Meier"}'
    chunk = encode_chunk(ChunkTask(1, (line,), RowFormat.COPY_TEXT, _AT))
    assert chunk.error is None and chunk.records == 1
    person_row = chunk.tables[0].decode()
    assert "\r" not in person_row and '{"id": 7,\\r"ags"' in person_row
    assert person_row.count("\n") == 1  # one row, not two


# -- the PostgreSQL build on several connections (register/reload_postgres.py) ----------------


def _catalogue(store: RegisterStore) -> dict[str, list[tuple[Any, ...]]]:
    """The record tables' constraints (with whether each is validated) and indexes."""
    tables = [table.name for table in ROW_TABLES]
    with store.engine.connect() as conn:
        constraints = conn.exec_driver_sql(
            "select r.relname, c.conname, pg_get_constraintdef(c.oid), c.convalidated "
            "from pg_constraint c join pg_class r on r.oid = c.conrelid "
            "where r.relnamespace = current_schema()::regnamespace "
            "and r.relname = any(%(tables)s) order by 1, 2",
            {"tables": tables},
        ).all()
        indexes = conn.exec_driver_sql(
            "select tablename, indexname, regexp_replace(indexdef, ' ON \\S+\\.', ' ON ') "
            "from pg_indexes where schemaname = current_schema() "
            "and tablename = any(%(tables)s) order by 1, 2",
            {"tables": tables},
        ).all()
    return {"constraints": [tuple(r) for r in constraints], "indexes": [tuple(r) for r in indexes]}


@pytest.mark.postgres
def test_a_postgres_load_builds_the_migrated_catalogue_on_several_connections(
    pg_url: str,
) -> None:
    """The load's keys and indexes are built on several connections at once, the primary keys
    on their own unique indexes and the foreign keys validated afterwards; the swapped-in
    tables carry exactly the constraints and indexes a migrated register has, every one of
    them validated."""
    store = RegisterStore(pg_url)
    store.migrate()
    builders: dict[int, list[str]] = {}

    def watch(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX", "ALTER TABLE")):
            pid = conn.connection.dbapi_connection.info.backend_pid
            builders.setdefault(pid, []).append(statement)

    try:
        migrated = _catalogue(store)
        event.listen(store.engine, "before_cursor_execute", watch)
        store.full_reload(_lines(_persons(count=200)), source="s", kind="bestand", workers=0)
        event.remove(store.engine, "before_cursor_execute", watch)

        assert _catalogue(store) == migrated
        assert all(validated for *_, validated in migrated["constraints"])
        assert len(builders) >= 2, builders  # the build ran on more than one connection
        sent = [statement for statements in builders.values() for statement in statements]
        assert sum("CREATE UNIQUE INDEX" in s for s in sent) == len(ROW_TABLES)  # the keys
        assert sum("VALIDATE CONSTRAINT" in s for s in sent) == len(ROW_TABLES) - 1
        assert _answers(store) == {case.kennung: case.treffer for case in TEST_CASES}
    finally:
        store.close()


# -- a stock on disk, read by the workers in byte ranges (register/bulk_pipeline.py) ----------


@pytest.mark.parametrize("chunk_bytes", [1, 700, 5_000, 1 << 20])
def test_file_slices_cover_the_file_in_whole_lines(tmp_path: Path, chunk_bytes: int) -> None:
    path = tmp_path / "stock.jsonl"
    lines = [f'{{"n": {i}, "pad": "{"x" * (i * 37 % 900)}"}}\n' for i in range(60)]
    path.write_text("".join(lines) + '{"last": "without a newline"}', encoding="utf-8")
    data = path.read_bytes()

    slices = list(file_slices(path, chunk_bytes=chunk_bytes))

    assert slices[0].start == 0 and slices[-1].end == len(data)
    assert all(a.end == b.start for a, b in itertools.pairwise(slices))
    assert all(data[s.end - 1 : s.end] == b"\n" for s in slices[:-1])  # whole lines
    assert b"".join(s.read() for s in slices) == data
    if chunk_bytes == 1:
        assert len(slices) == len(lines) + 1  # one line each


def test_a_stock_file_loads_as_its_lines_load(store: RegisterStore, tmp_path: Path) -> None:
    """The workers' byte ranges of a file give the register its lines give (CRLF line ends
    too, as JSON Lines allows them)."""
    lines = _lines(_persons())
    store.full_reload(lines, source="s", kind="bestand", workers=0)
    from_lines = _snapshot(store)
    path = tmp_path / "stock.jsonl"
    path.write_bytes("".join(lines).replace("\n", "\r\n").encode())

    report = store.full_reload(path, source="s", kind="bestand", workers=0, chunk_bytes=20_000)

    assert report.records == len(lines)
    assert _snapshot(store) == from_lines
    assert _answers(store) == {case.kennung: case.treffer for case in TEST_CASES}


def test_a_bad_line_of_a_stock_file_is_named_by_its_number_in_the_file(
    store: RegisterStore, tmp_path: Path
) -> None:
    store.full_reload(_lines(_persons(count=50)), source="old", kind="bestand", workers=0)
    before = _snapshot(store)
    lines = _lines(_persons(count=120, seed=9))
    lines.insert(99, "\n")  # a blank line counts
    lines.insert(111, '{"id": 5000, "ags": "0324100"}\n')
    path = tmp_path / "stock.jsonl"
    path.write_text("".join(lines), encoding="utf-8")

    with pytest.raises(ImportFormatError) as caught:
        store.full_reload(path, source="bad", kind="bestand", workers=2, chunk_bytes=8_000)

    assert caught.value.line == 112 and "8-digit" in str(caught.value)
    assert _snapshot(store) == before


def test_a_stock_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "stock.jsonl"
    good = "".join(_lines(_persons(count=30)))
    path.write_bytes(good.encode() + '{"id": 7, "familienname": "Jürgens"}\n'.encode("latin-1"))
    chunks = encoded_chunks(
        path, row_format=RowFormat.COPY_TEXT, imported_at=_AT, workers=0, chunk_bytes=9_000
    )

    with pytest.raises(ImportFormatError, match="not UTF-8") as caught:
        for chunk in chunks:
            chunk.raise_error()

    assert caught.value.line == good.count("\n") + 1
