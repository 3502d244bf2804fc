"""The SOAP layer (issue 6): spyne dispatches on the one hardened parse; whatever it refuses is
the broker's signed 0910 with its protocol record, never spyne's own fault.

Runs the WSGI front in-process on the test world, exactly as the TLS server hosts it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.service.envelope import SOAP11_NAMESPACE, answer_envelope
from datenspiegel.service.web import Front
from datenspiegel.signing import MessageVerifier, TrustStore
from datenspiegel.xsd import MessageValidator, parse_message
from tests.world import World, build_world

ACTION = '"urn:xoev-de:datenspiegel:datenabruf:1:personensuche"'
SOAP12_NAMESPACE = "http://www.w3.org/2003/05/soap-envelope"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build_world(tmp_path)


@pytest.fixture
def front(world: World) -> Front:
    return Front(world.broker, health=world.stores.health())


def _post(
    front: Front,
    body: bytes,
    *,
    content_type: str = "text/xml; charset=utf-8",
    soap_action: str | None = ACTION,
) -> tuple[str, bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/datenabruf",
        "QUERY_STRING": "",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "https",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "8443",
        "REMOTE_ADDR": "127.0.0.1",
    }
    if soap_action is not None:
        environ["HTTP_SOAPACTION"] = soap_action
    seen: dict[str, str] = {}

    def start_response(status: str, _headers: list[tuple[str, str]]) -> None:
        seen["status"] = status

    answer = b"".join(front(environ, start_response))
    return seen["status"], answer


def _fault(world: World, status: str, answer: bytes) -> tuple[str, str, etree._Element]:
    """faultcode, the 0910 code and the verified 0910 of a fault answer."""
    assert status.startswith("500"), status
    envelope = parse_message(answer)
    fault = envelope.find(f"{{{SOAP11_NAMESPACE}}}Body/{{{SOAP11_NAMESPACE}}}Fault")
    assert fault is not None, answer[:300]
    detail = fault.find("detail")
    assert detail is not None and len(detail) == 1
    document = etree.tostring(detail[0], encoding="UTF-8", xml_declaration=True)
    verified = MessageVerifier(TrustStore.from_pem_files([world.pki.ca_cert])).verify(document)
    MessageValidator().validate(parse_message(document))
    code = verified.root.findtext("grund/code")
    assert code is not None
    return str(fault.findtext("faultcode")), code, verified.root


def _records(world: World) -> list[Any]:
    return world.stores.protocol.records(reader="tests", purpose=ReadPurpose.BETRIEB)


@pytest.fixture
def unique(world: World) -> bytes:
    return answer_envelope(world.signed(world.request()))


def test_a_request_is_answered_through_spyne(world: World, front: Front, unique: bytes) -> None:
    status, answer = _post(front, unique)
    assert status == "200 OK"
    assert b"Quastenberg" in answer
    (record,) = _records(world)
    assert record.service == "personensuche" and record.outcome_codes == ("01",)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("utf-16 body and charset", "X000"),
        ("bogus charset", "X000"),
        ("latin-1 charset", "X000"),
        ("soap 1.2 envelope", "T099"),
        ("foreign operation", "V000"),
        ("unknown operation of ours", "X001"),
        ("soapaction of another operation", "T099"),
        ("no content type", "T099"),
    ],
)
def test_what_spyne_or_the_envelope_check_refuses_is_a_signed_0910_with_its_record(
    world: World, front: Front, unique: bytes, case: str, expected: str
) -> None:
    body, content_type, action = unique, "text/xml; charset=utf-8", ACTION
    if case == "utf-16 body and charset":
        text = unique.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        body, content_type = text.encode("utf-16"), "text/xml; charset=utf-16"
    elif case == "bogus charset":
        content_type = "text/xml; charset=bogus"
    elif case == "latin-1 charset":
        content_type = "text/xml; charset=iso-8859-1"
    elif case == "soap 1.2 envelope":
        body = unique.replace(SOAP11_NAMESPACE.encode(), SOAP12_NAMESPACE.encode())
    elif case == "foreign operation":
        body = answer_envelope(b'<x:suchanfrage xmlns:x="urn:xoev-de:xmeld:2">1</x:suchanfrage>')
    elif case == "unknown operation of ours":
        body = answer_envelope(
            b'<d:datenabruf.unbekannt.suchanfrage.9999 xmlns:d="urn:xoev-de:datenspiegel:'
            b'datenabruf:1"/>'
        )
    elif case == "soapaction of another operation":
        action = '"urn:xoev-de:datenspiegel:datenabruf:1:freieSuche"'
    elif case == "no content type":
        content_type = ""
    status, answer = _post(front, body, content_type=content_type, soap_action=action)
    faultcode, code, _ = _fault(world, status, answer)
    assert (faultcode, code) == ("soap:Client", expected)
    assert b"Quastenberg" not in answer
    (record,) = _records(world)
    assert record.outcome_codes == (expected,)
    assert record.service == "envelope"


def test_an_empty_soapaction_is_accepted(world: World, front: Front, unique: bytes) -> None:
    """SOAP 1.1 allows an empty SOAPAction; clients that send none are answered too."""
    for action in ('""', None):
        status, _ = _post(front, unique, soap_action=action)
        assert status == "200 OK"


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Every input lxml is asked to parse (the hardened parser and signxml use fromstring)."""
    seen: list[bytes] = []
    original = etree.fromstring

    def counting(text: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(text if isinstance(text, bytes) else str(text).encode("utf-8"))
        return original(text, *args, **kwargs)

    monkeypatch.setattr(etree, "fromstring", counting)
    yield seen


def test_a_status_01_request_is_parsed_in_full_at_most_three_times(
    world: World, front: Front, unique: bytes, parses: list[bytes]
) -> None:
    """A full parse reads the whole request — its signature value and its message id.

    The envelope is parsed once by the SOAP layer; signxml reads the message twice (its own
    copy, then the copy it applies the transforms to). Everything else works on that tree.
    """
    request = parse_message(unique)
    signature = request.findtext(".//{http://www.w3.org/2000/09/xmldsig#}SignatureValue")
    message_id = request.findtext(".//nachrichtenUUID")
    assert signature and message_id
    parses.clear()
    status, _ = _post(front, unique)
    assert status == "200 OK"
    full = [
        text
        for text in parses
        if "".join(signature.split()).encode()[:40] in b"".join(text.split())
        and message_id.encode() in text
    ]
    assert 1 <= len(full) <= 3, f"{len(full)} full parses of the request"
