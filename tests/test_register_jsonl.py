"""The import format (JSON Lines): round trip, compact writing, precise errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from datenspiegel.fixtures.generator import generate_persons
from datenspiegel.fixtures.testpersons import TEST_PERSONS, find_test_person
from datenspiegel.register.errors import ImportFormatError
from datenspiegel.register.jsonl import (
    dumps_person,
    loads_person,
    person_from_json,
    person_to_json,
    read_jsonl,
    write_jsonl,
)
from datenspiegel.register.model import Person


def test_round_trip_of_every_test_person() -> None:
    for person in TEST_PERSONS:
        assert loads_person(dumps_person(person)) == person


def test_round_trip_of_generated_persons_through_a_file(tmp_path: Path) -> None:
    persons = list(generate_persons(seed=5, count=400))
    target = tmp_path / "persons.jsonl"
    assert write_jsonl(persons, target) == len(persons)
    assert list(read_jsonl(target)) == persons
    # UTF-8 as it is, one record per line
    text = target.read_text(encoding="utf-8")
    assert text.count("\n") == len(persons)
    assert "Weißhäupl-Öhlschläger" in text


def test_writer_leaves_out_defaults() -> None:
    data = person_to_json(Person(ags="03241001", familienname="Meier"))
    assert data == {"ags": "03241001", "familienname": "Meier"}
    assert person_from_json(data) == Person(ags="03241001", familienname="Meier")


def test_dates_travel_as_text() -> None:
    data = person_to_json(find_test_person(12))  # partially known date, earlier date of birth
    assert data["geburtsdatum"] == "1958-03"
    assert data["fruehere_geburtsdaten"] == ["1958"]
    data = person_to_json(find_test_person(1))
    assert data["familienstand_datum"] == "1989-06-16"
    assert data["ausweise"][0]["gueltig_bis"] == "2031-02-28"


def _lines(*records: object) -> io.StringIO:
    return io.StringIO(
        "".join(f"{r}\n" if isinstance(r, str) else json.dumps(r) + "\n" for r in records)
    )


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"ags": "03241001", "nachname": "Meier"}, "unknown field(s) nachname"),
        ({"familienname": "Meier"}, "Person.ags is required"),
        ({"ags": "03241001", "vornamen": "Karl"}, "person.vornamen: expected an array"),
        ({"ags": "03241001", "geburtsdatum": "1998-02-30"}, "person.geburtsdatum"),
        ({"ags": "03241001", "familienstand_datum": "16.06.1989"}, "is not a date"),
        ({"ags": "0324100"}, "8-digit"),
        ({"ags": "03241001", "anschriften": [{"strase": "X"}]}, "person.anschriften[0]"),
        ({"ags": "03241001", "wegzug_inland": "ja"}, "expected true or false"),
        ({"ags": "03241001", "id": "7"}, "expected an integer"),
        ("{not json", "not JSON"),
        ("[1, 2]", "expected an object"),
    ],
)
def test_bad_lines_name_line_and_field(record: object, message: str) -> None:
    good = {"ags": "03241001", "familienname": "Gut"}
    source = _lines(good, "", record)
    reader = read_jsonl(source)
    assert next(reader).familienname == "Gut"  # blank line 2 is skipped
    with pytest.raises(ImportFormatError) as caught:
        next(reader)
    assert caught.value.line == 3
    assert str(caught.value).startswith("line 3: ")
    assert message in str(caught.value)


def test_the_documented_example_line_is_valid() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs" / "register.md"
    text = docs.read_text(encoding="utf-8")
    line = text.split("```json\n", 1)[1].split("\n```", 1)[0]
    person = loads_person(line)
    assert person == person_from_json(json.loads(line))
    assert person.familienname == "Mustermann"
    assert person.angehoerige[0].auskunftssperre


def test_null_is_the_default_of_an_optional_field() -> None:
    """``null`` for an optional text, date or part is its default, as if left out."""
    line = (
        '{"ags": "03241001", "familienname": null, "geburtsort": null, "sterbedatum": null,'
        ' "passversagung": null, "anschriften": [{"strasse": null, "einzugsdatum": null}]}'
    )
    person = loads_person(line)
    assert person.familienname is None and person.geburtsort is None
    assert person.sterbedatum is None and person.passversagung is None
    assert person.anschriften[0].strasse is None
    assert person == loads_person('{"ags": "03241001", "anschriften": [{}]}')
