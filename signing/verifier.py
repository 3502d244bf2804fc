"""Verification of the one enveloped XML-DSig signature over a whole XÖV document.

Before signxml sees the document we check its shape ourselves: exactly one ``ds:Signature``,
a child of the document element, exactly one ``Reference`` with ``URI=""``, the transforms
enveloped-signature + exclusive C14N, allowlisted algorithms, a certificate in ``KeyInfo``.
Anything else (``#id`` references, XPath/XSLT transforms, extra references, signatures
elsewhere) is how wrapping attacks start, and an XÖV signature never needs it. The certificate
is checked by the ``TrustStore``; signxml then verifies with exactly that certificate, and
the caller gets only the tree signxml rebuilt from the signed bytes.

All of this runs before the signature is checked, so an unauthenticated sender controls its
input: the number of certificates is bounded before any is decoded and the path search is
bounded (``VerificationPolicy``). Before those bounds, ten CA certificates in ``KeyInfo`` that
all issued one another cost 22 s of CPU per request.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import cryptography.exceptions
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from lxml import etree
from signxml import DigestAlgorithm as _SignxmlDigest
from signxml import (
    InvalidCertificate,
    InvalidDigest,
    InvalidInput,
    InvalidSignature,
    SignatureConfiguration,
    SignatureMethod,
    VerifyResult,
    XMLVerifier,
)
from signxml.exceptions import SignXMLException
from signxml.util import namespaces

from datenspiegel.signing.algorithms import (
    C14N_EXCLUSIVE,
    ENVELOPED_SIGNATURE,
    DigestAlgorithm,
    SignatureAlgorithm,
)
from datenspiegel.signing.certificates import certificate_fingerprint
from datenspiegel.signing.errors import (
    CertificateInvalid,
    CertificateMissing,
    MalformedDocument,
    SignatureInvalid,
    SignatureMissing,
    SigningConfigurationError,
)
from datenspiegel.signing.trust import DEFAULT_MAX_PATH_CHECKS, TrustStore
from datenspiegel.xsd import MessageError, ParserLimits, parse_message
from datenspiegel.xsd.parsing import hardened_parser

__all__ = ["MessageVerifier", "VerificationPolicy", "VerifiedMessage", "now_utc"]

#: Documents given as bytes are what clients verify: answers, up to a hit list of 1 000
#: persons, which is larger than the request limit of the service. Requests reach the verifier
#: as elements, already parsed with the request limits.
_DOCUMENT_LIMITS = ParserLimits.for_answer()

_DS = namespaces.ds
_NS = {"ds": _DS}
_SIGNATURE = f"{{{_DS}}}Signature"
_ALLOWED_SIGNATURE_CHILDREN = frozenset(
    f"{{{_DS}}}{name}" for name in ("SignedInfo", "SignatureValue", "KeyInfo")
)
_TRANSFORMS = (ENVELOPED_SIGNATURE, C14N_EXCLUSIVE)

_BASE_CONFIG = SignatureConfiguration(
    require_x509=True,
    location="./",  # the signature is a direct child of the document element
    expect_references=1,
    signature_methods=frozenset(SignatureMethod(a.value) for a in SignatureAlgorithm),
    digest_algorithms=frozenset(_SignxmlDigest(d.value) for d in DigestAlgorithm),
    ignore_ambiguous_key_info=False,
)


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class VerificationPolicy:
    """Limits on what a sender may make the verifier do before its signature is checked.

    Everything before the signature check is unauthenticated work, so each limit bounds the
    CPU one request can cost. The defaults are the secure choice; raise them only for a PKI
    that needs it.
    """

    max_certificates: int = 4
    """Most ``ds:X509Certificate`` elements accepted in ``KeyInfo`` — the signer certificate
    and its intermediates (a root may come along). Counted before any is decoded; more is
    refused with T002."""

    max_path_checks: int = DEFAULT_MAX_PATH_CHECKS
    """Most issuer candidates (each a signature verification) one path search may try. A
    real path needs one per link; beyond the limit the certificate is refused with T002."""

    def __post_init__(self) -> None:
        for name in ("max_certificates", "max_path_checks"):
            if getattr(self, name) < 1:
                raise SigningConfigurationError(f"VerificationPolicy.{name} must be at least 1")


@dataclass(frozen=True, slots=True)
class VerifiedMessage:
    """What a verification vouches for. ``root`` is the signed content and nothing else."""

    root: etree._Element
    certificate: x509.Certificate
    fingerprint_sha256: str
    signature_algorithm: SignatureAlgorithm
    digest_algorithm: DigestAlgorithm


@dataclass(frozen=True, slots=True)
class _SignatureShape:
    algorithm: SignatureAlgorithm
    digest: DigestAlgorithm
    signer: x509.Certificate
    others: tuple[x509.Certificate, ...]


def _algorithm_of(element: etree._Element | None) -> str | None:
    return None if element is None else element.get("Algorithm")


def _only(parent: etree._Element, path: str, what: str) -> etree._Element:
    found = parent.findall(path, namespaces=_NS)
    if len(found) != 1:
        raise SignatureInvalid(f"the signature must contain exactly one {what}, found {len(found)}")
    return found[0]


def _find_signature(root: etree._Element) -> etree._Element:
    signatures = list(root.iter(_SIGNATURE))
    if not signatures:
        raise SignatureMissing(
            "the message carries no ds:Signature; sign the whole document with one enveloped "
            'XML signature (Reference URI="")'
        )
    if len(signatures) > 1:
        raise SignatureInvalid(
            f"the message carries {len(signatures)} ds:Signature elements; exactly one "
            "enveloped signature over the whole document is accepted"
        )
    signature = signatures[0]
    if signature.getparent() is not root:
        raise SignatureInvalid(
            "the ds:Signature must be a direct child of the document element "
            "(enveloped signature over the whole document)"
        )
    for child in signature.iterchildren(tag=etree.Element):
        if child.tag not in _ALLOWED_SIGNATURE_CHILDREN:
            raise SignatureInvalid(
                f"unexpected element {child.tag} in ds:Signature; only SignedInfo, "
                "SignatureValue and KeyInfo are accepted"
            )
    return signature


def _check_reference(signed_info: etree._Element) -> DigestAlgorithm:
    references = signed_info.findall("ds:Reference", namespaces=_NS)
    if len(references) != 1:
        raise SignatureInvalid(
            f'the signature has {len(references)} references; exactly one (URI="", the whole '
            "document) is accepted"
        )
    reference = references[0]
    uri = reference.get("URI")
    if uri != "":
        shown = "(none)" if uri is None else repr(uri)
        raise SignatureInvalid(
            f'reference URI {shown} is not accepted; sign the whole document (URI="")'
        )
    transforms = [
        _algorithm_of(t) for t in reference.findall("ds:Transforms/ds:Transform", namespaces=_NS)
    ]
    for algorithm in transforms:
        if algorithm not in _TRANSFORMS:
            raise SignatureMissing(
                f"transform {algorithm} is not allowed; use enveloped-signature followed by "
                "exclusive C14N"
            )
    if tuple(transforms) != _TRANSFORMS:
        raise SignatureInvalid(
            "the reference must have exactly the transforms enveloped-signature and exclusive "
            f"C14N, in that order; found {transforms}"
        )
    return DigestAlgorithm.from_uri(
        _algorithm_of(_only(reference, "ds:DigestMethod", "DigestMethod"))
    )


def _certificates(signature: etree._Element, *, limit: int) -> list[x509.Certificate]:
    elements = signature.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=_NS)
    if not elements:
        raise CertificateMissing(
            "the signature carries no certificate; include the signer certificate in "
            "ds:KeyInfo/ds:X509Data/ds:X509Certificate"
        )
    if len(elements) > limit:
        raise CertificateInvalid(
            f"the signature carries {len(elements)} certificates; at most {limit} are "
            "accepted: send the signer certificate and its intermediates only"
        )
    return [_decode(element) for element in elements]


def _decode(element: etree._Element) -> x509.Certificate:
    """Decode fully now — extensions, key and signature algorithm are parsed lazily, and a
    malformed one must be T002 here rather than a ``ValueError`` deep in the path search."""
    text = "".join((element.text or "").split())
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(text))
        certificate.extensions  # noqa: B018
        certificate.public_key()
        certificate.signature_hash_algorithm  # noqa: B018
    except (ValueError, binascii.Error, UnsupportedAlgorithm) as exc:
        raise CertificateInvalid(
            f"the certificate in ds:X509Certificate cannot be read: {exc}"
        ) from exc
    return certificate


def _choose_signer(
    certificates: list[x509.Certificate],
    is_known_signer: Callable[[x509.Certificate], bool] | None,
) -> x509.Certificate:
    """The end-entity certificate ``is_known_signer`` recognises, else the first one.

    A sender may include more than one end-entity certificate; the one registered for a
    user is the one worth checking. Choosing wrongly cannot forge anything — the signature
    must still verify with the chosen certificate — it only picks which check to run.
    """
    end_entities = [c for c in certificates if not _claims_ca(c)]
    if is_known_signer is not None and len(end_entities) > 1:
        for candidate in end_entities:
            if is_known_signer(candidate):
                return candidate
    return end_entities[0] if end_entities else certificates[0]


def _inspect(
    root: etree._Element,
    *,
    policy: VerificationPolicy,
    is_known_signer: Callable[[x509.Certificate], bool] | None,
) -> _SignatureShape:
    signature = _find_signature(root)
    signed_info = _only(signature, "ds:SignedInfo", "SignedInfo")
    c14n = _algorithm_of(_only(signed_info, "ds:CanonicalizationMethod", "CanonicalizationMethod"))
    if c14n != C14N_EXCLUSIVE:
        raise SignatureMissing(
            f"canonicalization {c14n} is not allowed; use exclusive C14N ({C14N_EXCLUSIVE})"
        )
    algorithm = SignatureAlgorithm.from_uri(
        _algorithm_of(_only(signed_info, "ds:SignatureMethod", "SignatureMethod"))
    )
    digest = _check_reference(signed_info)
    certificates = _certificates(signature, limit=policy.max_certificates)
    signer = _choose_signer(certificates, is_known_signer)
    others = tuple(c for c in certificates if c is not signer)
    return _SignatureShape(algorithm=algorithm, digest=digest, signer=signer, others=others)


def _parsed(document: bytes | etree._Element) -> etree._Element:
    if isinstance(document, etree._Element):
        return document
    if not isinstance(document, (bytes, bytearray)):
        raise TypeError(f"expected the document as bytes or an element, got {type(document)}")
    try:
        return parse_message(bytes(document), limits=_DOCUMENT_LIMITS)
    except MessageError as exc:
        raise MalformedDocument(f"the message is refused: {exc}") from exc


def _claims_ca(cert: x509.Certificate) -> bool:
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return False
    return constraints.ca


class MessageVerifier:
    """Verifies signed XÖV documents against a trust store; create once, share between threads.

    signxml's verifier keeps per-call state, so a fresh one is made per call (it is cheap).
    """

    __slots__ = ("_clock", "_policy", "_trust")

    def __init__(
        self,
        trust: TrustStore,
        *,
        clock: Callable[[], datetime] = now_utc,
        policy: VerificationPolicy = VerificationPolicy(),
    ) -> None:
        self._trust = trust
        self._clock = clock
        self._policy = policy

    @property
    def trust(self) -> TrustStore:
        return self._trust

    @property
    def policy(self) -> VerificationPolicy:
        return self._policy

    def verify(
        self,
        document: bytes | etree._Element,
        *,
        is_known_signer: Callable[[x509.Certificate], bool] | None = None,
    ) -> VerifiedMessage:
        """Verify ``document`` or raise a ``SigningError`` carrying the 0910 code.

        ``document`` is the message as bytes (parsed here with the one hardened parser) or
        as the element the caller's hardened parse produced — the SOAP layer passes the body's
        message element, so the request is not parsed again. signxml serialises and re-reads
        what it is given (exclusive C14N makes the enclosing envelope irrelevant); only the
        tree it rebuilt from the signed bytes is returned.

        ``is_known_signer`` picks the signer when ``KeyInfo`` holds several end-entity
        certificates: the first it returns ``True`` for (e.g. one registered for a user),
        else the first end-entity certificate. It is consulted only then (not for the usual
        single one), at most ``max_certificates`` times, before any signature is checked;
        what it raises propagates.
        """
        at = self._clock()
        root = _parsed(document)
        shape = _inspect(root, policy=self._policy, is_known_signer=is_known_signer)
        self._trust.check(
            shape.signer,
            at=at,
            intermediates=shape.others,
            max_path_checks=self._policy.max_path_checks,
        )
        result = self._verify_signature(root, shape.signer, at=at)
        if result.signed_xml is None:
            raise SignatureInvalid("the signed content is not an XML document")
        return VerifiedMessage(
            root=result.signed_xml,
            certificate=shape.signer,
            fingerprint_sha256=certificate_fingerprint(shape.signer),
            signature_algorithm=shape.algorithm,
            digest_algorithm=shape.digest,
        )

    @staticmethod
    def _verify_signature(
        document: etree._Element, certificate: x509.Certificate, *, at: datetime
    ) -> VerifyResult:
        config = replace(_BASE_CONFIG, verification_time=at)
        try:
            result = XMLVerifier().verify(
                document, x509_cert=certificate, parser=hardened_parser(), expect_config=config
            )
        except InvalidCertificate as exc:
            raise CertificateInvalid(f"signer certificate rejected: {exc}") from exc
        except InvalidDigest as exc:
            raise SignatureInvalid(
                f"the document was changed after signing ({exc}); integrity violated"
            ) from exc
        except (InvalidSignature, cryptography.exceptions.InvalidSignature) as exc:
            raise SignatureInvalid(
                f"the signature value does not verify with the signer certificate ({exc})"
            ) from exc
        except etree.DocumentInvalid as exc:
            raise SignatureInvalid(
                f"ds:Signature does not follow the XML-DSig schema: {exc}"
            ) from exc
        except (InvalidInput, SignXMLException, ValueError) as exc:
            raise SignatureInvalid(f"the signature cannot be verified: {exc}") from exc
        if not isinstance(result, VerifyResult):
            raise SignatureInvalid("the signature must have exactly one reference")
        return result
