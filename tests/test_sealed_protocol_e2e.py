"""§ 40 Abs. 3 BMG end to end: the operator's tools cannot read a "Protokollierung
erforderlich" record's content; the authority can (issue 9, must show).

``datenspiegel init`` + ``serve`` over TLS; the demo police — a security authority that
commissioned the operator, its protocol key made by ``init`` — retrieves a person with the
reference client. Then the operator's own commands (``protocol show | search | export``) see
metadata only, while the authority's ``datenspiegel protocol fetch-own`` fetches the sealed
record through the signed ``protokollAbrufen`` operation, opens it with its private key and
gets the full record, the signed request and the signed answer it received.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.cli import main
from datenspiegel.service.client import Reply
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.transformers import Behoerde
from tests.serving import UNIQUE, Server, demo_authority, start_serve

POLIZEI = next(u for u in DEMO_USERS if u.key == "polizei")
NAME = UNIQUE.query.familienname or ""
READER = ["--reader", "Betrieb Demo", "--purpose", "datenschutzkontrolle"]


def _police_retrieval(server: Server) -> Reply:
    """The demo police asks for the documented unique test person (status 01)."""
    autor, stelle = demo_authority("polizei")
    return server.client("polizei").personensuche(
        leser=Behoerde(kennung=f"ags:{UNIQUE.query.ags}", name="Gemeinde"),
        autor=autor,
        stelle=stelle,  # type: ignore[arg-type]
        elemente=[1, 13],
        query=UNIQUE.query,
    )


def _search(data: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["protocol", "search", *data, *READER, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert isinstance(found, list)
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("sealed") / "var"
    initialise(data_dir, persons=100, progress=False)
    serving = start_serve(data_dir)
    try:
        yield Server.of(data_dir, serving)
    finally:
        serving.stop(timeout=30)


def test_operator_cannot_read_the_authority_can(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reply = _police_retrieval(server)
    assert reply.status == "01"
    aktenzeichen = POLIZEI.stelle.aktenzeichen
    data = ["--data-dir", str(server.data_dir)]

    # the operator: search, show and export see the transaction, not its content
    found = _search(data, capsys)
    police = [r for r in found if r.get("authority_kennung") == POLIZEI.authority_kennung]
    assert police, found
    shown_ids = [str(r["record_id"]) for r in police]
    for record in police:
        assert record["content_recorded"] is False and record["hit_count"] == 0
        assert str(record["user_kennung"]).startswith("pseudonym:")
    assert main(["protocol", "show", shown_ids[-1], *data, *READER]) == 0
    shown = capsys.readouterr().out
    assert aktenzeichen not in shown and NAME not in shown
    export = tmp_path / "export.jsonl"
    assert (
        main(
            [
                "protocol", "export", *data, *READER,
                "--authority", POLIZEI.authority_kennung, "--output", str(export),
            ]
        )
        == 0
    )  # fmt: skip
    exported = export.read_text(encoding="utf-8")
    assert POLIZEI.authority_kennung in exported
    assert aktenzeichen not in exported and NAME not in exported

    # the authority: fetch-own with its private protocol key opens the full record
    out = tmp_path / "own.jsonl"
    code = main(
        ["protocol", "fetch-own", *data, "--endpoint", server.endpoint, "--output", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    mine = [line for line in lines if line["record"]["record_id"] in shown_ids]
    assert mine, lines
    opened = mine[-1]
    record = opened["record"]
    assert record["content_recorded"] is True
    assert record["aktenzeichen"] == aktenzeichen
    assert record["user_kennung"] == POLIZEI.stelle.kennung_anfragende_person
    assert record["hits"] and record["disclosed"]
    assert NAME in opened["answer"] and NAME in opened["request"]
    answer_id = reply.root.findtext("nachrichtenkopf.g2g/identifikation.nachricht/nachrichtenUUID")
    assert answer_id and any(answer_id in line["answer"] for line in lines)
    assert "record(s) opened" in capsys.readouterr().err

    # the fetch is itself recorded and logged as a read by the authority
    after = _search(data, capsys)
    assert any(r.get("service") == "protokollAbrufen" for r in after)


def test_a_user_without_the_role_is_refused(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    police = server.user("polizei")
    code = main(
        [
            "protocol", "fetch-own", "--data-dir", str(server.data_dir),
            "--endpoint", server.endpoint, "--user", "ordnungsamt",
            "--protocol-key", police["protocol_key"], "--output", str(tmp_path / "x.jsonl"),
        ]
    )  # fmt: skip
    assert code == 4
    assert "T070" in capsys.readouterr().err


def test_the_wrong_key_opens_nothing(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _police_retrieval(server)
    wrong = server.data_dir / "pki" / "broker-key.pem"
    code = main(
        [
            "protocol", "fetch-own", "--data-dir", str(server.data_dir),
            "--endpoint", server.endpoint, "--protocol-key", str(wrong),
            "--output", str(tmp_path / "y.jsonl"),
        ]
    )  # fmt: skip
    assert code == 1
    assert "cannot be opened" in capsys.readouterr().err
    assert (tmp_path / "y.jsonl").read_text(encoding="utf-8") == ""
