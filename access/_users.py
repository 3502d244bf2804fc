"""Changes of an authority's users (private to :mod:`datenspiegel.access.store`).

The authority's administrator creates and removes the users of its own authority on its own
responsibility; the operator can do the same in an emergency (§ 39 BMG, Nds. NMeldVO § 26).
Every user made by a person (operator or administrator) needs the date of its instruction on
the purpose limitation of the data (§ 41 BMG).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from datenspiegel.access._base import StoreBase, grund_of
from datenspiegel.access._certificates import bind_in, normalise_fingerprint
from datenspiegel.access._rows import kontakt_to_row
from datenspiegel.access._schema import authorities, certificates, status, users
from datenspiegel.access.admin_log import SYSTEM, Action, Actor, ActorKind
from datenspiegel.access.entitlement import PERSONENSUCHE, entitled_elements
from datenspiegel.access.errors import (
    CertificateAlreadyBound,
    DuplicateKennung,
    InvalidUser,
    NotPermitted,
)
from datenspiegel.access.model import Authority, Kontakt, User, UserRole
from datenspiegel.access.status import append_status, read_status

__all__ = ["UNCHANGED", "Unchanged", "UserChanges"]


class Unchanged(Enum):
    """Marks a field :meth:`UserChanges.change_user` leaves as it is."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def _in_scope(actor: Actor, authority: Authority) -> None:
    if actor.kind is ActorKind.ADMINISTRATOR and actor.authority_kennung != authority.kennung:
        raise NotPermitted(
            f"an administrator of {actor.authority_kennung} cannot change the users of "
            f"{authority.kennung} (§ 39 BMG: each authority manages its own users)"
        )


def _blocked_by_administrator(conn: Connection, authority_id: int, user_id: int) -> bool:
    history = read_status(conn, authority_id=authority_id, user_id=user_id)
    return bool(history) and history[-1].gesperrt and history[-1].by_administrator


def _check_against_authority(
    authority: Authority, roles: frozenset[UserRole], erlaubte: frozenset[int] | None
) -> None:
    if (
        UserRole.BEHOERDENLEITUNG_ODER_BESONDERS_ERMAECHTIGT in roles
        and not authority.sperrausnahme_34a_abs_6
    ):
        raise InvalidUser(
            "the role 'Behördenleitung oder besonders ermächtigt' exists only for police, "
            "Verfassungsschutz, BND, MAD and customs investigation (§ 34a Abs. 6 BMG, "
            f"sub-types 1, 6–9); authority {authority.kennung} is not one of them"
        )
    if erlaubte is not None:
        beyond = erlaubte - entitled_elements(authority.klasse, PERSONENSUCHE)
        if beyond:
            raise InvalidUser(
                f"authority {authority.kennung} is not entitled to elements "
                f"{', '.join(map(str, sorted(beyond)))}, so it cannot allow them to a user"
            )


def _check_belehrt(belehrt_am: date | None, actor: Actor, today: date) -> None:
    if belehrt_am is None:
        if actor.kind is not ActorKind.SYSTEM:
            raise InvalidUser(
                "a new user needs the date of its instruction on the purpose limitation of the "
                "data (belehrt_am, § 41 BMG)"
            )
        return
    if belehrt_am > today:
        raise InvalidUser(f"the instruction date {belehrt_am.isoformat()} lies in the future")


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(v.value if isinstance(v, Enum) else v for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Kontakt):
        return kontakt_to_row(value)
    return value


def _user_details(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "roles": _plain(user.roles),
        "erlaubte_elemente": _plain(user.erlaubte_elemente),
        "erlaubte_operationen": _plain(user.erlaubte_operationen),
        "belehrt_am": _plain(user.belehrt_am),
        "kontakt": _plain(user.kontakt),
    }


