"""The certificate path-building bomb (issue 5, point 1) and the bounds that defuse it.

The attack: a sender puts a leaf plus many CA certificates with the same subject and the same
key into ``ds:KeyInfo``. Each is self-issued by that key, so every one verifies as the issuer
of every other, and a path search that tries every ordering explores factorially many paths —
all before the XML signature is checked, i.e. unauthenticated. 11.7 KB of message cost 10 s
of CPU; 16 such requests stopped all legitimate answers for ~75 s.

Acceptance criterion of the issue: the bomb is refused in < 100 ms of CPU. The bounds: the
number of certificates is limited before any is decoded, the search uses each certificate
once, and the number of signature checks per search is capped.
"""

from __future__ import annotations

import base64
import gc
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from lxml import etree
from signxml import CanonicalizationMethod, SignatureConstructionMethod, SignatureMethod

from datenspiegel.signing import (
    CertificateInvalid,
    CertificateProfile,
    IssuedCertificate,
    MessageVerifier,
    ReloadingVerifier,
    SignatureInvalid,
    SigningConfigurationError,
    SigningError,
    TrustStore,
    VerificationPolicy,
    VerifiedMessage,
    issue_certificate,
)
from datenspiegel.signing.pki import KeyKind, generate_private_key
from tests.test_signing_support import (
    DS,
    Material,
    PermissiveSigner,
    material,
    parse,
    sample_document,
    serialize,
)

#: The issue's acceptance criterion.
CPU_BUDGET = 0.100


@pytest.fixture(scope="module")
def m() -> Material:
    return material()


def _common_name(cert: x509.Certificate) -> str:
    return str(cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value)


def _bomb(m: Material, count: int) -> list[IssuedCertificate]:
    """``count`` CA certificates that all issued one another: one key, one subject — our own
    anchor's name, so that even the anchor passes the name comparison."""
    key = generate_private_key(KeyKind.EC_P384)
    name = _common_name(m.ca.certificate)
    return [
        issue_certificate(name, profile=CertificateProfile.CA, private_key=key)
        for _ in range(count)
    ]


def _bare_ca(subject: x509.Name, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    """A self-issued CA certificate without key identifiers, so no cheap filter can tell it
    from the real CA of the same name: only a signature check can."""
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA384())
    )


def _signed(signer: IssuedCertificate, certificates: list[x509.Certificate]) -> bytes:
    """The sample request signed correctly by ``signer``, with ``certificates`` in KeyInfo in
    this order (a real client would send the signer and its intermediates)."""
    xml_signer = PermissiveSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=SignatureMethod.ECDSA_SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    root = xml_signer.sign(parse(sample_document()), key=signer.private_key, cert=certificates)
    return serialize(root)


def _cpu(action: Callable[[], object]) -> tuple[object, float]:
    """What ``action`` returned or raised, and the CPU seconds it took.

    The collector runs first and is paused during the measurement: late in a full test run a
    generation-2 collection of everything the earlier tests left takes hundreds of ms, and it
    is not the refusal's cost.
    """
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        try:
            outcome: object = action()
        except SigningError as exc:
            outcome = exc
        return outcome, time.process_time() - started
    finally:
        gc.enable()


def _refused_quickly(verifier: MessageVerifier, document: bytes) -> CertificateInvalid:
    outcome, cpu = _cpu(lambda: verifier.verify(document))
    assert isinstance(outcome, CertificateInvalid), outcome
    assert outcome.code == "T002"
    assert cpu < CPU_BUDGET, f"refusing took {cpu * 1000:.1f} ms of CPU"
    return outcome


# -- the number of certificates ----------------------------------------------------------------


def test_the_bomb_is_refused_by_its_size_within_100_ms(m: Material) -> None:
    """The issue's message: 30 mutually issuing CA certificates and a leaf."""
    bomb = _bomb(m, 30)
    leaf = issue_certificate("mallory", profile=CertificateProfile.USER, issuer=bomb[0])
    document = _signed(leaf, [leaf.certificate, *(ca.certificate for ca in bomb)])
    error = _refused_quickly(m.verifier(), document)
    assert str(error) == (
        "the signature carries 31 certificates; at most 4 are accepted: send the signer "
        "certificate and its intermediates only"
    )


def test_certificates_are_counted_before_any_is_decoded(m: Material) -> None:
    """Thousands of (here: unreadable) certificates must not be decoded one by one first."""
    root = parse(_signed(m.anna, [m.anna.certificate]))
    x509_data = root.find(f"{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}X509Data")
    assert x509_data is not None
    for _ in range(2000):
        etree.SubElement(x509_data, f"{{{DS}}}X509Certificate").text = base64.b64encode(
            b"not a certificate"
        ).decode()
    error = _refused_quickly(m.verifier(), serialize(root))
    assert "carries 2001 certificates; at most 4" in str(error)


