"""Clients read what the broker may send (issue 7): a full hit list of 1 000 entries, signed by
the broker, is accepted and verified by the reference client and the zeep plugin, while the same
bytes sent *to* the broker are refused by its request limits.

The hit list is real: 1 000 generated persons through the disclosure rules, ``build_answer``,
the schema and the test world's broker key.
"""

from __future__ import annotations

import http.server
import io
import secrets
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from zeep.loader import parse_xml
from zeep.settings import Settings

from datenspiegel.fixtures.generator import STICHTAG, generate_persons
from datenspiegel.register.model import Anschrift, Person, TeilbekanntesDatum
from datenspiegel.service.client import ClientError, DatenabrufClient
from datenspiegel.service.envelope import SOAP11_NAMESPACE, answer_envelope
from datenspiegel.service.web import Front
from datenspiegel.service.zeep_plugin import UnverifiedReply, XmlDsigPlugin
from datenspiegel.signing import MessageSigner, MessageVerifier, SigningIdentity, TrustStore
from datenspiegel.transformers import (
    MAX_TREFFER,
    Behoerde,
    Requester,
    build_answer,
    decide_disclosure,
)
from datenspiegel.transformers.personendaten import write_treffer
from datenspiegel.xsd import MessageValidator, ParserLimits, UnsafeMessage, parse_message, serialize
from datenspiegel.xsd.codelists import Ergebnisstatus
from datenspiegel.xsd.parsing import ANSWER_MAX_TREFFER, TREFFER_BYTES, TREFFER_NODES
from tests.world import World, build_world

REPO = Path(__file__).resolve().parent.parent
_USER = "ordnungsamt"


@dataclass(frozen=True)
class HitList:
    world: World
    document: bytes  # the signed 1331, as the broker sends it
    envelope: bytes  # … in its SOAP envelope, as it arrives over HTTP


def _nodes(root: etree._Element) -> int:
    return sum(1 for _ in root.iter())


def _entry_nodes(person: Person) -> int:
    scratch = etree.Element("trefferliste")
    write_treffer(scratch, person, "M" * 43)
    return _nodes(scratch[0])


def _richest_listable_persons(count: int) -> list[Person]:
    """Generated persons a hit list may show (a current main address, no Auskunftssperre),
    those with the most names first: a large legal hit list, not an average one."""
    listable = [
        person
        for person in generate_persons(seed=7, count=5 * count)
        if person.id is not None
        and person.aktuelle_hauptanschrift is not None
        and not person.sperrt_auskunft_am(STICHTAG)
    ]
    assert len(listable) >= count, "the generator gave too few listable persons"
    return sorted(listable, key=_entry_nodes, reverse=True)[:count]


@pytest.fixture(scope="module")
def hit_list(tmp_path_factory: pytest.TempPathFactory) -> HitList:
    world = build_world(tmp_path_factory.mktemp("world"))
    disclosure = decide_disclosure(
        _richest_listable_persons(MAX_TREFFER),
        Requester(sicherheitsbehoerde=False),
        stichtag=STICHTAG,
    )
    assert disclosure.status is Ergebnisstatus.TREFFERLISTE
    assert len(disclosure.trefferliste) == MAX_TREFFER
    answer = build_answer(
        disclosure,
        elemente=(),
        merkmale={p.id: secrets.token_urlsafe(32) for p in disclosure.trefferliste if p.id},
        erstellt=datetime.now(UTC),
        leser=Behoerde(kennung="dbs:ordnungsamt-hannover", name="Landeshauptstadt Hannover"),
        autor=Behoerde(kennung="ags:03241001", name="Landeshauptstadt Hannover"),
        ursprung="6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e",
    )
    MessageValidator().validate(answer.root)
    broker = MessageSigner(
        SigningIdentity.from_pem_files(world.pki.broker_key, world.pki.broker_cert)
    )
    document = serialize(broker.sign(answer.root))
    return HitList(world, document, answer_envelope(document))


