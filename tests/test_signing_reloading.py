"""A replaced CRL or broker key takes effect without a restart; a broken replacement keeps
the old one."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from datenspiegel.signing import (
    CertificateProfile,
    CertificateRevoked,
    MessageSigner,
    ReloadingSigner,
    ReloadingVerifier,
    SigningConfigurationError,
    SigningError,
    TrustStore,
    create_development_pki,
    issue_certificate,
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


def test_an_anchor_replaced_by_one_without_crl_is_refused_when_crls_are_required(
    tmp_path: Path,
) -> None:
    """Revocation on by default holds for live reloads too, not only at start (issue 6)."""
    pki = create_development_pki(tmp_path / "pki", users=["alice"])
    other = create_development_pki(tmp_path / "other", users=["bob"])
    alice = MessageSigner(pki.user_identity("alice")).sign_bytes(DOCUMENT)
    bob = MessageSigner(other.user_identity("bob")).sign_bytes(DOCUMENT)
    clock = _Clock()
    verifier = ReloadingVerifier(
        [pki.ca_cert], crls=[pki.crl], interval=1, monotonic=clock, require_crl=True
    )
    pki.ca_cert.write_bytes(other.ca_cert.read_bytes())  # a CA whose CRL is not configured
    clock.now = 5
    assert verifier.verify(alice)  # refused reload: the previous trust stays in force
    with pytest.raises(SigningError):
        verifier.verify(bob)


def test_a_trust_store_requiring_crls_refuses_an_anchor_without_one(tmp_path: Path) -> None:
    pki = create_development_pki(tmp_path / "pki", users=[])
    assert TrustStore.from_pem_files([pki.ca_cert], crl_files=[pki.crl], require_crl=True)
    with pytest.raises(SigningConfigurationError, match="no CRL for trust anchor"):
        TrustStore.from_pem_files([pki.ca_cert], require_crl=True)


def test_a_renewed_broker_key_signs_the_next_answers(tmp_path: Path) -> None:
    """The broker's signing key and certificate are renewed by replacing their files (issue 8,
    point 4): answers are signed with the new identity after the interval, without a restart;
    a broken replacement keeps the previous identity in force."""
    pki = create_development_pki(tmp_path / "pki", users=["alice"])
    clock = _Clock()
    signer = ReloadingSigner(pki.broker_key, pki.broker_cert, interval=60, monotonic=clock)
    verifier = ReloadingVerifier([pki.ca_cert], crls=[pki.crl])
    document = etree.fromstring(DOCUMENT)
    first = verifier.verify(signer.sign(document)).certificate
    renewed = issue_certificate(
        "Melderegisterdatenspiegel (erneuert)",
        profile=CertificateProfile.SIGNING,
        issuer=pki.load_ca(),
    )
    renewed.write(pki.broker_cert, pki.broker_key)
    clock.now = 30
    assert verifier.verify(signer.sign(document)).certificate == first  # within the interval
    clock.now = 61
    second = verifier.verify(signer.sign(document)).certificate
    assert second == renewed.certificate != first
    assert signer.reloads == 1
    pki.broker_key.write_text("half-written")
    clock.now = 122
    assert verifier.verify(signer.sign(document)).certificate == renewed.certificate
    assert signer.reloads == 1