def test_the_limit_is_a_policy_setting(m: Material) -> None:
    sub_user, sub_ca, root = m.sub_user, m.sub_ca.certificate, m.ca.certificate
    document = _signed(sub_user, [sub_user.certificate, sub_ca, root])
    assert m.verifier().verify(document).certificate == sub_user.certificate
    tight = m.verifier(policy=VerificationPolicy(max_certificates=2))
    assert "carries 3 certificates; at most 2" in str(_refused_quickly(tight, document))


def test_policy_refuses_limits_below_one() -> None:
    with pytest.raises(SigningConfigurationError, match="max_certificates must be at least 1"):
        VerificationPolicy(max_certificates=0)
    with pytest.raises(SigningConfigurationError, match="max_path_checks must be at least 1"):
        VerificationPolicy(max_path_checks=0)


def test_a_malformed_extension_is_t002_not_a_crash(m: Material) -> None:
    """Extensions are parsed lazily; a broken one used to surface as a bare ValueError."""
    broken = (
        x509.CertificateBuilder()
        .subject_name(m.anna.certificate.subject)
        .issuer_name(m.ca.certificate.subject)
        .public_key(m.anna.private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.now(UTC) - timedelta(minutes=5))
        .not_valid_after(datetime.now(UTC) + timedelta(days=1))
        .add_extension(  # basicConstraints whose value is an OCTET STRING, not a SEQUENCE
            x509.UnrecognizedExtension(x509.ObjectIdentifier("2.5.29.19"), b"\x04\x01\x00"),
            critical=True,
        )
        .sign(m.ca.private_key, hashes.SHA384())
    )
    error = _refused_quickly(m.verifier(), _signed(m.anna, [broken]))
    assert "cannot be read" in str(error)


# -- the path search ---------------------------------------------------------------------------


def test_mutually_issuing_cas_within_the_limit_are_refused_within_100_ms(m: Material) -> None:
    """Within the default limit (leaf + 3 CAs): refused because no path reaches an anchor."""
    bomb = _bomb(m, 3)
    leaf = issue_certificate("mallory", profile=CertificateProfile.USER, issuer=bomb[0])
    document = _signed(leaf, [leaf.certificate, *(ca.certificate for ca in bomb)])
    error = _refused_quickly(m.verifier(), document)
    assert "is not issued by a trusted CA" in str(error)


def test_using_each_certificate_once_keeps_the_search_linear(m: Material) -> None:
    """Ten mutually issuing CAs let in by a raised limit: before the fix this one message
    cost 22 s of CPU (every ordering of up to five of them was tried)."""
    bomb = _bomb(m, 10)
    leaf = issue_certificate("mallory", profile=CertificateProfile.USER, issuer=bomb[0])
    document = _signed(leaf, [leaf.certificate, *(ca.certificate for ca in bomb)])
    verifier = m.verifier(policy=VerificationPolicy(max_certificates=11))
    assert "is not issued by a trusted CA" in str(_refused_quickly(verifier, document))


def test_signature_checks_per_search_are_capped(m: Material) -> None:
    """Thirty CAs without key identifiers under our anchor's name: by name, each could have
    issued the leaf and every other, and the anchor could have issued each of them; only a
    signature check can tell, and after 16 of them the search gives up."""
    key = ec.generate_private_key(ec.SECP384R1())
    bomb = [_bare_ca(m.ca.certificate.subject, key) for _ in range(30)]
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "mallory")]))
        .issuer_name(m.ca.certificate.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.now(UTC) - timedelta(minutes=5))
        .not_valid_after(datetime.now(UTC) + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            m.anna.certificate.extensions.get_extension_for_class(x509.KeyUsage).value,
            critical=True,
        )
        .sign(key, hashes.SHA384())
    )
    signer = IssuedCertificate(certificate=leaf, private_key=leaf_key)
    document = _signed(signer, [leaf, *bomb])
    verifier = m.verifier(policy=VerificationPolicy(max_certificates=31))
    error = _refused_quickly(verifier, document)
    assert "certificate path building exceeded its limit of 16 signature checks" in str(error)


def test_key_identifiers_rule_out_candidates_without_a_signature_check(m: Material) -> None:
    """An impostor CA with our anchor's name but its own key: the authority key identifier
    tells it apart from the anchor, so one signature check (leaf ← impostor) is all it costs."""
    impostor_ca = issue_certificate(_common_name(m.ca.certificate), profile=CertificateProfile.CA)
    impostor = issue_certificate("u", profile=CertificateProfile.USER, issuer=impostor_ca)
    with pytest.raises(CertificateInvalid, match="not issued by a trusted CA"):
        m.trust().check(
            impostor.certificate,
            at=datetime.now(UTC),
            intermediates=[impostor_ca.certificate],
            max_path_checks=1,
        )


