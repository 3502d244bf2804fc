"""End to end over real TLS: ``datenspiegel init`` + ``datenspiegel serve`` in a subprocess.

Shows what the walking skeleton must show: the documented unique test person answered with a
signed 1331 status 01; xmlsec1 (an independent XML-DSig implementation) signs a request that is
accepted and verifies the broker's answer; zeep loads the WSDL from the server and calls the
operation; plaintext HTTP gets no answer; broken envelopes get signed 0910 faults.
"""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from lxml import etree

from datenspiegel.service.bootstrap import initialise
from datenspiegel.service.client import DatenabrufClient, Reply
from datenspiegel.service.demo import DEMO_USERS
from datenspiegel.service.envelope import answer_envelope
from datenspiegel.transformers import Behoerde
from datenspiegel.transformers.request_builder import build_personensuche
from tests.serving import (
    UNIQUE,
    Server,
    demo_authority,
    session,
    signed_unique_envelope,
    start_serve,
)
from tests.xmlsec1_tool import require_xmlsec1, xmlsec1_sign, xmlsec1_verify


def _session(server: Server) -> requests.Session:
    return session(server.ca_file)


_demo = demo_authority


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("e2e") / "var"
    initialise(data_dir, persons=300, progress=False)
    serving = start_serve(data_dir)
    try:
        yield Server.of(data_dir, serving)
    finally:
        serving.stop(timeout=30)


def test_health_over_tls(server: Server) -> None:
    response = _session(server).get(f"https://{server.host}:{server.port}/health", timeout=10)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_unique_test_person_gets_signed_status_01(server: Server) -> None:
    autor, stelle = _demo("ordnungsamt")
    reply = server.client().personensuche(
        leser=Behoerde(kennung=f"ags:{UNIQUE.query.ags}", name="Gemeinde"),
        autor=autor,
        stelle=stelle,  # type: ignore[arg-type]
        elemente=[1, 7, 13, 44, 48, 49],
        query=UNIQUE.query,
    )
    assert not reply.fault and reply.status == "01"
    person = reply.root.find("ergebnis/person")
    assert person is not None
    assert person.findtext("familienname") == UNIQUE.query.familienname


def test_cli_client_prints_the_verified_answer(server: Server) -> None:
    query = UNIQUE.query
    command = [
        sys.executable,
        "-m",
        "datenspiegel.service.cli",
        "client",
        "personensuche",
        "--data-dir",
        str(server.data_dir),
        "--endpoint",
        server.endpoint,
        "--ags",
        query.ags,
        "--familienname",
        query.familienname or "",
        "--vornamen",
        " ".join(query.vornamen),
    ]
    if query.geburtsdatum is not None:
        command += ["--geburtsdatum", str(query.geburtsdatum)]
    if query.strasse:
        command += ["--strasse", query.strasse]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "signature verified" in done.stdout
    assert "1331 ergebnisstatus 01" in done.stdout


def test_the_example_the_server_prints_returns_status_01(server: Server) -> None:
    import shlex

    assert server.example, "serve printed no example call"
    words = shlex.split(server.example)
    assert words[0] == ".venv/bin/datenspiegel" and "--endpoint" in words  # port 0 ≠ init's
    command = [sys.executable, "-m", "datenspiegel.service.cli", *words[1:]]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "signature verified" in done.stdout and "1331 ergebnisstatus 01" in done.stdout


def test_request_signed_by_xmlsec1_is_accepted_and_answer_verifies_with_xmlsec1(
    server: Server, tmp_path: Path
) -> None:
    require_xmlsec1()
    autor, stelle = _demo("ordnungsamt")
    root = build_personensuche(
        leser=Behoerde(kennung=f"ags:{UNIQUE.query.ags}", name="Gemeinde"),
        autor=autor,
        stelle=stelle,  # type: ignore[arg-type]
        elemente=[1, 13],
        query=UNIQUE.query,
        erstellt=datetime.now(UTC),
        nachrichten_uuid=str(uuid.uuid4()),
    )
    user = server.user("ordnungsamt")
    signed = xmlsec1_sign(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
        Path(user["key"]),
        Path(user["certificate"]),
    )
    reply: Reply = server.client().send(signed)
    assert not reply.fault and reply.status == "01"
    broker_cert = Path(str(server.demo["broker_certificate"]))
    assert xmlsec1_verify(reply.document, cert_pem=broker_cert)
    tampered = reply.document.replace(b"<code>01</code>", b"<code>03</code>")
    assert not xmlsec1_verify(tampered, cert_pem=broker_cert)


