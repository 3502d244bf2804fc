"""The synthetic register generator: determinism, test persons first, realistic data."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable

import pytest

from datenspiegel.fixtures.generator import STICHTAG, generate_persons, random_surnames
from datenspiegel.fixtures.municipalities import gemeinde, gemeinden, read_data_file
from datenspiegel.fixtures.testpersons import FIRST_RANDOM_ID, TEST_CASES, TEST_PERSONS
from datenspiegel.register.jsonl import dumps_person
from datenspiegel.register.model import Person
from datenspiegel.register.normalize import normalize
from datenspiegel.register.phonetics import koelner_phonetik


@pytest.fixture(scope="module")
def sample() -> list[Person]:
    return list(generate_persons(seed=2024, count=6000))


def test_same_seed_same_register() -> None:
    first = [dumps_person(p) for p in generate_persons(seed=42, count=800)]
    second = [dumps_person(p) for p in generate_persons(seed=42, count=800)]
    assert first == second
    other = [dumps_person(p) for p in generate_persons(seed=43, count=800)]
    assert other[: len(TEST_PERSONS)] == first[: len(TEST_PERSONS)]
    assert other[len(TEST_PERSONS) :] != first[len(TEST_PERSONS) :]


def test_a_smaller_register_is_a_prefix_of_a_larger_one() -> None:
    small = list(generate_persons(seed=9, count=50))
    large = list(generate_persons(seed=9, count=500))
    assert large[: len(small)] == small


def test_test_persons_first_then_exactly_count_random_persons() -> None:
    persons = list(generate_persons(seed=1, count=333))
    assert tuple(persons[: len(TEST_PERSONS)]) == TEST_PERSONS
    randoms = persons[len(TEST_PERSONS) :]
    assert len(randoms) == 333
    assert [p.id for p in randoms] == list(range(FIRST_RANDOM_ID, FIRST_RANDOM_ID + 333))
    assert list(generate_persons(seed=1, count=0)) == list(TEST_PERSONS)
    with pytest.raises(ValueError):
        list(generate_persons(seed=1, count=-1))


def test_streams_lazily() -> None:
    # a billion persons are never built up front
    head = list(itertools.islice(generate_persons(seed=1, count=10**9), 100))
    assert len(head) == 100


def test_test_persons_are_fixed_and_distinct() -> None:
    ids = [p.id for p in TEST_PERSONS]
    assert len(set(ids)) == len(ids)
    assert all(pid is not None and 1 <= pid < FIRST_RANDOM_ID for pid in ids)
    known = {g.ags for g in gemeinden()}
    assert all(p.ags in known for p in TEST_PERSONS)


def test_random_names_can_never_hit_a_test_case() -> None:
    randoms = {normalize(name) for name in random_surnames()}
    test_names = {
        normalize(name)
        for person in TEST_PERSONS
        for name in (
            person.familienname,
            person.geburtsname,
            person.ehename,
            person.ordensname,
            *person.fruehere_familiennamen,
        )
        if name
    }
    assert not randoms & test_names
    # phonetic test cases need a phonetic code no random surname has
    random_codes = {koelner_phonetik(name) for name in random_surnames()}
    for case in TEST_CASES:
        if case.query.phonetisch:
            assert koelner_phonetik(case.query.familienname) not in random_codes


def test_every_person_is_in_a_known_municipality(sample: list[Person]) -> None:
    known = {g.ags: g for g in gemeinden()}
    for person in sample:
        assert person.ags in known
        for anschrift in person.anschriften:
            if anschrift.ags is not None:
                place = known[anschrift.ags]
                assert anschrift.postleitzahl in place.postleitzahlen
                assert anschrift.strasse in place.strassen
                assert anschrift.wohnort == place.name


def test_dates_are_consistent(sample: list[Person]) -> None:
    for person in sample:
        born = person.geburtsdatum.bereichsbeginn()
        assert born is not None and born <= STICHTAG
        for anschrift in person.anschriften:
            if anschrift.einzugsdatum and anschrift.auszugsdatum:
                start = anschrift.einzugsdatum.bereichsbeginn()
                end = anschrift.auszugsdatum.bereichsbeginn()
                assert start is not None and end is not None and start <= end
        if person.sterbedatum is not None:
            assert not person.aktuelle_anschriften
            died = person.sterbedatum.bereichsbeginn()
            assert died is not None and died <= STICHTAG


def _share(sample: list[Person], predicate: Callable[[Person], object]) -> float:
    return sum(1 for p in sample if predicate(p)) / len(sample)


def test_realistic_distributions(sample: list[Person]) -> None:
    randoms = sample[len(TEST_PERSONS) :]
    # everyone has a name, a first name, a sex and a current or former address
    assert all(p.familienname and p.vornamen and p.geschlecht and p.anschriften for p in randoms)
    sexes = Counter(p.geschlecht for p in randoms)
    assert 0.45 < sexes["w"] / len(randoms) < 0.55
    # the big cities dominate, as they do
    per_ags = Counter(p.ags for p in randoms)
    assert per_ags.most_common(1)[0][0] == "03241001"
    assert len(per_ags) > 40
    # rare cases occur, in plausible shares
    assert 0.001 < _share(randoms, lambda p: p.sperrt_auskunft_am(STICHTAG)) < 0.02
    assert 0.01 < _share(randoms, lambda p: p.auskunftssperren) < 0.1
    assert 0.01 < _share(randoms, lambda p: p.verzogen_inland) < 0.05
    assert 0.001 < _share(randoms, lambda p: p.verzogen_ins_ausland) < 0.02
    assert 0.0005 < _share(randoms, lambda p: p.verstorben) < 0.03
    assert _share(randoms, lambda p: p.verringerter_datenumfang) > 0
    assert _share(randoms, lambda p: p.bedingter_sperrvermerk) > 0
    assert _share(randoms, lambda p: p.waffenerlaubnis is not None) > 0.003
    assert 0.6 < _share(randoms, lambda p: p.ausweise) < 0.95
    assert 0.3 < _share(randoms, lambda p: p.fruehere_anschriften) < 0.8
    assert 0.3 < _share(randoms, lambda p: p.familienstand == "VH") < 0.7
    assert 0.1 < _share(randoms, lambda p: p.geburtsname) < 0.4
    assert _share(randoms, lambda p: p.fruehere_familiennamen) > 0.02
    assert _share(randoms, lambda p: p.geburtsdatum.tag is None) > 0
    assert _share(randoms, lambda p: p.angehoerige) > 0.3
    # about one in seven has a surname of other origin, born abroad or not
    assert 0.05 < _share(randoms, lambda p: p.geburtsstaat != "DEU") < 0.2
    assert 0.04 < _share(randoms, lambda p: p.staatsangehoerigkeiten != ("DEU",)) < 0.3
    # households: namesakes at one address are common (couples, children)
    addresses = Counter(
        (p.ags, p.anschriften[0].strasse, p.anschriften[0].hausnummer, p.familienname)
        for p in randoms
    )
    assert sum(1 for n in addresses.values() if n > 1) > len(randoms) * 0.1


def test_relatives_carry_their_own_block(sample: list[Person]) -> None:
    blocked = {
        (p.ags, p.familienname, p.vornamen, str(p.geburtsdatum))
        for p in sample
        if any(s.sperrt_auskunft for s in p.auskunftssperren)
    }
    flagged = 0
    for person in sample[len(TEST_PERSONS) :]:  # (Max Mustermann is no record of his own)
        for relative in person.angehoerige:
            key = (person.ags, relative.familienname, relative.vornamen, str(relative.geburtsdatum))
            if relative.auskunftssperre:
                flagged += 1
                assert key in blocked
    assert flagged > 0


def test_municipality_data() -> None:
    places = gemeinden()
    assert len(places) >= 40
    assert len({g.ags for g in places}) == len(places)
    for ags, name in [
        ("03241001", "Hannover"),
        ("03101000", "Braunschweig"),
        ("03404000", "Osnabrück"),
        ("03403000", "Oldenburg (Oldb)"),
        ("03159016", "Göttingen"),
        ("03103000", "Wolfsburg"),
        ("03254021", "Hildesheim"),
        ("03355022", "Lüneburg"),
        ("03351006", "Celle"),
    ]:
        assert gemeinde(ags).name == name
    for place in places:
        assert len(place.ags) == 8 and place.ags.startswith("03")
        assert place.postleitzahlen and all(
            len(plz) == 5 and plz.isdigit() for plz in place.postleitzahlen
        )
        assert len(place.strassen) >= 10
    assert {"Lister Meile", "Podbielskistraße"} <= set(gemeinde("03241001").strassen)
    assert "Bahnhofstraße" in gemeinde("03460009").strassen
    with pytest.raises(KeyError):
        gemeinde("09162000")


def test_name_lists() -> None:
    surnames = read_data_file("familiennamen.csv")
    first_names = read_data_file("vornamen.csv")
    assert len(surnames) >= 300 and len(first_names) >= 300
    names = {row["name"] for row in surnames}
    assert {"Müller", "Öztürk", "Nowak", "Nguyen", "Weiß", "Yılmaz"} <= names
    assert all(int(row["gewicht"]) > 0 for row in surnames)
    assert {row["geschlecht"] for row in first_names} == {"m", "w"}
    assert {"Jürgen", "Björn", "Hans-Peter", "Zoë", "Ayşe"} <= {r["name"] for r in first_names}
