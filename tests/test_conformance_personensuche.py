"""Issue 7, point 8: the Personensuche conformance corpus, run through the real broker.

The cases are data (:mod:`tests.conformance.personensuche`): register state, request, expected
answer and record, and the paragraph each checks. Every case runs on SQLite and PostgreSQL,
all cases of a back-end sharing one in-process broker (each case in its own municipality).
Each step asserts that the answer is schema-valid and verifies against the broker's
certificate, that the transaction left exactly one protocol record, and then what the case
expects. The freie Suche's corpus (:mod:`tests.conformance.freie_suche`, § 34a Abs. 3 BMG) runs
in ``tests/test_conformance_freie_suche.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree

from datenspiegel.service.broker import ReplyKind
from tests.conformance.model import Anfrage, Erwartet, Fall
from tests.conformance.personensuche import ANFRAGENDE, FAELLE, REGELN
from tests.conformance.runner import (
    HINWEISE,
    NIE_IN_TREFFER,
    Gesendet,
    Korpus,
    korpus_on,
    person_codes_beyond,
    present,
    treffer_beyond,
)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def korpus(request: pytest.FixtureRequest, tmp_path_factory: Any) -> Iterator[Korpus]:
    tmp = tmp_path_factory.mktemp(f"konformitaet-{request.param}")
    with korpus_on(request.param, tmp, ANFRAGENDE, lambda k: k.place(FAELLE)) as built:
        yield built


def test_corpus_covers_every_rule() -> None:
    """At least 120 cases, every rule group used, every requester class and relevant sub-type
    asked at least once."""
    assert len(FAELLE) >= 120
    per_rule = Counter(f.regel for f in FAELLE)
    assert set(per_rule) == set(REGELN), set(REGELN) - set(per_rule)
    asked = {s.anfrage.wer for f in FAELLE for s in f.schritte}
    for needed in ("oe", "sb1", "sb1-leitung", "sb2", "sb4", "sb5", "sb6", "sb11", "sb13"):
        assert needed in asked, needed
    claims = {(s.anfrage.wer, s.anfrage.claim) for f in FAELLE for s in f.schritte}
    for untertyp in (4, 11, 13):
        assert (f"sb{untertyp}", False) in claims and (f"sb{untertyp}", True) in claims
    codes = {s.erwartet.grund for f in FAELLE for s in f.schritte} - {None}
    assert {
        "01",
        "02",
        "03",
        "07",
        "08",
        "09",
        "10",
        "12",
        "14",
        "15",
        "17",
        "18",
        "22",
        "24",
    } <= codes


def _merkmal(anfrage: Anfrage, previous: etree._Element | None) -> str | None:
    if anfrage.merkmal is None or not anfrage.merkmal.startswith("treffer:"):
        return anfrage.merkmal
    assert previous is not None, "a 'treffer:' Merkmal needs a hit list in the step before"
    name = anfrage.merkmal.removeprefix("treffer:")
    entries = [
        t
        for t in previous.iterfind("ergebnis/trefferliste/treffer")
        if name in [v.text for v in t.iterfind("vorname")]
    ]
    assert entries, f"no hit-list entry with first name {name}"
    entry = min(entries, key=lambda t: len(t.findall("vorname")))
    merkmal = entry.findtext("identifikationsmerkmal")
    assert merkmal
    return merkmal


def _check(
    korpus: Korpus,
    case: Fall,
    step: int,
    sent: Gesendet,
    expected: Erwartet,
    ids: dict[int, int],
    anfrage: Anfrage,
) -> None:
    where = f"{case.id} step {step} ({case.paragraph})"
    local = {g: loc for loc, g in ids.items()}
    root, reply, record = sent.root, sent.reply, sent.record
    text = etree.tostring(root, encoding="unicode")
    # § 40 BMG: every transaction leaves exactly one record
    assert sent.records_added == 1, where
    assert record is not None, where

    if expected.ruecksendung is not None:
        assert reply.kind is ReplyKind.FAULT, where
        assert root.findtext("grund/code") == expected.ruecksendung, where
        assert record.outcome_codes == (expected.ruecksendung,), where
        assert root.find(".//person") is None and root.find(".//treffer") is None, where
    elif expected.grund is not None:
        assert reply.kind is ReplyKind.ANSWER, where
        codes = [c.text for c in root.iterfind("rueckweisung/grund/code")]
        assert codes == [expected.grund], (
            f"{where}: {codes} {root.findtext('rueckweisung/freitext')}"
        )
        assert root.find("ergebnis") is None, where
        assert record.outcome_codes == (expected.grund,), where
    else:
        assert reply.kind is ReplyKind.ANSWER, where
        rueck = root.findtext("rueckweisung/freitext")
        assert root.findtext("ergebnis/ergebnisstatus/code") == expected.status, (
            f"{where}: {root.findtext('ergebnis/ergebnisstatus/code')} "
            f"{[c.text for c in root.iterfind('rueckweisung/grund/code')]} {rueck}"
        )
        ergebnis = root.find("ergebnis")
        assert ergebnis is not None
        if expected.status == "03":
            # neutral: the status and nothing else, whatever was found
            assert [etree.QName(e).localname for e in ergebnis] == ["ergebnisstatus"], where
        person = ergebnis.find("person")
        if expected.status == "01":
            assert person is not None, where
            beyond = person_codes_beyond(person, anfrage.elemente)
            assert not beyond, f"{where}: not requested but sent: {beyond}"
            for code in expected.vorhanden:
                assert present(person, code), f"{where}: element {code} missing"
            for code in expected.fehlend:
                assert not present(person, code), f"{where}: element {code} sent"
            flags = person.findall("aktuelleAnschrift/bedingterSperrvermerk") + person.findall(
                "fruehereAnschrift/bedingterSperrvermerk"
            )
            hinweise = [person.find("hinweise")]
        else:
            assert person is None, where
        treffer = ergebnis.findall("trefferliste/treffer")
        if expected.status == "02":
            assert expected.treffer is not None
            assert len(treffer) == len(expected.treffer), where
            merkmale = [t.findtext("identifikationsmerkmal") or "" for t in treffer]
            assert len(set(merkmale)) == len(merkmale), f"{where}: Merkmal reused"
            for entry, merkmal in zip(treffer, merkmale, strict=True):
                assert 0 < len(merkmal) <= 500, where
                beyond = treffer_beyond(entry)
                assert not beyond, f"{where}: beyond BMeldDAV § 6: {beyond}"
                for tag in NIE_IN_TREFFER:
                    assert entry.find(f".//{tag}") is None, where
                for g in ids.values():
                    assert str(g) not in merkmal, f"{where}: Merkmal shows the internal id"
            flags = [
                f
                for t in treffer
                if (f := t.find("hauptanschrift/bedingterSperrvermerk")) is not None
            ]
            hinweise = [t.find("hinweise") for t in treffer]
        else:
            assert not treffer, where
        if expected.status in ("01", "02"):
            for node in hinweise:
                assert node is not None, f"{where}: the facts (hinweise) are always added"
                assert [etree.QName(e).localname for e in node] == list(HINWEISE), where
                for name, value in expected.hinweise.items():
                    assert node.findtext(name) == str(value).lower(), f"{where}: {name}"
            if expected.sperrvermerk is not None:
                got = tuple(f.text == "true" for f in flags)
                assert got == expected.sperrvermerk, f"{where}: Sperrvermerk flags {got}"
        assert record.outcome_codes == (expected.status,), where

    for absent in expected.nicht_im_text:
        assert absent not in text, f"{where}: {absent!r} in the answer"

    if expected.sicherheitsbehoerde is not None:
        assert record.sicherheitsbehoerde is expected.sicherheitsbehoerde, where
    assert record.content_recorded is expected.inhalt_protokolliert, where
    if record.content_recorded:
        disclosed = {local[g]: codes for g, codes in record.disclosed.items()}
        if expected.gefunden is not None:
            assert tuple(sorted(local[g] for g in record.hits)) == expected.gefunden, where
        assert tuple(sorted(local[g] for g in record.withheld)) == expected.zurueckgehalten, where
        if expected.offengelegt is not None:
            assert disclosed == dict(expected.offengelegt), f"{where}: disclosed {disclosed}"
        if expected.treffer is not None:
            assert sorted(disclosed) == sorted(expected.treffer), where
        if expected.status == "03" or expected.grund or expected.ruecksendung:
            assert disclosed == {}, f"{where}: nothing left, nothing recorded as disclosed"

    effects = sorted(
        (
            (e.side_effect.kind, dict(e.side_effect.payload))
            for e in korpus.world.stores.protocol.side_effects(sent.reply.record_id)
        ),
        key=lambda effect: effect[0],
    )
    assert tuple(sorted(kind for kind, _ in effects)) == expected.folgen, (
        f"{where}: outbox {sorted(kind for kind, _ in effects)}"
    )
    withheld_ids = {pid for kind, payload in effects if (pid := payload.get("person_id"))}
    for kind, payload in effects:
        assert payload["person_id"] in ids.values(), where
        if kind == "aussteuerung_1322":
            # the municipality answers the whole request by hand: it learns every match
            if record.content_recorded:
                assert payload["treffer"] == sorted(record.hits), where
            assert payload["aktenzeichen"] and payload["anlass"], where
    if record.content_recorded and effects:
        assert withheld_ids <= set(record.withheld), where


@pytest.mark.parametrize("case", FAELLE, ids=[f.id for f in FAELLE])
def test_personensuche(korpus: Korpus, case: Fall) -> None:
    ags, ids = korpus.places[case.id]
    previous: etree._Element | None = None
    for step, schritt in enumerate(case.schritte, 1):
        merkmal = _merkmal(schritt.anfrage, previous)
        sent = korpus.send(ags, schritt.anfrage, merkmal)
        _check(korpus, case, step, sent, schritt.erwartet, ids, schritt.anfrage)
        if sent.root.find("ergebnis/trefferliste") is not None:
            previous = sent.root  # "treffer:" Merkmale come from the latest hit list
