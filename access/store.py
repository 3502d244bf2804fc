"""Registry of authorities, their users and the users' signing certificates.

Lives in the broker-state database (SQLite file by default, PostgreSQL for scale-out) as the
``access`` component. Every database failure surfaces as :class:`AccessStoreUnavailable` so the
transaction pipeline can fail closed; validation problems are :class:`InvalidAuthority`,
:class:`InvalidUser`, :class:`DuplicateKennung`, … with messages that say what to fix.

Every change names its :class:`~datenspiegel.access.admin_log.Actor` (``actor=``; default
:data:`~datenspiegel.access.admin_log.SYSTEM` for code without a person behind it) and writes,
in its own transaction, exactly one event to the administrative event log
(:mod:`datenspiegel.access.admin_log`) and, for registrations and blocks, one status row
(:mod:`datenspiegel.access.status`). A change that fails leaves neither; a change to what is
already there (the same networks, the same certificate) writes nothing.

A person acting (the operator, an administrator) must give what a registration needs: the
client networks (§ 39 Abs. 3 BMG), the main administrator as a person (§ 39 BMG, NMeldVO
§ 26) and each new user's instruction date (§ 41 BMG). Authority settings are the operator's;
an administrator changes only the users of its own authority (:class:`NotPermitted`).

Blocks and networks are read from the database on every request
(:meth:`AccessStore.principal_for_certificate`, no cache): a change committed here is in force
for every worker process and host with the next request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select

from datenspiegel.access._authorities import AuthorityChanges
from datenspiegel.access._base import BoundCertificate
from datenspiegel.access._certificates import certificate_fingerprint, normalise_fingerprint
from datenspiegel.access._protocol_keys import ProtocolKey, ProtocolKeyChanges
from datenspiegel.access._rows import authority_from_row, user_from_row
from datenspiegel.access._schema import authorities, certificates, users
from datenspiegel.access._users import UNCHANGED, Unchanged, UserChanges
from datenspiegel.access.model import Principal

__all__ = [
    "UNCHANGED",
    "AccessStore",
    "BoundCertificate",
    "ProtocolKey",
    "Unchanged",
    "certificate_fingerprint",
]

_AUTHORITY_PREFIX = "authority__"
#: The user and its authority in one joined row, by certificate fingerprint: asked in every
#: transaction, so built once (SQLAlchemy then reuses its cache key and compiled form).
_PRINCIPAL_BY_FINGERPRINT = (
    select(users, *(c.label(f"{_AUTHORITY_PREFIX}{c.name}") for c in authorities.c))
    .select_from(
        certificates.join(users, users.c.id == certificates.c.user_id).join(
            authorities, authorities.c.id == users.c.authority_id
        )
    )
    .where(certificates.c.fingerprint == bindparam("fingerprint"))
)


class AccessStore(AuthorityChanges, UserChanges, ProtocolKeyChanges):
    """Authorities, users and certificates in the broker-state database at ``url``."""

    def principal_for_certificate(self, fingerprint: str) -> Principal | None:
        """The user and authority a verified signing certificate belongs to, or ``None``.

        Blocked authorities and users are returned as they are: whether they may act is the
        decision step's business, and the protocol needs to know who tried.
        """
        normal = normalise_fingerprint(fingerprint)
        if normal is None:
            return None
        with self._tx() as conn:
            user_row = (
                conn.execute(_PRINCIPAL_BY_FINGERPRINT, {"fingerprint": normal}).mappings().first()
            )
        if user_row is None:
            return None
        authority_row = {
            key[len(_AUTHORITY_PREFIX) :]: value
            for key, value in user_row.items()
            if key.startswith(_AUTHORITY_PREFIX)
        }
        return Principal(
            authority=authority_from_row(authority_row),
            user=user_from_row(user_row),
            certificate_fingerprint=normal,
        )

    def certificates_expiring(self, now: datetime, *, within: timedelta) -> int:
        """How many bound user certificates expire after ``now`` and within ``within`` (a
        count for ``/metrics``; ``authority report --check`` names them)."""
        query = (
            select(func.count())
            .select_from(certificates)
            .where(certificates.c.not_after > now, certificates.c.not_after <= now + within)
        )
        with self._tx() as conn:
            return int(conn.execute(query).scalar_one())
