"""``datenspiegel serve`` as the operator starts it, for the end-to-end and resilience tests.

The server's output goes to a log file, never to a pipe nobody reads: a full pipe would stall
the server in the middle of a test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from datenspiegel.fixtures.testpersons import TEST_CASES
from datenspiegel.service.client import DatenabrufClient, Reply
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.service.envelope import answer_envelope
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.request_builder import build_personensuche
from tests.logcheck import search_data_in

__all__ = [
    "UNIQUE",
    "Server",
    "Serving",
    "ask_unique",
    "demo_authority",
    "session",
    "signed_unique_envelope",
    "start_serve",
]

_EXAMPLE_PREFIX = "  .venv/bin/datenspiegel client"
UNIQUE = next(case for case in TEST_CASES if case.status == "01" and not case.query.phonetisch)


@dataclass
class Serving:
    """A started ``serve`` process: its endpoint, announcement and log."""

    process: subprocess.Popen[bytes]
    endpoint: str
    announcement: str
    log_path: Path

    @property
    def host(self) -> str:
        return self.endpoint.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)[0]

    @property
    def port(self) -> int:
        return int(self.endpoint.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise
        self.check_log()
        return status

    def check_log(self) -> None:
        """The server logs at DEBUG in the tests: none of it may carry search data."""
        # The ready-to-run demo call that serve prints names a documented test person on
        # purpose; it is the operator's example, not a request.
        lines = [x for x in self.log().splitlines() if not x.startswith(_EXAMPLE_PREFIX)]
        leaked = search_data_in("\n".join(lines))
        if leaked:
            pytest.fail(f"search data {leaked} in the server log {self.log_path}")


def start_serve(
    data_dir: Path, *extra: str, env: Mapping[str, str] | None = None, log_name: str = "serve"
) -> Serving:
    """``datenspiegel -v serve`` on a free port; returns once it announced its endpoint.

    Debug logging is on, so that :meth:`Serving.check_log` sees everything the server could
    ever write about a request.
    """
    log_path = data_dir / f"{log_name}-{time.monotonic_ns()}.log"
    # The suites send bursts from one demo user; the quotas get their own tests (tests/
    # test_quotas.py), which set them through ``env``.
    quotas_off = {
        "DATENSPIEGEL_BROKER_QUOTA_USER_PER_MINUTE": "100000",
        "DATENSPIEGEL_BROKER_QUOTA_AUTHORITY_PER_MINUTE": "100000",
    }
    environment = {**os.environ, **quotas_off, **(env or {})}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "datenspiegel.service.cli",
                "-v",
                "serve",
                "--data-dir",
                str(data_dir),
                "--listen",
                "127.0.0.1:0",
                *extra,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
            if "listening on" in line:
                endpoint = line.split("listening on ", 1)[1].split()[0]
                return Serving(process, endpoint, line, log_path)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    pytest.fail("server did not start:\n" + log_path.read_text(encoding="utf-8"))


@dataclass
class Server:
    """The module-wide server of the end-to-end tests, with the demo data of its directory."""

    data_dir: Path
    demo: dict[str, object]
    endpoint: str
    host: str
    port: int
    serving: Serving
    example: str

    @classmethod
    def of(cls, data_dir: Path, serving: Serving) -> Server:
        demo = json.loads((data_dir / "demo.json").read_text(encoding="utf-8"))
        example = ""
        deadline = time.monotonic() + 10
        while not example and time.monotonic() < deadline:
            example = next(
                (
                    line.strip()
                    for line in serving.log().splitlines()
                    if line.startswith(_EXAMPLE_PREFIX)
                ),
                "",
            )
            time.sleep(0.05)
        return cls(data_dir, demo, serving.endpoint, serving.host, serving.port, serving, example)

    @property
    def ca_file(self) -> Path:
        return Path(str(self.demo["ca_file"]))

    def user(self, key: str) -> dict[str, str]:
        users = self.demo["users"]
        assert isinstance(users, dict)
        return users[key]  # type: ignore[no-any-return]

    def client(self, key: str = "ordnungsamt", endpoint: str | None = None) -> DatenabrufClient:
        user = self.user(key)
        client = DatenabrufClient(
            endpoint=self.endpoint,
            ca_file=self.ca_file,
            broker_certificate=Path(str(self.demo["broker_certificate"])),
            user_key=Path(user["key"]),
            user_certificate=Path(user["certificate"]),
        )
        if endpoint is not None:
            client.endpoint = endpoint
        return client


def session(ca_file: Path) -> requests.Session:
    http = requests.Session()
    http.trust_env = False
    http.verify = str(ca_file)
    return http


def demo_authority(key: str) -> tuple[Behoerde, object]:
    demo = next(u for u in DEMO_USERS if u.key == key)
    return Behoerde(kennung=demo.authority_kennung, name=demo.authority_name), demo.stelle


def ask_unique(client: DatenabrufClient) -> Reply:
    """The documented unique test person (status 01), as the demo Ordnungsamt asks it."""
    autor, stelle = demo_authority("ordnungsamt")
    return client.personensuche(
        leser=Behoerde(kennung=f"ags:{UNIQUE.query.ags}", name="Gemeinde"),
        autor=autor,
        stelle=stelle,  # type: ignore[arg-type]
        elemente=[1],
        query=UNIQUE.query,
    )


def signed_unique_envelope(
    server: Server, *, message_id: str | None = None, elemente: list[int] | None = None
) -> bytes:
    """A SOAP envelope with a freshly signed request for the unique test person (by default
    a new message id and element 1)."""
    autor, stelle = demo_authority("ordnungsamt")
    root = build_personensuche(
        leser=Behoerde(kennung=f"ags:{UNIQUE.query.ags}", name="Gemeinde"),
        autor=autor,
        stelle=stelle,  # type: ignore[arg-type]
        elemente=[1] if elemente is None else elemente,
        query=UNIQUE.query,
        erstellt=datetime.now(UTC),
        nachrichten_uuid=message_id or str(uuid.uuid4()),
    )
    return answer_envelope(server.client().sign(root))
