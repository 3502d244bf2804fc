"""What MessageVerifier must refuse: tampering, missing/partial signatures, wrapping attacks,
weak algorithms, certificate games in KeyInfo, DTDs and entities."""

from __future__ import annotations

import base64
import copy
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import CanonicalizationMethod, SignatureMethod, VerifyResult, XMLVerifier
from signxml import DigestAlgorithm as SignxmlDigest

from datenspiegel.signing import (
    CertificateInvalid,
    CertificateMissing,
    MalformedDocument,
    SignatureInvalid,
    SignatureMissing,
    SigningError,
)
from tests.test_signing_support import (
    DS,
    XMELD,
    Material,
    material,
    parse,
    raw_sign,
    sample_document,
    serialize,
)

NS = {"ds": DS, "m": XMELD}


@pytest.fixture(scope="module")
def m() -> Material:
    return material()


@pytest.fixture(scope="module")
def signed(m: Material) -> bytes:
    """A correctly signed request of the user anna."""
    return m.signer(m.anna).sign_bytes(sample_document())


def _reject(m: Material, document: bytes, error: type[SigningError], code: str) -> SigningError:
    with pytest.raises(error) as caught:
        m.verifier().verify(document)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    return caught.value


def _one(parent: etree._Element, path: str) -> etree._Element:
    found = parent.find(path, namespaces=NS)
    assert found is not None, path
    return found


def _edit(document: bytes, change: Callable[[etree._Element], None]) -> bytes:
    root = parse(document)
    change(root)
    return serialize(root)


def test_untouched_document_verifies(m: Material, signed: bytes) -> None:
    assert m.verifier().verify(signed).certificate == m.anna.certificate


# -- integrity ---------------------------------------------------------------------------------


def test_changed_text_node_is_signature_invalid(m: Material, signed: bytes) -> None:
    def change(root: etree._Element) -> None:
        name = root.find(".//m:familienname", namespaces=NS)
        assert name is not None
        name.text = "Mueller-Luedenscheidt"

    error = _reject(m, _edit(signed, change), SignatureInvalid, "T011")
    assert "changed after signing" in str(error)


def test_changed_attribute_is_signature_invalid(m: Material, signed: bytes) -> None:
    def change(root: etree._Element) -> None:
        root.set("produkt", "Anderes Verfahren")

    _reject(m, _edit(signed, change), SignatureInvalid, "T011")


def test_changed_signature_value_is_signature_invalid(m: Material, signed: bytes) -> None:
    def change(root: etree._Element) -> None:
        value = root.find("ds:Signature/ds:SignatureValue", namespaces=NS)
        assert value is not None and value.text is not None
        raw = bytearray(base64.b64decode(value.text))
        raw[5] ^= 0x01
        value.text = base64.b64encode(bytes(raw)).decode()

    _reject(m, _edit(signed, change), SignatureInvalid, "T011")


def test_removed_signature_is_signature_missing(m: Material, signed: bytes) -> None:
    def change(root: etree._Element) -> None:
        root.remove(_one(root, "ds:Signature"))

    error = _reject(m, _edit(signed, change), SignatureMissing, "T010")
    assert "no ds:Signature" in str(error)


def test_unsigned_document_is_signature_missing(m: Material) -> None:
    _reject(m, sample_document(), SignatureMissing, "T010")


# -- only one reference, only URI="", only at the top: wrapping attacks -------------------------


def test_second_reference_is_rejected(m: Material, signed: bytes) -> None:
    def change(root: etree._Element) -> None:
        signed_info = root.find("ds:Signature/ds:SignedInfo", namespaces=NS)
        assert signed_info is not None
        signed_info.append(copy.deepcopy(_one(signed_info, "ds:Reference")))

    error = _reject(m, _edit(signed, change), SignatureInvalid, "T011")
    assert "2 references" in str(error)


def test_validly_signed_second_reference_is_rejected(m: Material) -> None:
    """Even a correct signxml signature over two elements is not a whole-document signature."""

    def with_ids(root: etree._Element) -> None:
        for index, child in enumerate(list(root)[:2]):
            child.set("Id", f"part{index}")

    document = raw_sign(
        _edit(sample_document(), with_ids), m.anna, reference_uri=["part0", "part1"]
    )
    _reject(m, document, SignatureInvalid, "T011")


def test_reference_to_an_id_is_rejected_even_if_cryptographically_valid(m: Material) -> None:
    def with_id(root: etree._Element) -> None:
        root.set("Id", "msg")

    document = raw_sign(_edit(sample_document(), with_id), m.anna)  # signxml: URI="#msg"
    assert b'URI="#msg"' in document
    error = _reject(m, document, SignatureInvalid, "T011")
    assert 'URI=""' in str(error)


