"""Allowlists of XML-DSig algorithms and the key policy (BSI TR-02102 / TR-03116-4, 2025/26).

Everything not listed here is refused: SHA-1 in any form, SHA-224, DSA, HMAC, inclusive C14N,
RSA below 3072 bit, curves outside NIST P-256/384/521 and brainpool P256r1/P384r1/P512r1.
"""

from __future__ import annotations

from enum import Enum

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from datenspiegel.signing.errors import SignatureMissing

__all__ = [
    "ALLOWED_CURVES",
    "C14N_EXCLUSIVE",
    "ENVELOPED_SIGNATURE",
    "MIN_RSA_BITS",
    "DigestAlgorithm",
    "SignatureAlgorithm",
    "default_signature_algorithm",
    "key_policy_violation",
]

C14N_EXCLUSIVE = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

MIN_RSA_BITS = 3072
#: curve name (as ``cryptography`` spells it) → bit size, for the default-algorithm choice.
ALLOWED_CURVES: dict[str, int] = {
    "secp256r1": 256,
    "secp384r1": 384,
    "secp521r1": 521,
    "brainpoolP256r1": 256,
    "brainpoolP384r1": 384,
    "brainpoolP512r1": 512,
}

_XMLDSIG_MORE = "http://www.w3.org/2001/04/xmldsig-more#"
_XMLDSIG_MORE_2007 = "http://www.w3.org/2007/05/xmldsig-more#"


def _uri_name(uri: str | None) -> str:
    """The short name a person recognises (``rsa-sha1``) from an algorithm URI."""
    if not uri:
        return "(none)"
    return uri.rsplit("#", 1)[-1] or uri


class DigestAlgorithm(Enum):
    """Reference digest algorithms we accept and produce."""

    SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
    SHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
    SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_uri(cls, uri: str | None) -> DigestAlgorithm:
        """The allowed digest for ``uri``; anything else is below the required level (T010)."""
        for member in cls:
            if member.value == uri:
                return member
        raise SignatureMissing(
            f"digest algorithm {_uri_name(uri)} is not allowed; use sha256, sha384 or sha512"
        )


class SignatureAlgorithm(Enum):
    """Signature algorithms we accept and produce, by their XML-DSig URI."""

    ECDSA_SHA256 = _XMLDSIG_MORE + "ecdsa-sha256"
    ECDSA_SHA384 = _XMLDSIG_MORE + "ecdsa-sha384"
    ECDSA_SHA512 = _XMLDSIG_MORE + "ecdsa-sha512"
    RSA_SHA256 = _XMLDSIG_MORE + "rsa-sha256"
    RSA_SHA384 = _XMLDSIG_MORE + "rsa-sha384"
    RSA_SHA512 = _XMLDSIG_MORE + "rsa-sha512"
    RSA_PSS_SHA256 = _XMLDSIG_MORE_2007 + "sha256-rsa-MGF1"
    RSA_PSS_SHA384 = _XMLDSIG_MORE_2007 + "sha384-rsa-MGF1"
    RSA_PSS_SHA512 = _XMLDSIG_MORE_2007 + "sha512-rsa-MGF1"

    @property
    def label(self) -> str:
        """Short name for messages and logs, e.g. ``ecdsa-sha256``, ``rsa-pss-sha256``."""
        return self.name.lower().replace("_", "-")

    @property
    def is_ecdsa(self) -> bool:
        return self.name.startswith("ECDSA_")

    @property
    def is_rsa(self) -> bool:
        return self.name.startswith("RSA_")

    @property
    def hash_algorithm(self) -> hashes.HashAlgorithm:
        bits = self.name.rsplit("SHA", 1)[1]
        return {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[bits]

    @classmethod
    def from_uri(cls, uri: str | None) -> SignatureAlgorithm:
        """The allowed algorithm for ``uri``; anything else is below the required level (T010)."""
        for member in cls:
            if member.value == uri:
                return member
        raise SignatureMissing(
            f"signature algorithm {_uri_name(uri)} is not allowed; "
            "use ecdsa-sha256 or rsa-pss-sha256 (or another SHA-2 ECDSA/RSA algorithm)"
        )

    def fits(self, key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey | object) -> bool:
        """Whether this algorithm can be used with ``key`` (public or private)."""
        if self.is_ecdsa:
            return isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey)
        return isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey)


def key_policy_violation(key: object) -> str | None:
    """Why ``key`` (public or private) is not acceptable, or ``None`` when it is."""
    if isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            return (
                f"RSA key of {key.key_size} bit is below the required {MIN_RSA_BITS} bit "
                "(BSI TR-02102); issue a new key of at least 3072 bit or use ECDSA P-256"
            )
        return None
    if isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey):
        if key.curve.name not in ALLOWED_CURVES:
            allowed = ", ".join(ALLOWED_CURVES)
            return f"elliptic curve {key.curve.name} is not allowed; use one of {allowed}"
        return None
    return (
        f"key type {type(key).__name__} is not allowed; use RSA (>= {MIN_RSA_BITS} bit) "
        "or ECDSA on P-256/P-384/P-521 or brainpool"
    )


def default_signature_algorithm(key: object) -> SignatureAlgorithm:
    """ECDSA with the hash matching the curve size; RSASSA-PSS-SHA256 for RSA (BSI preference)."""
    if isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey):
        bits = ALLOWED_CURVES.get(key.curve.name, 256)
        if bits > 384:
            return SignatureAlgorithm.ECDSA_SHA512
        if bits > 256:
            return SignatureAlgorithm.ECDSA_SHA384
        return SignatureAlgorithm.ECDSA_SHA256
    return SignatureAlgorithm.RSA_PSS_SHA256