def test_zeep_loads_wsdl_from_server_and_calls_over_tls(server: Server) -> None:
    import zeep
    from zeep.transports import Transport

    from datenspiegel.service.zeep_plugin import XmlDsigPlugin

    user = server.user("ordnungsamt")
    plugin = XmlDsigPlugin.from_pem_files(
        key=Path(user["key"]),
        certificate=Path(user["certificate"]),
        ca_file=server.ca_file,
        broker_certificate=Path(str(server.demo["broker_certificate"])),
    )
    client = zeep.Client(
        f"{server.endpoint}?wsdl",
        plugins=[plugin],
        transport=Transport(session=_session(server), operation_timeout=30, timeout=30),
    )
    demo = next(u for u in DEMO_USERS if u.key == "ordnungsamt")
    query = UNIQUE.query

    def code(value: str, uri: str, version: str) -> dict[str, str]:
        return {"code": value, "listURI": uri, "listVersionID": version}

    from datenspiegel.xsd import codelists

    def behoerde(kennung: str, name: str) -> dict[str, object]:
        return {
            "verzeichnisdienst": code("DVDV", codelists.VERZEICHNISDIENST.uri, "1"),
            "kennung": kennung,
            "name": name,
        }

    stelle = demo.stelle
    auswahl: dict[str, object] = {
        "familienname": query.familienname,
        "vornamen": " ".join(query.vornamen),
        "anschrift": {"gemeindeschluessel": query.ags},
    }
    if query.geburtsdatum is not None:
        auswahl["geburtsdatum"] = {"jahrMonatTag": str(query.geburtsdatum)}
    if query.strasse:
        auswahl["anschrift"] = {"gemeindeschluessel": query.ags, "strasse": query.strasse}
    elements = codelists.PERSONENSUCHE_ANFORDERUNGSELEMENT
    result = client.service.personensuche(
        **{
            "version": "1.0",
            "nachrichtenkopf.g2g": {
                "identifikation.nachricht": {
                    "nachrichtenUUID": str(uuid.uuid4()),
                    "nachrichtentyp": code("1330", codelists.NACHRICHTENTYP.uri, "1"),
                    "erstellungszeitpunkt": datetime.now(UTC).isoformat(timespec="seconds"),
                },
                "leser": behoerde(f"ags:{query.ags}", "Gemeinde"),
                "autor": behoerde(demo.authority_kennung, demo.authority_name),
            },
            "anfragendeStelle": {
                "behoerdenname": stelle.behoerdenname,
                "anschrift": {
                    "strasse": stelle.strasse,
                    "hausnummer": stelle.hausnummer,
                    "postleitzahl": stelle.postleitzahl,
                    "ort": stelle.ort,
                },
                "telefon": stelle.telefon,
                "email": stelle.email,
                "aktenzeichen": stelle.aktenzeichen,
                "anlass": stelle.anlass,
                "kennungAnfragendePerson": stelle.kennung_anfragende_person,
                "sicherheitsbehoerde": False,
            },
            "anforderungselement": [
                code(str(c), elements.uri, elements.version) for c in (1, 7, 13)
            ],
            "auswahldaten": auswahl,
        }
    )
    assert plugin.last_verified is not None
    assert plugin.last_verified.findtext("ergebnis/ergebnisstatus/code") == "01"
    assert result is not None