def test_wrapping_signed_element_moved_evil_element_injected(m: Material) -> None:
    """Classic XSW: the signed part is moved into a wrapper, forged content takes its place.

    A verifier that accepts ``#id`` references is fooled (shown with plain signxml); ours
    refuses the reference outright.
    """

    def with_id(root: etree._Element) -> None:
        stelle = root.find("m:anfragendeStelle", namespaces=NS)
        assert stelle is not None
        stelle.set("Id", "payload")

    document = raw_sign(_edit(sample_document(), with_id), m.anna, reference_uri="payload")

    def wrap(root: etree._Element) -> None:
        original = root.find("m:anfragendeStelle", namespaces=NS)
        assert original is not None
        evil = copy.deepcopy(original)
        del evil.attrib["Id"]
        aktenzeichen = evil.find("m:aktenzeichen", namespaces=NS)
        assert aktenzeichen is not None
        aktenzeichen.text = "gefälscht"
        root.replace(original, evil)
        hidden = etree.SubElement(root, f"{{{XMELD}}}erweiterung")
        hidden.append(original)

    attacked = _edit(document, wrap)
    naive = XMLVerifier().verify(attacked, x509_cert=m.anna.certificate)
    assert isinstance(naive, VerifyResult)  # the naive verifier accepts the forgery
    _reject(m, attacked, SignatureInvalid, "T011")


def test_whole_document_wrapped_under_an_evil_root(m: Material, signed: bytes) -> None:
    root = parse(signed)
    signature = root.find("ds:Signature", namespaces=NS)
    assert signature is not None
    evil = etree.Element(f"{{{XMELD}}}{root.tag.split('}')[1]}", nsmap={None: XMELD})  # type: ignore[dict-item]
    evil.append(copy.deepcopy(root[0]))
    hidden = etree.SubElement(evil, f"{{{XMELD}}}unsichtbar")
    root.remove(signature)
    hidden.append(root)  # the signed original, out of the application's sight
    evil.append(signature)
    _reject(m, serialize(evil), SignatureInvalid, "T011")


def test_evil_sibling_injected_next_to_signed_content(m: Material, signed: bytes) -> None:
    def inject(root: etree._Element) -> None:
        root.insert(1, etree.Element(f"{{{XMELD}}}auswahldaten"))

    _reject(m, _edit(signed, inject), SignatureInvalid, "T011")


def test_signature_deeper_in_the_tree_is_rejected(m: Material, signed: bytes) -> None:
    def move(root: etree._Element) -> None:
        signature = root.find("ds:Signature", namespaces=NS)
        assert signature is not None
        root[0].append(signature)

    error = _reject(m, _edit(signed, move), SignatureInvalid, "T011")
    assert "direct child of the document element" in str(error)


def test_two_signatures_are_rejected(m: Material, signed: bytes) -> None:
    def duplicate(root: etree._Element) -> None:
        root.append(copy.deepcopy(_one(root, "ds:Signature")))

    _reject(m, _edit(signed, duplicate), SignatureInvalid, "T011")


def test_object_inside_the_signature_is_rejected(m: Material, signed: bytes) -> None:
    def hide(root: etree._Element) -> None:
        signature = root.find("ds:Signature", namespaces=NS)
        assert signature is not None
        etree.SubElement(signature, f"{{{DS}}}Object").text = "payload"

    _reject(m, _edit(signed, hide), SignatureInvalid, "T011")


def test_enveloping_signature_as_document_is_rejected(m: Material, signed: bytes) -> None:
    signature = parse(signed).find("ds:Signature", namespaces=NS)
    assert signature is not None
    _reject(m, serialize(signature), SignatureInvalid, "T011")


# -- algorithms below the required level: T010 -------------------------------------------------


@pytest.mark.parametrize(
    ("who", "method", "digest", "name"),
    [
        ("rsa3072", SignatureMethod.RSA_SHA1, SignxmlDigest.SHA256, "rsa-sha1"),
        ("anna", SignatureMethod.ECDSA_SHA1, SignxmlDigest.SHA256, "ecdsa-sha1"),
        ("rsa3072", SignatureMethod.SHA1_RSA_MGF1, SignxmlDigest.SHA256, "sha1-rsa-MGF1"),
        ("anna", SignatureMethod.ECDSA_SHA224, SignxmlDigest.SHA256, "ecdsa-sha224"),
        ("anna", SignatureMethod.ECDSA_SHA256, SignxmlDigest.SHA1, "sha1"),
        ("anna", SignatureMethod.ECDSA_SHA256, SignxmlDigest.SHA224, "sha224"),
    ],
)
def test_sha1_and_other_weak_algorithms_are_not_the_required_level(
    m: Material, who: str, method: SignatureMethod, digest: SignxmlDigest, name: str
) -> None:
    document = raw_sign(sample_document(), getattr(m, who), method=method, digest=digest)
    error = _reject(m, document, SignatureMissing, "T010")
    assert f"algorithm {name} is not allowed" in str(error)


def test_sha1_message_tells_what_to_use(m: Material) -> None:
    document = raw_sign(sample_document(), m.rsa3072, method=SignatureMethod.RSA_SHA1)
    error = _reject(m, document, SignatureMissing, "T010")
    assert str(error).startswith(
        "signature algorithm rsa-sha1 is not allowed; use ecdsa-sha256 or rsa-pss-sha256"
    )


def test_inclusive_canonicalization_is_not_the_required_level(m: Material) -> None:
    document = raw_sign(sample_document(), m.anna, c14n=CanonicalizationMethod.CANONICAL_XML_1_1)
    error = _reject(m, document, SignatureMissing, "T010")
    assert "exclusive C14N" in str(error)


