"""Test helpers for records sealed to a security authority's key (§ 40 Abs. 3 BMG)."""

from __future__ import annotations

from jwcrypto import jwk

from datenspiegel.access.store import AccessStore
from datenspiegel.protocol.sealed import SealedContent, envelope_of, open_envelope
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.signing import DevelopmentPki
from datenspiegel.signing.pki import CertificateProfile, issue_certificate


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
