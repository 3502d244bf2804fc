"""Sign → verify round trips with MessageSigner and MessageVerifier."""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree

from datenspiegel.signing import (
    C14N_EXCLUSIVE,
    DigestAlgorithm,
    MessageSigner,
    SignatureAlgorithm,
    SigningConfigurationError,
    UnsignableDocument,
    certificate_fingerprint,
)
from tests.test_signing_support import (
    DS,
    XMELD,
    XOEV,
    Material,
    exc_c14n,
    identity_of,
    material,
    parse,
    sample_document,
    sample_root,
    serialize,
)

NS = {"ds": DS}

CASES = [
    # (material attribute, algorithm or None for the default, expected algorithm)
    ("anna", None, SignatureAlgorithm.ECDSA_SHA256),
    ("rsa3072", SignatureAlgorithm.RSA_SHA256, SignatureAlgorithm.RSA_SHA256),
    ("rsa3072", None, SignatureAlgorithm.RSA_PSS_SHA256),
    ("rsa3072", SignatureAlgorithm.RSA_PSS_SHA512, SignatureAlgorithm.RSA_PSS_SHA512),
    ("brainpool", None, SignatureAlgorithm.ECDSA_SHA256),
    ("p384", None, SignatureAlgorithm.ECDSA_SHA384),
]


@pytest.fixture(scope="module")
def m() -> Material:
    return material()


@pytest.mark.parametrize(
    ("who", "algorithm", "expected"), CASES, ids=[f"{c[0]}-{c[2].label}" for c in CASES]
)
def test_round_trip_returns_exactly_the_signed_content(
    m: Material,
    who: str,
    algorithm: SignatureAlgorithm | None,
    expected: SignatureAlgorithm,
) -> None:
    issued = getattr(m, who)
    signer = m.signer(issued, algorithm=algorithm)
    original = sample_root()

    signed = signer.sign(original)
    result = m.verifier().verify(serialize(signed))

    assert result.signature_algorithm is expected
    assert result.digest_algorithm is DigestAlgorithm.SHA256
    assert result.certificate == issued.certificate
    assert result.fingerprint_sha256 == certificate_fingerprint(issued.certificate)
    assert len(result.fingerprint_sha256) == 64
    assert result.fingerprint_sha256 == result.fingerprint_sha256.lower()
    # the verified tree is the document as signed: no signature, same canonical content
    assert result.root.find(".//ds:Signature", namespaces=NS) is None
    assert exc_c14n(result.root) == exc_c14n(original)
    assert result.root.findtext(f".//{{{XMELD}}}familienname") == "Müller-Lüdenscheidt"


def test_signature_shape_enveloped_last_child_uri_empty_exclusive_c14n(m: Material) -> None:
    original = sample_root()
    before = etree.tostring(original)
    signed = m.signer(m.anna).sign(original)

    assert etree.tostring(original) == before, "sign() must not modify its input"
    assert signed is not original
    assert signed[-1].tag == f"{{{DS}}}Signature"
    reference = signed.find("ds:Signature/ds:SignedInfo/ds:Reference", namespaces=NS)
    assert reference is not None and reference.get("URI") == ""
    transforms = [
        t.get("Algorithm") for t in reference.findall("ds:Transforms/ds:Transform", namespaces=NS)
    ]
    assert transforms == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        C14N_EXCLUSIVE,
    ]
    c14n = signed.find("ds:Signature/ds:SignedInfo/ds:CanonicalizationMethod", namespaces=NS)
    assert c14n is not None and c14n.get("Algorithm") == C14N_EXCLUSIVE
    certificate = signed.findtext(
        "ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NS
    )
    assert certificate is not None
    assert base64.b64decode("".join(certificate.split())) == m.anna.certificate.public_bytes(
        serialization.Encoding.DER
    )
    # everything before the signature is untouched, prefixes included
    assert signed.nsmap[None] == XMELD and signed.nsmap["xoev"] == XOEV


def test_reference_stays_whole_document_even_when_the_root_has_an_id(m: Material) -> None:
    root = sample_root()
    root.set("Id", "msg-1")
    signed = m.signer(m.anna).sign(root)
    reference = signed.find("ds:Signature/ds:SignedInfo/ds:Reference", namespaces=NS)
    assert reference is not None and reference.get("URI") == ""
    assert m.verifier().verify(serialize(signed)).root.get("Id") == "msg-1"


