"""Certificate checks: through the verifier (0910 codes) and TrustStore directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from signxml import SignatureMethod

from datenspiegel.signing import (
    CertificateExpired,
    CertificateInvalid,
    CertificateProfile,
    CertificateRevoked,
    MessageVerifier,
    SigningConfigurationError,
    SigningError,
    TrustStore,
    issue_certificate,
    revoke,
)
from datenspiegel.signing.pki import create_crl, write_certificates
from tests.test_signing_support import (
    Material,
    material,
    raw_sign,
    sample_document,
)


@pytest.fixture(scope="module")
def m() -> Material:
    return material()


def _verify_rejects(
    m: Material, document: bytes, error: type[SigningError], code: str, **kwargs: object
) -> str:
    with pytest.raises(error) as caught:
        m.verifier(**kwargs).verify(document)
    assert caught.value.code == code
    return str(caught.value)


# -- through the verifier ----------------------------------------------------------------------


def test_rsa_2048_signer_is_certificate_invalid(m: Material) -> None:
    document = raw_sign(sample_document(), m.rsa2048, method=SignatureMethod.SHA256_RSA_MGF1)
    message = _verify_rejects(m, document, CertificateInvalid, "T002")
    assert "2048 bit is below the required 3072 bit" in message


def test_expired_signer_is_t000(m: Material) -> None:
    document = raw_sign(sample_document(), m.expired)
    message = _verify_rejects(m, document, CertificateExpired, "T000")
    assert "expired on" in message and "renew" in message


def test_revoked_signer_is_t001(m: Material) -> None:
    document = raw_sign(sample_document(), m.revoked)
    message = _verify_rejects(m, document, CertificateRevoked, "T001")
    assert "revoked" in message


def test_signer_from_a_foreign_ca_is_t002(m: Material) -> None:
    document = raw_sign(sample_document(), m.foreign)
    message = _verify_rejects(m, document, CertificateInvalid, "T002")
    assert "not issued by a trusted CA" in message


def test_not_yet_valid_signer_is_t002(m: Material) -> None:
    document = raw_sign(sample_document(), m.not_yet_valid)
    assert "not valid before" in _verify_rejects(m, document, CertificateInvalid, "T002")


def test_certificate_without_signature_usage_is_t002(m: Material) -> None:
    document = raw_sign(sample_document(), m.wrong_usage)
    assert "digitalSignature" in _verify_rejects(m, document, CertificateInvalid, "T002")


def test_ca_certificate_cannot_sign_messages(m: Material) -> None:
    document = raw_sign(sample_document(), m.ca)
    assert "CA certificate" in _verify_rejects(m, document, CertificateInvalid, "T002")


def test_self_signed_user_certificate_is_t002(m: Material) -> None:
    self_signed = issue_certificate("anna.schmidt", profile=CertificateProfile.USER)
    document = raw_sign(sample_document(), self_signed)
    _verify_rejects(m, document, CertificateInvalid, "T002")


def test_foreign_certificate_with_our_ca_name_is_t002(m: Material) -> None:
    """Same issuer name as our CA, but a different key: the signature on the cert decides."""
    impostor_ca = issue_certificate("datenspiegel Entwicklungs-CA", profile=CertificateProfile.CA)
    assert impostor_ca.certificate.subject == m.ca.certificate.subject
    impostor = issue_certificate(
        "anna.schmidt", profile=CertificateProfile.USER, issuer=impostor_ca
    )
    document = raw_sign(sample_document(), impostor)
    _verify_rejects(m, document, CertificateInvalid, "T002")


def test_verifier_uses_its_clock(m: Material) -> None:
    document = m.signer(m.anna).sign_bytes(sample_document())
    in_three_years = datetime.now(UTC) + timedelta(days=3 * 365)
    _verify_rejects(m, document, CertificateExpired, "T000", clock=lambda: in_three_years)
    yesterday = datetime.now(UTC) - timedelta(days=1)
    _verify_rejects(m, document, CertificateInvalid, "T002", clock=lambda: yesterday)


def test_verifier_rejects_chain_through_unknown_intermediate(m: Material) -> None:
    """The sub-CA certificate is needed for the path; without it in KeyInfo or the store: T002."""
    document = raw_sign(sample_document(), m.sub_user)
    _verify_rejects(m, document, CertificateInvalid, "T002")
    store = TrustStore(anchors=(m.ca.certificate,), intermediates=(m.sub_ca.certificate,))
    assert MessageVerifier(store).verify(document).certificate == m.sub_user.certificate


# -- TrustStore directly -----------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def test_every_development_user_passes(m: Material) -> None:
    trust = m.trust()
    for cert in (m.anna, m.ben, m.rsa3072, m.brainpool, m.p384):
        trust.check(cert.certificate, at=_now())


def test_intermediate_path_and_its_constraints(m: Material) -> None:
    trust = m.trust()
    trust.check(m.sub_user.certificate, at=_now(), intermediates=[m.sub_ca.certificate])
    # pathLen 0 on the sub-CA: a CA below it may not issue
    deeper_ca = issue_certificate("Zu tiefe CA", profile=CertificateProfile.CA, issuer=m.sub_ca)
    deep_user = issue_certificate("tief", profile=CertificateProfile.USER, issuer=deeper_ca)
    with pytest.raises(CertificateInvalid):
        trust.check(
            deep_user.certificate,
            at=_now(),
            intermediates=[deeper_ca.certificate, m.sub_ca.certificate],
        )
    # a non-CA certificate cannot act as an intermediate
    fake_ca_user = issue_certificate("kein CA", profile=CertificateProfile.USER, issuer=m.anna)
    with pytest.raises(CertificateInvalid):
        trust.check(fake_ca_user.certificate, at=_now(), intermediates=[m.anna.certificate])


def test_expired_intermediate_is_t000(m: Material) -> None:
    old_sub = issue_certificate(
        "Alte Unter-CA",
        profile=CertificateProfile.CA,
        issuer=m.ca,
        not_before=_now() - timedelta(days=400),
        validity=timedelta(days=200),
    )
    user = issue_certificate(
        "u",
        profile=CertificateProfile.USER,
        issuer=old_sub,
        not_before=_now() - timedelta(days=1),
    )
    with pytest.raises(CertificateExpired, match="CA certificate"):
        m.trust().check(user.certificate, at=_now(), intermediates=[old_sub.certificate])


def test_revoked_intermediate_is_t001(m: Material, tmp_path: Path) -> None:
    sub = issue_certificate("Widerrufene Unter-CA", profile=CertificateProfile.CA, issuer=m.ca)
    user = issue_certificate("u", profile=CertificateProfile.USER, issuer=sub)
    crl = revoke(tmp_path / "crl.pem", ca=m.ca, serial_numbers=[sub.serial_number])
    store = TrustStore.from_pem_files([m.pki.ca_cert], crl_files=[crl])
    store.check(m.anna.certificate, at=_now())
    with pytest.raises(CertificateRevoked):
        store.check(user.certificate, at=_now(), intermediates=[sub.certificate])


def test_newest_crl_wins_and_stale_crl_fails_closed(m: Material) -> None:
    old = create_crl(m.ca, [], at=_now() - timedelta(days=10), validity=timedelta(days=30))
    new = create_crl(m.ca, [m.ben.serial_number], at=_now(), validity=timedelta(days=30))
    store = TrustStore(anchors=(m.ca.certificate,), crls=(old, new))
    with pytest.raises(CertificateRevoked):
        store.check(m.ben.certificate, at=_now())
    stale = TrustStore(anchors=(m.ca.certificate,), crls=(old,))
    stale.check(m.anna.certificate, at=_now())
    with pytest.raises(CertificateInvalid, match=r"CRL .* expired"):
        stale.check(m.anna.certificate, at=_now() + timedelta(days=25))


def test_without_a_crl_revocation_is_not_checked(m: Material) -> None:
    TrustStore(anchors=(m.ca.certificate,)).check(m.revoked.certificate, at=_now())


def test_timestamp_must_be_timezone_aware(m: Material) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        m.trust().check(m.anna.certificate, at=datetime.now())


def test_configuration_errors(m: Material, tmp_path: Path) -> None:
    with pytest.raises(SigningConfigurationError, match="at least one trust anchor"):
        TrustStore(anchors=())
    with pytest.raises(SigningConfigurationError, match="not a CA certificate"):
        TrustStore(anchors=(m.anna.certificate,))
    foreign_crl = create_crl(m.foreign_ca, [])
    with pytest.raises(SigningConfigurationError, match="not signed by any configured"):
        TrustStore(anchors=(m.ca.certificate,), crls=(foreign_crl,))
    empty = tmp_path / "empty.pem"
    empty.write_text("")
    with pytest.raises(SigningConfigurationError, match="no readable PEM certificate"):
        TrustStore.from_pem_files([empty])
    with pytest.raises(SigningConfigurationError, match="cannot read"):
        TrustStore.from_pem_files([tmp_path / "missing.pem"])
    garbage = tmp_path / "garbage.crl"
    garbage.write_bytes(b"\x00garbage")
    with pytest.raises(SigningConfigurationError, match="not a readable CRL"):
        TrustStore.from_pem_files([m.pki.ca_cert], crl_files=[garbage])


def test_from_pem_files_reads_several_anchors_and_der_crls(m: Material, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    bundle = write_certificates(
        tmp_path / "anchors.pem", m.ca.certificate, m.foreign_ca.certificate
    )
    der_crl = tmp_path / "crl.der"
    der_crl.write_bytes(
        create_crl(m.foreign_ca, [m.foreign.serial_number]).public_bytes(serialization.Encoding.DER)
    )
    store = TrustStore.from_pem_files([bundle], crl_files=[der_crl])
    assert len(store.anchors) == 2
    store.check(m.anna.certificate, at=_now())
    with pytest.raises(CertificateRevoked):
        store.check(m.foreign.certificate, at=_now())


def test_unknown_critical_extension_is_refused(m: Material) -> None:
    from cryptography.hazmat.primitives import hashes

    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "odd")]))
        .issuer_name(m.ca.certificate.subject)
        .public_key(m.anna.private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - timedelta(minutes=1))
        .not_valid_after(_now() + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            m.anna.certificate.extensions.get_extension_for_class(x509.KeyUsage).value,
            critical=True,
        )
        .add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.99999.1"), b"\x05\x00"),
            critical=True,
        )
    )
    odd = builder.sign(m.ca.private_key, hashes.SHA384())
    with pytest.raises(CertificateInvalid, match="critical extension"):
        m.trust().check(odd, at=_now())
