"""The protocol of a service's data directory on one back-end, and its ``datenspiegel protocol``
commands — for the tests of reading the protocol (issue 9, point 5): each test module makes
its fixtures with :func:`make_data_dir` (once per module) and :func:`open_protocol`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from datenspiegel.protocol import ProtocolRecord, ProtocolStore
from datenspiegel.service.app import protocol_key
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.cli import main
from tests.test_protocol_record import full_record

__all__ = ["READERS", "T0", "Protocol", "make_data_dir", "open_protocol"]

READERS = (
    "Dana Schutz=datenschutzkontrolle,strafverfolgung;"
    "Betrieb Schulz=betrieb;"
    "Bürgerservice Koch=auskunft_betroffene"
)
T0 = datetime(2026, 3, 14, 9, 15, tzinfo=UTC)  # 10:15 in Hannover


def make_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A service's data directory (configuration, broker key and certificate); each test
    points its broker database at its own back-end (``DATENSPIEGEL_STORES_BROKER_URL``)."""
    directory = tmp_path_factory.mktemp("reads") / "var"
    initialise(directory, persons=5, progress=False, env={})
    return directory


@dataclass
class Protocol:
    """The data directory's protocol on one back-end, and its CLI."""

    data_dir: Path
    store: ProtocolStore
    capsys: pytest.CaptureFixture[str]

    def run(self, command: str, *argv: str) -> tuple[int, str, str]:
        """Exit code, stdout, stderr of ``datenspiegel protocol COMMAND --data-dir … ARGV``."""
        self.capsys.readouterr()
        try:
            code = main(["protocol", command, "--data-dir", str(self.data_dir), *argv])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def append(self, **changes: Any) -> ProtocolRecord:
        at = changes.pop("at", T0)
        record = full_record(received_at=at, answered_at=at + timedelta(milliseconds=80), **changes)
        self.store.append(record)
        return record

    def certificate(self) -> str:
        return str(self.data_dir / "pki" / "broker-cert.pem")


@contextmanager
def open_protocol(
    data_dir: Path,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Protocol]:
    """The protocol of ``data_dir`` on ``database_url``, readable by :data:`READERS`."""
    monkeypatch.setenv("DATENSPIEGEL_STORES_BROKER_URL", database_url)
    monkeypatch.setenv("DATENSPIEGEL_PROTOCOL_READERS", READERS)
    store = ProtocolStore(database_url)
    store.migrate()
    store.record_key = protocol_key(data_dir / "pki" / "protocol-tag.key")
    try:
        yield Protocol(data_dir, store, capsys)
    finally:
        store.dispose()