def _client(world: World, endpoint: str = "https://127.0.0.1:9/datenabruf") -> DatenabrufClient:
    user = world.pki.users[_USER]
    return DatenabrufClient(
        endpoint=endpoint,
        ca_file=world.pki.ca_cert,
        broker_certificate=world.pki.broker_cert,
        user_key=user.key,
        user_certificate=user.cert,
        timeout=30,
    )


def _plugin(world: World) -> XmlDsigPlugin:
    user = world.pki.users[_USER]
    return XmlDsigPlugin.from_pem_files(
        key=user.key,
        certificate=user.cert,
        ca_file=world.pki.ca_cert,
        broker_certificate=world.pki.broker_cert,
    )


def _treffer(root: etree._Element) -> list[etree._Element]:
    return root.findall("ergebnis/trefferliste/treffer")


def test_a_full_hit_list_is_beyond_the_request_node_limit(hit_list: HitList) -> None:
    """The premise: one global cap of 20 000 nodes could not read the largest legal answer."""
    envelope = etree.fromstring(hit_list.envelope)
    assert _nodes(envelope) > ParserLimits.for_request().max_elements
    assert len(hit_list.envelope) <= ParserLimits.for_answer().max_bytes
    with pytest.raises(UnsafeMessage, match="nodes"):
        parse_message(hit_list.envelope, limits=ParserLimits.for_request())
    parse_message(hit_list.envelope, limits=ParserLimits.for_answer())


def test_the_reference_client_reads_and_verifies_a_full_hit_list(hit_list: HitList) -> None:
    reply = _client(hit_list.world)._read(200, hit_list.envelope, "request-1")
    assert not reply.fault
    assert reply.status == "02"
    assert len(_treffer(reply.root)) == MAX_TREFFER
    verified = MessageVerifier(TrustStore.from_pem_files([hit_list.world.pki.ca_cert])).verify(
        reply.document
    )
    assert len(_treffer(verified.root)) == MAX_TREFFER


def test_the_zeep_plugin_verifies_a_full_hit_list_as_zeep_hands_it_over(
    hit_list: HitList,
) -> None:
    plugin = _plugin(hit_list.world)
    # Exactly what zeep does with a reply before the plugins' ingress (default settings).
    envelope = parse_xml(hit_list.envelope, None, settings=Settings())
    plugin.ingress(envelope, {}, None)
    verified = plugin.last_verified
    assert verified is not None
    assert verified.findtext("ergebnis/ergebnisstatus/code") == "02"
    assert len(_treffer(verified)) == MAX_TREFFER


def test_the_zeep_plugin_refuses_more_nodes_than_the_largest_legal_answer(
    hit_list: HitList,
) -> None:
    limit = ParserLimits.for_answer().max_elements
    fat = etree.fromstring(hit_list.document)
    padding = etree.SubElement(fat.find("ergebnis"), "padding")
    for _ in range(limit):
        etree.SubElement(padding, "x")
    envelope = parse_xml(answer_envelope(serialize(fat)), None, settings=Settings())
    plugin = _plugin(hit_list.world)
    with pytest.raises(UnverifiedReply, match=f"more than {limit} nodes"):
        plugin.ingress(envelope, {}, None)
    assert plugin.last_verified is None


def test_the_same_bytes_as_a_request_are_refused_by_the_broker(hit_list: HitList) -> None:
    """The answer limits are the client's; the broker keeps refusing requests of that size."""
    front = Front(hit_list.world.broker, health=hit_list.world.stores.health())
    status, answer = _post(front, hit_list.envelope)
    assert status.startswith("500"), status
    fault = parse_message(answer).find(f"{{{SOAP11_NAMESPACE}}}Body/{{{SOAP11_NAMESPACE}}}Fault")
    assert fault is not None
    detail = fault.find("detail")
    assert detail is not None and len(detail) == 1
    document = etree.tostring(detail[0], encoding="UTF-8", xml_declaration=True)
    verified = MessageVerifier(TrustStore.from_pem_files([hit_list.world.pki.ca_cert])).verify(
        document
    )
    assert verified.root.findtext("grund/code") == "X000"
    assert "20000 nodes" in etree.tostring(verified.root, encoding="unicode")


