"""What an external witness checks, offline, with nothing but the broker's certificate.

The data-protection officer (or another witness) keeps the signed checkpoints the operator
exports (``datenspiegel protocol checkpoints``). Later, with a consistency proof the operator
gives (``datenspiegel protocol prove --old-size M``), the witness proves that today's log
extends the one it saw — nothing it had seen was altered, removed or reordered since — and,
with an inclusion proof (``datenspiegel protocol prove-record ID``), that a record is in it.
``datenspiegel protocol witness …`` runs these checks; the file formats are JSON with hex hashes
(docs/protocol-log.md).
"""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from datenspiegel.protocol.merkle import (
    Checkpoint,
    CheckpointError,
    parse_checkpoint,
    split_signed_checkpoint,
    verify_consistency,
    verify_inclusion,
)

__all__ = [
    "ORIGIN",
    "key_id",
    "sign_note",
    "verified_checkpoint",
    "verify_consistency_between",
    "verify_note_signature",
    "verify_record_inclusion",
]

#: The origin line of every checkpoint of this log.
ORIGIN = "datenspiegel.niedersachsen/protocol"


def key_id(public_key: Any) -> bytes:
    """The signed-note key ID: the first 4 bytes of SHA-256(origin, newline, SPKI DER)."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(ORIGIN.encode() + b"\n" + der).digest()[:4]


def _pss() -> padding.PSS:
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


def sign_note(private_key: Any, body: bytes) -> bytes:
    """The signature blob over ``body``: key ID, then ECDSA-SHA-256 or RSA-PSS-SHA-256."""
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        signature = private_key.sign(body, ec.ECDSA(hashes.SHA256()))
    elif isinstance(private_key, rsa.RSAPrivateKey):
        signature = private_key.sign(body, _pss(), hashes.SHA256())
    else:
        raise TypeError(f"cannot sign checkpoints with a {type(private_key).__name__}")
    return key_id(private_key.public_key()) + signature


def verify_note_signature(public_key: Any, body: bytes, blob: bytes) -> bool:
    if blob[:4] != key_id(public_key):
        return False
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(blob[4:], body, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(blob[4:], body, _pss(), hashes.SHA256())
        else:
            return False
    except Exception:
        return False
    return True


def verified_checkpoint(note: bytes, public_key: Any) -> Checkpoint:
    """The checkpoint of a signed note, if the broker's key signed it; else CheckpointError."""
    body, signatures = split_signed_checkpoint(note)
    if not any(verify_note_signature(public_key, body, sig) for _name, sig in signatures):
        raise CheckpointError("the checkpoint is not signed by the broker's key")
    return parse_checkpoint(body, origin=ORIGIN)


def verify_consistency_between(old: Checkpoint, new: Checkpoint, proof: list[bytes]) -> bool:
    """The log at ``new`` extends the one at ``old`` (RFC 9162 § 2.1.4.2)."""
    return verify_consistency(old.size, new.size, old.root, new.root, proof)


def verify_record_inclusion(head: Checkpoint, leaf: bytes, index: int, proof: list[bytes]) -> bool:
    """The leaf is at ``index`` of the log at ``head`` (RFC 9162 § 2.1.3.2)."""
    return verify_inclusion(leaf, index, head.size, proof, head.root)
