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
