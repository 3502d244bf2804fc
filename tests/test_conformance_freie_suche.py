"""The freie Suche conformance corpus (1332 → 1333, § 34a Abs. 3 BMG), run through the real broker.

The cases are data (:mod:`tests.conformance.freie_suche`): register state, request, expected
answer and record, and the paragraph each checks (BMG §§ 34, 34a Abs. 3, 39, 40, 51, 52;
BMeldDAV §§ 7, 9, 11 and the Anlage). Every case runs on SQLite and PostgreSQL, all cases of a
back-end sharing one in-process broker, each case in a district of its own
(:meth:`~tests.conformance.runner.Korpus.place_in_kreisen`). Each step asserts that the answer
is schema-valid and verifies against the broker's certificate, that the transaction left
exactly one protocol record (§ 40 BMG), and then what the case expects — plus the rules every
result list obeys whatever the case: a rejected 1332 is answered with a 1333; a 03 carries the
status and nothing else; every entry carries exactly the requested elements of the freie
Suche's list and the Hinweise, never more (§ 34a Abs. 3 BMG); an Identifikationsmerkmal per
person when the list holds more than one and none for a single person (§ 39 Abs. 2 BMG,
BMeldDAV § 9); the record lists exactly the persons of the list, never a blocked one (§ 51 BMG),
with the search data as sent (§ 40 Abs. 1 BMG).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree

from datenspiegel.service.broker import ReplyKind
from datenspiegel.service.demo import DEMO_USERS
from tests.conformance.freie_suche import ANFRAGENDE, FAELLE, REGELN
from tests.conformance.model import Anfrage, Erwartet, Fall
from tests.conformance.runner import (
    HINWEISE,
    Gesendet,
    Korpus,
    freie_suche_beyond,
    freie_suche_present,
    korpus_on,
    person_codes_beyond,
    present,
)

ANTWORT_1333 = "{urn:xoev-de:datenspiegel:datenabruf:1}datenabruf.freieSuche.antwort.1333"

#: Cases in which the broker answers against the law (case id → what it does instead). Each is
#: a strict xfail: it fails the suite as soon as the broker is fixed, so the entry goes with it.
GEGEN_DAS_GESETZ: dict[str, str] = {}


def _param(case: Fall) -> Any:
    reason = GEGEN_DAS_GESETZ.get(case.id)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def korpus(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Iterator[Korpus]:
    tmp = tmp_path_factory.mktemp(f"konformitaet-freie-suche-{request.param}")
    with korpus_on(request.param, tmp, ANFRAGENDE, lambda k: k.place_in_kreisen(FAELLE)) as built:
        yield built


def test_corpus_covers_every_rule() -> None:
    """At least 60 cases, each citing its paragraph; every rule group used; every requester
    class and every sub-type of § 34 Abs. 4 Satz 1 Nr. 1–13 BMG asked, 4, 11 and 13 both in and
    outside their task; every Suchbereich kind and every code of DOMAIN.md § 4 expected."""
    assert len(FAELLE) >= 60
    per_rule = Counter(f.regel for f in FAELLE)
    assert set(per_rule) == set(REGELN), set(REGELN) - set(per_rule)
    for case in FAELLE:  # the law is the specification: every case cites its paragraph
        assert "BMG" in case.paragraph or "BMeldDAV" in case.paragraph, case.id
    schritte = [s for f in FAELLE for s in f.schritte]
    freie = [s for s in schritte if s.anfrage.freie_suche is not None]
    asked = {s.anfrage.wer for s in freie}
    for needed in ("oe", "sb1-leitung", "sb2-eigenes-protokoll", *(f"sb{n}" for n in range(1, 14))):
        assert needed in asked, needed
    claims = {(s.anfrage.wer, s.anfrage.claim) for s in freie}
    for untertyp in (4, 11, 13):
        assert (f"sb{untertyp}", False) in claims and (f"sb{untertyp}", True) in claims
    bereiche = {len(str(s.anfrage.freie_suche["suchbereich"])) for s in freie}  # type: ignore[index]
    assert bereiche == {2, 5, 8}
    assert any(s.anfrage.gemeindename for s in freie)
    codes = {s.erwartet.grund for s in schritte} - {None}
    assert {
        "01",
        "03",
        "04",
        "05",
        "06",
        "07",
        "09",
        "10",
        "11",
        "13",
        "15",
        "17",
        "19",
        "20",
        "21",
        "22",
    } <= codes
    assert {s.erwartet.status for s in freie} - {None} == {"03", "04"}
    assert {s.erwartet.ruecksendung for s in freie} - {None} == {"T070", "T080"}
    assert set(GEGEN_DAS_GESETZ) <= {f.id for f in FAELLE}


def _merkmal(anfrage: Anfrage, previous: etree._Element | None) -> str | None:
    """``"liste:<first name>"``: the Merkmal of that entry of the latest result list."""
    if anfrage.merkmal is None or not anfrage.merkmal.startswith("liste:"):
        return anfrage.merkmal
    assert previous is not None, "a 'liste:' Merkmal needs a result list in a step before"
    name = anfrage.merkmal.removeprefix("liste:")
    entries = [
        p
        for p in previous.iterfind("ergebnis/ergebnisliste/person")
        if name in [v.text for v in p.iterfind("vorname")]
    ]
    assert len(entries) == 1, f"no single result-list entry with first name {name}"
    merkmal = entries[0].findtext("identifikationsmerkmal")
    assert merkmal
    return merkmal


def _ohne_merkmale(root: etree._Element) -> bytes:
    """The answer's ``ergebnis`` as the requester reads it, the Merkmale (random) aside."""
    ergebnis = root.find("ergebnis")
    assert ergebnis is not None
    copy = etree.fromstring(etree.tostring(ergebnis))
    for merkmal in copy.findall(".//identifikationsmerkmal"):
        parent = merkmal.getparent()
        assert parent is not None
        parent.remove(merkmal)
    return etree.tostring(copy, method="c14n")


