"""The protocol keys of security authorities (private to :mod:`datenspiegel.access.store`).

§ 40 Abs. 3 BMG: a security authority logs its own retrievals. The operator offers to log on
its behalf ("Protokollierung erforderlich" at registration) as commissioned processing; the
records are then sealed to the authority's public key so that the operator keeps them without
being able to read them, and the authority fetches and decrypts its own (DOMAIN.md § 6,
protocol/sealed.py). The operator registers the certificate of that key; a renewal replaces
it for new records, and the history stays, because records sealed before name the key they
were sealed to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import Row, select

from datenspiegel.access._authorities import only_operator
from datenspiegel.access._base import StoreBase
from datenspiegel.access._certificates import certificate_fingerprint, check_certificate
from datenspiegel.access._schema import protocol_keys
from datenspiegel.access.admin_log import SYSTEM, Action, Actor
from datenspiegel.access.errors import InvalidAuthority, InvalidCertificate, UnknownAuthority

__all__ = ["SEALING_CURVES", "ProtocolKey", "ProtocolKeyChanges", "sealing_key_problem"]

#: Curves a record can be sealed to (ECDH-ES, RFC 7518 § 4.6: the NIST curves only).
SEALING_CURVES = ("secp256r1", "secp384r1", "secp521r1")
_MIN_RSA_BITS = 3072  # BSI TR-02102 after 2025 (DOMAIN.md § 8)


def sealing_key_problem(certificate: x509.Certificate) -> str | None:
    """Why records cannot be sealed to this certificate's key, or ``None`` when they can
    (DOMAIN.md § 8: RSA of at least 3072 bit or the NIST curves; a key usage that permits
    key transport or key agreement)."""
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < _MIN_RSA_BITS:
            return (
                f"an RSA key of {key.key_size} bit is below the required {_MIN_RSA_BITS} bit "
                "(BSI TR-02102); issue a key of at least 3072 bit or EC P-256"
            )
        usage, needed = "key_encipherment", "keyEncipherment"
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in SEALING_CURVES:
            return (
                f"records cannot be sealed to a key on {key.curve.name}; use P-256, P-384 or "
                "P-521 (ECDH-ES) or RSA of at least 3072 bit (RSA-OAEP-256)"
            )
        usage, needed = "key_agreement", "keyAgreement"
    else:
        return f"a {type(key).__name__} cannot be used to seal records; use RSA or EC P-256"
    try:
        key_usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None
    if not getattr(key_usage, usage):
        return (
            f"the certificate's key usage does not include {needed}: it is not meant for "
            "encryption; issue an encryption certificate for the protocol key"
        )
    return None


@dataclass(frozen=True, slots=True)
class ProtocolKey:
    """A certificate a security authority's records are (or were) sealed to."""

    authority_id: int
    fingerprint: str
    certificate: x509.Certificate
    registered_at: datetime
    replaced_at: datetime | None

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()


def _key(row: Row[Any]) -> ProtocolKey:
    return ProtocolKey(
        authority_id=row.authority_id,
        fingerprint=row.fingerprint,
        certificate=x509.load_der_x509_certificate(bytes(row.certificate)),
        registered_at=row.registered_at,
        replaced_at=row.replaced_at,
    )


class ProtocolKeyChanges(StoreBase):
    """Registering and renewing the protocol key of a security authority."""

    def set_protocol_key(
        self, authority_id: int, certificate: x509.Certificate, *, actor: Actor = SYSTEM
    ) -> ProtocolKey:
        """Seal this authority's records to ``certificate``'s key from now on.

        Only for a security authority that commissioned the operator to log on its behalf
        (§ 40 Abs. 3 BMG); the operator's act. The same certificate again changes nothing.
        """
        only_operator(actor, "registering a protocol key")
        moment = self._clock()
        problem = sealing_key_problem(certificate)
        if problem is not None:
            raise InvalidCertificate(problem)
        check_certificate(certificate, moment)
        fingerprint = certificate_fingerprint(certificate)
        with self._change() as conn:
            authority = self._authority_in(conn, authority_id)
            if not (
                authority.ist_sicherheitsbehoerde and authority.protokollierung_durch_betreiber
            ):
                raise InvalidAuthority(
                    f"authority {authority.kennung} does not have the operator log on its behalf "
                    "(§ 40 Abs. 3 BMG, 'Protokollierung erforderlich'): a protocol key is kept "
                    "only for security authorities that commissioned it"
                )
            current = conn.execute(
                select(protocol_keys)
                .where(
                    protocol_keys.c.authority_id == authority_id,
                    protocol_keys.c.replaced_at.is_(None),
                )
                .order_by(protocol_keys.c.id.desc())
            ).first()
            if current is not None and current.fingerprint == fingerprint:
                return _key(current)
            if current is not None:
                conn.execute(
                    protocol_keys.update()
                    .where(protocol_keys.c.id == current.id)
                    .values(replaced_at=moment)
                )
            conn.execute(
                protocol_keys.insert().values(
                    authority_id=authority_id,
                    fingerprint=fingerprint,
                    certificate=certificate.public_bytes(Encoding.DER),
                    subject=certificate.subject.rfc4514_string(),
                    not_after=certificate.not_valid_after_utc,
                    registered_at=moment,
                    replaced_at=None,
                )
            )
            self._event(
                conn,
                at=moment,
                actor=actor,
                action=Action.AUTHORITY_SET_PROTOCOL_KEY,
                authority=authority,
                details={
                    "fingerprint": fingerprint,
                    "subject": certificate.subject.rfc4514_string(),
                    "not_after": certificate.not_valid_after_utc.isoformat(),
                    "replaces": current.fingerprint if current is not None else None,
                },
            )
            row = conn.execute(
                select(protocol_keys).where(protocol_keys.c.fingerprint == fingerprint)
            ).one()
        return _key(row)

    def protocol_key(self, authority_id: int) -> ProtocolKey | None:
        """The key new records of this authority are sealed to, or ``None``."""
        with self._tx() as conn:
            row = conn.execute(
                select(protocol_keys)
                .where(
                    protocol_keys.c.authority_id == authority_id,
                    protocol_keys.c.replaced_at.is_(None),
                )
                .order_by(protocol_keys.c.id.desc())
                .limit(1)
            ).first()
        return _key(row) if row is not None else None

    def protocol_keys(self, authority_id: int) -> list[ProtocolKey]:
        """Every key this authority's records were sealed to, oldest first."""
        if self.authority(authority_id) is None:
            raise UnknownAuthority(f"no authority with id {authority_id}")
        with self._tx() as conn:
            rows = conn.execute(
                select(protocol_keys)
                .where(protocol_keys.c.authority_id == authority_id)
                .order_by(protocol_keys.c.id)
            ).all()
        return [_key(row) for row in rows]