def _post(front: Front, body: bytes) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/datenabruf",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "text/xml; charset=utf-8",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_SOAPACTION": '"urn:xoev-de:datenspiegel:datenabruf:1:personensuche"',
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "https",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "8443",
        "REMOTE_ADDR": "127.0.0.1",
    }
    seen: dict[str, str] = {}

    def start_response(status: str, _headers: list[tuple[str, str]]) -> None:
        seen["status"] = status

    answer = b"".join(front(environ, start_response))
    return seen["status"], answer


# -- over HTTPS: the client reads at most the answer limit -----------------------------------


class _Canned(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        try:
            self.wfile.write(self.body)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the client stopped reading: that is what is tested

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def canned(hit_list: HitList) -> Iterator[tuple[type[_Canned], str]]:
    handler = type("Handler", (_Canned,), {"body": b""})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(hit_list.world.pki.tls_cert, hit_list.world.pki.tls_key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler, f"https://127.0.0.1:{server.server_address[1]}/datenabruf"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_client_receives_a_full_hit_list_over_https(
    hit_list: HitList, canned: tuple[type[_Canned], str]
) -> None:
    handler, endpoint = canned
    handler.body = hit_list.envelope
    reply = _client(hit_list.world, endpoint).send_envelope(b"<x/>", request_id="r")
    assert reply.status == "02"
    assert len(_treffer(reply.root)) == MAX_TREFFER


def test_the_client_stops_reading_beyond_the_largest_legal_answer(
    hit_list: HitList, canned: tuple[type[_Canned], str]
) -> None:
    handler, endpoint = canned
    handler.body = b"<a>" + b"x" * ParserLimits.for_answer().max_bytes + b"</a>"
    with pytest.raises(ClientError, match="larger than the largest legal answer"):
        _client(hit_list.world, endpoint).send_envelope(b"<x/>", request_id="r")


# -- the per-entry budget of ParserLimits.for_answer() holds for what write_treffer writes ----


def _fattest_legal_entry() -> Person:
    """Every field write_treffer emits, at the schema's length, in three-byte letters."""
    text = "Ạ" * 120

    def names(prefix: str) -> tuple[str, ...]:
        return tuple(f"{prefix}{i:02d}" + "Ạ" * 117 for i in range(10))

    return Person(
        id=1,
        ags="03241001",
        familienname=text,
        ehename=text,
        lebenspartnerschaftsname=text,
        geburtsname=text,
        fruehere_familiennamen=names("F"),
        vornamen=names("V"),
        fruehere_vornamen=names("W"),
        gebraeuchlicher_vorname=names("V")[0],
        geburtsdatum=TeilbekanntesDatum(1961, 7, 14),
        anschriften=(
            Anschrift(
                ags="03241001",
                postleitzahl="30161",
                wohnort=text,
                frueherer_gemeindename=text,
                strasse=text,
                hausnummer=text,
                hausnummer_buchstabe=text,
                teilnummer=text,
                wohnungsnummer=text,
                zusatzangaben=text,
                wohnungsinhaber=text,
                wohnungsstatus="1",
                bedingter_sperrvermerk=True,
            ),
        ),
    )


def test_the_fattest_legal_entry_fits_the_budget_per_entry() -> None:
    parent = etree.Element("trefferliste")
    write_treffer(parent, _fattest_legal_entry(), "M" * 500)
    (entry,) = parent
    assert _nodes(entry) <= TREFFER_NODES
    assert len(etree.tostring(entry, encoding="UTF-8")) <= TREFFER_BYTES


def test_the_answer_preset_counts_the_hit_lists_the_schema_and_the_rules_allow() -> None:
    schema = etree.parse(str(REPO / "xsd" / "datenabruf-personensuche.xsd"))
    (treffer,) = schema.xpath(
        "//xs:element[@name='treffer']", namespaces={"xs": "http://www.w3.org/2001/XMLSchema"}
    )
    assert int(treffer.get("maxOccurs")) == ANSWER_MAX_TREFFER == MAX_TREFFER
