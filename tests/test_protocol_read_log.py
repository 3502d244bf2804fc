"""``datenspiegel protocol reads``: the log of reads of the protocol, for the data-protection
control (§ 40 BMG: every read of the protocol is recorded so that it can be checked; DOMAIN.md
§ 6). Looking at the log is itself a logged read, and only the role datenschutzkontrolle may.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.protocol_reading import Protocol, make_data_dir, open_protocol

DPO = ["--reader", "Dana Schutz"]


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


def test_the_read_log_names_who_read_which_records_and_is_itself_logged(
    protocol: Protocol,
) -> None:
    record = protocol.append()
    code, _, err = protocol.run(
        "show", record.record_id, "--reader", "Betrieb Schulz", "--purpose", "betrieb"
    )
    assert code == 0, err
    code, _, _ = protocol.run(  # refused: the role does not cover the purpose
        "show", record.record_id, "--reader", "Betrieb Schulz", "--purpose", "strafverfolgung"
    )
    assert code == 1

    code, out, err = protocol.run("reads", *DPO, "--json")
    assert code == 0, err
    logged = json.loads(out)
    show = next(r for r in logged if r["reader"] == "Betrieb Schulz" and not r["refused"])
    assert show["purpose"] == "betrieb" and show["record_ids"] == [record.record_id]
    assert show["query"]["context"]["command"] == "datenspiegel protocol show"
    refused = next(r for r in logged if r["refused"])
    assert refused["purpose"] == "strafverfolgung" and refused["record_ids"] == []

    # looking at the log is a read too, with the filters asked
    code, out, _ = protocol.run("reads", *DPO, "--by", "Dana Schutz", "--json")
    assert code == 0
    mine = json.loads(out)
    assert mine and all(r["reader"] == "Dana Schutz" for r in mine)
    assert mine[0]["query"]["read_log"] is True and mine[0]["purpose"] == "datenschutzkontrolle"

    code, out, _ = protocol.run("reads", *DPO, "--by", "Betrieb Schulz")
    assert code == 0
    assert "Betrieb Schulz" in out and "REFUSED" in out and "2 read(s)" in out


def test_only_the_data_protection_control_reads_the_log(protocol: Protocol) -> None:
    code, out, err = protocol.run("reads", "--reader", "Betrieb Schulz")
    assert code == 1 and out == ""
    assert "datenschutzkontrolle" in err
    code, out, _ = protocol.run("reads", *DPO, "--json")
    attempts = [r for r in json.loads(out) if r["reader"] == "Betrieb Schulz"]
    assert attempts[0]["refused"] and attempts[0]["query"]["context"]["command"].endswith("reads")
