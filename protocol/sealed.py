"""Records kept on a security authority's behalf, sealed to its public key (§ 40 Abs. 3 BMG).

A security authority logs its own retrievals. The operator offers to do it on its behalf
("Protokollierung erforderlich" at registration) as commissioned processing: the authority gets
access to those records, the operator does not review their content (DOMAIN.md § 6). So the
operator's database keeps two things per such transaction:

- the record reduced to technical metadata (:meth:`ProtocolRecord.without_content`), in the
  Merkle log like every record — the operator still watches time, volume and failures;
- the full content **sealed** to the public key the authority registered
  (``access_protocol_key``): a JWE (RFC 7516, compact serialisation) with ``RSA-OAEP-256`` or
  ``ECDH-ES+A256KW`` key management and ``A256GCM`` content encryption, so any JOSE library
  opens it. Nobody at the operator holds the private key; the operator's tools show the
  envelope's existence, size and recipient, never its content.

What is sealed (:class:`SealedContent`): the full § 40 record, the signed request message as
the authority's user sent it, and the signed answer as the broker sent it. Each is bound to
the Merkle log: the record id is in the JWE's protected header (``rid``), the answer's SHA-256
is the logged record's ``answer_digest``, the request carries the logged
``request_message_id`` and its sender's signature. :func:`check_against` makes those
comparisons where the logged record is at hand.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwcrypto import jwe, jwk
from jwcrypto.common import JWException
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from datenspiegel.protocol.errors import InvalidRecord, ProtocolError
from datenspiegel.protocol.json_form import record_from_json, record_to_json
from datenspiegel.protocol.payloads import period_of, sealed_records
from datenspiegel.protocol.record import CONTENT_ONLY_FIELDS, ProtocolRecord, digest

__all__ = [
    "SEALED_FORMAT",
    "SealedContent",
    "SealedEntry",
    "SealingError",
    "check_against",
    "count_sealed",
    "envelope_digest",
    "envelope_of",
    "keep_sealed_in",
    "open_envelope",
    "recipient_of",
    "seal",
    "sealed_for",
]

SEALED_FORMAT = "datenspiegel.protocol.sealed/1"
_ENC = "A256GCM"
# jwcrypto refuses to inflate more than 256 KiB of compressed data (a guard against zip bombs
# that other JOSE libraries have too): larger contents are sealed uncompressed.
_MAX_COMPRESSED = 200 * 1024


class SealingError(ProtocolError, ValueError):
    """An envelope could not be sealed, opened or matched to its record."""


@dataclass(frozen=True, slots=True)
class SealedContent:
    """What a sealed envelope holds: the full record and the two signed documents."""

    record: ProtocolRecord
    answer: bytes
    #: the signed request message as received (``None`` when it never reached an operation)
    request: bytes | None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": SEALED_FORMAT,
            "record": record_to_json(self.record),
            **_document("answer", self.answer),
            **(_document("request", self.request) if self.request is not None else {}),
        }


def _document(name: str, data: bytes) -> dict[str, str]:
    # The broker's documents are UTF-8 XML: kept as text they stay readable and compress
    # well; anything else is kept as base64. Either way the bytes come back exactly.
    try:
        return {name: data.decode("utf-8")}
    except UnicodeDecodeError:
        return {f"{name}_base64": base64.b64encode(data).decode("ascii")}


def _bytes_of(data: dict[str, Any], name: str) -> bytes | None:
    if name in data:
        if not isinstance(data[name], str):
            raise SealingError(f"the sealed {name} is not a text")
        return str(data[name]).encode("utf-8")
    if f"{name}_base64" in data:
        return base64.b64decode(data[f"{name}_base64"], validate=True)
    return None


def _management(certificate: x509.Certificate) -> str:
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA-OAEP-256"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ECDH-ES+A256KW"
    raise SealingError(f"cannot seal to a {type(key).__name__}; register an RSA or EC key")


def recipient_of(certificate: x509.Certificate) -> str:
    """The recipient's name in the envelope: SHA-256 of the certificate (DER), hex."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def seal(content: SealedContent, certificate: x509.Certificate) -> str:
    """``content`` as a JWE (compact serialisation) only ``certificate``'s private key opens."""
    plain = json.dumps(content.to_json(), ensure_ascii=False, separators=(",", ":")).encode()
    header: dict[str, Any] = {
        "alg": _management(certificate),
        "enc": _ENC,
        "kid": recipient_of(certificate),
        "cty": SEALED_FORMAT,
        "rid": content.record.record_id,
    }
    if len(zlib.compress(plain, 6)) <= _MAX_COMPRESSED:
        header["zip"] = "DEF"
    try:
        token = jwe.JWE(plain, protected=json.dumps(header))
        token.add_recipient(jwk.JWK.from_pyca(certificate.public_key()))
        return str(token.serialize(compact=True))
    except (JWException, ValueError, TypeError) as exc:
        raise SealingError(f"cannot seal record {content.record.record_id}: {exc}") from exc