def test_sign_bytes_produces_a_verifiable_utf8_document(m: Material) -> None:
    signed = m.signer(m.anna).sign_bytes(sample_document())
    assert signed.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "Ærøskøbing".encode() in signed
    result = m.verifier().verify(signed)
    assert exc_c14n(result.root) == exc_c14n(sample_root())


def test_larger_digests_are_accepted(m: Material) -> None:
    signer = MessageSigner(identity_of(m.anna), digest=DigestAlgorithm.SHA512)
    result = m.verifier().verify(signer.sign_bytes(sample_document()))
    assert result.digest_algorithm is DigestAlgorithm.SHA512


def test_signer_sends_its_chain_and_the_verifier_uses_it(m: Material) -> None:
    identity = identity_of(m.sub_user, m.sub_ca.certificate)
    signed = MessageSigner(identity).sign_bytes(sample_document())
    certificates = parse(signed).findall(".//ds:X509Certificate", namespaces=NS)
    assert len(certificates) == 2
    assert m.verifier().verify(signed).certificate == m.sub_user.certificate


def test_comment_added_after_signing_is_not_part_of_the_verified_tree(m: Material) -> None:
    signed = m.signer(m.anna).sign(sample_root())
    signed[0].append(etree.Comment(" injected after signing "))
    result = m.verifier().verify(serialize(signed))
    assert not [node for node in result.root.iter() if isinstance(node, etree._Comment)]


def test_one_signer_and_verifier_serve_many_threads(m: Material) -> None:
    signer = m.signer(m.anna)
    verifier = m.verifier()

    def round_trip(index: int) -> str | None:
        root = sample_root()
        root.set("produkt", f"thread {index}")
        return verifier.verify(serialize(signer.sign(root))).root.get("produkt")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(round_trip, range(24)))
    assert results == [f"thread {i}" for i in range(24)]


def test_already_signed_document_is_not_signed_again(m: Material) -> None:
    signed = m.signer(m.anna).sign(sample_root())
    with pytest.raises(UnsignableDocument, match="already contains a ds:Signature"):
        m.signer(m.anna).sign(signed)


def test_algorithm_must_fit_the_key(m: Material) -> None:
    with pytest.raises(SigningConfigurationError, match="does not fit"):
        MessageSigner(identity_of(m.anna), algorithm=SignatureAlgorithm.RSA_PSS_SHA256)
    with pytest.raises(SigningConfigurationError, match="does not fit"):
        MessageSigner(identity_of(m.rsa3072), algorithm=SignatureAlgorithm.ECDSA_SHA256)


SOAP = "http://schemas.xmlsoap.org/soap/envelope/"


def test_signed_answer_survives_a_trip_through_a_soap_envelope(m: Material) -> None:
    """Exclusive C14N: embedding the signed document in an envelope with other namespace
    declarations (one reusing the prefix ``xoev`` for something else) and taking it out again
    keeps the signature valid."""
    signed = MessageSigner(m.pki.broker_identity()).sign(sample_root())
    envelope = etree.Element(
        f"{{{SOAP}}}Envelope",
        nsmap={"soap": SOAP, "xoev": "urn:example:other", "ds": DS},
    )
    body = etree.SubElement(envelope, f"{{{SOAP}}}Body")
    body.append(signed)
    wire = etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")

    received = parse(wire)
    payload = received.find(f"{{{SOAP}}}Body")
    assert payload is not None
    extracted = etree.tostring(payload[0], xml_declaration=True, encoding="UTF-8")
    result = m.verifier().verify(extracted)
    assert exc_c14n(result.root) == exc_c14n(sample_root())


def test_signing_an_element_inside_a_larger_tree_signs_it_as_its_own_document(
    m: Material,
) -> None:
    envelope = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP})
    body = etree.SubElement(envelope, f"{{{SOAP}}}Body")
    body.append(sample_root())
    signed = m.signer(m.anna).sign(body[0])
    assert signed.getparent() is None
    assert len(body) == 1 and body[0].find("ds:Signature", namespaces=NS) is None
    assert m.verifier().verify(serialize(signed)).certificate == m.anna.certificate
