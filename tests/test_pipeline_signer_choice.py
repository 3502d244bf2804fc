"""Several end-entity certificates in ds:KeyInfo: the broker prefers the registered one.

Issue 5: "prefer the certificate bound to the registered user". A sender may put more than one
end-entity certificate into ``ds:KeyInfo/ds:X509Data``; the verifier used to take the first
one. The broker now asks, for each of them in order, whether it is bound to a registered user
(``Broker._is_registered``: its SHA-256 fingerprint in the access store) and takes the first
such certificate as the signer, else the first end-entity certificate.

So the order of certificates in KeyInfo does not matter to a legitimate client, and a sender
cannot make the broker pick whichever certificate suits it: with a registered certificate in
KeyInfo, the signature has to verify with *that* certificate — a message signed with another
(unregistered) key is returned with T011 and carries no register data. The count of
certificates stays capped (``VerificationPolicy.max_certificates``, 4) before any is decoded
or looked up.

Everything here runs the real pipeline in-process (``tests/world.py``): PKI, stores, access
decision, signing of the reply and the protocol record; nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from cryptography import x509
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConstructionMethod,
    SignatureMethod,
    XMLSigner,
)

from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import Outcome, ProtocolRecord
from datenspiegel.service.broker import BrokerReply, ReplyKind
from datenspiegel.signing import (
    CertificateProfile,
    IssuedCertificate,
    SigningIdentity,
    certificate_fingerprint,
    issue_certificate,
)
from tests.test_pipeline import _verified
from tests.world import World, build_world

USER = "ordnungsamt"  # a registered demo user; world.request() is written in its name
SURNAME = b"Quastenberg"  # the test person world.request() looks for


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> World:
    return build_world(tmp_path, database_url)


@pytest.fixture
def registered(world: World) -> SigningIdentity:
    """The demo user's key and the certificate bound to it in the access store."""
    return world.pki.user_identity(USER)


def _unregistered(world: World, name: str = "unregistriert") -> IssuedCertificate:
    """An end-entity certificate from the same (trusted) development CA, bound to no user."""
    return issue_certificate(name, profile=CertificateProfile.USER, issuer=world.pki.load_ca())


def _signed(
    world: World, key: SigningIdentity | IssuedCertificate, keyinfo: Sequence[x509.Certificate]
) -> bytes:
    """``world.request()`` correctly signed with ``key``'s private key, with exactly
    ``keyinfo`` in ds:KeyInfo/ds:X509Data, in this order (plain signxml: ``MessageSigner``
    always puts its own certificate first)."""
    signer = XMLSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=SignatureMethod.ECDSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    root = signer.sign(world.request(USER), key=key.private_key, cert=list(keyinfo))
    certificates = root.findall(
        "ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate",
        namespaces={"ds": "http://www.w3.org/2000/09/xmldsig#"},
    )
    assert len(certificates) == len(keyinfo), "signxml must send every certificate given"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _record(world: World, reply: BrokerReply) -> ProtocolRecord:
    records = world.stores.protocol.records(reader="tests", purpose=ReadPurpose.BETRIEB)
    assert [r.record_id for r in records] == [reply.record_id], "one transaction, one record"
    return records[0]


def _answered_for_registered_user(
    world: World, reply: BrokerReply, registered: SigningIdentity
) -> None:
    assert reply.kind is ReplyKind.ANSWER, (reply.code, reply.message)
    root = _verified(world, reply)
    assert root.findtext("ergebnis/ergebnisstatus/code") == "01"
    assert root.findtext("ergebnis/person/familienname") == SURNAME.decode()
    record = _record(world, reply)
    assert record.outcome is Outcome.ANSWERED and record.outcome_codes == ("01",)
    # the registered certificate was the signer, and the record names it
    assert record.certificate_fingerprint == certificate_fingerprint(registered.certificate)
    assert record.user_kennung == "OA-32.4-0815"
    assert record.authority_kennung == "dbs:ordnungsamt-hannover"


