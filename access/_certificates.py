"""Signing certificates of users: fingerprints and binding (private to the store)."""

from __future__ import annotations

from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from sqlalchemy import select
from sqlalchemy.engine import Connection

from datenspiegel.access._schema import certificates
from datenspiegel.access.errors import CertificateAlreadyBound, InvalidCertificate

__all__ = [
    "bind_in",
    "certificate_fingerprint",
    "check_certificate",
    "insert_certificate",
    "normalise_fingerprint",
]

_HEX = frozenset("0123456789abcdef")


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 over the certificate's DER encoding, lower-case hex (64 characters)."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def normalise_fingerprint(fingerprint: str) -> str | None:
    # Operators paste fingerprints as "AB:CD:…" from openssl; accept that spelling too.
    value = fingerprint.strip().replace(":", "").lower()
    return value if len(value) == 64 and set(value) <= _HEX else None


def check_certificate(certificate: x509.Certificate, moment: datetime) -> None:
    """An expired certificate is refused: nobody could sign with it."""
    not_after = certificate.not_valid_after_utc
    if not_after <= moment:
        raise InvalidCertificate(
            f"the certificate {certificate.subject.rfc4514_string()!r} expired on "
            f"{not_after.isoformat()}; bind a valid one"
        )


def bind_in(
    conn: Connection, user_id: int, certificate: x509.Certificate, moment: datetime
) -> tuple[str, bool]:
    """Bind within the caller's transaction; return the fingerprint and whether it is new.

    The same certificate for the same user again binds nothing; for another user it is
    refused (:class:`CertificateAlreadyBound`): one certificate identifies one user.
    """
    check_certificate(certificate, moment)
    fingerprint = certificate_fingerprint(certificate)
    owner = conn.execute(
        select(certificates.c.user_id).where(certificates.c.fingerprint == fingerprint)
    ).scalar()
    if owner == user_id:
        return fingerprint, False
    if owner is not None:
        raise CertificateAlreadyBound(f"certificate {fingerprint} is already bound to user {owner}")
    conn.execute(
        certificates.insert().values(
            fingerprint=fingerprint,
            user_id=user_id,
            subject=certificate.subject.rfc4514_string(),
            serial=format(certificate.serial_number, "x"),
            not_after=certificate.not_valid_after_utc,
            bound_at=moment,
        )
    )
    return fingerprint, True


def insert_certificate(
    conn: Connection, user_id: int, certificate: x509.Certificate, moment: datetime
) -> str:
    """Bind a certificate to a user just created in the same transaction."""
    return bind_in(conn, user_id, certificate, moment)[0]
