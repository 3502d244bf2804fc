"""Test helpers for records sealed to a security authority's key (§ 40 Abs. 3 BMG)."""

from __future__ import annotations

from jwcrypto import jwk

from datenspiegel.access.store import AccessStore
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.sealed import SealedContent, check_against, envelope_of, open_envelope
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.signing import DevelopmentPki
from datenspiegel.signing.pki import CertificateProfile, issue_certificate
from tests.world import World


def register_protocol_key(access: AccessStore, authority_id: int, pki: DevelopmentPki) -> jwk.JWK:
    """Issue an encryption certificate for the authority, register it as its protocol key,
    and return the private key the authority opens its records with."""
    issued = issue_certificate(
        f"protocol-key-{authority_id}", profile=CertificateProfile.ENCRYPTION, issuer=pki.load_ca()
    )
    access.set_protocol_key(authority_id, issued.certificate)
    return jwk.JWK.from_pyca(issued.private_key)


def opened(protocol: ProtocolStore, record_id: str, key: jwk.JWK) -> SealedContent:
    """The sealed content of record ``record_id``, opened with the authority's ``key``."""
    with protocol.engine.connect() as conn:
        envelope = envelope_of(conn, record_id)
    assert envelope is not None, f"record {record_id} has no sealed envelope"
    return open_envelope(envelope, key)


def content_record(world: World, record_id: str) -> ProtocolRecord:
    """The record with its content as its holder reads it: for a security authority logged on
    its behalf (§ 40 Abs. 3 BMG) the envelope opened with the authority's key — after checking
    that the operator's log keeps only metadata — otherwise the operator's record."""
    kept = world.stores.protocol.get(
        record_id, reader="tests", purpose=ReadPurpose.DATENSCHUTZKONTROLLE
    )
    assert kept is not None
    key = world.protocol_keys.get(kept.authority_id or 0)
    if key is None or not kept.sicherheitsbehoerde:
        return kept
    assert not kept.content_recorded and kept.hits == ()
    content = opened(world.stores.protocol, record_id, key)
    assert check_against(content, kept) == []
    return content.record