def _returned(world: World, reply: BrokerReply, code: str) -> tuple[etree._Element, ProtocolRecord]:
    assert reply.kind is ReplyKind.FAULT, (reply.code, reply.message)
    assert reply.code == code, reply.message
    root = _verified(world, reply)
    assert root.tag.endswith("ruecksendung.nachricht.0910")
    assert root.findtext("grund/code") == code
    assert SURNAME not in reply.document
    assert root.find(".//person") is None and root.find(".//ergebnis") is None
    record = _record(world, reply)
    assert record.outcome is Outcome.RETURNED and record.outcome_codes == (code,)
    assert record.hits == () and record.disclosed_elements == ()
    return root, record


def test_registered_certificate_after_an_unregistered_one_is_chosen(
    world: World, registered: SigningIdentity
) -> None:
    """The first end-entity certificate is not the signer's: before issue 5 the broker took
    it, the signature did not verify with it, and a legitimate request was returned (T011)."""
    stranger = _unregistered(world)
    payload = _signed(world, registered, [stranger.certificate, registered.certificate])
    reply = world.broker.submit(payload)
    _answered_for_registered_user(world, reply, registered)


def test_registered_certificate_before_an_unregistered_one_is_chosen(
    world: World, registered: SigningIdentity
) -> None:
    stranger = _unregistered(world)
    payload = _signed(world, registered, [registered.certificate, stranger.certificate])
    reply = world.broker.submit(payload)
    _answered_for_registered_user(world, reply, registered)


def test_registered_certificate_among_three_unregistered_within_the_limit(
    world: World, registered: SigningIdentity
) -> None:
    """Four certificates are still accepted, the registered one anywhere among them."""
    strangers = [_unregistered(world, f"unregistriert-{i}").certificate for i in range(3)]
    payload = _signed(world, registered, [*strangers[:2], registered.certificate, strangers[2]])
    reply = world.broker.submit(payload)
    _answered_for_registered_user(world, reply, registered)


@pytest.mark.parametrize("unregistered_first", [True, False], ids=["own-first", "own-second"])
def test_signed_by_the_unregistered_key_is_t011_without_register_data(
    world: World, registered: SigningIdentity, unregistered_first: bool
) -> None:
    """The attacker signs with a key of its own (certificate from the trusted CA, but bound
    to nobody) and adds a registered user's certificate. The registered certificate is chosen
    and the signature does not verify with it: T011. Had the broker taken the attacker's
    certificate, the signature would have verified and the request failed only later (T070,
    see test_pipeline.test_unregistered_certificate_is_t070) — T011 shows which was chosen."""
    attacker = _unregistered(world, "mallory")
    keyinfo = [attacker.certificate, registered.certificate]
    if not unregistered_first:
        keyinfo.reverse()
    reply = world.broker.submit(_signed(world, attacker, keyinfo))
    root, record = _returned(world, reply, "T011")
    assert "does not verify with the signer certificate" in reply.message
    assert "does not verify" in (root.findtext("fehlerbeschreibung") or "")
    # the registered user did not send this: it is not recorded as theirs
    assert record.user_kennung != "OA-32.4-0815"


def test_five_certificates_are_refused_t002_naming_the_limit(
    world: World, registered: SigningIdentity
) -> None:
    """Correctly signed by the registered user, but five certificates in KeyInfo: refused
    by their count, before any is decoded or looked up in the access store."""
    strangers = [_unregistered(world, f"unregistriert-{i}").certificate for i in range(4)]
    payload = _signed(world, registered, [registered.certificate, *strangers])
    reply = world.broker.submit(payload)
    root, _ = _returned(world, reply, "T002")
    expected = "the signature carries 5 certificates; at most 4 are accepted"
    assert expected in reply.message
    assert expected in (root.findtext("fehlerbeschreibung") or "")
