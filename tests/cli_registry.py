"""Running ``datenspiegel authority …`` / ``user …`` in tests: one data directory whose broker
database is the test's (SQLite file or PostgreSQL schema), and a registered authority."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from datenspiegel.access import AccessStore
from datenspiegel.service.cli import main
from tests.test_access_store import make_certificate

__all__ = ["Registry", "add_args", "open_registry", "pem", "register"]


@dataclass
class Registry:
    """A data directory whose broker database is ``url`` (SQLite file or PostgreSQL schema)."""

    data_dir: Path
    url: str
    capsys: pytest.CaptureFixture[str]

    def run(self, *argv: str) -> tuple[int, str, str]:
        """Exit code, stdout, stderr — argparse's own usage errors (SystemExit 2) included."""
        self.capsys.readouterr()
        try:
            code = main([*argv[:2], "--data-dir", str(self.data_dir), *argv[2:]])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *argv: str) -> Any:
        code, out, err = self.run(*argv, "--json")
        assert code == 0, err
        return json.loads(out)

    def store(self) -> AccessStore:
        store = AccessStore(self.url)
        store.migrate()
        return store

    def events(self) -> list[str]:
        store = self.store()
        try:
            return [e.action.value for e in store.admin_events()]
        finally:
            store.dispose()


def open_registry(
    tmp_path: Path,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Registry:
    """The broker database of ``tmp_path/var`` is ``database_url`` (as ``serve`` would see)."""
    monkeypatch.setenv("DATENSPIEGEL_STORES_BROKER_URL", database_url)
    return Registry(tmp_path / "var", database_url, capsys)


def pem(tmp_path: Path, name: str, **kw: Any) -> str:
    path = tmp_path / f"{name}.pem"
    certificate = make_certificate(name, **kw)
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(path)


def add_args(tmp_path: Path, **changes: str | None) -> list[str]:
    values: dict[str, str | None] = {
        "--kennung": "dbs:pd-hannover",
        "--name": "Polizeidirektion Hannover",
        "--klasse": "sicherheit",
        "--untertyp": "1",
        "--telefon": "+49 511 109-0",
        "--email": "poststelle@pd-h.polizei.example",
        "--network": "10.20.0.0/16",
        "--admin-kennung": "PD-H-ADM-1",
        "--admin-name": "Erika Mustermann",
        "--admin-telefon": "+49 511 109-1234",
        "--admin-belehrt-am": "2026-01-15",
        "--admin-certificate": pem(tmp_path, "admin"),
        "--operator": "Betrieb Schulz",
    }
    values.update(changes)
    argv = ["--anschrift", "Waterloostraße 9", "--anschrift", "30169 Hannover"]
    for key, value in values.items():
        if value is not None:
            argv += [key, value] if value != "" else [key]
    return argv


def register(registry: Registry, tmp_path: Path, **changes: str | None) -> tuple[int, str, str]:
    return registry.run("authority", "add", *add_args(tmp_path, **changes))
