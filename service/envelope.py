"""Outgoing SOAP 1.1 envelopes around signed XÖV documents, without touching signed bytes.

Signed documents are placed into the envelope by byte concatenation, so no signed node is ever
moved under another parent. (Incoming envelopes are the SOAP layer's, :mod:`.soap`.)
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

__all__ = ["SOAP11_NAMESPACE", "answer_envelope", "fault_envelope"]

SOAP11_NAMESPACE = "http://schemas.xmlsoap.org/soap/envelope/"
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>\s*")


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
