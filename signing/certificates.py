"""Small helpers around X.509 certificates shared by keys, trust and verifier."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from datenspiegel.signing.errors import SigningConfigurationError

__all__ = ["certificate_fingerprint", "describe_certificate", "load_pem_certificates"]


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 over the DER encoding, lower-case hex: the identity ``access`` registers."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def describe_certificate(certificate: x509.Certificate) -> str:
    """Subject and serial, enough for a person to find the certificate in question."""
    return f"{certificate.subject.rfc4514_string()!r} (serial {certificate.serial_number:#x})"


def load_pem_certificates(path: Path) -> list[x509.Certificate]:
    """All certificates of a PEM file, in file order; an empty or unreadable file is an error."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningConfigurationError(f"cannot read certificate file {path}: {exc}") from exc
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise SigningConfigurationError(
            f"{path} holds no readable PEM certificate ({exc}); expected "
            "'-----BEGIN CERTIFICATE-----' blocks"
        ) from exc
    return certificates
