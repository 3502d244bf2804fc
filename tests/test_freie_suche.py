"""freie Suche (1332 → 1333) in-process, on SQLite and PostgreSQL: DOMAIN.md § 4 rule by rule.

Legal sources, cited per test: § 34a Abs. 3 BMG (the freie Suche within a Suchbereich),
BMeldDAV § 7 (its search data, placeholders, ranges, the 1 000 limit), § 34 Abs. 1 Satz 1 BMG
(the data every public body receives: items 1–8 and 16 plus the address), § 34 Abs. 4 BMG
(what only security authorities search by or receive), § 51 BMG (blocked persons never in a
result), § 39 Abs. 2 BMG / BMeldDAV § 9 (Identifikationsmerkmal), § 40 BMG (the record: also
the search data used and the results).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from datenspiegel.protocol.record import Outcome, ProtocolRecord
from datenspiegel.register.freie_suche import (
    Aktualitaet,
    FreieSucheQuery,
    NameKriterium,
    Suchbereich,
    SuchbereichArt,
    Zeitraum,
)
from datenspiegel.register.model import Anschrift, Person
from datenspiegel.register.model import TeilbekanntesDatum as D
from datenspiegel.service.broker import BrokerReply, ReplyKind
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.signing import MessageVerifier, TrustStore
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.request_builder import build_freie_suche
from datenspiegel.xsd import MessageValidator, parse_message
from datenspiegel.xsd.codelists import Ergebnisstatus, Grund
from tests.sealing import content_record
from tests.world import AGS_HANNOVER, LESER, World, build_world

HANNOVER = Suchbereich(SuchbereichArt.GEMEINDE, AGS_HANNOVER)
REGION = Suchbereich(SuchbereichArt.KREIS, AGS_HANNOVER[:5])
LAND = Suchbereich(SuchbereichArt.LAND, "03")
#: items 1–8 and 16 of § 34 Abs. 1 Satz 1 BMG and the current main address
OEFFENTLICH = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 16, 17, 18, 19, 21, 22)
ANSWER_ROOT = "{urn:xoev-de:datenspiegel:datenabruf:1}datenabruf.freieSuche.antwort.1333"


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> World:
    return build_world(tmp_path, database_url)


def _request(
    query: FreieSucheQuery,
    user: str = "ordnungsamt",
    *,
    elemente: Iterable[int] = OEFFENTLICH,
    gemeindename: str | None = None,
) -> etree._Element:
    demo = next(u for u in DEMO_USERS if u.key == user)
    return build_freie_suche(
        leser=LESER,
        autor=Behoerde(kennung=demo.authority_kennung, name=demo.authority_name),
        stelle=demo.stelle,
        elemente=elemente,
        query=query,
        gemeindename=gemeindename,
        erstellt=datetime.now(UTC),
        nachrichten_uuid=str(uuid.uuid4()),
    )


def _ask(
    world: World, query: FreieSucheQuery, user: str = "ordnungsamt", **kw: object
) -> BrokerReply:
    return world.broker.submit(world.signed(_request(query, user, **kw), user))  # type: ignore[arg-type]


def _verified(world: World, reply: BrokerReply) -> etree._Element:
    verified = MessageVerifier(TrustStore.from_pem_files([world.pki.ca_cert])).verify(
        reply.document
    )
    MessageValidator().validate(parse_message(reply.document))
    return verified.root


def _record(world: World, reply: BrokerReply) -> ProtocolRecord:
    """The record with its content (for the demo police, kept sealed on its behalf: opened)."""
    return content_record(world, reply.record_id)


def _persons(root: etree._Element) -> list[etree._Element]:
    return list(root.iterfind("ergebnis/ergebnisliste/person"))


def _surname(name: str, **kw: object) -> FreieSucheQuery:
    return FreieSucheQuery(suchbereich=HANNOVER, familienname=NameKriterium(name, **kw))  # type: ignore[arg-type]


def test_result_list_status_04_with_merkmal_per_person_and_the_record(world: World) -> None:
    """§ 34a Abs. 3 BMG: status 04 result list with exactly the requested data (§ 34 Abs. 1
    Satz 1 BMG); BMeldDAV § 9: an Identifikationsmerkmal per person when more than one, usable
    to continue as a Personensuche; § 40 BMG: the record keeps the search data and results."""
    reply = _ask(world, _surname("Wendebrink"), elemente=(1, 6, 11))
    assert reply.kind is ReplyKind.ANSWER and reply.code == Ergebnisstatus.ERGEBNISLISTE
    root = _verified(world, reply)
    assert root.tag == ANSWER_ROOT
    assert root.findtext("ergebnis/ergebnisstatus/code") == "04"
    persons = _persons(root)
    assert [p.findtext("familienname") for p in persons] == ["Wendebrink", "Wendebrink"]
    merkmale = [p.findtext("identifikationsmerkmal") for p in persons]
    assert all(merkmale) and len(set(merkmale)) == 2
    for person in persons:  # never more than asked for (1, 6, 11): no address, no sex
        assert person.find("hauptanschrift") is None and person.find("geschlecht") is None
    record = _record(world, reply)
    assert record.outcome is Outcome.ANSWERED and record.service == "freieSuche"
    assert record.search_data["suchbereich/gemeindeschluessel"] == AGS_HANNOVER
    assert record.search_data["familienname"] == "Wendebrink"
    assert record.hits == (2, 3) and record.hit_count == 2
    assert dict(record.disclosed) == {2: (1, 6, 11), 3: (1, 6, 11)}
    # the Merkmal continues as a Personensuche of the same authority
    follow = world.broker.submit(world.signed(world.request(merkmal=merkmale[0])))
    assert follow.code == Ergebnisstatus.PERSON


def test_one_person_carries_no_merkmal_and_the_main_address(world: World) -> None:
    """BMeldDAV § 9: the Merkmal only when the list has more than one person; the current
    main address with the bedingter Sperrvermerk flag (§ 52 BMG)."""
    reply = _ask(world, _surname("Quastenberg"))
    root = _verified(world, reply)
    (person,) = _persons(root)
    assert person.find("identifikationsmerkmal") is None
    assert person.findtext("hauptanschrift/strasse") == "Lister Meile"
    assert person.findtext("hauptanschrift/bedingterSperrvermerk") == "false"
    assert (
        person.findtext("doktorgrad") == "Dr." and person.findtext("staatsangehoerigkeit") == "DEU"
    )


def test_nobody_is_status_03(world: World) -> None:
    reply = _ask(world, _surname("Niemandsland"))
    root = _verified(world, reply)
    assert root.findtext("ergebnis/ergebnisstatus/code") == "03" and not _persons(root)
    assert _record(world, reply).hits == ()


def test_blocked_persons_are_never_included_nor_inferable(world: World) -> None:
    """§ 51 BMG, DOMAIN.md § 4: persons with an Auskunftssperre (4: code 3, 5: code 11) are
    never part of the result; the answer equals one over a register without them."""
    query = FreieSucheQuery(suchbereich=HANNOVER, strasse="Lister Meile")
    reply = _ask(world, query, "polizei", elemente=(1,))
    root = _verified(world, reply)
    assert [p.findtext("familienname") for p in _persons(root)] == ["Quastenberg"]
    assert _record(world, reply).hits == (1,) and _record(world, reply).withheld == ()
    only_blocked = _ask(world, _surname("Schattenfroh"))
    assert only_blocked.code == Ergebnisstatus.NEUTRAL


@pytest.mark.parametrize(
    "bereich,gemeindename",
    [(HANNOVER, None), (REGION, None), (LAND, None), (LAND, "Hannover")],
    ids=["gemeinde", "kreis", "land", "gemeindename"],
)
def test_suchbereich_municipality_district_state_or_name(
    world: World, bereich: Suchbereich, gemeindename: str | None
) -> None:
    """§ 34a Abs. 3 BMG: one municipality (AGS or name), one district (first 5 digits of the
    AGS) or the whole state (03)."""
    query = FreieSucheQuery(suchbereich=bereich, familienname=NameKriterium("Wendebrink"))
    reply = _ask(world, query, gemeindename=gemeindename)
    assert reply.code == Ergebnisstatus.ERGEBNISLISTE
    assert _record(world, reply).hits == (2, 3)


def _q(**fields: object) -> FreieSucheQuery:
    return FreieSucheQuery(suchbereich=HANNOVER, **fields)  # type: ignore[arg-type]


REJECTIONS = [
    # § 34a Abs. 3 BMG: the Suchbereich must lie in Lower Saxony and be held by the mirror
    (
        "ausland-gemeinde",
        FreieSucheQuery(suchbereich=Suchbereich(SuchbereichArt.GEMEINDE, "04011000")),
        Grund.SUCHBEREICH_NICHT_ZUSTAENDIG,
    ),
    (
        "ausland-land",
        FreieSucheQuery(suchbereich=Suchbereich(SuchbereichArt.LAND, "09")),
        Grund.SUCHBEREICH_NICHT_ZUSTAENDIG,
    ),
    (
        "unbekannter-kreis",
        FreieSucheQuery(suchbereich=Suchbereich(SuchbereichArt.KREIS, "03999")),
        Grund.SUCHBEREICH_NICHT_ZUSTAENDIG,
    ),
    # § 34 Abs. 4 Satz 1 BMG: weapons / explosives criteria for security authorities only
    ("waffenerlaubnis", _q(waffenerlaubnis=True), Grund.WAFFENERLAUBNIS_NICHT_BERECHTIGT),
    ("waffenbesitzverbot", _q(waffenbesitzverbot=True), Grund.WAFFENBESITZVERBOT_NICHT_BERECHTIGT),
    ("sprengstoff", _q(sprengstofferlaubnis=False), Grund.SPRENGSTOFFERLAUBNIS_NICHT_BERECHTIGT),
    # BMeldDAV § 7 Abs. 3: placeholders not first, not alone, names and street only, no phonetics
    (
        "platzhalter-zuerst",
        _q(familienname=NameKriterium("*brink")),
        Grund.SONSTIGER_FACHLICHER_FEHLER,
    ),
    ("platzhalter-allein", _q(strasse="*"), Grund.SONSTIGER_FACHLICHER_FEHLER),
    ("platzhalter-geburtsort", _q(geburtsort="Cel*"), Grund.SONSTIGER_FACHLICHER_FEHLER),
    (
        "platzhalter-phonetisch",
        _q(familienname=NameKriterium("Wende*"), vornamen=NameKriterium("Jens", True)),
        Grund.PLATZHALTER_BEI_PHONETIK,
    ),
    # BMeldDAV § 7 Abs. 1: ranges
    (
        "geburtszeitraum",
        _q(geburtszeitraum=Zeitraum(D(1980, 1, 2), D(1980, 1, 2))),
        Grund.GEBURTSZEITRAUM_UNGUELTIG,
    ),
    (
        "geburtszeitraum-teilbekannt",
        _q(geburtszeitraum=Zeitraum(D(1980, 1), D(1980))),
        Grund.GEBURTSZEITRAUM_UNGUELTIG,
    ),
    (
        "hausnummernbereich",
        _q(strasse="Lister Meile", hausnummer="40", hausnummer_bis="12"),
        Grund.HAUSNUMMERNBEREICH_UNGUELTIG,
    ),
    (
        "aktualitaet-ohne-strasse",
        _q(postleitzahl="30161", anschrift_aktualitaet=Aktualitaet.AKTUELL),
        Grund.AKTUALITAET_OHNE_STRASSE,
    ),
]


@pytest.mark.parametrize(
    "query,code", [(q, c) for _, q, c in REJECTIONS], ids=[i for i, _, _ in REJECTIONS]
)
def test_search_data_rejections(world: World, query: FreieSucheQuery, code: Grund) -> None:
    reply = _ask(world, query)
    assert reply.kind is ReplyKind.ANSWER
    root = _verified(world, reply)
    assert root.tag == ANSWER_ROOT  # a rejected 1332 is answered with a 1333
    assert [c.text for c in root.iterfind("rueckweisung/grund/code")] == [code.value]
    assert _record(world, reply).outcome is Outcome.REJECTED


@pytest.mark.parametrize(
    "element,code",
    [
        (28, Grund.EINZUGSDATUM_NICHT_BERECHTIGT),
        (29, Grund.AUSWEISDATEN_NICHT_BERECHTIGT),
        (42, Grund.WAFFENDATEN_NICHT_BERECHTIGT),
        (45, Grund.WOHNUNGSGEBER_NICHT_BERECHTIGT),
    ],
)
def test_public_body_requesting_security_data(world: World, element: int, code: Grund) -> None:
    """§ 34 Abs. 4 Satz 1 BMG: move-in date 11, identity documents 07, weapons 09, landlord 10."""
    reply = _ask(world, _surname("Wendebrink"), elemente=(1, element))
    root = _verified(world, reply)
    assert root.tag == ANSWER_ROOT
    assert [c.text for c in root.iterfind("rueckweisung/grund/code")] == [code.value]


def test_security_authority_searches_by_and_receives_its_data(world: World) -> None:
    """§ 34 Abs. 4 Satz 1 BMG: a security authority may search by the weapons facts and
    receives move-in date (28) and the weapons facts (42)."""
    query = FreieSucheQuery(suchbereich=HANNOVER, strasse="Lister Meile", waffenerlaubnis=False)
    reply = _ask(world, query, "polizei", elemente=(1, 21, 28, 42))
    root = _verified(world, reply)
    (person,) = _persons(root)
    assert person.findtext("hauptanschrift/einzugsdatum/jahrMonatTag") == "2015-04-01"
    assert person.findtext("waffenerlaubnis/vorhanden") == "false"
    assert dict(_record(world, reply).disclosed) == {1: (1, 21, 28, 42)}


@pytest.mark.parametrize(
    "query,hits",
    [
        (_surname("Wende*"), (2, 3)),
        (_surname("Wendebr?nk"), (2, 3)),
        (_surname("Wendebrinck", phonetisch=True), (2, 3)),
        (_q(vornamen=NameKriterium("Jens Ole")), (3,)),
        (_q(vornamen=NameKriterium("Hanne*")), (1,)),
        (_q(geburtsname=NameKriterium("Lührs")), (1,)),
        (_q(geburtsname=NameKriterium("Quastenberg")), ()),  # each name field separately
        (_q(strasse="Podbielskistr.", hausnummer="5", hausnummer_bis="7"), (2, 3)),
        (_q(strasse="Podbiel*", hausnummer="6", hausnummer_bis="9"), (3,)),
        (_q(strasse="Lister Meile", anschrift_aktualitaet=Aktualitaet.INAKTUELL), ()),
        (_q(geburtszeitraum=Zeitraum(D(1980), D(1981))), (2, 3)),
        (_q(geschlecht="w", doktorgrad="Dr."), (1,)),
        (_q(staatsangehoerigkeit="DEU"), (1,)),
        (_q(geburtsort="Celle", person_aktualitaet=Aktualitaet.AKTUELL), (1,)),
        (_q(geburtsort="Celle", person_aktualitaet=Aktualitaet.INAKTUELL), ()),
        (_q(wohnungsstatus="1", familienname=NameKriterium("Wendebrink")), (2, 3)),
    ],
)
def test_search_fields(world: World, query: FreieSucheQuery, hits: tuple[int, ...]) -> None:
    """BMeldDAV § 7 Abs. 1, 3: each field with its rule (see register/freie_suche.py)."""
    reply = _ask(world, query, "polizei", elemente=(1,))
    assert _record(world, reply).hits == hits


def test_more_than_1000_is_13_and_exactly_1000_is_a_list(world: World) -> None:
    """BMeldDAV § 7 Abs. 4: at most 1 000 results — 1 001 is rejection 13, never truncated."""
    many = [
        Person(
            id=10_000 + i,
            ags=AGS_HANNOVER,
            familienname="Massenhaft",
            vornamen=("Eins" if i < 1000 else "Zwei",),
            anschriften=(Anschrift(ags=AGS_HANNOVER, strasse="Weg", wohnungsstatus="1"),),
        )
        for i in range(1001)
    ]
    world.stores.register.import_persons(many, source="tests", kind="test")
    reply = _ask(world, _surname("Massenhaft"), elemente=(1,))
    root = _verified(world, reply)
    assert [c.text for c in root.iterfind("rueckweisung/grund/code")] == ["13"]
    exactly = _q(familienname=NameKriterium("Massenhaft"), vornamen=NameKriterium("Eins"))
    reply = _ask(world, exactly, elemente=(1,))
    assert len(_persons(_verified(world, reply))) == 1000


def test_range_rules_on_the_register(database_url: str) -> None:
    """DOMAIN.md § 4: 00 parts count as the 1st of the month / 1 January; an unknown date
    never matches a range; earlier dates of birth count too."""
    from datenspiegel.register.store import RegisterStore

    def person(pid: int, born: D, *earlier: D) -> Person:
        return Person(
            id=pid,
            ags=AGS_HANNOVER,
            familienname="Zeitraum",
            geburtsdatum=born,
            fruehere_geburtsdaten=earlier,
        )

    persons = [
        person(1, D(1970)),  # counts as 1970-01-01
        person(2, D(1970, 6)),  # counts as 1970-06-01
        person(3, D(1970, 6, 15)),
        person(4, D(None)),  # unknown: never in a range
        person(5, D(1990, 1, 1), D(1970, 3)),
    ]
    with RegisterStore(database_url) as register:
        register.migrate()
        register.import_persons(persons, source="tests", kind="test")

        def ids(von: D, bis: D) -> list[int | None]:
            query = _q(geburtszeitraum=Zeitraum(von, bis))
            return [p.id for p in register.search_freie_suche(query, stichtag=date(2025, 1, 1))]

        assert ids(D(1970, 1, 1), D(1970, 12, 31)) == [1, 2, 3, 5]
        assert ids(D(1970, 1, 2), D(1970, 12, 31)) == [2, 3, 5]
        assert ids(D(1970, 6), D(1970, 6, 14)) == [2]
        assert ids(D(1900), D(2100)) == [1, 2, 3, 5]


def test_placeholder_matching_rules() -> None:
    """BMeldDAV § 7 Abs. 3: ``?`` one base letter, ``*`` any; prefix used as index range."""
    from datenspiegel.register.freie_suche import Muster, muster

    assert muster("Mül*") == Muster(like="MUEL%", von="MUEL", bis="MUEM")
    assert muster("Lange Str*", strasse=True) == Muster(
        like="LANGESTR%", von="LANGESTR", bis="LANGESTS"
    )
    assert muster("Lange*str", strasse=True) == Muster(
        like="LANGE%STRASSE", von="LANGE", bis="LANGF"
    )
    assert muster("AZ*") == Muster(like="AZ%", von="AZ", bis="B")
    assert muster("Müller") == "MUELLER"


def test_unknown_municipality_name_is_22(world: World) -> None:
    query = FreieSucheQuery(suchbereich=LAND, familienname=NameKriterium("Wendebrink"))
    reply = _ask(world, query, gemeindename="Atlantis")
    root = _verified(world, reply)
    assert [c.text for c in root.iterfind("rueckweisung/grund/code")] == ["22"]