def test_plaintext_http_gets_no_answer(server: Server) -> None:
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        received = b""
        try:
            while chunk := sock.recv(4096):
                received += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    assert b"HTTP/" not in received
    assert b"status" not in received


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")
def test_old_tls_and_weak_ciphers_are_refused(server: Server) -> None:
    for configure in (
        lambda c: setattr(c, "maximum_version", ssl.TLSVersion.TLSv1_1),
        lambda c: (
            setattr(c, "maximum_version", ssl.TLSVersion.TLSv1_2),
            c.set_ciphers("ECDHE-RSA-AES128-SHA256:AES128-SHA:AES256-SHA"),
        ),
    ):
        context = ssl.create_default_context(cafile=str(server.ca_file))
        try:
            configure(context)
        except ssl.SSLError:
            continue  # the local OpenSSL refuses to even offer it: fine
        with socket.create_connection((server.host, server.port), timeout=5) as sock:
            with pytest.raises((ssl.SSLError, ConnectionResetError)):
                with context.wrap_socket(sock, server_hostname="localhost"):
                    pass
    context = ssl.create_default_context(cafile=str(server.ca_file))
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        with context.wrap_socket(sock, server_hostname="localhost") as tls:
            name, version, _ = tls.cipher()  # type: ignore[misc]
            assert version == "TLSv1.2" and "GCM" in name and name.startswith("ECDHE")


def _fault_code(server: Server, envelope: bytes) -> tuple[int, str]:
    """HTTP status and 0910 code of a fault; every client-caused fault is soap:Client."""
    response = _session(server).post(
        server.endpoint, data=envelope, headers={"Content-Type": "text/xml"}, timeout=10
    )
    reply = server.client()._read(response.status_code, response.content, "")
    assert reply.fault
    faultcode = etree.fromstring(response.content).findtext(".//faultcode")
    assert faultcode == "soap:Client", (faultcode, reply.codes)
    return response.status_code, reply.codes[0]


def test_broken_envelopes_get_signed_0910_client_faults(server: Server) -> None:
    """Client mistakes get client codes (soap:Client); S999/soap:Server is kept for the
    broker's own failures, which operators alert on (docs/operations.md)."""
    assert _fault_code(server, b"<soap:Envelope") == (500, "X000")
    doctype = (
        b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<e xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body>&b;</Body></e>'
    )
    assert _fault_code(server, doctype) == (500, "X000")
    foreign = answer_envelope(b'<x:unknown xmlns:x="urn:x"/>')
    assert _fault_code(server, foreign) == (500, "V000")
    ours = answer_envelope(b'<x:unknown xmlns:x="urn:xoev-de:datenspiegel:datenabruf:1"/>')
    assert _fault_code(server, ours) == (500, "X001")
    not_soap = b'<Envelope xmlns="urn:not-soap"><Body/></Envelope>'
    assert _fault_code(server, not_soap) == (500, "T099")
    two = answer_envelope(b"<a/><b/>")
    assert _fault_code(server, two) == (500, "T099")


def test_wsdl_and_schemas_are_served(server: Server) -> None:
    session = _session(server)
    wsdl = session.get(f"{server.endpoint}?wsdl", timeout=10)
    assert wsdl.status_code == 200 and b"DatenabrufService" in wsdl.content
    assert server.endpoint.encode() in wsdl.content
    base = f"https://{server.host}:{server.port}"
    schema = session.get(f"{base}/xsd/datenabruf-personensuche.xsd", timeout=10)
    assert schema.status_code == 200 and b"suchanfrage.1330" in schema.content
    assert session.get(f"{base}/xsd/../setup.cfg", timeout=10).status_code == 404
    metrics = session.get(f"{base}/metrics", timeout=10)
    assert b"datenspiegel_transactions_total" in metrics.content


def _unique_request(server: Server) -> bytes:
    return signed_unique_envelope(server)


def test_chunked_request_body_is_answered(server: Server) -> None:
    envelope = _unique_request(server)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(envelope), 1000):
            yield envelope[start : start + 1000]

    response = _session(server).post(
        server.endpoint, data=chunks(), headers={"Content-Type": "text/xml"}, timeout=10
    )
    reply = server.client()._read(response.status_code, response.content, "")
    assert not reply.fault and reply.status == "01"


