"""Enveloped XML-DSig signatures over a whole document (signxml, exclusive C14N)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lxml import etree
from signxml import (
    CanonicalizationMethod,
    SignatureConstructionMethod,
    SignatureMethod,
    XMLSigner,
)
from signxml import DigestAlgorithm as _SignxmlDigest
from signxml.util import namespaces

from datenspiegel.signing.algorithms import DigestAlgorithm, SignatureAlgorithm
from datenspiegel.signing.errors import SigningConfigurationError, UnsignableDocument
from datenspiegel.signing.keys import SigningIdentity
from datenspiegel.xsd import MessageError, ParserLimits, parse_message

__all__ = ["MessageSigner"]

_DS_SIGNATURE = f"{{{namespaces.ds}}}Signature"


class _WholeDocumentSigner(XMLSigner):
    """signxml's signer, but the one reference always reads ``URI=""``.

    signxml turns an ``Id``/``ID`` attribute on the document element into ``URI="#…"``; our
    verifier (and the XÖV profile) accept only ``URI=""`` — the whole document — so that no
    wrapping attack can make a verifier check one element and the application read another.
    The digest input is the same: the whole document minus the enveloped signature.
    """

    def _unpack(self, data: Any, references: Any) -> Any:
        sig_root, doc_root, c14n_inputs, refs = super()._unpack(data, references)
        return sig_root, doc_root, c14n_inputs, [replace(ref, URI="") for ref in refs]


class MessageSigner:
    """Signs XÖV documents with one identity; create once, share between threads.

    The key is loaded once (in the ``SigningIdentity``); per call only a lightweight signxml
    signer object is made, because signxml's objects keep per-call state and are not safe to
    share between threads.
    """

    __slots__ = ("_algorithm", "_certificates", "_digest", "_identity")

    def __init__(
        self,
        identity: SigningIdentity,
        *,
        algorithm: SignatureAlgorithm | None = None,
        digest: DigestAlgorithm = DigestAlgorithm.SHA256,
    ) -> None:
        chosen = algorithm if algorithm is not None else identity.default_algorithm
        if not isinstance(chosen, SignatureAlgorithm):
            raise SigningConfigurationError(f"unknown signature algorithm {chosen!r}")
        if not isinstance(digest, DigestAlgorithm):
            raise SigningConfigurationError(f"unknown digest algorithm {digest!r}")
        if not chosen.fits(identity.private_key):
            raise SigningConfigurationError(
                f"signature algorithm {chosen.label} does not fit the "
                f"{type(identity.private_key).__name__} of the signing identity"
            )
        self._identity = identity
        self._algorithm = chosen
        self._digest = digest
        self._certificates = list(identity.certificates)

    @property
    def identity(self) -> SigningIdentity:
        return self._identity

    @property
    def algorithm(self) -> SignatureAlgorithm:
        return self._algorithm

    @property
    def digest(self) -> DigestAlgorithm:
        return self._digest

    def sign(self, root: etree._Element) -> etree._Element:
        """Return a new tree: ``root`` with ``ds:Signature`` appended as its last child.

        The input tree is not modified.
        """
        if not isinstance(root, etree._Element):
            raise TypeError(f"expected an lxml element, got {type(root).__name__}")
        if root.tag == _DS_SIGNATURE or next(root.iter(_DS_SIGNATURE), None) is not None:
            raise UnsignableDocument(
                "the document already contains a ds:Signature; sign the unsigned document "
                "(one enveloped signature over the whole document)"
            )
        signer = _WholeDocumentSigner(
            method=SignatureConstructionMethod.enveloped,
            signature_algorithm=SignatureMethod(self._algorithm.value),
            digest_algorithm=_SignxmlDigest(self._digest.value),
            c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
        )
        signed: etree._Element = signer.sign(
            root, key=self._identity.private_key, cert=self._certificates
        )
        return signed

    def sign_bytes(self, document: bytes) -> bytes:
        """Parse (hardened), sign and serialise as UTF-8 with an XML declaration."""
        signed = self.sign(_parsed(document))
        return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _parsed(document: bytes) -> etree._Element:
    try:
        return parse_message(document, limits=ParserLimits.for_answer())
    except MessageError as exc:
        raise UnsignableDocument(f"cannot sign this document: {exc}") from exc
