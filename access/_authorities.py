"""Changes of an authority's registration (private to :mod:`datenspiegel.access.store`).

Only the operator (or the system) changes an authority: registration, blocks, networks and the
main administrator are the operator's acts (§ 39 BMG, Nds. NMeldVO § 26; DOMAIN.md § 7).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from datenspiegel.access._base import StoreBase, grund_of
from datenspiegel.access._certificates import check_certificate, insert_certificate
from datenspiegel.access._rows import anschrift_to_row, kontakt_to_row
from datenspiegel.access._schema import authorities, users
from datenspiegel.access.admin_log import SYSTEM, Action, Actor, ActorKind
from datenspiegel.access.errors import (
    DuplicateKennung,
    InvalidAuthority,
    InvalidNetwork,
    InvalidUser,
    NotPermitted,
)
from datenspiegel.access.model import (
    Authority,
    Behoerdenklasse,
    Hauptadministrator,
    Kontakt,
    User,
    UserRole,
)
from datenspiegel.access.networks import ALLE_NETZE, IPNetwork, check_netze, netze_to_json
from datenspiegel.access.status import append_status

__all__ = ["AuthorityChanges", "lines_of", "only_operator"]


def only_operator(actor: Actor, what: str) -> None:
    if actor.kind is ActorKind.ADMINISTRATOR:
        raise NotPermitted(
            f"{what} is the operator's act (§ 39 BMG, Nds. NMeldVO § 26); an authority's "
            "administrator manages only the users of its own authority"
        )


def lines_of(anschrift: Sequence[str] | str | None) -> tuple[str, ...] | None:
    """The address as lines; a text is split at its line breaks (the version 1 form)."""
    if anschrift is None:
        return None
    if isinstance(anschrift, str):
        return tuple(line.strip() for line in anschrift.splitlines() if line.strip())
    return tuple(anschrift)


def _administrator_details(admin: User, fingerprint: str | None) -> dict[str, Any]:
    return {
        "user_id": admin.id,
        "kennung": admin.kennung,
        "name": admin.name,
        "telefon": admin.kontakt.telefon if admin.kontakt else None,
        "email": admin.kontakt.email if admin.kontakt else None,
        "belehrt_am": admin.belehrt_am.isoformat() if admin.belehrt_am else None,
        "certificate": fingerprint,
    }


class AuthorityChanges(StoreBase):
    """Registration, blocks, networks and the main administrator of authorities."""

    def add_authority(
        self,
        *,
        kennung: str,
        name: str,
        klasse: Behoerdenklasse,
        untertyp: int | None = None,
        anschrift: Sequence[str] | str | None = None,
        kontakt: Kontakt | None = None,
        administrator: str | Hauptadministrator,
        netze: Sequence[IPNetwork] | None = None,
        protokollierung_durch_betreiber: bool = False,
        actor: Actor = SYSTEM,
    ) -> Authority:
        """Register an authority; its Kennung must be new.

        The operator registers an authority with its main administrator as a person
        (:class:`Hauptadministrator`: created as a user with the role ADMINISTRATOR, bound to
        its certificate if given) and names its client networks (§ 39 Abs. 3 BMG; the explicit
        :data:`~datenspiegel.access.networks.ALLE_NETZE` for "any"). Code acting as
        :data:`~datenspiegel.access.admin_log.SYSTEM` (demo data, tests, older scripts) may
        still name the administrator only and leave the networks out (then: any network).
        """
        only_operator(actor, "registering an authority")
        person = actor.kind is not ActorKind.SYSTEM
        if netze is None:
            if person:
                raise InvalidNetwork(
                    "name the client networks of the authority (§ 39 Abs. 3 BMG), or "
                    "explicitly any network (development and demos only)"
                )
            netze = ALLE_NETZE
        if person and not isinstance(administrator, Hauptadministrator):
            raise InvalidAuthority(
                "the operator registers the main administrator as a person: Kennung, name, "
                "contact, instruction date (§ 39 BMG, NMeldVO § 26; § 41 BMG)"
            )
        if isinstance(administrator, Hauptadministrator):
            admin: Hauptadministrator | None = administrator
            named = administrator.name
        else:
            admin, named = None, administrator
        moment = self._clock()
        authority = Authority(  # validate through the model: every message from one place
            id=0,
            kennung=kennung,
            name=name,
            klasse=klasse,
            untertyp=untertyp,
            anschrift=lines_of(anschrift),
            administrator=named,
            protokollierung_durch_betreiber=protokollierung_durch_betreiber,
            kontakt=kontakt,
            netze=check_netze(tuple(netze)),
        )
        if admin is not None:
            self._check_new_administrator(admin, moment)
        try:
            with self._change() as conn:
                if conn.execute(
                    select(authorities.c.id).where(authorities.c.kennung == kennung)
                ).first():
                    raise DuplicateKennung(f"an authority with Kennung {kennung!r} exists")
                new_id = self._insert_authority(conn, authority, moment)
                registered = self._authority_in(conn, new_id)
                append_status(
                    conn,
                    authority_id=new_id,
                    user_id=None,
                    at=moment,
                    actor=actor.label,
                    gesperrt=False,
                    grund=None,
                )
                admin_details: dict[str, Any] | str = registered.administrator
                if admin is not None:
                    registered, admin_details = self._register_administrator(
                        conn, registered, admin, moment, actor
                    )
                self._event(
                    conn,
                    at=moment,
                    actor=actor,
                    action=Action.AUTHORITY_ADD,
                    authority=registered,
                    details={
                        "name": registered.name,
                        "klasse": registered.klasse.value,
                        "untertyp": registered.untertyp,
                        "anschrift": list(registered.anschrift or ()),
                        **kontakt_to_row(registered.kontakt),
                        "protokollierung_durch_betreiber": (
                            registered.protokollierung_durch_betreiber
                        ),
                        "netze": netze_to_json(registered.netze),
                        "administrator": admin_details,
                    },
                )
        except IntegrityError as exc:
            raise DuplicateKennung(
                f"an authority with Kennung {kennung!r} exists (or its administrator's "
                "certificate is bound to another user)"
            ) from exc
        return registered

    @staticmethod
    def _insert_authority(conn: Connection, authority: Authority, moment: datetime) -> int:
        return int(
            conn.execute(
                authorities.insert()
                .values(
                    kennung=authority.kennung,
                    name=authority.name,
                    klasse=authority.klasse.value,
                    untertyp=authority.untertyp,
                    anschrift=anschrift_to_row(authority.anschrift),
                    administrator=authority.administrator,
                    protokollierung_durch_betreiber=authority.protokollierung_durch_betreiber,
                    gesperrt=False,
                    gesperrt_grund=None,
                    created_at=moment,
                    administrator_id=None,
                    netze=netze_to_json(authority.netze),
                    **kontakt_to_row(authority.kontakt),
                )
                .returning(authorities.c.id)
            ).scalar_one()
        )

    def _check_new_administrator(self, admin: Hauptadministrator, moment: datetime) -> None:
        if admin.belehrt_am > moment.date():
            raise InvalidUser(
                f"the instruction date {admin.belehrt_am.isoformat()} lies in the future"
            )
        if admin.certificate is not None:
            check_certificate(admin.certificate, moment)

    def _register_administrator(
        self,
        conn: Connection,
        authority: Authority,
        admin: Hauptadministrator,
        moment: datetime,
        actor: Actor,
    ) -> tuple[Authority, dict[str, Any]]:
        user_id = int(
            conn.execute(
                users.insert()
                .values(
                    authority_id=authority.id,
                    kennung=admin.kennung,
                    name=admin.name,
                    roles=[UserRole.ADMINISTRATOR.value],
                    erlaubte_elemente=None,
                    gesperrt=False,
                    gesperrt_grund=None,
                    created_at=moment,
                    belehrt_am=admin.belehrt_am,
                    **kontakt_to_row(admin.kontakt),
                )
                .returning(users.c.id)
            ).scalar_one()
        )
        append_status(
            conn,
            authority_id=authority.id,
            user_id=user_id,
            at=moment,
            actor=actor.label,
            gesperrt=False,
            grund=None,
        )
        fingerprint = None
        if admin.certificate is not None:
            fingerprint = insert_certificate(conn, user_id, admin.certificate, moment)
        conn.execute(
            authorities.update()
            .where(authorities.c.id == authority.id)
            .values(administrator_id=user_id, administrator=admin.name)
        )
        user = self._user_in(conn, user_id)
        return self._authority_in(conn, authority.id), _administrator_details(user, fingerprint)

    def block_authority(self, authority_id: int, *, grund: str, actor: Actor = SYSTEM) -> Authority:
        """Block every retrieval of the authority (the operator's right, DOMAIN.md § 7)."""
        only_operator(actor, "blocking an authority")
        reason = grund_of(grund, InvalidAuthority, required=True)
        return self._set_authority_block(authority_id, True, reason, actor)

    def unblock_authority(
        self, authority_id: int, *, grund: str | None = None, actor: Actor = SYSTEM
    ) -> Authority:
        """Lift the block; ``grund`` (optional) says why, for the history."""
        only_operator(actor, "unblocking an authority")
        reason = grund_of(grund, InvalidAuthority, required=False)
        return self._set_authority_block(authority_id, False, reason, actor)

    def _set_authority_block(
        self, authority_id: int, blocked: bool, grund: str | None, actor: Actor
    ) -> Authority:
        moment = self._clock()
        with self._change() as conn:
            current = self._authority_in(conn, authority_id)
            if current.gesperrt == blocked:
                raise InvalidAuthority(
                    f"authority {current.kennung} is already blocked ({current.gesperrt_grund})"
                    if blocked
                    else f"authority {current.kennung} is not blocked"
                )
            self._write_block(
                conn,
                authority=current,
                user=None,
                blocked=blocked,
                grund=grund,
                actor=actor,
                at=moment,
            )
            return self._authority_in(conn, authority_id)

    def set_networks(
        self, authority_id: int, netze: Sequence[IPNetwork], *, actor: Actor = SYSTEM
    ) -> Authority:
        """Replace the client networks (§ 39 Abs. 3 BMG); effective with the next request.
        Setting the networks it already has changes nothing and writes no event."""
        only_operator(actor, "setting an authority's networks")
        new = check_netze(tuple(netze))
        moment = self._clock()
        with self._change() as conn:
            current = self._authority_in(conn, authority_id)
            if current.netze == new:
                return current
            conn.execute(
                authorities.update()
                .where(authorities.c.id == authority_id)
                .values(netze=netze_to_json(new))
            )
            self._event(
                conn,
                at=moment,
                actor=actor,
                action=Action.AUTHORITY_SET_NETWORKS,
                authority=current,
                details={"from": netze_to_json(current.netze), "to": netze_to_json(new)},
            )
            return self._authority_in(conn, authority_id)

    def set_administrator(
        self, authority_id: int, user_id: int, *, actor: Actor = SYSTEM
    ) -> Authority:
        """Name the user ``user_id`` of the authority its main administrator (§ 39 BMG, NMeldVO
        § 26). The user gets the role ADMINISTRATOR if it lacks it, must be active, reachable
        (contact) and instructed (§ 41 BMG). The previous administrator keeps its roles."""
        only_operator(actor, "naming an authority's main administrator")
        moment = self._clock()
        with self._change() as conn:
            current = self._authority_in(conn, authority_id)
            user = self._user_in(conn, user_id)
            if user.authority_id != authority_id:
                raise InvalidUser(
                    f"user {user.kennung} (id {user.id}) is not a user of {current.kennung}"
                )
            if current.administrator_id == user_id:
                return current
            missing = [
                what
                for what, ok in (
                    ("is blocked", not user.gesperrt),
                    ("has no contact (telephone or e-mail)", user.kontakt is not None),
                    ("has no instruction date (§ 41 BMG)", user.belehrt_am is not None),
                )
                if not ok
            ]
            if missing:
                raise InvalidUser(
                    f"user {user.kennung} cannot be the main administrator: it "
                    + ", ".join(missing)
                    + " — fix that first (user change / user unblock)"
                )
            roles = user.roles | {UserRole.ADMINISTRATOR}
            if roles != user.roles:
                conn.execute(
                    users.update()
                    .where(users.c.id == user_id)
                    .values(roles=sorted(r.value for r in roles))
                )
            conn.execute(
                authorities.update()
                .where(authorities.c.id == authority_id)
                .values(administrator_id=user_id, administrator=user.name)
            )
            self._event(
                conn,
                at=moment,
                actor=actor,
                action=Action.AUTHORITY_SET_ADMIN,
                authority=current,
                details={
                    "from": {"user_id": current.administrator_id, "name": current.administrator},
                    "to": {"user_id": user.id, "kennung": user.kennung, "name": user.name},
                    "role_added": roles != user.roles,
                },
            )
            return self._authority_in(conn, authority_id)
