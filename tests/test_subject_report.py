"""The data subject learns which public bodies retrieved their data — never a security
authority's retrieval (issue 9, point 5).

Art. 15 DSGVO i. V. m. § 10 BMG: the data subject may learn to whom their data were
transmitted; the protocol may be used to answer them (§ 40 BMG). § 11 Abs. 1 Nr. 3 BMG: not
retrievals by security authorities — so their records are not even read for a report, the
report drops any it is given, and the letter reads the same whether there were any or not.
``datenspiegel protocol subject-report`` needs the role ``auskunft_betroffene``; its read is
logged with that purpose. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from datenspiegel.protocol import ProtocolRecord, ReadPurpose
from datenspiegel.protocol.subject_report import (
    element_label,
    render_letter,
    report_json,
    subject_report,
)
from tests.protocol_reading import T0, Protocol, make_data_dir, open_protocol
from tests.test_protocol_record import full_record


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_data_dir(tmp_path_factory)


@pytest.fixture
def protocol(
    data_dir: Path,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Protocol]:
    with open_protocol(data_dir, database_url, capsys, monkeypatch) as opened:
        yield opened


PERSON = 42
OTHER = 43
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
REPORTING = ("--reader", "Bürgerservice Koch")


def _fill(protocol: Protocol) -> dict[str, str]:
    """The same person retrieved by two public bodies, once found but blocked, once among
    others on a hit list — and twice by security authorities (once with its content kept by
    the operator on its behalf, once without content)."""
    ids = {}
    ids["public"] = protocol.append(
        hits=(PERSON,), disclosed={PERSON: (1, 7, 13)}, withheld=(), hit_count=1
    ).record_id
    ids["freie_suche"] = protocol.append(
        at=T0 + timedelta(days=1),
        service="freieSuche",
        outcome_codes=("04",),
        authority_kennung="ags:03404000",
        authority_name="Stadt Osnabrück, Ordnungsamt",
        requesting_body={
            "behoerdenname": "Stadt Osnabrück, Fachbereich Bürger und Ordnung",
            "strasse": "Natruper-Tor-Wall",
            "hausnummer": "5",
            "postleitzahl": "49076",
            "ort": "Osnabrück",
        },
        anlass="Ermittlung von Erben",
        aktenzeichen="32-0815/26",
        hits=(PERSON, OTHER),
        disclosed={PERSON: (1, 11), OTHER: (1, 11)},
        withheld=(),
        hit_count=2,
    ).record_id
    ids["withheld"] = protocol.append(
        at=T0 + timedelta(days=2),
        outcome_codes=("03",),
        hits=(PERSON,),
        disclosed={},
        withheld=(PERSON,),
        hit_count=1,
        aktenzeichen=None,
    ).record_id
    ids["security_with_content"] = protocol.append(
        at=T0 + timedelta(days=3),
        sicherheitsbehoerde=True,
        authority_kennung="dbs:pd-hannover",
        authority_name="Polizeidirektion Hannover",
        anlass="Gefahrenabwehr",
        hits=(PERSON,),
        disclosed={PERSON: (1, 7, 13, 44)},
        withheld=(),
        hit_count=1,
    ).record_id
    own = full_record(
        received_at=T0 + timedelta(days=4),
        answered_at=T0 + timedelta(days=4),
        sicherheitsbehoerde=True,
        authority_kennung="dbs:lka-niedersachsen",
        authority_name="Landeskriminalamt Niedersachsen",
    ).without_content()
    protocol.store.append(own)
    ids["security_own_logging"] = own.record_id
    ids["somebody_else"] = protocol.append(
        at=T0 + timedelta(days=5),
        hits=(OTHER,),
        disclosed={OTHER: (1,)},
        withheld=(),
        hit_count=1,
    ).record_id
    return ids


def test_the_report_lists_public_bodies_only_and_never_a_security_authority(
    protocol: Protocol,
) -> None:
    """§ 11 Abs. 1 Nr. 3 BMG, with a security authority's record of the very same person."""
    ids = _fill(protocol)
    code, out, err = protocol.run(
        "subject-report", *REPORTING, "--person-id", str(PERSON), "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["format"] == "datenspiegel.protocol.subject-report/1"
    listed = [r["record_id"] for r in report["retrievals"]]
    assert listed == [ids["public"], ids["freie_suche"], ids["withheld"]]
    text = json.dumps(report, ensure_ascii=False)
    for never in ("Polizeidirektion", "pd-hannover", "Gefahrenabwehr", "Landeskriminalamt"):
        assert never not in text
    public, freie, withheld = report["retrievals"]
    assert public["transmitted"] and not public["withheld"]
    assert [e["code"] for e in public["elements"]] == [1, 7, 13]
    assert public["elements"][2]["label"] == "Geburtsdatum"
    assert public["anlass"] == "Vollstreckung einer Geldforderung"
    assert public["aktenzeichen"] == "AZ 12/2025-ß"
    assert freie["authority_name"] == "Stadt Osnabrück, Ordnungsamt"
    assert [e["label"] for e in freie["elements"]] == ["Familienname", "Geburtsdatum"]
    assert freie["person_ids"] == [PERSON]  # the other person on the list is not named
    assert withheld["withheld"] and not withheld["transmitted"] and withheld["elements"] == []

    # the read: purpose auskunft_betroffene, and the security authority's records not read
    read = protocol.store.reads(limit=1)[0]
    assert (read.reader, read.purpose) == ("Bürgerservice Koch", ReadPurpose.AUSKUNFT_BETROFFENE)
    assert read.record_ids == (ids["public"], ids["freie_suche"], ids["withheld"])
    assert read.query["sicherheitsbehoerde"] is False and read.query["person_ids"] == [PERSON]


def test_the_letter_a_municipality_can_send(protocol: Protocol, tmp_path: Path) -> None:
    ids = _fill(protocol)
    letter = tmp_path / "auskunft.txt"
    code, out, err = protocol.run(
        "subject-report",
        *REPORTING,
        "--person-id",
        str(PERSON),
        "--name",
        "Erika Mustermann",
        "--since",
        "2026-01-01",
        "--until",
        "2026-12-31",
        "--output",
        str(letter),
    )
    assert code == 0, err
    assert out.strip() == f"report on 3 retrieval(s) by public bodies written to {letter}"
    text = letter.read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= 78
    assert text.startswith("Erika Mustermann\n")
    assert "     Übermittelte Daten:\n       - Familienname\n" in text
    text = " ".join(text.split())  # the phrases below, whatever the line breaks
    assert "Auskunft nach Art. 15 DSGVO i. V. m. § 10 BMG über Datenübermittlungen" in text
    assert "Zeitraum: 01.01.2026 bis 31.12.2026" in text
    assert "1. Übermittlungen an öffentliche Stellen (2)" in text
    assert "1.1 14.03.2026, 10:15 Uhr" in text  # German local time
    assert "Abrufende Stelle: Bürgeramt Hannover (ags:03241001)" in text
    assert "Anlass: Vollstreckung einer Geldforderung" in text
    assert "Aktenzeichen: 32-0815/26" in text
    assert (
        "Anfragende Stelle laut Anfrage: Stadt Osnabrück, Fachbereich Bürger und Ordnung," in text
    )
    assert "- Vornamen unter Kennzeichnung des gebräuchlichen Vornamens" in text
    assert "keine Daten übermittelt (Auskunftssperre)" in text
    assert (
        "Polizei" not in text and "Gefahrenabwehr" not in text and "Landeskriminalamt" not in text
    )
    assert ids["security_with_content"] not in text  # the letter names no record ids at all


def test_the_report_needs_the_role_auskunft_betroffene(protocol: Protocol) -> None:
    _fill(protocol)
    code, out, err = protocol.run(
        "subject-report", "--reader", "Dana Schutz", "--person-id", str(PERSON)
    )
    assert code == 1 and out == ""
    assert "may read the protocol for datenschutzkontrolle, strafverfolgung only" in err
    refused = protocol.store.reads(limit=1)[0]
    assert refused.refused and refused.purpose is ReadPurpose.AUSKUNFT_BETROFFENE
    assert refused.record_ids == ()
    code, _out, err = protocol.run(
        "subject-report", *REPORTING, "--purpose", "betrieb", "--person-id", str(PERSON)
    )
    assert code == 2 and "invalid choice" in err
    code, _out, err = protocol.run("subject-report", *REPORTING)
    assert code == 2 and "--person-id" in err


def test_several_register_ids_of_one_person_and_a_period(protocol: Protocol) -> None:
    ids = _fill(protocol)
    code, out, _ = protocol.run(
        "subject-report",
        *REPORTING,
        "--person-id",
        str(OTHER),
        "--person-id",
        str(PERSON),
        "--since",
        "2026-03-15",
        "--json",
    )
    assert code == 0
    report = json.loads(out)
    assert report["person_ids"] == [PERSON, OTHER]
    listed = [r["record_id"] for r in report["retrievals"]]
    assert listed == [ids["freie_suche"], ids["withheld"], ids["somebody_else"]]
    assert report["retrievals"][0]["person_ids"] == [PERSON, OTHER]


# -- the report itself, without a store ---------------------------------------------------


def _record(**changes: object) -> ProtocolRecord:
    values: dict[str, object] = {
        "received_at": T0,
        "answered_at": T0,
        "hits": (PERSON,),
        "disclosed": {PERSON: (1,)},
        "withheld": (),
        "hit_count": 1,
    }
    values.update(changes)
    return full_record(**values)


def test_a_security_authoritys_record_is_dropped_whatever_the_caller_read() -> None:
    """Even handed a security authority's record (with content, kept on its behalf), the
    report leaves it out: § 11 Abs. 1 Nr. 3 BMG does not rest on the query alone."""
    security = _record(sicherheitsbehoerde=True, authority_name="Polizeidirektion Hannover")
    report = subject_report([security], [PERSON], created_at=NOW, broker="MRDS")
    assert report.retrievals == ()


def test_the_letter_is_the_same_with_or_without_security_authorities_retrievals() -> None:
    """Nothing in the letter — no count, no gap in the numbering, no other wording — tells
    that a security authority retrieved the data subject's data."""
    public = _record()
    security = _record(
        sicherheitsbehoerde=True,
        received_at=T0 + timedelta(hours=1),
        answered_at=T0 + timedelta(hours=1),
    )
    own = full_record(received_at=T0, answered_at=T0, sicherheitsbehoerde=True).without_content()
    for records in ([], [public]):
        plain = subject_report(records, [PERSON], created_at=NOW, broker="MRDS", name="E. M.")
        mixed = subject_report(
            [*records, security, own], [PERSON], created_at=NOW, broker="MRDS", name="E. M."
        )
        assert render_letter(mixed) == render_letter(plain)
        assert report_json(mixed) == report_json(plain)
    nothing = " ".join(
        render_letter(subject_report([], [PERSON], created_at=NOW, broker="MRDS")).split()
    )
    assert "hat keine öffentliche Stelle Daten zu Ihrer Person über den MRDS abgerufen" in nothing
    assert "alle gespeicherten Protokolldaten bis 29.11.2026" in nothing


def test_records_that_do_not_name_the_person_are_not_reported() -> None:
    other = _record(hits=(OTHER,), disclosed={OTHER: (1,)})
    assert subject_report([other], [PERSON], created_at=NOW, broker="MRDS").retrievals == ()
    with pytest.raises(ValueError, match="person id"):
        subject_report([other], [], created_at=NOW, broker="MRDS")


def test_a_person_named_without_element_codes_was_still_transmitted() -> None:
    named = _record(disclosed={PERSON: ()})
    (retrieval,) = subject_report([named], [PERSON], created_at=NOW, broker="MRDS").retrievals
    assert retrieval.transmitted and retrieval.elements == ()
    letter = " ".join(
        render_letter(subject_report([named], [PERSON], created_at=NOW, broker="MRDS")).split()
    )
    assert "Ihre Person wurde in der Antwort genannt, ohne weitere Datenelemente" in letter


def test_element_names_come_from_the_code_list_of_the_service() -> None:
    assert element_label("personensuche", 13) == "Geburtsdatum"
    assert element_label("freieSuche", 11) == "Geburtsdatum"
    assert element_label("faelleAbrufen", 1) == "Familienname"
    assert element_label("personensuche", 999) == "Datenelement 999"
