"""SOAP 1.1 envelopes around signed XÖV documents, without touching the signed bytes.

Incoming: the envelope is parsed with the hardened parser and the one child of ``Body`` is taken
out as a document of its own (its bytes re-serialised, then verified on their own; exclusive
C14N makes the envelope's namespace context irrelevant). Outgoing: signed documents are placed
into the envelope by byte concatenation, so no signed node is ever moved under another parent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from lxml import etree

from datenspiegel.xsd import MessageNotWellFormed, ParserLimits, parse_message

__all__ = [
    "SOAP11_NAMESPACE",
    "EnvelopeError",
    "SoapRequest",
    "answer_envelope",
    "fault_envelope",
    "read_envelope",
]

SOAP11_NAMESPACE = "http://schemas.xmlsoap.org/soap/envelope/"
#: 0910 T099: the SOAP envelope (the transport around the XÖV document) is not as required.
#: A client fault (soap:Client); S999 is kept for the broker's own failures.
_TRANSPORT_VIOLATION = "T099"
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>\s*")


class EnvelopeError(MessageNotWellFormed):
    """Not a SOAP 1.1 envelope with exactly one message in its body (0910 X000/T099)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class SoapRequest:
    operation_element: str  # local name of the body's child, e.g. datenabruf.…1330
    namespace: str | None
    payload: bytes  # the body's child as a document of its own


def read_envelope(body: bytes, *, limits: ParserLimits) -> SoapRequest:
    root = parse_message(body, limits=limits)
    if root.tag != f"{{{SOAP11_NAMESPACE}}}Envelope":
        raise EnvelopeError(
            _TRANSPORT_VIOLATION,
            f"expected a SOAP 1.1 Envelope ({SOAP11_NAMESPACE}), got {root.tag}",
        )
    bodies = root.findall(f"{{{SOAP11_NAMESPACE}}}Body")
    if len(bodies) != 1:
        raise EnvelopeError(
            _TRANSPORT_VIOLATION, f"a SOAP envelope needs exactly one Body, found {len(bodies)}"
        )
    children = [c for c in bodies[0] if isinstance(c.tag, str)]
    if len(children) != 1:
        raise EnvelopeError(
            _TRANSPORT_VIOLATION,
            f"the SOAP Body must hold exactly one message, found {len(children)}",
        )
    child = children[0]
    qname = etree.QName(child)
    payload = etree.tostring(child, encoding="UTF-8", xml_declaration=True)
    return SoapRequest(qname.localname, qname.namespace, payload)


def _strip_declaration(document: bytes) -> bytes:
    return _DECLARATION.sub(b"", document, count=1)


def answer_envelope(document: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<soap:Envelope xmlns:soap="'
        + SOAP11_NAMESPACE.encode()
        + b'"><soap:Body>'
        + _strip_declaration(document)
        + b"</soap:Body></soap:Envelope>"
    )


def fault_envelope(faultcode: str, faultstring: str, detail: bytes | None) -> bytes:
    """A SOAP 1.1 fault; ``faultcode`` is ``Client`` or ``Server``; detail is a signed 0910."""
    if faultcode not in ("Client", "Server"):
        raise ValueError("faultcode must be Client or Server")
    parts = [
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<soap:Envelope xmlns:soap="' + SOAP11_NAMESPACE.encode() + b'"><soap:Body><soap:Fault>',
        b"<faultcode>soap:" + faultcode.encode() + b"</faultcode>",
        b"<faultstring>" + escape(faultstring).encode("utf-8") + b"</faultstring>",
    ]
    if detail is not None:
        parts += [b"<detail>", _strip_declaration(detail), b"</detail>"]
    parts.append(b"</soap:Fault></soap:Body></soap:Envelope>")
    return b"".join(parts)
