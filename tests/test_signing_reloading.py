"""A replaced CRL takes effect without a restart; a broken replacement keeps the old trust."""

from __future__ import annotations

from pathlib import Path

import pytest

from datenspiegel.signing import (
    CertificateRevoked,
    MessageSigner,
    ReloadingVerifier,
    create_development_pki,
    load_pem_certificates,
    revoke,
)

DOCUMENT = b'<r xmlns="urn:example"><a>1</a></r>'


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_revocation_is_picked_up_after_the_interval(tmp_path: Path) -> None:
    pki = create_development_pki(tmp_path / "pki", users=["alice"])
    signed = MessageSigner(pki.user_identity("alice")).sign_bytes(DOCUMENT)
    clock = _Clock()
    verifier = ReloadingVerifier([pki.ca_cert], crls=[pki.crl], interval=60, monotonic=clock)
    assert verifier.verify(signed).fingerprint_sha256

    serial = load_pem_certificates(pki.users["alice"].cert)[0].serial_number
    revoke(pki.crl, ca=pki.load_ca(), serial_numbers=[serial])
    clock.now = 30
    assert verifier.verify(signed)  # not yet looked at again: within the interval
    clock.now = 61
    with pytest.raises(CertificateRevoked):
        verifier.verify(signed)


def test_unreadable_replacement_keeps_the_previous_trust(tmp_path: Path) -> None:
    pki = create_development_pki(tmp_path / "pki", users=["alice"])
    signed = MessageSigner(pki.user_identity("alice")).sign_bytes(DOCUMENT)
    clock = _Clock()
    verifier = ReloadingVerifier([pki.ca_cert], crls=[pki.crl], interval=1, monotonic=clock)
    pki.crl.write_text("-----BEGIN X509 CRL-----\nbroken\n")
    clock.now = 5
    assert verifier.verify(signed)  # logged, previous trust store still in force
