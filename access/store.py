"""Registry of authorities, their users and the users' signing certificates.

Lives in the broker-state database (SQLite file by default, PostgreSQL for scale-out) as the
``access`` component. Every database failure surfaces as :class:`AccessStoreUnavailable` so the
transaction pipeline can fail closed; validation problems are :class:`InvalidAuthority`,
:class:`InvalidUser`, :class:`DuplicateKennung`, … with messages that say what to fix.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from sqlalchemy import Engine, RowMapping, Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from datenspiegel.access._schema import (
    COMPONENT,
    MIGRATIONS,
    authorities,
    certificates,
    users,
)
from datenspiegel.access.entitlement import PERSONENSUCHE, entitled_elements
from datenspiegel.access.errors import (
    AccessError,
    AccessStoreUnavailable,
    CertificateAlreadyBound,
    DuplicateKennung,
    InvalidAuthority,
    InvalidCertificate,
    InvalidUser,
    UnknownAuthority,
    UnknownUser,
)
from datenspiegel.access.model import (
    Authority,
    Behoerdenklasse,
    Principal,
    User,
    UserRole,
)
from datenspiegel.store import create_store_engine, migrate

__all__ = ["AccessStore", "BoundCertificate", "certificate_fingerprint"]

_HEX = frozenset("0123456789abcdef")


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 over the certificate's DER encoding, lower-case hex (64 characters)."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def _normalise_fingerprint(fingerprint: str) -> str | None:
    # Operators paste fingerprints as "AB:CD:…" from openssl; accept that spelling too.
    value = fingerprint.strip().replace(":", "").lower()
    return value if len(value) == 64 and set(value) <= _HEX else None


@dataclass(frozen=True, slots=True)
class BoundCertificate:
    """A signing certificate registered for a user."""

    fingerprint: str
    user_id: int
    subject: str
    serial: str
    not_after: datetime
    bound_at: datetime


def _grund(grund: str, error: type[AccessError]) -> str:
    if not isinstance(grund, str) or not grund.strip():
        raise error("blocking needs a reason (grund): it is shown to the operator and protocol")
    return grund.strip()


_AUTHORITY_PREFIX = "authority__"


def _authority(row: RowMapping | Mapping[str, Any]) -> Authority:
    return Authority(
        id=row["id"],
        kennung=row["kennung"],
        name=row["name"],
        klasse=Behoerdenklasse(row["klasse"]),
        untertyp=row["untertyp"],
        anschrift=row["anschrift"],
        administrator=row["administrator"],
        protokollierung_durch_betreiber=bool(row["protokollierung_durch_betreiber"]),
        gesperrt=bool(row["gesperrt"]),
        gesperrt_grund=row["gesperrt_grund"],
    )


def _user(row: RowMapping) -> User:
    elemente = row["erlaubte_elemente"]
    return User(
        id=row["id"],
        authority_id=row["authority_id"],
        kennung=row["kennung"],
        name=row["name"],
        roles=frozenset(UserRole(r) for r in row["roles"]),
        gesperrt=bool(row["gesperrt"]),
        erlaubte_elemente=None if elemente is None else frozenset(int(c) for c in elemente),
        gesperrt_grund=row["gesperrt_grund"],
    )


class AccessStore:
    """Authorities, users and certificates in the broker-state database at ``url``."""

    def __init__(
        self, url: str | None = None, *, engine: Engine | None = None, lock_timeout: float = 30.0
    ) -> None:
        """On its own database (``url``) or on the broker database's one shared ``engine``."""
        if engine is None:
            if url is None:
                raise ValueError("AccessStore needs a URL or an engine")
            engine = create_store_engine(url, durable=True, lock_timeout=lock_timeout)
        self._engine = engine

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    dispose = close

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self._engine.begin() as conn:
                yield conn
        except (AccessError, IntegrityError):
            raise
        except SQLAlchemyError as exc:
            raise AccessStoreUnavailable(
                f"the access registry in the broker-state database cannot be used: "
                f"{type(exc).__name__}: {exc}".splitlines()[0]
            ) from exc

    def migrate(self) -> int:
        """Create or upgrade the ``access`` tables; return the schema version reached."""
        try:
            return migrate(self._engine, COMPONENT, MIGRATIONS)
        except SQLAlchemyError as exc:
            raise AccessStoreUnavailable(f"cannot migrate the access schema: {exc}") from exc

    # -- authorities -------------------------------------------------------------------------

    def add_authority(
        self,
        *,
        kennung: str,
        name: str,
        klasse: Behoerdenklasse,
        untertyp: int | None = None,
        anschrift: str | None = None,
        administrator: str,
        protokollierung_durch_betreiber: bool = False,
    ) -> Authority:
        """Register an authority; its Kennung must be new."""
        # Validate through the model first so every error message comes from one place.
        Authority(
            id=0,
            kennung=kennung,
            name=name,
            klasse=klasse,
            untertyp=untertyp,
            anschrift=anschrift,
            administrator=administrator,
            protokollierung_durch_betreiber=protokollierung_durch_betreiber,
        )
        values = {
            "kennung": kennung,
            "name": name,
            "klasse": klasse.value,
            "untertyp": untertyp,
            "anschrift": anschrift,
            "administrator": administrator,
            "protokollierung_durch_betreiber": protokollierung_durch_betreiber,
            "gesperrt": False,
            "gesperrt_grund": None,
            "created_at": datetime.now(UTC),
        }
        try:
            with self._tx() as conn:
                new_id = conn.execute(
                    authorities.insert().values(**values).returning(authorities.c.id)
                ).scalar_one()
        except IntegrityError as exc:
            raise DuplicateKennung(f"an authority with Kennung {kennung!r} exists") from exc
        found = self.authority(new_id)
        assert found is not None
        return found

    def authority(self, authority_id: int) -> Authority | None:
        with self._tx() as conn:
            row = (
                conn.execute(select(authorities).where(authorities.c.id == authority_id))
                .mappings()
                .first()
            )
        return _authority(row) if row else None

    def authority_by_kennung(self, kennung: str) -> Authority | None:
        with self._tx() as conn:
            row = (
                conn.execute(select(authorities).where(authorities.c.kennung == kennung))
                .mappings()
                .first()
            )
        return _authority(row) if row else None

    def authorities(self) -> list[Authority]:
        with self._tx() as conn:
            rows = conn.execute(select(authorities).order_by(authorities.c.id)).mappings().all()
        return [_authority(r) for r in rows]

    def block_authority(self, authority_id: int, *, grund: str) -> Authority:
        """Block every retrieval of the authority (the operator's right, DOMAIN.md § 7)."""
        reason = _grund(grund, InvalidAuthority)
        return self._set_authority_block(authority_id, True, reason)

    def unblock_authority(self, authority_id: int) -> Authority:
        return self._set_authority_block(authority_id, False, None)

    def _set_authority_block(
        self, authority_id: int, blocked: bool, grund: str | None
    ) -> Authority:
        self._set_block(authorities, authority_id, blocked, grund)
        found = self.authority(authority_id)
        if found is None:
            raise UnknownAuthority(f"no authority with id {authority_id} is registered")
        return found

    def _set_block(self, table: Table, row_id: int, blocked: bool, grund: str | None) -> None:
        with self._tx() as conn:
            conn.execute(
                table.update()
                .where(table.c.id == row_id)
                .values(
                    gesperrt=blocked,
                    gesperrt_grund=grund,
                    gesperrt_at=datetime.now(UTC) if blocked else None,
                )
            )

    # -- users -------------------------------------------------------------------------------

    def add_user(
        self,
        *,
        authority_id: int,
        kennung: str,
        name: str,
        roles: frozenset[UserRole] = frozenset({UserRole.SACHBEARBEITUNG}),
        erlaubte_elemente: frozenset[int] | None = None,
    ) -> User:
        """Create a user of an authority; its Kennung must be new within that authority."""
        User(
            id=0,
            authority_id=authority_id,
            kennung=kennung,
            name=name,
            roles=roles,
            erlaubte_elemente=erlaubte_elemente,
        )
        authority = self.authority(authority_id)
        if authority is None:
            raise UnknownAuthority(f"no authority with id {authority_id} is registered")
        if (
            UserRole.BEHOERDENLEITUNG_ODER_BESONDERS_ERMAECHTIGT in roles
            and not authority.sperrausnahme_34a_abs_6
        ):
            raise InvalidUser(
                "the role 'Behördenleitung oder besonders ermächtigt' exists only for police, "
                "Verfassungsschutz, BND, MAD and customs investigation (§ 34a Abs. 6 BMG, "
                f"sub-types 1, 6–9); authority {authority.kennung} is not one of them"
            )
        if erlaubte_elemente is not None:
            beyond = erlaubte_elemente - entitled_elements(authority.klasse, PERSONENSUCHE)
            if beyond:
                raise InvalidUser(
                    f"authority {authority.kennung} is not entitled to elements "
                    f"{', '.join(map(str, sorted(beyond)))}, so it cannot allow them to a user"
                )
        values = {
            "authority_id": authority_id,
            "kennung": kennung,
            "name": name,
            "roles": sorted(r.value for r in roles),
            "erlaubte_elemente": None if erlaubte_elemente is None else sorted(erlaubte_elemente),
            "gesperrt": False,
            "gesperrt_grund": None,
            "created_at": datetime.now(UTC),
        }
        try:
            with self._tx() as conn:
                new_id = conn.execute(
                    users.insert().values(**values).returning(users.c.id)
                ).scalar_one()
        except IntegrityError as exc:
            raise DuplicateKennung(
                f"authority {authority.kennung} already has a user with Kennung {kennung!r}"
            ) from exc
        found = self.user(new_id)
        assert found is not None
        return found

    def user(self, user_id: int) -> User | None:
        with self._tx() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
        return _user(row) if row else None

    def users(self, authority_id: int) -> list[User]:
        with self._tx() as conn:
            rows = (
                conn.execute(
                    select(users).where(users.c.authority_id == authority_id).order_by(users.c.id)
                )
                .mappings()
                .all()
            )
        return [_user(r) for r in rows]

    def block_user(self, user_id: int, *, grund: str) -> User:
        """Block one user (operator or the authority's administrator, § 39 BMG)."""
        reason = _grund(grund, InvalidUser)
        return self._set_user_block(user_id, True, reason)

    def unblock_user(self, user_id: int) -> User:
        return self._set_user_block(user_id, False, None)

    def _set_user_block(self, user_id: int, blocked: bool, grund: str | None) -> User:
        self._set_block(users, user_id, blocked, grund)
        found = self.user(user_id)
        if found is None:
            raise UnknownUser(f"no user with id {user_id} is registered")
        return found

    # -- certificates ------------------------------------------------------------------------

    def bind_certificate(
        self, user_id: int, certificate: x509.Certificate, *, now: datetime | None = None
    ) -> str:
        """Register ``certificate`` as the signing certificate of a user; return its fingerprint.

        Binding the same certificate to the same user again is a no-op; binding it to another
        user is refused (:class:`CertificateAlreadyBound`). An expired certificate is refused.
        """
        moment = now or datetime.now(UTC)
        not_after = certificate.not_valid_after_utc
        if not_after <= moment:
            raise InvalidCertificate(
                f"the certificate {certificate.subject.rfc4514_string()!r} expired on "
                f"{not_after.isoformat()}; bind a valid one"
            )
        fingerprint = certificate_fingerprint(certificate)
        if self.user(user_id) is None:
            raise UnknownUser(f"no user with id {user_id} is registered")
        try:
            with self._tx() as conn:
                owner = conn.execute(
                    select(certificates.c.user_id).where(certificates.c.fingerprint == fingerprint)
                ).scalar()
                if owner == user_id:
                    return fingerprint
                if owner is not None:
                    raise CertificateAlreadyBound(
                        f"certificate {fingerprint} is already bound to user {owner}"
                    )
                conn.execute(
                    certificates.insert().values(
                        fingerprint=fingerprint,
                        user_id=user_id,
                        subject=certificate.subject.rfc4514_string(),
                        serial=format(certificate.serial_number, "x"),
                        not_after=not_after,
                        bound_at=moment,
                    )
                )
        except IntegrityError as exc:
            # Lost a race with a concurrent binding of the same certificate.
            raise CertificateAlreadyBound(
                f"certificate {fingerprint} was bound concurrently"
            ) from exc
        return fingerprint

    def unbind_certificate(self, fingerprint: str) -> bool:
        """Remove a binding (e.g. the certificate was replaced); True if one existed."""
        normal = _normalise_fingerprint(fingerprint)
        if normal is None:
            return False
        with self._tx() as conn:
            deleted = conn.execute(
                certificates.delete().where(certificates.c.fingerprint == normal)
            ).rowcount
        return bool(deleted)

    def certificates(self, user_id: int) -> list[BoundCertificate]:
        with self._tx() as conn:
            rows = (
                conn.execute(
                    select(certificates)
                    .where(certificates.c.user_id == user_id)
                    .order_by(certificates.c.bound_at, certificates.c.fingerprint)
                )
                .mappings()
                .all()
            )
        return [BoundCertificate(**dict(r)) for r in rows]

    def principal_for_certificate(self, fingerprint: str) -> Principal | None:
        """The user and authority a verified signing certificate belongs to, or ``None``.

        Blocked authorities and users are returned as they are: whether they may act is the
        decision step's business, and the protocol needs to know who tried.
        """
        normal = _normalise_fingerprint(fingerprint)
        if normal is None:
            return None
        # One round trip per transaction: the user and its authority in one joined row.
        query = (
            select(users, *(c.label(f"{_AUTHORITY_PREFIX}{c.name}") for c in authorities.c))
            .select_from(
                certificates.join(users, users.c.id == certificates.c.user_id).join(
                    authorities, authorities.c.id == users.c.authority_id
                )
            )
            .where(certificates.c.fingerprint == normal)
        )
        with self._tx() as conn:
            user_row = conn.execute(query).mappings().first()
        if user_row is None:
            return None
        authority_row = {
            key[len(_AUTHORITY_PREFIX) :]: value
            for key, value in user_row.items()
            if key.startswith(_AUTHORITY_PREFIX)
        }
        return Principal(
            authority=_authority(authority_row),
            user=_user(user_row),
            certificate_fingerprint=normal,
        )
