"""The broker's (or a test client's) signing identity: private key, certificate, chain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from datenspiegel.signing.algorithms import (
    SignatureAlgorithm,
    default_signature_algorithm,
    key_policy_violation,
)
from datenspiegel.signing.certificates import (
    certificate_fingerprint,
    describe_certificate,
    load_pem_certificates,
)
from datenspiegel.signing.errors import SigningConfigurationError

__all__ = ["PrivateKey", "SigningIdentity"]

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _public_der(key: object) -> bytes:
    assert isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
    return key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@dataclass(frozen=True, slots=True)
class SigningIdentity:
    """A private key with its certificate and the intermediates to send along.

    Built once at start-up: the key is loaded and checked here, never per message.
    """

    private_key: PrivateKey = field(repr=False)
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    def __post_init__(self) -> None:
        problem = key_policy_violation(self.private_key)
        if problem is not None:
            raise SigningConfigurationError(f"signing key refused: {problem}")
        if _public_der(self.private_key.public_key()) != _public_der(self.certificate.public_key()):
            raise SigningConfigurationError(
                f"the private key does not belong to certificate "
                f"{describe_certificate(self.certificate)}; check the key/cert file pair"
            )

    @classmethod
    def from_pem_files(
        cls, key_path: Path, cert_path: Path, *, password: bytes | None = None
    ) -> SigningIdentity:
        """Load a PEM private key and a PEM file with the certificate (+ intermediates).

        The certificate belonging to the key may stand anywhere in the file; the others are
        sent along as chain in ``KeyInfo`` in file order.
        """
        try:
            key_data = Path(key_path).read_bytes()
        except OSError as exc:
            raise SigningConfigurationError(f"cannot read private key {key_path}: {exc}") from exc
        try:
            key = serialization.load_pem_private_key(key_data, password=password)
        except (ValueError, TypeError) as exc:
            raise SigningConfigurationError(
                f"cannot load private key {key_path}: {exc} (wrong password or not a PEM key?)"
            ) from exc
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise SigningConfigurationError(
                f"signing key refused: {key_policy_violation(key)} ({key_path})"
            )
        certificates = load_pem_certificates(Path(cert_path))
        own = _public_der(key.public_key())
        matching = [c for c in certificates if _public_der(c.public_key()) == own]
        if not matching:
            raise SigningConfigurationError(
                f"no certificate in {cert_path} belongs to the private key {key_path}"
            )
        leaf = matching[0]
        chain = tuple(c for c in certificates if c is not leaf)
        return cls(private_key=key, certificate=leaf, chain=chain)

    @property
    def default_algorithm(self) -> SignatureAlgorithm:
        """ECDSA-SHA256 for P-256 (larger curves: matching SHA-2), RSA-PSS-SHA256 for RSA."""
        return default_signature_algorithm(self.private_key)

    @property
    def fingerprint_sha256(self) -> str:
        return certificate_fingerprint(self.certificate)

    @property
    def certificates(self) -> Sequence[x509.Certificate]:
        """Signer certificate first, then the chain: what goes into ``KeyInfo/X509Data``."""
        return (self.certificate, *self.chain)
