"""``datenspiegel protocol verify | checkpoint | checkpoints`` against a running service (issue 9,
point 1; § 40 BMG: the protocol as evidence). The service logs its records and signs
checkpoints by itself; a record altered in the database afterwards is named by ``verify``."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from datenspiegel.protocol.merkle import parse_checkpoint, split_signed_checkpoint
from datenspiegel.service.bootstrap import initialise
from tests.serving import Server, ask_unique, start_serve


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "datenspiegel.service.cli",
            "protocol",
            *args,
            "--data-dir",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("protocol") / "var"
    initialise(data_dir, persons=30, progress=False)
    serving = start_serve(data_dir, env={"DATENSPIEGEL_BROKER_CHECKPOINT_INTERVAL": "1"})
    try:
        yield Server.of(data_dir, serving)
    finally:
        serving.stop(timeout=30)
    serving.check_log()


def test_the_service_logs_and_checkpoints_and_verify_names_a_change(
    server: Server, tmp_path: Path
) -> None:
    client = server.client()
    assert ask_unique(client).status == "01"
    assert ask_unique(client).status == "01"
    deadline = time.monotonic() + 30
    exported: list[Path] = []
    while time.monotonic() < deadline:
        done = _cli(server.data_dir, "checkpoints", "--output", str(tmp_path / "witness"))
        assert done.returncode == 0, done.stderr
        exported = sorted((tmp_path / "witness").glob("checkpoint-*.txt"))
        sizes = [
            parse_checkpoint(split_signed_checkpoint(p.read_bytes())[0]).size for p in exported
        ]
        if sizes and sizes[-1] >= 2:
            break
        time.sleep(0.5)
    assert exported, "the service signed no checkpoint"

    _witness_checks_offline(server, tmp_path, exported)

    intact = _cli(server.data_dir, "verify", "--json")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    report = json.loads(intact.stdout)
    assert report["ok"] and report["checkpoints"] >= 1 and report["records"] >= 2

    with sqlite3.connect(server.data_dir / "broker.sqlite") as db:
        db.execute("UPDATE protocol_record SET outcome_codes = '[\"03\"]' WHERE log_index = 0")
    broken = _cli(server.data_dir, "verify")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "ALTERED" in broken.stdout and "log index 0" in broken.stdout
    assert "finding(s)" in broken.stdout


def _witness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "datenspiegel.service.cli", "protocol", "witness", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _witness_checks_offline(server: Server, tmp_path: Path, exported: list[Path]) -> None:
    """The witness holds an older checkpoint; a later one with a consistency proof, and an
    inclusion proof of a record, are checked with the broker's certificate alone (issue 9:
    "checks consistency offline with a small documented command; inclusion proofs")."""
    certificate = str(server.data_dir / "pki" / "broker-cert.pem")
    assert ask_unique(server.client()).status == "01"
    old = exported[0]
    old_size = parse_checkpoint(split_signed_checkpoint(old.read_bytes())[0]).size
    _cli(server.data_dir, "checkpoint")  # signs now, unless the service just did
    later = tmp_path / "later"
    assert _cli(server.data_dir, "checkpoints", "--output", str(later)).returncode == 0
    newest = sorted(later.glob("checkpoint-*.txt"))[-1]
    assert parse_checkpoint(split_signed_checkpoint(newest.read_bytes())[0]).size > old_size
    proof = tmp_path / "proof.json"
    assert (
        _cli(
            server.data_dir, "prove", "--old-size", str(old_size), "--output", str(proof)
        ).returncode
        == 0
    )
    ok = _witness(
        "--certificate", certificate, "--old", str(old), "--new", str(newest), "--proof", str(proof)
    )
    assert ok.returncode == 0 and "consistent" in ok.stdout, ok.stdout + ok.stderr
    # a proof for a log that was rewritten does not verify
    document = json.loads(proof.read_text())
    if document["proof"]:
        document["proof"][0] = "00" * 32
        forged = tmp_path / "forged.json"
        forged.write_text(json.dumps(document))
        bad = _witness(
            "--certificate",
            certificate,
            "--old",
            str(old),
            "--new",
            str(newest),
            "--proof",
            str(forged),
        )
        assert bad.returncode == 1 and "NOT CONSISTENT" in bad.stdout
    with sqlite3.connect(server.data_dir / "broker.sqlite") as db:
        record_id = db.execute(
            "SELECT record_id FROM protocol_record WHERE log_index = 1"
        ).fetchone()[0]
    inclusion = tmp_path / "inclusion.json"
    assert (
        _cli(server.data_dir, "prove-record", record_id, "--output", str(inclusion)).returncode == 0
    )
    assert "aktenzeichen" not in inclusion.read_text()  # the witness learns no personal data
    included = _witness(
        "--certificate", certificate, "--new", str(newest), "--inclusion", str(inclusion)
    )
    assert included.returncode == 0 and "included" in included.stdout, included.stdout
