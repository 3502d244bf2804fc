"""Reading the § 40 protocol is itself controlled and recorded (issue 9, point 5).

§ 40 BMG: protocol data may be used only for data-protection control, resulting criminal
proceedings, keeping the register running and answering the data subject (DOMAIN.md § 6). So
every read names its reader and purpose; a reader may read only for the purposes the operator
gave it as roles (``[protocol] readers``); a read outside them is refused before anything is
read and the attempt is recorded; every read is in the read log with reader, purpose, query
and the records returned. ``protocol export`` carries the proofs to check each exported record
offline against a signed checkpoint (protocol/log.py, RFC 9162), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from datenspiegel.protocol import Outcome, ProtocolRecord, ReadPurpose
from datenspiegel.protocol.export import proofs_path, read_export, write_export
from datenspiegel.protocol.reads import Reader, ReadRefused, authorise, parse_readers
from datenspiegel.service.cli import main
from datenspiegel.service.config import CONFIG_NAME, ConfigError, parse_config
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


def _public(**changes: Any) -> dict[str, Any]:
    return {"hits": (42,), "disclosed": {42: (1, 7, 13)}, "withheld": (), "hit_count": 1, **changes}


# -- roles --------------------------------------------------------------------------------


def test_readers_are_names_with_roles_and_auftraggeber_is_no_role_of_the_operator() -> None:
    readers = parse_readers(["Dana Schutz = datenschutzkontrolle, strafverfolgung", "Ops=betrieb"])
    assert readers == (
        Reader(
            "Dana Schutz",
            frozenset({ReadPurpose.DATENSCHUTZKONTROLLE, ReadPurpose.STRAFVERFOLGUNG}),
        ),
        Reader("Ops", frozenset({ReadPurpose.BETRIEB})),
    )
    assert str(readers[0]) == "Dana Schutz=datenschutzkontrolle,strafverfolgung"
    assert authorise(readers, "dana  schutz", ReadPurpose.STRAFVERFOLGUNG) is readers[0]
    with pytest.raises(ReadRefused, match="for betrieb only, not for datenschutzkontrolle"):
        authorise(readers, "Ops", ReadPurpose.DATENSCHUTZKONTROLLE)
    with pytest.raises(ReadRefused, match="'Mallory' is not a reader"):
        authorise(readers, "Mallory", ReadPurpose.BETRIEB)
    with pytest.raises(ReadRefused):  # the security authority's own read, never the operator's
        authorise(readers, "Dana Schutz", ReadPurpose.AUFTRAGGEBER)
    for wrong, message in (
        (["Ops=auftraggeber"], "security authority's own read"),
        (["Ops=betrieb,lesen"], "unknown role 'lesen'"),
        (["Ops="], "at least one role"),
        (["betrieb"], "Name=role,role"),
        (["Ops=betrieb", "ops=datenschutzkontrolle"], "configured twice"),
    ):
        with pytest.raises(ValueError, match=message):
            parse_readers(wrong)


def test_the_readers_are_configured_in_the_protocol_section(tmp_path: Path) -> None:
    without = _minimal()
    text = (
        without + '\n[protocol]\nreaders = ["Dana Schutz=datenschutzkontrolle", '
        '"Ops=betrieb,strafverfolgung"]\n'
    )
    config = parse_config(text, path=tmp_path / CONFIG_NAME, env={})
    assert [r.name for r in config.protocol.readers] == ["Dana Schutz", "Ops"]
    assert parse_config(without, path=tmp_path / CONFIG_NAME, env={}).protocol.readers == ()
    env = {"DATENSPIEGEL_PROTOCOL_READERS": "Ops=betrieb; Dana Schutz=auskunft_betroffene"}
    overridden = parse_config(text, path=tmp_path / CONFIG_NAME, env=env)
    assert [str(r) for r in overridden.protocol.readers] == [
        "Ops=betrieb",
        "Dana Schutz=auskunft_betroffene",
    ]
    with pytest.raises(ConfigError, match=r"protocol\.readers must be .*unknown role 'admin'"):
        parse_config(text.replace("Ops=betrieb", "Ops=admin"), path=tmp_path / CONFIG_NAME, env={})


def _minimal() -> str:
    return (
        '[server]\ntls_certificate = "tls.pem"\ntls_key = "tls.key"\n\n'
        '[signing]\nkey = "broker.key"\ncertificate = "broker.pem"\ntrust_anchors = ["ca.pem"]\n'
    )


def test_a_read_outside_the_readers_roles_is_refused_before_anything_is_read_and_recorded(
    protocol: Protocol, caplog: pytest.LogCaptureFixture
) -> None:
    """§ 40 BMG: operations staff may not read for data-protection control; nobody who is not
    a configured reader may read at all. Exit 1, a WARNING, and the attempt in the read log
    — with no record in it."""
    record = protocol.append(**_public())
    with caplog.at_level(logging.WARNING, logger="datenspiegel.protocol.reads"):
        code, out, err = protocol.run(
            "show", record.record_id, "--reader", "Betrieb Schulz", "--purpose", "strafverfolgung"
        )
    assert code == 1 and out == ""
    assert "refused: Betrieb Schulz may read the protocol for betrieb only" in err
    assert any(
        r.levelno == logging.WARNING and "protocol read refused" in r.getMessage()
        for r in caplog.records
    )
    code, out, err = protocol.run("search", "--reader", "Mallory", "--purpose", "betrieb")
    assert code == 1 and "'Mallory' is not a reader" in err and out == ""
    attempts = protocol.store.reads()
    assert [(a.reader, a.purpose, a.refused, a.record_ids) for a in attempts] == [
        ("Mallory", ReadPurpose.BETRIEB, True, ()),
        ("Betrieb Schulz", ReadPurpose.STRAFVERFOLGUNG, True, ()),
    ]
    assert attempts[1].query["record_id"] == record.record_id
    assert attempts[1].query["context"]["command"] == "datenspiegel protocol show"
    # the security authority's own purpose is no choice of the operator's readers
    code, _out, err = protocol.run("search", "--reader", "Dana Schutz", "--purpose", "auftraggeber")
    assert code == 2 and "invalid choice" in err
    # answering a data subject reads that person's retrievals (subject-report), never browses
    for command in ("search", "export"):
        code, _out, err = protocol.run(
            command, "--reader", "Bürgerservice Koch", "--purpose", "auskunft_betroffene"
        )
        assert code == 2 and "invalid choice: 'auskunft_betroffene'" in err


def test_every_read_is_logged_with_reader_purpose_query_and_the_records_returned(
    protocol: Protocol, tmp_path: Path
) -> None:
    first = protocol.append(**_public())
    second = protocol.append(**_public(at=T0 + timedelta(hours=1)))
    assert (
        protocol.run(
            "search", "--reader", "betrieb schulz", "--purpose", "betrieb", "--limit", "1"
        )[0]
        == 0
    )
    assert (
        protocol.run(
            "show", second.record_id, "--reader", "Dana Schutz", "--purpose", "datenschutzkontrolle"
        )[0]
        == 0
    )
    assert (
        protocol.run(
            "export",
            "--reader",
            "Dana Schutz",
            "--purpose",
            "strafverfolgung",
            "--authority",
            "ags:03241001",
            "--output",
            str(tmp_path / "export.jsonl"),
        )[0]
        == 0
    )
    search, show, export = reversed(protocol.store.reads())
    assert (search.reader, search.purpose, search.record_ids) == (
        "Betrieb Schulz",  # the configured name, however it was typed
        ReadPurpose.BETRIEB,
        (first.record_id,),
    )
    assert search.query["limit"] == 1 and search.query["context"]["command"] == (
        "datenspiegel protocol search"
    )
    assert "system_user" in search.query["context"]
    assert (show.reader, show.purpose, show.record_ids) == (
        "Dana Schutz",
        ReadPurpose.DATENSCHUTZKONTROLLE,
        (second.record_id,),
    )
    assert show.query["record_id"] == second.record_id
    assert (export.purpose, export.record_ids) == (
        ReadPurpose.STRAFVERFOLGUNG,
        (first.record_id, second.record_id),
    )
    assert export.query["authority_kennung"] == "ags:03241001"
    assert not any(r.refused for r in (search, show, export))


# -- search and show ------------------------------------------------------------------------


def _search(protocol: Protocol, *argv: str) -> list[str]:
    code, out, err = protocol.run(
        "search", "--reader", "Dana Schutz", "--purpose", "datenschutzkontrolle", "--json", *argv
    )
    assert code == 0, err
    return [entry["record_id"] for entry in json.loads(out)]


def test_search_filters_by_authority_period_service_and_outcome(protocol: Protocol) -> None:
    a = protocol.append(**_public())
    b = protocol.append(
        **_public(at=T0 + timedelta(days=1), authority_kennung="ags:03404000", authority_id=8)
    )
    c = protocol.append(
        at=T0 + timedelta(days=2),
        service="freieSuche",
        outcome=Outcome.ANSWERED,
        outcome_codes=("04",),
        **_public(),
    )
    d = protocol.append(
        at=T0 + timedelta(days=3),
        outcome=Outcome.REJECTED,
        outcome_codes=("13",),
        hits=(),
        disclosed={},
        withheld=(),
        hit_count=0,
    )
    assert _search(protocol) == [a.record_id, b.record_id, c.record_id, d.record_id]
    assert _search(protocol, "--authority", "ags:03404000") == [b.record_id]
    # dates are German local days, --until inclusive: 15 March is b only
    assert _search(protocol, "--since", "2026-03-15", "--until", "2026-03-15") == [b.record_id]
    # a moment without offset is German local time (T0 is 10:15 there)
    assert _search(protocol, "--until", "2026-03-14T10:15") == []
    assert _search(protocol, "--until", "2026-03-14T09:15:01+00:00") == [a.record_id]
    assert _search(protocol, "--service", "freieSuche") == [c.record_id]
    assert _search(protocol, "--outcome", "rejected") == [d.record_id]
    assert _search(protocol, "--limit", "2") == [a.record_id, b.record_id]
    code, _out, err = protocol.run(
        "search", "--reader", "Dana Schutz", "--purpose", "datenschutzkontrolle", "--since", "14.03"
    )
    assert code == 2 and "no date" in err


def test_search_lists_one_line_per_record_without_personal_content(protocol: Protocol) -> None:
    record = protocol.append(**_public())
    code, out, err = protocol.run(
        "search", "--reader", "Betrieb Schulz", "--purpose", "betrieb", "--limit", "1"
    )
    assert code == 0, err
    line, total = out.splitlines()
    assert line.split() == [
        "2026-03-14T09:15:00Z",
        record.record_id,
        "personensuche",
        "answered",
        "01",
        "ags:03241001",
        "BA-4711",
        "hits",
        "1",
    ]
    assert total == "1 record(s)"
    for personal in ("Vollstreckung", "AZ 12", "MÜLLER", "Trammplatz", "Bürgeramt"):
        assert personal not in out
    assert "limit 1 reached" in err


def test_show_prints_the_whole_record_and_says_when_content_was_not_recorded(
    protocol: Protocol,
) -> None:
    public = protocol.append(**_public())
    security = protocol.append(
        **_public(sicherheitsbehoerde=True, authority_kennung="dbs:pd-hannover")
    )
    own_logging = full_record(
        received_at=T0, answered_at=T0, sicherheitsbehoerde=True
    ).without_content()
    protocol.store.append(own_logging)
    reading = ("--reader", "Dana Schutz", "--purpose", "datenschutzkontrolle")

    code, out, _ = protocol.run("show", public.record_id, *reading)
    assert code == 0
    assert f"record            {public.record_id}" in out
    assert "answered as       public body" in out
    assert "anlass            Vollstreckung einer Geldforderung" in out
    assert "disclosed         person 42: 1, 7, 13" in out

    code, out, _ = protocol.run("show", public.record_id, *reading, "--json")
    assert code == 0 and json.loads(out)["record_id"] == public.record_id
    assert json.loads(out)["disclosed"] == {"42": [1, 7, 13]}

    code, out, _ = protocol.run("show", security.record_id, *reading)
    assert code == 0 and "recorded on behalf of the security authority" in out

    code, out, _ = protocol.run("show", own_logging.record_id, *reading)
    assert code == 0
    assert "content           not recorded: a security authority that logs its own" in out
    assert "anlass" not in out and "disclosed" not in out

    code, out, err = protocol.run("show", "00000000-0000-4000-8000-000000000000", *reading)
    assert code == 1 and out == "" and "no record" in err
    assert protocol.store.reads(limit=1)[0].record_ids == ()  # logged, also when empty


# -- export ---------------------------------------------------------------------------------


def _tricky(protocol: Protocol) -> list[ProtocolRecord]:
    """Records whose texts need the CSV escapes: a formula, an empty text, quotes only."""
    return [
        protocol.append(**_public()),
        protocol.append(
            **_public(
                at=T0 + timedelta(minutes=1),
                anlass='=HYPERLINK("https://example.invalid")',
                aktenzeichen="",
                detail='"',
                user_kennung="'quoted",
                client_address=None,
                authority_id=None,
            )
        ),
        protocol.append(
            **_public(
                at=T0 + timedelta(minutes=2), anlass="-1+1", aktenzeichen='"Zeile 1\nZeile 2"'
            )
        ),
    ]


@pytest.mark.parametrize("form", ["jsonl", "csv"])
def test_an_export_reads_back_as_the_records_it_was_made_of(
    protocol: Protocol, tmp_path: Path, form: str
) -> None:
    records = _tricky(protocol)
    output = tmp_path / f"export.{form}"
    code, out, err = protocol.run(
        "export",
        "--reader",
        "Dana Schutz",
        "--purpose",
        "datenschutzkontrolle",
        "--format",
        form,
        "--output",
        str(output),
    )
    assert code == 0, err
    assert f"3 record(s) written to {output} ({form})" in out
    back = read_export(output.read_bytes(), form)
    assert [e.error for e in back] == [None, None, None]
    assert [e.record for e in back] == records
    if form == "csv":
        text = output.read_text(encoding="utf-8")
        assert "'=HYPERLINK" in text  # a spreadsheet shows it as text, not as a formula
        header = text.splitlines()[0].split(",")
        assert header[:3] == ["format", "record_id", "received_at"]


def test_csv_cells_keep_empty_and_absent_texts_apart(tmp_path: Path) -> None:
    record = full_record(aktenzeichen="", anlass=None, detail='""', user_kennung="@x")
    path = tmp_path / "one.csv"
    write_export([record], path, "csv")
    assert read_export(path.read_bytes(), "csv")[0].record == record


def _export(protocol: Protocol, output: Path, *argv: str) -> tuple[int, str, str]:
    return protocol.run(
        "export",
        "--reader",
        "Dana Schutz",
        "--purpose",
        "datenschutzkontrolle",
        "--output",
        str(output),
        *argv,
    )


def _witness(protocol: Protocol, export: Path) -> tuple[int, str, str]:
    return _plain_run(
        protocol, "witness", "--certificate", protocol.certificate(), "--export", str(export)
    )


def _plain_run(protocol: Protocol, *argv: str) -> tuple[int, str, str]:
    protocol.capsys.readouterr()
    try:
        code = main(["protocol", *argv])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = protocol.capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("form", ["jsonl", "csv"])
def test_the_export_proofs_verify_offline_and_a_tampered_record_fails(
    protocol: Protocol, tmp_path: Path, form: str
) -> None:
    """Issue 9: the export carries what is needed to check it with the broker's certificate
    alone; a record changed in the export — its personal content or its metadata — is named."""
    records = _tricky(protocol)
    output = tmp_path / f"export.{form}"
    code, out, err = _export(protocol, output, "--format", form, "--checkpoint")
    assert code == 0, err
    assert "3 provable against the checkpoint at size 3, 0 not yet provable" in out
    sidecar = json.loads(proofs_path(output).read_text(encoding="utf-8"))
    assert sidecar["tree_size"] == 3 and len(sidecar["proofs"]) == 3
    assert "Vollstreckung" not in json.dumps(sidecar)  # the leaf data hold no personal content

    code, out, err = _witness(protocol, output)
    assert code == 0, out + err
    assert out.splitlines()[-1] == "3 proven, 0 not yet provable, 0 failed"
    for record in records:
        assert f"proven            {record.record_id} at log index" in out

    original = output.read_text(encoding="utf-8")
    for tampered, why in (
        (original.replace("Vollstreckung einer Geldforderung", "Amtshilfe", 1), "personal content"),
        (original.replace("10.20.30.40", "10.20.30.41", 1), "differs from the record"),
    ):
        output.write_text(tampered, encoding="utf-8")
        code, out, _ = _witness(protocol, output)
        assert code == 1
        assert f"record {records[0].record_id} NOT PROVEN" in out and why in out
        assert "not byte for byte the export" in out
        assert out.splitlines()[-1] == "2 proven, 0 not yet provable, 2 failed"
    output.write_text(original, encoding="utf-8")

    # a record left out of the export, or an export without any proofs file, is no proof
    write_export(records[:-1], output, form)
    code, out, _ = _witness(protocol, output)
    assert code == 1 and f"record {records[-1].record_id} has a proof but is missing" in out
    proofs_path(output).unlink()
    code, out, _ = _witness(protocol, output)
    assert code == 1 and out.startswith("not proven:")


def test_records_not_yet_in_a_checkpoint_are_listed_as_not_yet_provable(
    protocol: Protocol, tmp_path: Path
) -> None:
    early = protocol.append(**_public())
    output = tmp_path / "none.jsonl"
    code, out, _ = _export(protocol, output)  # nothing signed yet
    assert code == 0 and "no signed checkpoint yet: 1 not yet provable" in out
    code, out, _ = _witness(protocol, output)
    assert code == 0 and f"not yet provable  {early.record_id}" in out

    assert protocol.run("checkpoint")[0] == 0
    late = protocol.append(**_public(at=T0 + timedelta(hours=1)))
    output = tmp_path / "some.jsonl"
    code, out, _ = _export(protocol, output)
    assert code == 0 and "1 provable against the checkpoint at size 1, 1 not yet provable" in out
    code, out, _ = _witness(protocol, output)
    assert code == 0
    assert f"proven            {early.record_id} at log index 0" in out
    assert f"not yet provable  {late.record_id}" in out
    assert out.splitlines()[-1] == "1 proven, 1 not yet provable, 0 failed"


def test_export_says_when_its_limit_cut_it_short(protocol: Protocol, tmp_path: Path) -> None:
    for minute in range(3):
        protocol.append(**_public(at=T0 + timedelta(minutes=minute)))
    code, out, err = _export(protocol, tmp_path / "cut.jsonl", "--limit", "2")
    assert code == 1 and "2 record(s) written" in out and "limit 2 reached" in err


def test_witness_export_is_not_mixed_with_other_checks(protocol: Protocol, tmp_path: Path) -> None:
    export = tmp_path / "x.jsonl"
    code, _out, err = _plain_run(
        protocol,
        "witness",
        "--certificate",
        protocol.certificate(),
        "--export",
        str(export),
        "--new",
        str(tmp_path / "checkpoint.txt"),
    )
    assert code == 2 and "--export is checked against the checkpoint in its proofs" in err
    code, _out, err = _plain_run(protocol, "witness", "--certificate", protocol.certificate())
    assert code == 2 and "give --new" in err