class UserChanges(StoreBase):
    """Users of authorities: create, change, block, delete, bind certificates."""

    def add_user(
        self,
        *,
        authority_id: int,
        kennung: str,
        name: str,
        roles: frozenset[UserRole] = frozenset({UserRole.SACHBEARBEITUNG}),
        erlaubte_elemente: frozenset[int] | None = None,
        belehrt_am: date | None = None,
        kontakt: Kontakt | None = None,
        certificate: x509.Certificate | None = None,
        erlaubte_operationen: frozenset[str] | None = None,
        actor: Actor = SYSTEM,
    ) -> User:
        """Create a user of an authority; its Kennung must be new within that authority.

        ``belehrt_am`` (§ 41 BMG) is required when a person (operator, administrator) creates
        the user; only :data:`~datenspiegel.access.admin_log.SYSTEM` may leave it unknown.
        ``certificate`` is bound in the same transaction (one change, one event).
        """
        candidate = User(
            id=0,
            authority_id=authority_id,
            kennung=kennung,
            name=name,
            roles=roles,
            erlaubte_elemente=erlaubte_elemente,
            belehrt_am=belehrt_am,
            kontakt=kontakt,
            erlaubte_operationen=erlaubte_operationen,
        )
        moment = self._clock()
        _check_belehrt(belehrt_am, actor, moment.date())
        try:
            with self._change() as conn:
                authority = self._authority_in(conn, authority_id)
                _in_scope(actor, authority)
                _check_against_authority(authority, roles, erlaubte_elemente)
                if conn.execute(
                    select(users.c.id).where(
                        users.c.authority_id == authority_id, users.c.kennung == kennung
                    )
                ).first():
                    raise DuplicateKennung(
                        f"authority {authority.kennung} already has a user with Kennung {kennung!r}"
                    )
                new_id = int(
                    conn.execute(
                        users.insert()
                        .values(
                            authority_id=authority_id,
                            kennung=kennung,
                            name=name,
                            roles=sorted(r.value for r in roles),
                            erlaubte_elemente=None
                            if erlaubte_elemente is None
                            else sorted(erlaubte_elemente),
                            gesperrt=False,
                            gesperrt_grund=None,
                            created_at=moment,
                            belehrt_am=belehrt_am,
                            erlaubte_operationen=None
                            if erlaubte_operationen is None
                            else sorted(erlaubte_operationen),
                            **kontakt_to_row(kontakt),
                        )
                        .returning(users.c.id)
                    ).scalar_one()
                )
                append_status(
                    conn,
                    authority_id=authority_id,
                    user_id=new_id,
                    at=moment,
                    actor=actor.label,
                    gesperrt=False,
                    grund=None,
                )
                fingerprint = None
                if certificate is not None:
                    fingerprint, _ = bind_in(conn, new_id, certificate, moment)
                user = self._user_in(conn, new_id)
                self._event(
                    conn,
                    at=moment,
                    actor=actor,
                    action=Action.USER_ADD,
                    authority=authority,
                    user=user,
                    details={**_user_details(candidate), "certificate": fingerprint},
                )
                return user
        except IntegrityError as exc:
            raise DuplicateKennung(
                f"the authority already has a user with Kennung {kennung!r}"
            ) from exc

    def change_user(
        self,
        user_id: int,
        *,
        name: str | Unchanged = UNCHANGED,
        roles: frozenset[UserRole] | Unchanged = UNCHANGED,
        erlaubte_elemente: frozenset[int] | Unchanged | None = UNCHANGED,
        belehrt_am: date | Unchanged = UNCHANGED,
        kontakt: Kontakt | Unchanged | None = UNCHANGED,
        erlaubte_operationen: frozenset[str] | Unchanged | None = UNCHANGED,
        actor: Actor = SYSTEM,
    ) -> User:
        """Change what is given, leave the rest; a change to nothing new writes no event.

        The main administrator keeps the role ADMINISTRATOR (name another one first), and its
        name stays the authority's ``administrator``.
        """
        moment = self._clock()
        with self._change() as conn:
            user = self._user_in(conn, user_id)
            authority = self._authority_in(conn, user.authority_id)
            _in_scope(actor, authority)
            wanted: dict[str, Any] = {
                key: value
                for key, value in (
                    ("name", name),
                    ("roles", roles),
                    ("erlaubte_elemente", erlaubte_elemente),
                    ("belehrt_am", belehrt_am),
                    ("kontakt", kontakt),
                    ("erlaubte_operationen", erlaubte_operationen),
                )
                if value is not UNCHANGED and value != getattr(user, key)
            }
            if not wanted:
                return user
            changed = User(**{**_fields(user), **wanted})  # validates
            if "belehrt_am" in wanted:
                _check_belehrt(changed.belehrt_am, actor, moment.date())
            _check_against_authority(authority, changed.roles, changed.erlaubte_elemente)
            is_admin = authority.administrator_id == user_id
            if is_admin and UserRole.ADMINISTRATOR not in changed.roles:
                raise InvalidUser(
                    f"{user.kennung} is the main administrator of {authority.kennung}: name "
                    "another one first (authority set-admin), then take the role away"
                )
            if is_admin and "kontakt" in wanted and changed.kontakt is None:
                raise InvalidUser("the main administrator must stay reachable (contact)")
            values: dict[str, Any] = {}
            for key in wanted:
                if key == "kontakt":
                    values.update(kontakt_to_row(changed.kontakt))
                elif key == "roles":
                    values["roles"] = sorted(r.value for r in changed.roles)
                elif key in ("erlaubte_elemente", "erlaubte_operationen"):
                    allowed = getattr(changed, key)
                    values[key] = None if allowed is None else sorted(allowed)
                else:
                    values[key] = getattr(changed, key)
            conn.execute(users.update().where(users.c.id == user_id).values(**values))
            if is_admin and "name" in wanted:
                conn.execute(
                    authorities.update()
                    .where(authorities.c.id == authority.id)
                    .values(administrator=changed.name)
                )
            self._event(
                conn,
                at=moment,
                actor=actor,
                action=Action.USER_CHANGE,
                authority=authority,
                user=user,
                details={
                    key: {"from": _plain(getattr(user, key)), "to": _plain(value)}
                    for key, value in wanted.items()
                },
            )
            return self._user_in(conn, user_id)

    def block_user(self, user_id: int, *, grund: str, actor: Actor = SYSTEM) -> User:
        """Block one user (operator or the authority's administrator, § 39 BMG)."""
        reason = grund_of(grund, InvalidUser, required=True)
        return self._set_user_block(user_id, True, reason, actor)

    def unblock_user(
        self, user_id: int, *, grund: str | None = None, actor: Actor = SYSTEM
    ) -> User:
        return self._set_user_block(
            user_id, False, grund_of(grund, InvalidUser, required=False), actor
        )

    def _set_user_block(self, user_id: int, blocked: bool, grund: str | None, actor: Actor) -> User:
        moment = self._clock()
        with self._change() as conn:
            user = self._user_in(conn, user_id)
            authority = self._authority_in(conn, user.authority_id)
            _in_scope(actor, authority)
            if (
                not blocked
                and user.gesperrt
                and actor.kind is ActorKind.ADMINISTRATOR
                and not _blocked_by_administrator(conn, authority.id, user_id)
            ):
                # DOMAIN.md § 7: the operator may block at any time — its block is its own to
                # lift, not the authority's administrator's.
                raise NotPermitted(
                    f"user {user.kennung} was blocked by the operator; only the operator can "
                    "lift that block"
                )
            if user.gesperrt == blocked:
                raise InvalidUser(
                    f"user {user.kennung} of {authority.kennung} is already blocked "
                    f"({user.gesperrt_grund})"
                    if blocked
                    else f"user {user.kennung} of {authority.kennung} is not blocked"
                )
            self._write_block(
                conn,
                authority=authority,
                user=user,
                blocked=blocked,
                grund=grund,
                actor=actor,
                at=moment,
            )
            return self._user_in(conn, user_id)

    def delete_user(self, user_id: int, *, actor: Actor = SYSTEM) -> User:
        """Remove a user no longer entitled, with its certificates and status history (§ 39
        BMG). The event log keeps what was removed; the id is never handed out again. The
        main administrator cannot be removed: name another one first."""
        moment = self._clock()
        with self._change() as conn:
            user = self._user_in(conn, user_id)
            authority = self._authority_in(conn, user.authority_id)
            _in_scope(actor, authority)
            if authority.administrator_id == user_id:
                raise InvalidUser(
                    f"{user.kennung} is the main administrator of {authority.kennung}: name "
                    "another one first (authority set-admin)"
                )
            fingerprints = list(
                conn.execute(
                    select(certificates.c.fingerprint)
                    .where(certificates.c.user_id == user_id)
                    .order_by(certificates.c.fingerprint)
                ).scalars()
            )
            conn.execute(certificates.delete().where(certificates.c.user_id == user_id))
            conn.execute(status.delete().where(status.c.user_id == user_id))
            conn.execute(users.delete().where(users.c.id == user_id))
            self._event(
                conn,
                at=moment,
                actor=actor,
                action=Action.USER_DELETE,
                authority=authority,
                user=user,
                details={
                    **_user_details(user),
                    "gesperrt": user.gesperrt,
                    "certificates": fingerprints,
                },
            )
            return user

    # -- certificates ------------------------------------------------------------------------

    def bind_certificate(
        self,
        user_id: int,
        certificate: x509.Certificate,
        *,
        now: datetime | None = None,
        actor: Actor = SYSTEM,
    ) -> str:
        """Register ``certificate`` as the signing certificate of a user; return its fingerprint.

        Binding the same certificate to the same user again is a no-op (no event); binding it
        to another user is refused (:class:`CertificateAlreadyBound`). An expired certificate
        is refused. A user may hold several (rollover).
        """
        moment = now or self._clock()
        try:
            with self._change() as conn:
                user = self._user_in(conn, user_id)
                authority = self._authority_in(conn, user.authority_id)
                _in_scope(actor, authority)
                fingerprint, new = bind_in(conn, user_id, certificate, moment)
                if new:
                    self._event(
                        conn,
                        at=moment,
                        actor=actor,
                        action=Action.USER_BIND_CERTIFICATE,
                        authority=authority,
                        user=user,
                        details={
                            "fingerprint": fingerprint,
                            "subject": certificate.subject.rfc4514_string(),
                            "serial": format(certificate.serial_number, "x"),
                            "not_after": certificate.not_valid_after_utc.isoformat(),
                        },
                    )
        except IntegrityError as exc:
            # Lost a race with a concurrent binding of the same certificate.
            raise CertificateAlreadyBound("the certificate was bound concurrently") from exc
        return fingerprint

    def unbind_certificate(self, fingerprint: str, *, actor: Actor = SYSTEM) -> bool:
        """Remove a binding (e.g. the certificate was replaced); True if one existed."""
        normal = normalise_fingerprint(fingerprint)
        if normal is None:
            return False
        moment = self._clock()
        with self._change() as conn:
            owner = conn.execute(
                select(certificates.c.user_id).where(certificates.c.fingerprint == normal)
            ).scalar()
            if owner is None:
                return False
            user = self._user_in(conn, owner)
            authority = self._authority_in(conn, user.authority_id)
            _in_scope(actor, authority)
            conn.execute(certificates.delete().where(certificates.c.fingerprint == normal))
            self._event(
                conn,
                at=moment,
                actor=actor,
                action=Action.USER_UNBIND_CERTIFICATE,
                authority=authority,
                user=user,
                details={"fingerprint": normal},
            )
        return True


def _fields(user: User) -> dict[str, Any]:
    return {name: getattr(user, name) for name in User.__dataclass_fields__}
