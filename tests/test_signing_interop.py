"""Interoperability with xmlsec1 (libxmlsec1/OpenSSL), an independent XML-DSig implementation.

Outside CI the tests skip with a message when xmlsec1 is missing; in CI (CI=true) they fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from datenspiegel.signing import (
    SignatureAlgorithm,
    SignatureInvalid,
    SignatureMissing,
)
from datenspiegel.signing.pki import CertificateFiles, write_certificates
from tests.test_signing_support import (
    XMELD,
    Material,
    exc_c14n,
    material,
    parse,
    sample_document,
    sample_root,
    serialize,
)
from tests.xmlsec1_tool import (
    require_xmlsec1,
    xmlsec1_sign,
    xmlsec1_verify,
    xmlsec1_verify_result,
)

pytestmark = pytest.mark.xmlsec1

RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"


@pytest.fixture(scope="module")
def m() -> Material:
    require_xmlsec1()
    return material()


def _files(m: Material, who: str, tmp_path_factory: pytest.TempPathFactory) -> CertificateFiles:
    """PEM files of a test identity, for xmlsec1's command line."""
    if who == "anna":
        return m.pki.users["anna.schmidt"]
    issued = getattr(m, who)
    directory = tmp_path_factory.mktemp(who)
    return issued.write(directory / "cert.pem", directory / "key.pem")


def _tamper(document: bytes) -> bytes:
    root = parse(document)
    name = root.find(f".//{{{XMELD}}}familienname")
    assert name is not None
    name.text = "Schulze"
    return serialize(root)


# -- xmlsec1 signs, MessageVerifier verifies ---------------------------------------------------


@pytest.mark.parametrize(
    ("who", "method", "expected"),
    [
        ("anna", None, SignatureAlgorithm.ECDSA_SHA256),
        ("rsa3072", RSA_SHA256, SignatureAlgorithm.RSA_SHA256),
    ],
)
def test_document_signed_by_xmlsec1_is_verified(
    m: Material,
    tmp_path_factory: pytest.TempPathFactory,
    who: str,
    method: str | None,
    expected: SignatureAlgorithm,
) -> None:
    cert, key = _files(m, who, tmp_path_factory)
    kwargs = {"signature_method": method} if method else {}
    signed = xmlsec1_sign(sample_document(), key, cert, **kwargs)

    result = m.verifier().verify(signed)

    assert result.signature_algorithm is expected
    assert result.certificate == getattr(m, who).certificate
    assert exc_c14n(result.root) == exc_c14n(sample_root())


def test_tampered_xmlsec1_document_is_rejected(
    m: Material, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cert, key = _files(m, "anna", tmp_path_factory)
    signed = xmlsec1_sign(sample_document(), key, cert)
    with pytest.raises(SignatureInvalid):
        m.verifier().verify(_tamper(signed))


def test_xmlsec1_rsa_sha1_signature_is_not_the_required_level(
    m: Material, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cert, key = _files(m, "rsa3072", tmp_path_factory)
    signed = xmlsec1_sign(
        sample_document(), key, cert, signature_method=RSA_SHA1, digest_method=SHA1
    )
    with pytest.raises(SignatureMissing, match="rsa-sha1 is not allowed") as caught:
        m.verifier().verify(signed)
    assert caught.value.code == "T010"


# -- MessageSigner signs, xmlsec1 verifies -----------------------------------------------------


@pytest.mark.parametrize(
    ("who", "algorithm"),
    [
        ("anna", None),
        ("p384", None),
        ("rsa3072", SignatureAlgorithm.RSA_SHA256),
        ("rsa3072", SignatureAlgorithm.RSA_SHA512),
    ],
)
def test_document_signed_by_message_signer_verifies_with_xmlsec1(
    m: Material,
    tmp_path_factory: pytest.TempPathFactory,
    who: str,
    algorithm: SignatureAlgorithm | None,
) -> None:
    cert, _key = _files(m, who, tmp_path_factory)
    signed = m.signer(getattr(m, who), algorithm=algorithm).sign_bytes(sample_document())

    against_ca = xmlsec1_verify_result(signed, ca_pem=m.pki.ca_cert)
    assert against_ca.ok, against_ca.output
    assert xmlsec1_verify(signed, cert_pem=cert)


def test_xmlsec1_rejects_what_it_must(m: Material, tmp_path: Path) -> None:
    """Negative controls: the helper really verifies (tampering, wrong cert, foreign CA)."""
    signed = m.signer(m.anna).sign_bytes(sample_document())
    assert not xmlsec1_verify(_tamper(signed), ca_pem=m.pki.ca_cert)
    assert not xmlsec1_verify(signed, cert_pem=m.pki.users["ben"].cert)
    foreign_ca = write_certificates(tmp_path / "foreign-ca.pem", m.foreign_ca.certificate)
    assert not xmlsec1_verify(signed, ca_pem=foreign_ca)
