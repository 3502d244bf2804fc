"""Findings within 60 s while the service runs with two worker processes (issue 10, point 2).

``datenspiegel serve --workers 2`` as the operator starts it, a short evaluation interval, a
decoy person configured (``[anomalies] decoy_persons``, here by environment variable), and the
reference client asking for that person over fresh TLS connections — so the kernel hands
them to both workers, each writing its records. The finding must be stored within 60 s of the
offending records (DOMAIN.md § 6; § 40 BMG: the protocol is reviewed for misuse); with
``block_on_critical`` the user is blocked from the next request on (DOMAIN.md § 7: the
operator may block at any time — here its detection does the first step).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from datenspiegel.access.store import AccessStore
from datenspiegel.protocol.anomalies import DetectorKind
from datenspiegel.protocol.anomalies.store import FindingStore
from datenspiegel.register.store import RegisterStore
from datenspiegel.service.bootstrap import initialise
from tests.serving import UNIQUE, Server, ask_unique, session, start_serve

LIMIT = 60.0
REQUESTS = 6


def test_a_decoy_hit_is_a_finding_within_60_seconds_with_two_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DATENSPIEGEL_STORES_BROKER_URL", "DATENSPIEGEL_STORES_REGISTER_URL"):
        monkeypatch.delenv(name, raising=False)
    data_dir = tmp_path / "var"
    initialise(data_dir, persons=5, progress=False, env={})
    register = RegisterStore(f"sqlite:///{data_dir / 'register.sqlite'}")
    try:
        (decoy,) = register.search_personen(UNIQUE.query)
    finally:
        register.close()
    env = {
        "DATENSPIEGEL_ANOMALIES_INTERVAL": "1",
        "DATENSPIEGEL_ANOMALIES_SETTLE": "1",
        "DATENSPIEGEL_ANOMALIES_LEASE": "5",
        "DATENSPIEGEL_ANOMALIES_DECOY_PERSONS": str(decoy.id),
        "DATENSPIEGEL_ANOMALIES_BLOCK_ON_CRITICAL": "true",
    }
    serving = start_serve(data_dir, "--workers", "2", env=env)
    broker_url = f"sqlite:///{data_dir / 'broker.sqlite'}"
    findings = FindingStore(broker_url)
    access = AccessStore(broker_url)
    try:
        server = Server.of(data_dir, serving)
        for _ in range(REQUESTS):  # a new client, a new connection: both workers answer
            assert ask_unique(server.client()).status == "01"
        sent = time.monotonic()

        found = None
        while time.monotonic() - sent < LIMIT + 5:
            found = next((s for s in findings.list() if s.finding.kind is DetectorKind.DECOY), None)
            if found is not None:
                break
            time.sleep(0.2)
        latency = time.monotonic() - sent
        print(f"\ndecoy finding stored {latency:.1f} s after the last offending record")
        assert found is not None, f"no finding within {LIMIT + 5:.0f} s:\n{serving.log()[-3000:]}"
        assert latency < LIMIT
        assert found.finding.severity.value == "critical"
        assert found.finding.record_count == REQUESTS
        assert found.finding.subject.authority_kennung == "dbs:ordnungsamt-hannover"

        state = findings.state()
        assert state.holder is not None and state.watermark is not None  # one evaluates
        assert f"anomaly finding {found.id} detected: decoy (critical)" in serving.log()

        # block_on_critical: the user is blocked — the next request is refused (T070)
        user = access.user(found.finding.subject.user_id or 0)
        assert user is not None and user.gesperrt
        refused = ask_unique(server.client())
        assert refused.fault and refused.codes == ["T070"]
        assert (data_dir / "notices" / f"block-A-{found.id}.md").is_file()

        # /metrics of whichever worker answers: how far behind, what is stored
        base = server.endpoint.rsplit("/", 1)[0]
        metrics = session(server.ca_file).get(f"{base}/metrics", timeout=10).text
        assert "datenspiegel_anomaly_evaluation_lag_seconds " in metrics
        assert 'datenspiegel_anomaly_findings{severity="critical",status="open"} 1.0' in metrics
    finally:
        access.close()
        findings.close()
        assert serving.stop() == 0
