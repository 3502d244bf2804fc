"""A zeep plugin for vendors: sign every outgoing payload, verify every incoming one.

    from datenspiegel.service.zeep_plugin import XmlDsigPlugin
    plugin = XmlDsigPlugin.from_pem_files(key=..., certificate=..., ca_file=...,
                                          broker_certificate=...)
    session = requests.Session(); session.trust_env = False; session.verify = ca_file
    client = zeep.Client(wsdl_url, plugins=[plugin],
                         transport=zeep.Transport(session=session, operation_timeout=30))

Outgoing: the body's message is signed as a document of its own (enveloped XML-DSig,
exclusive C14N). Incoming: the answer — or the 0910 inside a fault's detail — is read again
with the one hardened parser and the answer limits (``ParserLimits.for_answer()``: a full hit
list of 1 000 entries fits, more does not), then must carry a valid signature by the broker's
certificate; otherwise :class:`UnverifiedReply` is raised and the reply is never handed to the
application. zeep has parsed the envelope with its own parser before any plugin runs; keep its
defaults (``xml_huge_tree=False``) so that libxml2's own caps apply there.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from lxml import etree
from zeep import Plugin

from datenspiegel.service.envelope import SOAP11_NAMESPACE
from datenspiegel.signing import (
    MessageSigner,
    MessageVerifier,
    SigningError,
    SigningIdentity,
    TrustStore,
    load_pem_certificates,
)
from datenspiegel.signing.certificates import certificate_fingerprint
from datenspiegel.xsd import MessageError, ParserLimits, parse_message

__all__ = ["UnverifiedReply", "XmlDsigPlugin"]

_BODY = f"{{{SOAP11_NAMESPACE}}}Body"
_FAULT = f"{{{SOAP11_NAMESPACE}}}Fault"
#: What goes out must fit what the broker accepts; what comes in, the largest legal answer.
_REQUEST_LIMITS = ParserLimits.for_request()
_ANSWER_LIMITS = ParserLimits.for_answer()


class UnverifiedReply(Exception):
    """The service's reply carries no valid signature of the broker."""


class XmlDsigPlugin(Plugin):
    def __init__(
        self,
        *,
        signer: MessageSigner,
        verifier: MessageVerifier,
        broker_fingerprint: str | None,
    ) -> None:
        self._signer = signer
        self._verifier = verifier
        self._broker_fingerprint = broker_fingerprint
        self._local = threading.local()

    @classmethod
    def from_pem_files(
        cls, *, key: Path, certificate: Path, ca_file: Path, broker_certificate: Path | None
    ) -> XmlDsigPlugin:
        pinned = None
        if broker_certificate is not None:
            pinned = certificate_fingerprint(load_pem_certificates(broker_certificate)[0])
        return cls(
            signer=MessageSigner(SigningIdentity.from_pem_files(key, certificate)),
            verifier=MessageVerifier(TrustStore.from_pem_files([ca_file])),
            broker_fingerprint=pinned,
        )

    def egress(
        self,
        envelope: etree._Element,
        http_headers: dict[str, str],
        operation: Any,
        binding_options: Any,
    ) -> tuple[etree._Element, dict[str, str]]:
        body = envelope.find(_BODY)
        if body is None or len(body) != 1:
            raise ValueError("expected a SOAP body with exactly one message")
        message = body[0]
        signed = self._signer.sign_bytes(etree.tostring(message, encoding="UTF-8"))
        body.replace(message, parse_message(signed, limits=_REQUEST_LIMITS))
        return envelope, http_headers

    def ingress(
        self, envelope: etree._Element, http_headers: dict[str, str], operation: Any
    ) -> tuple[etree._Element, dict[str, str]]:
        body = envelope.find(_BODY)
        if body is None or len(body) != 1:
            raise UnverifiedReply("the reply has no SOAP body with one message")
        payload = body[0]
        if payload.tag == _FAULT:
            detail = payload.find("detail")
            if detail is None or len(detail) != 1:
                raise UnverifiedReply(
                    f"fault without a signed 0910: {payload.findtext('faultstring')}"
                )
            payload = detail[0]
        try:
            document = parse_message(
                etree.tostring(payload, encoding="UTF-8"), limits=_ANSWER_LIMITS
            )
        except MessageError as exc:
            raise UnverifiedReply(f"the reply is refused before verification: {exc}") from exc
        try:
            verified = self._verifier.verify(document)
        except SigningError as exc:
            raise UnverifiedReply(f"the reply's signature does not verify: {exc}") from exc
        if self._broker_fingerprint and verified.fingerprint_sha256 != self._broker_fingerprint:
            raise UnverifiedReply("the reply is signed, but not by the broker's certificate")
        self._local.last_verified = verified.root
        return envelope, http_headers

    @property
    def last_verified(self) -> etree._Element | None:
        """The last reply (1331 or 0910) verified in this thread, for the caller's records."""
        return getattr(self._local, "last_verified", None)