def test_oversized_body_is_refused_before_buffering(server: Server) -> None:
    body = b"<a>" + b"x" * 2_000_000 + b"</a>"
    try:
        response = _session(server).post(
            server.endpoint, data=body, headers={"Content-Type": "text/xml"}, timeout=10
        )
        assert response.status_code == 413
    except requests.ConnectionError:
        pass  # the server closed the connection while the body was still being sent
    # … and the refusal is in the protocol like every other request
    from datenspiegel.protocol.reads import ReadPurpose
    from datenspiegel.protocol.store import ProtocolStore

    store = ProtocolStore(f"sqlite:///{server.data_dir / 'broker.sqlite'}")
    try:
        for _ in range(50):
            records = store.records(reader="tests", purpose=ReadPurpose.BETRIEB, limit=1000)
            if any("message too large" in (r.detail or "") for r in records):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the refused request left no protocol record")
    finally:
        store.dispose()


def _children_of(pid: int) -> list[str]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid):  # field 4 of /proc/PID/stat is the parent's pid
            found.append(stat.parent.name)
    return found


def test_several_worker_processes_share_the_port_and_stop_together(server: Server) -> None:
    serving = start_serve(server.data_dir, "--workers", "2")
    process, endpoint = serving.process, serving.endpoint
    try:
        assert "2 worker processes" in serving.announcement, serving.announcement
        client = server.client()
        client.endpoint = endpoint
        autor, stelle = _demo("ordnungsamt")
        for _ in range(6):
            reply = client.personensuche(
                leser=Behoerde(kennung=f"ags:{UNIQUE.query.ags}", name="Gemeinde"),
                autor=autor,
                stelle=stelle,  # type: ignore[arg-type]
                elemente=[1],
                query=UNIQUE.query,
            )
            assert reply.status == "01"
        children = _children_of(process.pid)
        assert len(children) == 2
    finally:
        process.terminate()
        assert process.wait(timeout=15) == 0
    for pid in children:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        )


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("Threads:")).split()[1])


def test_a_worker_starts_all_its_threads_before_the_first_request(server: Server) -> None:
    """A worker reaches its working size at start (issue 11, worker memory flat over a
    sustained run): the request threads (``--threads``) all start with it, not one by one as
    the peaks of concurrent requests grow — each new thread brought its own malloc arena and
    per-thread library state, and the worker's memory rose for as long as the peaks did."""
    serving = start_serve(server.data_dir, "--threads", "6")
    try:
        deadline = time.monotonic() + 20
        while _threads(serving.process.pid) < 7 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _threads(serving.process.pid) >= 7  # the reactor and the 6 request threads
    finally:
        assert serving.stop() == 0


@pytest.mark.postgres
def test_whole_service_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    """init and serve with both stores on PostgreSQL: answer, and its record in the database."""
    data_dir = tmp_path / "var"
    initialise(data_dir, persons=50, progress=False, register_url=pg_url, broker_url=pg_url)
    serving = start_serve(data_dir)
    process, endpoint = serving.process, serving.endpoint
    try:
        demo = json.loads((data_dir / "demo.json").read_text(encoding="utf-8"))
        user = demo["users"]["ordnungsamt"]
        client = DatenabrufClient(
            endpoint=endpoint,
            ca_file=Path(demo["ca_file"]),
            broker_certificate=Path(demo["broker_certificate"]),
            user_key=Path(user["key"]),
            user_certificate=Path(user["certificate"]),
        )
        autor, stelle = _demo("ordnungsamt")
        reply = client.personensuche(
            leser=Behoerde(kennung=f"ags:{UNIQUE.query.ags}", name="Gemeinde"),
            autor=autor,
            stelle=stelle,  # type: ignore[arg-type]
            elemente=[1, 13],
            query=UNIQUE.query,
        )
        assert reply.status == "01"
    finally:
        process.terminate()
        process.wait(timeout=15)
    from datenspiegel.protocol.reads import ReadPurpose
    from datenspiegel.protocol.store import ProtocolStore

    store = ProtocolStore(pg_url)
    try:
        records = store.records(reader="tests", purpose=ReadPurpose.BETRIEB)
        assert [r.request_message_id for r in records] == [reply.request_id]
        assert records[0].outcome_codes == ("01",)
    finally:
        store.dispose()
