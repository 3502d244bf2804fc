"""A reference client: build a 1330 (or an administration request), sign it, send it over
TLS, verify and read the answer.

Used by ``datenspiegel client personensuche`` and ``client nutzer-…``, by the test suite and
as a worked example for vendors. The answer is trusted only after its signature verified
against the configured CA *and* the signer is the broker's certificate (pinned).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests
from lxml import etree

from datenspiegel.register.query import PersonensucheQuery
from datenspiegel.service.envelope import SOAP11_NAMESPACE, answer_envelope
from datenspiegel.signing import (
    MessageSigner,
    MessageVerifier,
    SigningError,
    SigningIdentity,
    TrustStore,
    load_pem_certificates,
)
from datenspiegel.signing.certificates import certificate_fingerprint
from datenspiegel.transformers import AnfragendeStelle, Behoerde
from datenspiegel.transformers.administration import (
    Aktion,
    NutzerAenderung,
    NutzerDaten,
    build_administration_anfrage,
)
from datenspiegel.transformers.protokoll import build_protokollabruf
from datenspiegel.transformers.request_builder import build_personensuche
from datenspiegel.xsd import MessageError, ParserLimits, parse_message, serialize

__all__ = ["ClientError", "DatenabrufClient", "Reply"]

_SOAP_ACTION = '"urn:xoev-de:datenspiegel:datenabruf:1:personensuche"'
_ACTION_PREFIX = "urn:xoev-de:datenspiegel:datenabruf:1:"
#: The largest legal answer (a hit list of 1 000 entries) with its envelope.
_REPLY_LIMITS = ParserLimits.for_answer()


class ClientError(Exception):
    """The exchange failed (transport, unreadable or unverifiable reply)."""


@dataclass(frozen=True, slots=True)
class Reply:
    http_status: int
    fault: bool
    root: etree._Element  # the verified answer (1331, 1333, 9101, …) or 0910
    document: bytes  # as received (signed)
    request_id: str

    @property
    def status(self) -> str | None:
        found = self.root.find("ergebnis/ergebnisstatus/code")
        return found.text if found is not None else None

    @property
    def codes(self) -> list[str]:
        if self.fault:
            return [c.text or "" for c in self.root.iterfind("grund/code")]
        return [c.text or "" for c in self.root.iterfind("rueckweisung/grund/code")]

    def text(self, path: str) -> str | None:
        found = self.root.find(path)
        return found.text if found is not None else None


class DatenabrufClient:
    def __init__(
        self,
        *,
        endpoint: str,
        ca_file: Path,
        broker_certificate: Path,
        user_key: Path,
        user_certificate: Path,
        timeout: float = 30.0,
    ) -> None:
        self.endpoint = endpoint
        self._ca_file = ca_file
        self._signer = MessageSigner(SigningIdentity.from_pem_files(user_key, user_certificate))
        self._verifier = MessageVerifier(TrustStore.from_pem_files([ca_file]))
        self._broker_fingerprint = certificate_fingerprint(
            load_pem_certificates(broker_certificate)[0]
        )
        self._timeout = timeout
        self._session = requests.Session()
        self._session.trust_env = False  # an environment CA bundle must not override verify

    def personensuche(
        self,
        *,
        leser: Behoerde,
        autor: Behoerde,
        stelle: AnfragendeStelle,
        elemente: list[int],
        query: PersonensucheQuery | None = None,
        identifikationsmerkmal: str | None = None,
    ) -> Reply:
        request_id = str(uuid.uuid4())
        root = build_personensuche(
            leser=leser,
            autor=autor,
            stelle=stelle,
            elemente=elemente,
            query=query,
            identifikationsmerkmal=identifikationsmerkmal,
            erstellt=datetime.now(UTC),
            nachrichten_uuid=request_id,
        )
        return self.send(serialize(self._signer.sign(root)), request_id=request_id)

    def administration(
        self,
        aktion: Aktion,
        *,
        leser: Behoerde,
        autor: Behoerde,
        stelle: AnfragendeStelle,
        kennung: str | None = None,
        neu: NutzerDaten | None = None,
        aenderung: NutzerAenderung | None = None,
        grund: str | None = None,
    ) -> Reply:
        """One operation of the administration service (9100 → 9101), signed with this
        client's key — an administrator's. The client's ``endpoint`` must be the service's
        ``…/administration`` URL; ``leser`` is the broker."""
        request_id = str(uuid.uuid4())
        root = build_administration_anfrage(
            aktion,
            leser=leser,
            autor=autor,
            stelle=stelle,
            erstellt=datetime.now(UTC),
            kennung=kennung,
            neu=neu,
            aenderung=aenderung,
            grund=grund,
            nachrichten_uuid=request_id,
        )
        return self.send(
            self.sign(root), request_id=request_id, soap_action=_ACTION_PREFIX + aktion.value
        )

    def protokollabruf(
        self,
        *,
        leser: Behoerde,
        autor: Behoerde,
        stelle: AnfragendeStelle,
        von: datetime | None = None,
        bis: datetime | None = None,
        fortsetzung_nach: int | None = None,
    ) -> Reply:
        """One page of the authority's sealed protocol records (9200 → 9201, § 40 Abs. 3
        BMG), signed with this client's key — a user with the role protokolleinsicht."""
        request_id = str(uuid.uuid4())
        root = build_protokollabruf(
            leser=leser,
            autor=autor,
            stelle=stelle,
            erstellt=datetime.now(UTC),
            von=von,
            bis=bis,
            fortsetzung_nach=fortsetzung_nach,
            nachrichten_uuid=request_id,
        )
        return self.send(
            self.sign(root), request_id=request_id, soap_action=_ACTION_PREFIX + "protokollAbrufen"
        )

    def verify_document(self, document: bytes) -> etree._Element:
        """A document the broker signed (a kept answer, say), verified: its trusted tree
        (ClientError when it does not verify or another certificate signed it)."""
        try:
            verified = self._verifier.verify(document)
        except SigningError as exc:
            raise ClientError(f"the document's signature does not verify: {exc}") from exc
        if verified.fingerprint_sha256 != self._broker_fingerprint:
            raise ClientError("the document is signed, but not by the broker's certificate")
        return verified.root

    def sign(self, root: etree._Element) -> bytes:
        return serialize(self._signer.sign(root))

    def send(
        self, document: bytes, *, request_id: str = "", soap_action: str | None = None
    ) -> Reply:
        """Send a signed document; return the verified reply or raise :class:`ClientError`.

        ``soap_action``: the operation's SOAPAction (default: the Personensuche's)."""
        return self.send_envelope(
            answer_envelope(document), request_id=request_id, soap_action=soap_action
        )

    def send_envelope(
        self, envelope: bytes, *, request_id: str = "", soap_action: str | None = None
    ) -> Reply:
        try:
            response = self._session.post(
                self.endpoint,
                data=envelope,
                headers={
                    "Content-Type": "text/xml; charset=utf-8",
                    "SOAPAction": f'"{soap_action}"' if soap_action else _SOAP_ACTION,
                },
                verify=str(self._ca_file),
                timeout=self._timeout,
                stream=True,  # read at most the answer limit, not whatever arrives
            )
        except requests.RequestException as exc:
            raise ClientError(f"cannot reach {self.endpoint}: {exc}") from exc
        with response:
            body = self._receive(response)
        return self._read(response.status_code, body, request_id)

    def _receive(self, response: requests.Response) -> bytes:
        limit = _REPLY_LIMITS.max_bytes
        body = bytearray()
        try:
            for chunk in response.iter_content(chunk_size=65_536):
                body += chunk
                if len(body) > limit:
                    raise ClientError(
                        f"HTTP {response.status_code}: the reply is larger than the largest "
                        f"legal answer ({limit} bytes); not read further"
                    )
        except requests.RequestException as exc:
            raise ClientError(f"the reply from {self.endpoint} broke off: {exc}") from exc
        return bytes(body)

    def _read(self, status: int, body: bytes, request_id: str) -> Reply:
        # Read with the answer limits (a full hit list of 1 000 entries fits), not with the
        # broker's request limits: this is parsed before its signature is checked.
        try:
            envelope = parse_message(body, limits=_REPLY_LIMITS)
        except MessageError as exc:
            raise ClientError(
                f"HTTP {status}: the reply cannot be read ({exc}): {body[:200]!r}"
            ) from exc
        soap_body = envelope.find(f"{{{SOAP11_NAMESPACE}}}Body")
        if soap_body is None or len(soap_body) != 1:
            raise ClientError(f"HTTP {status}: the reply is not a SOAP envelope")
        child = soap_body[0]
        fault = child.tag == f"{{{SOAP11_NAMESPACE}}}Fault"
        if fault:
            detail = child.find("detail")
            if detail is None or len(detail) != 1:
                raise ClientError(
                    f"HTTP {status}: fault without a 0910: {child.findtext('faultstring')}"
                )
            child = detail[0]
        document = etree.tostring(child, encoding="UTF-8", xml_declaration=True)
        try:
            verified = self._verifier.verify(document)
        except SigningError as exc:
            raise ClientError(f"the reply's signature does not verify: {exc}") from exc
        if verified.fingerprint_sha256 != self._broker_fingerprint:
            raise ClientError("the reply is signed, but not by the broker's certificate")
        return Reply(status, fault, verified.root, document, request_id)