def _liste(
    case: Fall, where: str, ergebnis: etree._Element, expected: Erwartet, anfrage: Anfrage
) -> list[etree._Element]:
    """Check the result list (status 04) against the rules and the case; return its entries."""
    assert expected.ergebnisliste is not None
    entries = ergebnis.findall("ergebnisliste/person")
    assert len(entries) == len(expected.ergebnisliste), f"{where}: {len(entries)} entries"
    merkmale = [e.findtext("identifikationsmerkmal") for e in entries]
    if len(entries) == 1:
        # BMeldDAV § 9: the Merkmal serves to choose among several
        assert merkmale == [None], f"{where}: a single person carries no Merkmal"
    else:
        assert all(merkmale), f"{where}: a Merkmal per person when more than one"
        assert len(set(merkmale)) == len(merkmale), f"{where}: Merkmal reused"
        assert all(0 < len(m or "") <= 500 for m in merkmale), where
    for entry in entries:
        beyond = freie_suche_beyond(entry, anfrage.elemente)
        assert not beyond, f"{where}: not requested but sent: {beyond}"
        for code in expected.vorhanden:
            assert freie_suche_present(entry, code), f"{where}: element {code} missing"
        for code in expected.fehlend:
            assert not freie_suche_present(entry, code), f"{where}: element {code} sent"
        hinweise = entry.find("hinweise")
        assert hinweise is not None, f"{where}: the facts (hinweise) are always added"
        assert [etree.QName(e).localname for e in hinweise] == list(HINWEISE), where
        for name, value in expected.hinweise.items():
            assert hinweise.findtext(name) == str(value).lower(), f"{where}: {name}"
        anschrift = entry.find("hauptanschrift")
        if anschrift is not None:  # § 52 BMG: the flag goes with every address
            assert anschrift.findtext("bedingterSperrvermerk") in ("true", "false"), where
    if expected.sperrvermerk is not None:
        flags = tuple(
            f.text == "true"
            for e in entries
            if (f := e.find("hauptanschrift/bedingterSperrvermerk")) is not None
        )
        assert flags == expected.sperrvermerk, f"{where}: Sperrvermerk flags {flags}"
    # who is listed, read from the answer itself where the first names tell the persons apart
    by_names = {tuple(sorted(p.vornamen)): p.id or 0 for p in case.register}
    if 6 in anfrage.elemente and len(by_names) == len(case.register):
        listed = sorted(
            by_names.get(tuple(sorted(v.text or "" for v in e.iterfind("vorname"))), -1)
            for e in entries
        )
        assert listed == sorted(expected.ergebnisliste), f"{where}: listed {listed}"
    return entries


