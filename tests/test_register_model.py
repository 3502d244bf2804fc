"""The person record: partially known dates, validation, and the facts derived from a record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from datenspiegel.register.errors import InvalidDateError, InvalidRecordError, RegisterError
from datenspiegel.register.model import (
    UNBEKANNTES_DATUM,
    Angehoeriger,
    Anschrift,
    Auskunftssperre,
    Ausweis,
    Person,
    TeilbekanntesDatum,
)

HANNOVER = "03241001"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("1998-03-12", (1998, 3, 12)),
        ("1998-03", (1998, 3, None)),
        ("1998", (1998, None, None)),
        ("", (None, None, None)),
        ("2024-02-29", (2024, 2, 29)),
        (" 0800-01-01 ", (800, 1, 1)),
    ],
)
def test_teilbekanntes_datum_parse_and_str(text: str, parts: tuple[int | None, ...]) -> None:
    value = TeilbekanntesDatum.parse(text)
    assert (value.jahr, value.monat, value.tag) == parts
    assert str(value) == text.strip()
    assert TeilbekanntesDatum.parse(str(value)) == value


@pytest.mark.parametrize(
    "text", ["2023-02-29", "1998-13", "1998-00", "1998-04-31", "98", "1998-3", "12.03.1998", "x"]
)
def test_impossible_or_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(InvalidDateError):
        TeilbekanntesDatum.parse(text)


@pytest.mark.parametrize(
    "parts",
    [(None, 3, None), (None, None, 1), (1998, None, 12), (0, None, None), (True, None, None)],
)
def test_inconsistent_parts_are_refused(parts: tuple[object, ...]) -> None:
    with pytest.raises(InvalidDateError):
        TeilbekanntesDatum(*parts)  # type: ignore[arg-type]


def test_invalid_date_error_is_a_value_error_of_the_register() -> None:
    with pytest.raises(ValueError) as caught:
        TeilbekanntesDatum(1998, 2, 30)
    assert isinstance(caught.value, RegisterError)


def test_partial_date_properties() -> None:
    assert UNBEKANNTES_DATUM.unbekannt and str(UNBEKANNTES_DATUM) == ""
    assert UNBEKANNTES_DATUM.bereichsbeginn() is None
    assert TeilbekanntesDatum(1998, 3).bereichsbeginn() == date(1998, 3, 1)
    assert TeilbekanntesDatum(1998).bereichsbeginn() == date(1998, 1, 1)
    assert TeilbekanntesDatum(1998, 3).als_datum() is None
    assert TeilbekanntesDatum(1998, 3, 12).als_datum() == date(1998, 3, 12)
    assert TeilbekanntesDatum.from_date(date(2001, 9, 9)) == TeilbekanntesDatum(2001, 9, 9)
    assert TeilbekanntesDatum(1998, 3, 12).vollstaendig
    assert not TeilbekanntesDatum(1998, 3).vollstaendig


def test_person_with_few_fields() -> None:
    person = Person(ags=HANNOVER, familienname="Meier", vornamen=["Karl"])  # type: ignore[arg-type]
    assert person.id is None
    assert person.vornamen == ("Karl",)  # lists become tuples: the record stays hashable
    assert person.geburtsdatum.unbekannt
    assert hash(person) == hash(Person(ags=HANNOVER, familienname="Meier", vornamen=("Karl",)))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ags": "3241001"},
        {"ags": "0324100A"},
        {"ags": HANNOVER, "geschlecht": "f"},
        {"ags": HANNOVER, "familienstand": "XX"},
        {"ags": HANNOVER, "vornamen": "Karl"},
        {"ags": HANNOVER, "geburtsdatum": "1970-01-01"},
    ],
)
def test_person_validation(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidRecordError):
        Person(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "build",
    [
        lambda: Anschrift(ags="123"),
        lambda: Anschrift(wohnungsstatus="3"),
        lambda: Auskunftssperre("4"),
        lambda: Angehoeriger("onkel"),
        lambda: Ausweis("FS"),
    ],
)
def test_part_validation(build: object) -> None:
    with pytest.raises(InvalidRecordError):
        build()  # type: ignore[operator]


def _adresse(**kwargs: object) -> Anschrift:
    base: dict[str, object] = {
        "ags": HANNOVER,
        "postleitzahl": "30159",
        "strasse": "Georgstraße",
        "hausnummer": "1",
        "wohnungsstatus": "0",
    }
    base.update(kwargs)
    return Anschrift(**base)  # type: ignore[arg-type]


def test_current_and_former_addresses() -> None:
    neben = _adresse(wohnungsstatus="2", strasse="Am Markt")
    haupt = _adresse(wohnungsstatus="1")
    alt = _adresse(strasse="Lange Laube", aktuell=False)
    person = Person(ags=HANNOVER, anschriften=(neben, haupt, alt))
    assert person.aktuelle_anschriften == (neben, haupt)
    assert person.fruehere_anschriften == (alt,)
    assert person.aktuelle_hauptanschrift == haupt
    assert Person(ags=HANNOVER, anschriften=(neben,)).aktuelle_hauptanschrift is None


def test_facts_moved_and_deceased() -> None:
    gone = _adresse(aktuell=False)
    resident = Person(ags=HANNOVER, anschriften=(_adresse(),))
    assert not (resident.verstorben or resident.verzogen_inland or resident.verzogen_ins_ausland)
    assert not resident.verzogen_unbekannt

    dead = Person(ags=HANNOVER, anschriften=(gone,), sterbedatum=TeilbekanntesDatum(2020, 1, 2))
    assert dead.verstorben and not dead.verzogen_unbekannt and not dead.verzogen_inland

    abroad = Person(ags=HANNOVER, anschriften=(gone,), wegzug_ausland_staat="AUT")
    assert abroad.verzogen_ins_ausland and not abroad.verzogen_unbekannt

    inland = Person(ags=HANNOVER, anschriften=(gone,), wegzug_inland=True)
    assert inland.verzogen_inland and not inland.verzogen_unbekannt

    unknown = Person(ags=HANNOVER, anschriften=(gone,))
    assert unknown.verzogen_unbekannt


def test_auskunftssperre_codes() -> None:
    for code in ("1", "3", "6", "11", "12"):
        assert Auskunftssperre(code).sperrt_auskunft
    for code in ("2", "5", "7", "10", "13"):
        assert not Auskunftssperre(code).sperrt_auskunft
    assert Auskunftssperre("11").veranlasst_durch_sicherheitsbehoerde
    assert not Auskunftssperre("3").veranlasst_durch_sicherheitsbehoerde


def test_sperre_in_force_and_lapsed() -> None:
    today = date.today()
    lapsed = Person(
        ags=HANNOVER, auskunftssperren=(Auskunftssperre("3", bis=today - timedelta(days=1)),)
    )
    assert not lapsed.sperrt_auskunft
    assert lapsed.sperrt_auskunft_am(today - timedelta(days=2))
    objection_only = Person(ags=HANNOVER, auskunftssperren=(Auskunftssperre("7"),))
    assert not objection_only.sperrt_auskunft
    security = Person(ags=HANNOVER, auskunftssperren=(Auskunftssperre("11"),))
    assert security.sperrt_auskunft and security.gesperrt_durch_sicherheitsbehoerde
    plain = Person(ags=HANNOVER, auskunftssperren=(Auskunftssperre("3", bis=today),))
    assert plain.sperrt_auskunft and not plain.gesperrt_durch_sicherheitsbehoerde


def test_bedingter_sperrvermerk_only_on_current_addresses() -> None:
    flagged = _adresse(bedingter_sperrvermerk=True)
    assert Person(ags=HANNOVER, anschriften=(flagged,)).bedingter_sperrvermerk
    former = _adresse(bedingter_sperrvermerk=True, aktuell=False)
    assert not Person(ags=HANNOVER, anschriften=(former,)).bedingter_sperrvermerk
