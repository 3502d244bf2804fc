"""Hand-over cases end to end over real TLS: ``datenspiegel init`` + ``serve``; the demo
Ordnungsamt searches a blocked person of Osnabrück (status 03); the city of Osnabrück — a
municipality authority added here through the access API, with a user certificate of the
development CA — fetches the 1322 through the signed ``faelleAbrufen`` operation with the
reference client, the fetch leaves a protocol record, and ``faelleQuittieren`` takes the case
off the open list. The operator's ``datenspiegel cases`` commands see the same."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from datenspiegel.access.model import Behoerdenklasse
from datenspiegel.fixtures.testpersons import OSNABRUECK
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.register.model import TeilbekanntesDatum
from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.service.app import open_stores
from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.client import DatenabrufClient
from datenspiegel.service.config import CONFIG_NAME, load_config
from datenspiegel.signing import MessageVerifier, TrustStore
from datenspiegel.signing.pki import CertificateProfile, issue_certificate, load_issuer
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.aussteuerung import build_faelle_abruf, build_quittung
from datenspiegel.xsd import MessageValidator
from tests.serving import Server, demo_authority, session, start_serve
from tests.test_faelle import stelle_of

OSNABRUECK_STADT = Behoerde(kennung=f"ags:{OSNABRUECK}", name="Stadt Osnabrück")
ACTION = "urn:xoev-de:datenspiegel:datenabruf:1:"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("faelle") / "var"
    initialise(data_dir, persons=100, progress=False)
    _add_municipality(data_dir)
    serving = start_serve(data_dir)
    try:
        yield Server.of(data_dir, serving)
    finally:
        serving.stop(timeout=30)


def _add_municipality(data_dir: Path) -> None:
    """The city of Osnabrück with one clerk, registered as the operator would."""
    stores = open_stores(load_config(data_dir / CONFIG_NAME))
    try:
        authority = stores.access.add_authority(
            kennung=OSNABRUECK_STADT.kennung,
            name=OSNABRUECK_STADT.name,
            klasse=Behoerdenklasse.OEFFENTLICHE_STELLE,
            untertyp=None,
            administrator="Administration Stadt Osnabrück",
            protokollierung_durch_betreiber=False,
        )
        user = stores.access.add_user(
            authority_id=authority.id, kennung="MB-OS-0042", name="Sachbearbeitung Meldewesen"
        )
        pki = data_dir / "pki"
        issued = issue_certificate(
            "Stadt Osnabrück Meldewesen",
            profile=CertificateProfile.SIGNING,
            issuer=load_issuer(pki / "ca-cert.pem", pki / "ca-key.pem"),
        )
        issued.write(pki / "users" / "osnabrueck-cert.pem", pki / "users" / "osnabrueck-key.pem")
        stores.access.bind_certificate(user.id, issued.certificate)
    finally:
        stores.close()


def _client(server: Server) -> DatenabrufClient:
    users = server.data_dir / "pki" / "users"
    return DatenabrufClient(
        endpoint=server.endpoint,
        ca_file=server.ca_file,
        broker_certificate=Path(str(server.demo["broker_certificate"])),
        user_key=users / "osnabrueck-key.pem",
        user_certificate=users / "osnabrueck-cert.pem",
    )


def _broker(server: Server) -> Behoerde:
    broker = load_config(server.data_dir / CONFIG_NAME).broker
    return Behoerde(kennung=broker.kennung, name=broker.name)


def _cases_cli(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "datenspiegel.service.cli", "cases", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_blocked_search_hand_over_fetched_and_acknowledged_over_tls(server: Server) -> None:
    autor, stelle = demo_authority("ordnungsamt")
    searched = server.client().personensuche(
        leser=Behoerde(kennung=f"ags:{OSNABRUECK}", name="Stadt Osnabrück"),
        autor=autor,
        stelle=stelle,  # type: ignore[arg-type]
        elemente=[1, 7, 13, 44, 48, 49],
        query=PersonensucheQuery(
            ags=OSNABRUECK,
            familienname="Schutzmeier",
            vornamen=("Petra",),
            geburtsdatum=TeilbekanntesDatum(1979, 5, 21),
        ),
    )
    assert not searched.fault and searched.status == "03"

    listed = _cases_cli(server, "list", "--data-dir", str(server.data_dir), "--json")
    assert listed.returncode == 0, listed.stderr
    (open_case,) = json.loads(listed.stdout)["cases"]
    assert open_case["recipient"] == OSNABRUECK_STADT.kennung and open_case["fetched_at"] is None
    assert "Schutzmeier" not in listed.stdout  # list shows no contents

    client = _client(server)
    request_id = str(uuid.uuid4())
    abruf = build_faelle_abruf(
        leser=_broker(server),
        autor=OSNABRUECK_STADT,
        stelle=stelle_of(OSNABRUECK_STADT),
        erstellt=datetime.now(UTC),
        nachrichten_uuid=request_id,
    )
    reply = client.send(
        client.sign(abruf), request_id=request_id, soap_action=ACTION + "faelleAbrufen"
    )
    assert not reply.fault and reply.http_status == 200
    MessageValidator().validate(reply.root)
    (fall,) = reply.root.findall("{*}datenabruf.aussteuerung.1322")
    assert fall.findtext("fallId") == open_case["case_id"]
    assert fall.findtext("ursprungsnachricht") == searched.request_id
    assert fall.findtext("anfragendeStelle/aktenzeichen") == stelle.aktenzeichen  # type: ignore[attr-defined]
    assert fall.findtext("anfragendeStelle/email") == stelle.email  # type: ignore[attr-defined]
    assert fall.findtext("auswahldaten/familienname") == "Schutzmeier"
    assert {c.text for c in fall.iterfind("anforderungselement/code")} == {
        "1",
        "7",
        "13",
        "44",
        "48",
        "49",
    }
    assert fall.findtext("gefundenePerson/person/familienname") == "Schutzmeier"
    assert fall.findtext("gefundenePerson/auskunftssperre/code") == "3"
    anfrage = base64.b64decode(fall.findtext("anfrage") or "")
    trust = TrustStore.from_pem_files([server.ca_file])
    original = MessageVerifier(trust).verify(anfrage)  # the request as received, still signed
    assert original.root.findtext(
        "nachrichtenkopf.g2g/identifikation.nachricht/nachrichtenUUID"
    ) == (searched.request_id)

    # the fetch is a recorded transaction
    stores = open_stores(load_config(server.data_dir / CONFIG_NAME))
    try:
        records = stores.protocol.records(reader="test", purpose=ReadPurpose.BETRIEB)
        (fetch_record,) = [r for r in records if r.request_message_id == request_id]
        assert fetch_record.service == "faelleAbrufen"
        assert fetch_record.authority_kennung == OSNABRUECK_STADT.kennung
        assert fetch_record.hits and fetch_record.disclosed
    finally:
        stores.close()

    quittung_id = str(uuid.uuid4())
    quittung = build_quittung(
        [open_case["case_id"]],
        leser=_broker(server),
        autor=OSNABRUECK_STADT,
        stelle=stelle_of(OSNABRUECK_STADT),
        erstellt=datetime.now(UTC),
        nachrichten_uuid=quittung_id,
    )
    acknowledged = client.send(
        client.sign(quittung), request_id=quittung_id, soap_action=ACTION + "faelleQuittieren"
    )
    assert not acknowledged.fault
    assert [e.text for e in acknowledged.root.iterfind("quittiert")] == [open_case["case_id"]]
    assert acknowledged.root.findtext("anzahlOffen") == "0"

    listed = _cases_cli(server, "list", "--data-dir", str(server.data_dir), "--json")
    assert json.loads(listed.stdout)["cases"] == []

    # the operator's read of the contents is logged and needs a purpose
    exported = _cases_cli(
        server,
        "export",
        "--data-dir",
        str(server.data_dir),
        "--reader",
        "op",
        "--purpose",
        "betrieb",
    )
    assert exported.returncode == 0, exported.stderr
    (line,) = exported.stdout.splitlines()
    assert json.loads(line)["acknowledged_at"] is not None
    refused = _cases_cli(server, "export", "--data-dir", str(server.data_dir))
    assert refused.returncode == 2


def _blocked_search(server: Server) -> None:
    """The demo Ordnungsamt searches the blocked test person of Osnabrück: a 1322 case."""
    autor, stelle = demo_authority("ordnungsamt")
    server.client().personensuche(
        leser=Behoerde(kennung=f"ags:{OSNABRUECK}", name="Stadt Osnabrück"),
        autor=autor,
        stelle=stelle,  # type: ignore[arg-type]
        elemente=[1],
        query=PersonensucheQuery(
            ags=OSNABRUECK,
            familienname="Schutzmeier",
            vornamen=("Petra",),
            geburtsdatum=TeilbekanntesDatum(1979, 5, 21),
        ),
    )


def test_overdue_cases_are_reported(server: Server, tmp_path: Path) -> None:
    _blocked_search(server)
    args = ["list", "--data-dir", str(server.data_dir), "--overdue", "--check"]
    assert _cases_cli(server, *args).returncode == 0  # not overdue yet (24 h)
    import os

    env = {**os.environ, "DATENSPIEGEL_BROKER_CASE_ALERT_AFTER": "0.001"}
    late = subprocess.run(
        [sys.executable, "-m", "datenspiegel.service.cli", "cases", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert late.returncode == 1
    assert "WARNING" in late.stderr and "not fetched within" in late.stderr
    assert "NOT FETCHED (overdue)" in late.stdout


def test_the_running_service_reports_overdue_cases(server: Server) -> None:
    """Unfetched cases older than ``broker.case_alert_after`` are reported to the operator by
    the running service (issue 7, point 5; duties of § 34a Abs. 5, § 51 Abs. 3 BMG): as a
    gauge in /metrics and as a periodic WARNING — with no person's data in either."""
    _blocked_search(server)
    env = {
        "DATENSPIEGEL_BROKER_CASE_ALERT_AFTER": "0.001",
        "DATENSPIEGEL_BROKER_CASE_CHECK_INTERVAL": "0.5",
    }
    watching = start_serve(server.data_dir, env=env, log_name="overdue")
    try:
        base = f"https://{watching.host}:{watching.port}"
        metrics = session(server.ca_file).get(f"{base}/metrics", timeout=10).text
        gauges = {
            line.split()[0]: float(line.split()[1])
            for line in metrics.splitlines()
            if line.startswith("datenspiegel_cases_overdue")
        }
        assert gauges["datenspiegel_cases_overdue"] >= 1
        assert gauges["datenspiegel_cases_overdue_oldest_seconds"] > 0
        deadline = time.monotonic() + 20
        while "not fetched within" not in watching.log() and time.monotonic() < deadline:
            time.sleep(0.2)
        warning = [line for line in watching.log().splitlines() if "not fetched within" in line]
        assert warning and "WARNING" in warning[0]
        assert "Schutzmeier" not in watching.log()
    finally:
        assert watching.stop(timeout=30) == 0
    watching.check_log()