def _check(
    korpus: Korpus,
    case: Fall,
    step: int,
    sent: Gesendet,
    expected: Erwartet,
    ags: str,
    ids: dict[int, int],
    anfrage: Anfrage,
) -> None:
    where = f"{case.id} step {step} ({case.paragraph})"
    local = {g: loc for loc, g in ids.items()}
    root, reply, record = sent.root, sent.reply, sent.record
    text = etree.tostring(root, encoding="unicode")
    freie = anfrage.freie_suche is not None
    # § 40 BMG: every transaction leaves exactly one record
    assert sent.records_added == 1, where
    assert record is not None, where

    if expected.ruecksendung is not None:
        assert reply.kind is ReplyKind.FAULT, where
        assert root.findtext("grund/code") == expected.ruecksendung, where
        assert record.outcome_codes == (expected.ruecksendung,), where
        assert root.find(".//person") is None, where
    elif expected.grund is not None:
        assert reply.kind is ReplyKind.ANSWER, where
        if freie:  # a rejected 1332 is answered with a 1333
            assert root.tag == ANTWORT_1333, where
        codes = [c.text for c in root.iterfind("rueckweisung/grund/code")]
        assert codes == [expected.grund], (
            f"{where}: {codes} {root.findtext('rueckweisung/freitext')} "
            f"{root.findtext('ergebnis/ergebnisstatus/code')}"
        )
        assert root.find("ergebnis") is None, where
        assert record.outcome_codes == (expected.grund,), where
    else:
        assert reply.kind is ReplyKind.ANSWER, where
        if freie:
            assert root.tag == ANTWORT_1333, where
        got = root.findtext("ergebnis/ergebnisstatus/code")
        assert got == expected.status, (
            f"{where}: {got} {[c.text for c in root.iterfind('rueckweisung/grund/code')]} "
            f"{root.findtext('rueckweisung/freitext')}"
        )
        ergebnis = root.find("ergebnis")
        assert ergebnis is not None
        if expected.status == "03":
            # nobody, or only blocked persons: the status and nothing else
            assert [etree.QName(e).localname for e in ergebnis] == ["ergebnisstatus"], where
        if expected.status == "04":
            _liste(case, where, ergebnis, expected, anfrage)
        else:
            assert ergebnis.find("ergebnisliste") is None, where
        if expected.status == "01":  # a Personensuche continuing with a Merkmal
            person = ergebnis.find("person")
            assert person is not None, where
            beyond = person_codes_beyond(person, anfrage.elemente)
            assert not beyond, f"{where}: not requested but sent: {beyond}"
            for code in expected.vorhanden:
                assert present(person, code), f"{where}: element {code} missing"
        assert record.outcome_codes == (expected.status,), where

    for absent in expected.nicht_im_text:
        assert absent not in text, f"{where}: {absent!r} in the answer"
    for needed in expected.im_text:
        assert needed in text, f"{where}: {needed!r} not in the answer"

    if expected.sicherheitsbehoerde is not None:
        assert record.sicherheitsbehoerde is expected.sicherheitsbehoerde, where
    assert record.content_recorded is expected.inhalt_protokolliert, where
    if record.content_recorded:
        disclosed = {local[g]: codes for g, codes in record.disclosed.items()}
        hits = tuple(sorted(local[g] for g in record.hits))
        if expected.gefunden is not None:
            assert hits == expected.gefunden, f"{where}: hits {hits}"
        # a freie Suche never finds a blocked person: nobody is held back, nobody handed over
        assert tuple(sorted(local[g] for g in record.withheld)) == expected.zurueckgehalten, where
        if expected.offengelegt is not None:
            assert disclosed == dict(expected.offengelegt), f"{where}: disclosed {disclosed}"
        if expected.ergebnisliste is not None:
            # § 40 Abs. 1 BMG: the results — exactly the persons listed, each with its data
            assert hits == tuple(sorted(expected.ergebnisliste)), f"{where}: hits {hits}"
            assert sorted(disclosed) == sorted(expected.ergebnisliste), where
        if expected.status == "03" or expected.grund or expected.ruecksendung:
            assert disclosed == {}, f"{where}: nothing left, nothing recorded as disclosed"
            if freie:
                assert hits == (), f"{where}: a 03 or a rejection of a freie Suche lists nobody"
        if freie and expected.ruecksendung is None:
            # § 40 Abs. 1 Nr. 4, 5 BMG; for a freie Suche also the search data used
            stelle = DEMO_USERS[0].stelle
            if expected.status is not None:
                assert record.aktenzeichen == (anfrage.aktenzeichen or stelle.aktenzeichen)
                assert record.anlass == (anfrage.anlass or stelle.anlass), where
            assert any(k.startswith("suchbereich/") for k in record.search_data), where
        for path, value in (expected.suchdaten or {}).items():
            wanted = korpus.ort(ags, value)
            assert record.search_data.get(path) == wanted, (
                f"{where}: search_data[{path!r}] = {record.search_data.get(path)!r}"
            )
    else:
        # § 40 Abs. 3 BMG: technical metadata only
        assert not record.search_data and not record.disclosed and not record.hits, where

    effects = sorted(
        e.side_effect.kind for e in korpus.world.stores.protocol.side_effects(reply.record_id)
    )
    assert tuple(effects) == expected.folgen, f"{where}: outbox {effects}"


@pytest.mark.parametrize("case", [_param(f) for f in FAELLE])
def test_freie_suche(korpus: Korpus, case: Fall) -> None:
    ags, ids = korpus.places[case.id]
    previous: etree._Element | None = None
    answers: list[etree._Element] = []
    for step, schritt in enumerate(case.schritte, 1):
        merkmal = _merkmal(schritt.anfrage, previous)
        sent = korpus.send(ags, schritt.anfrage, merkmal)
        _check(korpus, case, step, sent, schritt.erwartet, ags, ids, schritt.anfrage)
        wie = schritt.erwartet.wie_schritt
        if wie is not None:
            assert _ohne_merkmale(sent.root) == _ohne_merkmale(answers[wie - 1]), (
                f"{case.id} step {step}: the answer differs from step {wie}"
            )
        answers.append(sent.root)
        if sent.root.find("ergebnis/ergebnisliste") is not None:
            previous = sent.root  # "liste:" Merkmale come from the latest result list