def test_xpath_transform_is_refused(m: Material, signed: bytes) -> None:
    def add_xpath(root: etree._Element) -> None:
        transforms = root.find(".//ds:Reference/ds:Transforms", namespaces=NS)
        assert transforms is not None
        etree.SubElement(
            transforms,
            f"{{{DS}}}Transform",
            Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116",
        )

    _reject(m, _edit(signed, add_xpath), SignatureMissing, "T010")


def test_missing_enveloped_transform_is_rejected(m: Material, signed: bytes) -> None:
    def drop(root: etree._Element) -> None:
        transforms = root.find(".//ds:Reference/ds:Transforms", namespaces=NS)
        assert transforms is not None
        transforms.remove(transforms[0])

    _reject(m, _edit(signed, drop), SignatureInvalid, "T011")


# -- KeyInfo -----------------------------------------------------------------------------------


def test_no_certificate_in_keyinfo_is_certificate_missing(m: Material, signed: bytes) -> None:
    def drop(root: etree._Element) -> None:
        signature = root.find("ds:Signature", namespaces=NS)
        assert signature is not None
        signature.remove(_one(signature, "ds:KeyInfo"))

    error = _reject(m, _edit(signed, drop), CertificateMissing, "T003")
    assert "include the signer certificate" in str(error)


def test_keyinfo_with_only_a_key_value_is_certificate_missing(m: Material) -> None:
    document = raw_sign(sample_document(), m.anna, always_add_key_value=True)

    def drop_x509(root: etree._Element) -> None:
        key_info = root.find("ds:Signature/ds:KeyInfo", namespaces=NS)
        assert key_info is not None
        key_info.remove(_one(key_info, "ds:X509Data"))

    _reject(m, _edit(document, drop_x509), CertificateMissing, "T003")


def test_unreadable_certificate_is_certificate_invalid(m: Material, signed: bytes) -> None:
    def garble(root: etree._Element) -> None:
        element = root.find(".//ds:X509Certificate", namespaces=NS)
        assert element is not None
        element.text = "bm90IGEgY2VydGlmaWNhdGU="

    _reject(m, _edit(signed, garble), CertificateInvalid, "T002")


def test_another_trusted_users_certificate_does_not_verify(m: Material, signed: bytes) -> None:
    """Swapping in a colleague's (trusted) certificate must not make the signature hers."""
    ben = m.ben.certificate.public_bytes(serialization.Encoding.DER)

    def swap(root: etree._Element) -> None:
        element = root.find(".//ds:X509Certificate", namespaces=NS)
        assert element is not None
        element.text = base64.b64encode(ben).decode()

    _reject(m, _edit(signed, swap), SignatureInvalid, "T011")


def test_key_value_not_matching_the_certificate_is_rejected(m: Material) -> None:
    with_key_value = parse(raw_sign(sample_document(), m.anna, always_add_key_value=True))
    ben_key_value = parse(raw_sign(sample_document(), m.ben, always_add_key_value=True)).find(
        ".//ds:KeyValue", namespaces=NS
    )
    own = with_key_value.find(".//ds:KeyValue", namespaces=NS)
    assert own is not None and ben_key_value is not None
    own.getparent().replace(own, ben_key_value)  # type: ignore[union-attr]
    _reject(m, serialize(with_key_value), SignatureInvalid, "T011")


# -- hostile XML -------------------------------------------------------------------------------


def test_internal_entity_is_rejected_not_expanded(m: Material, signed: bytes) -> None:
    body = signed.split(b"?>", 1)[1].replace(
        b"Polizeidirektion G", b"&secret;Polizeidirektion G", 1
    )
    document = b'<!DOCTYPE x [<!ENTITY secret "EXPANDED">]>' + body
    error = _reject(m, document, MalformedDocument, "X000")
    assert "DOCTYPE" in str(error)
    assert "EXPANDED" not in str(error)


def test_external_entity_is_rejected_without_reading_the_file(m: Material, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    document = f'<!DOCTYPE a [<!ENTITY xxe SYSTEM "file://{secret}">]><a>&xxe;</a>'.encode()
    error = _reject(m, document, MalformedDocument, "X000")
    assert "TOP-SECRET" not in str(error)


def test_billion_laughs_is_rejected_quickly(m: Material) -> None:
    entities = '<!ENTITY l0 "ha">' + "".join(
        f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};">' for i in range(1, 30)
    )
    document = f"<!DOCTYPE a [{entities}]><a>&l29;</a>".encode()
    started = time.perf_counter()
    _reject(m, document, MalformedDocument, "X000")
    assert time.perf_counter() - started < 1.0


def test_plain_doctype_is_rejected(m: Material, signed: bytes) -> None:
    document = b"<!DOCTYPE datenabruf.personensuche.suchanfrage.1330>" + signed.split(b"?>", 1)[1]
    _reject(m, document, MalformedDocument, "X000")


def test_not_well_formed_is_malformed(m: Material) -> None:
    _reject(m, b"<a><b></a>", MalformedDocument, "X000")