def open_envelope(envelope: str, private_key: jwk.JWK) -> SealedContent:
    """The content of ``envelope`` (SealingError when the key does not open it)."""
    token = jwe.JWE()
    try:
        token.deserialize(envelope, key=private_key)
    except (JWException, ValueError, TypeError) as exc:
        raise SealingError(
            f"the envelope cannot be opened with this key ({type(exc).__name__}: {exc}); "
            "is it the private key of the certificate the record was sealed to?"
        ) from exc
    header = token.jose_header
    if header.get("cty") != SEALED_FORMAT:
        raise SealingError(f"unknown envelope content {header.get('cty')!r}")
    try:
        data = json.loads(token.payload)
        if not isinstance(data, dict) or data.get("format") != SEALED_FORMAT:
            raise SealingError(f"the envelope does not hold a {SEALED_FORMAT} document")
        record = record_from_json(data["record"])
        answer = _bytes_of(data, "answer")
    except (KeyError, ValueError, InvalidRecord) as exc:
        raise SealingError(f"the envelope's content cannot be read: {exc}") from exc
    if answer is None:
        raise SealingError("the envelope holds no answer")
    if header.get("rid") != record.record_id:
        raise SealingError(
            f"the envelope names record {header.get('rid')} but holds record {record.record_id}"
        )
    return SealedContent(record=record, answer=answer, request=_bytes_of(data, "request"))


# The content the logged record does not carry; the user as a keyed pseudonym (no registry id)
# in the log and as the Kennung in the envelope.
_NOT_COMPARED = frozenset({*CONTENT_ONLY_FIELDS, "content_recorded", "user_kennung", "user_id"})


def check_against(content: SealedContent, logged: ProtocolRecord) -> list[str]:
    """What does not match between an opened envelope and the record in the operator's log
    (empty: the envelope is the one written with that record)."""
    problems: list[str] = []
    sealed = record_to_json(content.record)
    kept = record_to_json(logged)
    for name, value in kept.items():
        if name in _NOT_COMPARED or name == "format":
            continue
        if sealed.get(name) != value:
            problems.append(f"{name}: logged {value!r}, sealed {sealed.get(name)!r}")
    if digest(content.answer) != logged.answer_digest:
        problems.append("the sealed answer's SHA-256 is not the logged answer_digest")
    if logged.content_recorded:
        problems.append("the logged record carries content: it was not sealed")
    return problems


# -- the envelopes in the broker database (table protocol_sealed, component payloads) -------


@dataclass(frozen=True, slots=True)
class SealedEntry:
    """One envelope as kept: its number (for paging), record, time, recipient, JWE."""

    seq: int
    record_id: str
    received_at: datetime
    recipient: str
    envelope: str


def keep_sealed_in(
    conn: Connection,
    *,
    record: ProtocolRecord,
    authority_id: int,
    recipient: str,
    envelope: str,
) -> None:
    """Keep an envelope with its record, in the record's transaction."""
    conn.execute(
        sealed_records.insert().values(
            record_id=record.record_id,
            authority_id=authority_id,
            period=period_of(record.received_at),
            received_at=record.received_at,
            recipient=recipient,
            envelope=envelope,
        )
    )


def _window(authority_id: int, von: datetime | None, bis: datetime | None) -> list[Any]:
    where: list[Any] = [sealed_records.c.authority_id == authority_id]
    if von is not None:
        where.append(sealed_records.c.received_at >= von)
    if bis is not None:
        where.append(sealed_records.c.received_at < bis)
    return where


def sealed_for(
    conn: Connection,
    authority_id: int,
    *,
    von: datetime | None = None,
    bis: datetime | None = None,
    nach: int | None = None,
    limit: int = 100,
) -> Sequence[SealedEntry]:
    """The authority's envelopes received in [von, bis), after number ``nach``, oldest first."""
    where = _window(authority_id, von, bis)
    if nach is not None:
        where.append(sealed_records.c.seq > nach)
    rows = conn.execute(
        select(sealed_records).where(*where).order_by(sealed_records.c.seq).limit(limit)
    ).all()
    return [
        SealedEntry(
            seq=int(row.seq),
            record_id=row.record_id,
            received_at=row.received_at,
            recipient=row.recipient,
            envelope=row.envelope,
        )
        for row in rows
    ]


def envelope_of(conn: Connection, record_id: str) -> str | None:
    """The envelope kept with record ``record_id``, or ``None``."""
    return conn.execute(
        select(sealed_records.c.envelope).where(sealed_records.c.record_id == record_id)
    ).scalar()


def count_sealed(
    conn: Connection,
    authority_id: int,
    *,
    von: datetime | None = None,
    bis: datetime | None = None,
) -> int:
    """How many envelopes of the authority lie in [von, bis)."""
    where = _window(authority_id, von, bis)
    query = select(func.count()).select_from(sealed_records).where(*where)
    return int(conn.execute(query).scalar_one())


def envelope_digest(envelope: str) -> str:
    """SHA-256 of an envelope as kept (for listings that must not show it)."""
    return hashlib.sha256(envelope.encode("ascii")).hexdigest()
