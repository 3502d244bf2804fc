"""Algorithms allowlist, key policy, SigningIdentity loading, error codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import signxml
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from datenspiegel import signing
from datenspiegel.signing import (
    C14N_EXCLUSIVE,
    CertificateExpired,
    CertificateInvalid,
    CertificateMissing,
    CertificateProfile,
    CertificateRevoked,
    DigestAlgorithm,
    KeyKind,
    MalformedDocument,
    SignatureAlgorithm,
    SignatureInvalid,
    SignatureMissing,
    SigningConfigurationError,
    SigningError,
    SigningIdentity,
    issue_certificate,
    key_policy_violation,
)
from datenspiegel.signing.pki import generate_private_key, write_certificates, write_private_key
from tests.test_signing_support import Material, material


@pytest.fixture(scope="module")
def m() -> Material:
    return material()


# -- algorithms --------------------------------------------------------------------------------


def test_algorithm_uris() -> None:
    more = "http://www.w3.org/2001/04/xmldsig-more#"
    assert SignatureAlgorithm.ECDSA_SHA256.value == more + "ecdsa-sha256"
    assert SignatureAlgorithm.ECDSA_SHA512.value == more + "ecdsa-sha512"
    assert SignatureAlgorithm.RSA_SHA384.value == more + "rsa-sha384"
    assert (
        SignatureAlgorithm.RSA_PSS_SHA256.value
        == "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
    )
    assert DigestAlgorithm.SHA256.value == "http://www.w3.org/2001/04/xmlenc#sha256"
    assert C14N_EXCLUSIVE == "http://www.w3.org/2001/10/xml-exc-c14n#"
    # every allowed URI is one signxml implements
    for algorithm in SignatureAlgorithm:
        assert signxml.SignatureMethod(algorithm.value)
    for digest in DigestAlgorithm:
        assert signxml.DigestAlgorithm(digest.value)
    assert {a.label for a in SignatureAlgorithm} >= {"ecdsa-sha256", "rsa-pss-sha256"}


@pytest.mark.parametrize(
    "uri",
    [
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
        "http://www.w3.org/2009/xmldsig11#dsa-sha256",
        None,
    ],
)
def test_everything_else_is_below_the_required_level(uri: str | None) -> None:
    with pytest.raises(SignatureMissing) as caught:
        SignatureAlgorithm.from_uri(uri)
    assert caught.value.code == "T010"
    assert "use ecdsa-sha256 or rsa-pss-sha256" in str(caught.value)
    with pytest.raises(SignatureMissing):
        DigestAlgorithm.from_uri("http://www.w3.org/2000/09/xmldsig#sha1")


def test_key_policy() -> None:
    assert key_policy_violation(generate_private_key(KeyKind.EC_P256)) is None
    assert key_policy_violation(generate_private_key(KeyKind.EC_BRAINPOOL_P256)) is None
    assert key_policy_violation(ec.generate_private_key(ec.BrainpoolP384R1())) is None
    assert key_policy_violation(ec.generate_private_key(ec.SECP521R1()).public_key()) is None
    weak = key_policy_violation(generate_private_key(KeyKind.RSA_2048))
    assert weak is not None and "3072" in weak
    assert "secp256k1" in str(key_policy_violation(ec.generate_private_key(ec.SECP256K1())))
    assert key_policy_violation(ed25519.Ed25519PrivateKey.generate()) is not None


def test_error_codes_follow_the_0910_code_list() -> None:
    expected = {
        CertificateExpired: "T000",
        CertificateRevoked: "T001",
        CertificateInvalid: "T002",
        CertificateMissing: "T003",
        SignatureMissing: "T010",
        SignatureInvalid: "T011",
        MalformedDocument: "X000",
    }
    for error, code in expected.items():
        assert error.code == code
        assert issubclass(error, SigningError) and issubclass(error, ValueError)
    assert SigningConfigurationError.code is None
    assert set(signing.__all__) == {name for name in signing.__all__ if hasattr(signing, name)}


# -- SigningIdentity ---------------------------------------------------------------------------


def test_identity_from_development_pki_files(m: Material) -> None:
    files = m.pki.users["anna.schmidt"]
    identity = SigningIdentity.from_pem_files(files.key, files.cert)
    assert identity.certificate == m.anna.certificate
    assert identity.chain == ()
    assert identity.default_algorithm is SignatureAlgorithm.ECDSA_SHA256
    assert len(identity.fingerprint_sha256) == 64
    assert "private_key" not in repr(identity)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (KeyKind.EC_P256, SignatureAlgorithm.ECDSA_SHA256),
        (KeyKind.EC_P384, SignatureAlgorithm.ECDSA_SHA384),
        (KeyKind.EC_P521, SignatureAlgorithm.ECDSA_SHA512),
        (KeyKind.EC_BRAINPOOL_P256, SignatureAlgorithm.ECDSA_SHA256),
    ],
)
def test_default_algorithm_follows_the_curve(
    m: Material, kind: KeyKind, expected: SignatureAlgorithm
) -> None:
    issued = issue_certificate(
        "x", profile=CertificateProfile.USER, issuer=m.ca, private_key=generate_private_key(kind)
    )
    assert issued.signing_identity().default_algorithm is expected


def test_rsa_identity_defaults_to_pss(m: Material) -> None:
    identity = m.rsa3072.signing_identity()
    assert identity.default_algorithm is SignatureAlgorithm.RSA_PSS_SHA256


def test_password_protected_key_and_chain_file(m: Material, tmp_path: Path) -> None:
    key = write_private_key(tmp_path / "key.pem", m.sub_user.private_key, password=b"geheim")
    assert key.stat().st_mode & 0o777 == 0o600
    # chain file with the intermediate first: the key's certificate is found anyway
    cert = write_certificates(tmp_path / "chain.pem", m.sub_ca.certificate, m.sub_user.certificate)
    identity = SigningIdentity.from_pem_files(key, cert, password=b"geheim")
    assert identity.certificate == m.sub_user.certificate
    assert identity.chain == (m.sub_ca.certificate,)
    with pytest.raises(SigningConfigurationError, match="wrong password"):
        SigningIdentity.from_pem_files(key, cert, password=b"falsch")


def test_identity_refuses_weak_or_mismatched_keys(m: Material, tmp_path: Path) -> None:
    weak_key = write_private_key(tmp_path / "weak.pem", m.rsa2048.private_key)
    weak_cert = write_certificates(tmp_path / "weak-cert.pem", m.rsa2048.certificate)
    with pytest.raises(SigningConfigurationError, match="below the required 3072"):
        SigningIdentity.from_pem_files(weak_key, weak_cert)
    other_cert = write_certificates(tmp_path / "other.pem", m.ben.certificate)
    anna_key = m.pki.users["anna.schmidt"].key
    with pytest.raises(SigningConfigurationError, match=r"no certificate .* belongs"):
        SigningIdentity.from_pem_files(anna_key, other_cert)
    with pytest.raises(SigningConfigurationError, match="does not belong"):
        SigningIdentity(private_key=m.anna.private_key, certificate=m.ben.certificate)
    with pytest.raises(SigningConfigurationError, match="cannot read"):
        SigningIdentity.from_pem_files(tmp_path / "missing.pem", other_cert)