def test_failed_signature_checks_are_remembered(m: Material) -> None:
    """A refused (certificate, issuer) pair is not verified again by the next request."""
    fake = _bare_ca(m.sub_ca.certificate.subject, ec.generate_private_key(ec.SECP384R1()))
    store = m.trust()
    for _ in range(2):
        with pytest.raises(CertificateInvalid, match="not issued by a trusted CA"):
            store.check(m.sub_user.certificate, at=datetime.now(UTC), intermediates=[fake])
    edge = (m.sub_user.certificate.fingerprint(hashes.SHA256()), fake.fingerprint(hashes.SHA256()))
    assert store._checked_edges[edge] is False


def test_each_certificate_is_reached_by_its_shortest_path_first() -> None:
    """Using a certificate only once must not lose a valid path: the decoy (the sub-CA's name
    and key, self-issued) comes first and reaches the sub-CA one level too deep for the
    anchor's pathLen 1; the search is breadth first, so the sub-CA was already reached
    directly from the leaf, where the anchor may issue it."""
    root = issue_certificate("Wurzel mit pathLen 1", profile=CertificateProfile.CA, path_length=1)
    sub = issue_certificate("Unter-CA", profile=CertificateProfile.CA, issuer=root)
    decoy = issue_certificate(
        "Unter-CA", profile=CertificateProfile.CA, private_key=sub.private_key
    )
    leaf = issue_certificate("u", profile=CertificateProfile.USER, issuer=sub)
    store = TrustStore(anchors=(root.certificate,))
    store.check(
        leaf.certificate, at=datetime.now(UTC), intermediates=[decoy.certificate, sub.certificate]
    )


# -- legitimate senders ------------------------------------------------------------------------


def test_leaf_intermediate_anchor_with_the_intermediate_in_keyinfo_verifies(m: Material) -> None:
    document = _signed(m.sub_user, [m.sub_user.certificate, m.sub_ca.certificate])
    assert m.verifier().verify(document).certificate == m.sub_user.certificate


def test_decoys_with_the_intermediates_name_and_key_do_not_hide_the_real_path(
    m: Material,
) -> None:
    """Self-issued copies of the sub-CA (same name, same key) come first in KeyInfo; each is
    a dead end, and the real sub-CA, reached at the same depth, still leads to the anchor."""
    decoys = [
        issue_certificate(
            _common_name(m.sub_ca.certificate),
            profile=CertificateProfile.CA,
            private_key=m.sub_ca.private_key,
        ).certificate
        for _ in range(2)
    ]
    document = _signed(m.sub_user, [m.sub_user.certificate, *decoys, m.sub_ca.certificate])
    assert m.verifier().verify(document).certificate == m.sub_user.certificate


def test_the_known_signer_is_chosen_among_several_end_entity_certificates(m: Material) -> None:
    """Signed by anna, but ben's certificate comes first: by default the first end-entity
    certificate is taken (and the signature does not verify with it); told which one is
    registered, the verifier takes anna's."""
    document = _signed(m.anna, [m.ben.certificate, m.anna.certificate])
    with pytest.raises(SignatureInvalid):
        m.verifier().verify(document)
    with pytest.raises(SignatureInvalid):
        m.verifier().verify(document, is_known_signer=lambda cert: False)
    verified = m.verifier().verify(
        document, is_known_signer=lambda cert: cert == m.anna.certificate
    )
    assert verified.certificate == m.anna.certificate


def test_a_single_end_entity_certificate_needs_no_lookup(m: Material) -> None:
    asked: list[x509.Certificate] = []

    def is_known_signer(cert: x509.Certificate) -> bool:
        asked.append(cert)
        return False

    document = _signed(m.sub_user, [m.sub_user.certificate, m.sub_ca.certificate])
    verified = m.verifier().verify(document, is_known_signer=is_known_signer)
    assert verified.certificate == m.sub_user.certificate
    assert asked == []


def test_reloading_verifier_passes_policy_and_known_signer_through(m: Material) -> None:
    verifier = ReloadingVerifier(
        [m.pki.ca_cert], crls=[m.pki.crl], policy=VerificationPolicy(max_certificates=2)
    )
    document = _signed(m.anna, [m.ben.certificate, m.anna.certificate])
    verified: VerifiedMessage = verifier.verify(
        document, is_known_signer=lambda cert: cert == m.anna.certificate
    )
    assert verified.certificate == m.anna.certificate
    crowded = _signed(m.anna, [m.anna.certificate, m.ben.certificate, m.ca.certificate])
    with pytest.raises(CertificateInvalid, match="at most 2 are accepted"):
        verifier.verify(crowded)
