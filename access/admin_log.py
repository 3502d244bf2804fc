"""The administrative event log: every change of the access registry, who made it and when.

The operator registers authorities, blocks them, sets their networks and administrators; the
authorities' administrators manage their users (§ 39 BMG, Nds. NMeldVO § 26; DOMAIN.md § 7).
Each such change is one :class:`AdminEvent` — when (UTC), who (:class:`Actor`: the operator by
name, an administrator by user id and authority, or the system), what (:class:`Action`), on
which authority and user (by Kennung), and the details of what changed (never secrets: no
keys, no passwords; certificates by fingerprint). The log is append-only: nothing here updates
or deletes an event, and the ``seq`` numbers are never reused (SQLite ``AUTOINCREMENT``).

**Why it lives in ``access`` and not in ``protocol``.** An event must be written in the same
transaction as the change it describes — a change without its event, or an event of a change
that was rolled back, would make the log worthless. The :class:`~datenspiegel.access.store.
AccessStore` owns that transaction, so it writes the event itself
(:func:`append_event` on its connection). Putting the table into ``protocol`` would need either
an ``access → protocol`` import, which the dependency direction of DESIGN.md does not have
(``access`` and ``protocol`` are siblings that only ``service`` joins), or a writer handed in
from outside — optional, so a store opened without it would change the registry silently.
So the table is ``access_event`` in the access component's own migrations, and the log is
read through :meth:`AccessStore.admin_events` (the operator's CLI) or :func:`read_events` on a
connection (for ``protocol`` when step 5 takes these events into its evidence chain, through
``service``). It is not the § 40 protocol of retrievals: it records the registry's changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, RowMapping

from datenspiegel.access._schema import events
from datenspiegel.access.errors import AccessError, InvalidActor

__all__ = [
    "SYSTEM",
    "Action",
    "Actor",
    "ActorKind",
    "AdminEvent",
    "append_event",
    "read_events",
]

_MAX_ACTOR = 120


class ActorKind(Enum):
    """Who acts on the registry."""

    #: A person of the operator (the state IT service provider), by name.
    OPERATOR = "operator"
    #: An administrator of an authority (a user with the role ADMINISTRATOR).
    ADMINISTRATOR = "administrator"
    #: A program without a person behind it: ``datenspiegel init``'s demo data, tests.
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change, as the event log and the status history name them."""

    kind: ActorKind
    name: str
    authority_kennung: str | None = None
    user_id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, ActorKind):
            raise InvalidActor(f"kind must be an ActorKind, not {self.kind!r}")
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidActor("a change needs the name of who makes it (the operator's name)")
        if len(self.name) > _MAX_ACTOR or "\x00" in self.name:
            raise InvalidActor(f"the actor's name must be at most {_MAX_ACTOR} plain characters")
        if (self.kind is ActorKind.ADMINISTRATOR) != (
            self.authority_kennung is not None and self.user_id is not None
        ):
            raise InvalidActor(
                "an administrator acts as a user (id) of an authority (Kennung); "
                "only administrators carry them"
            )

    @classmethod
    def operator(cls, name: str) -> Actor:
        return cls(ActorKind.OPERATOR, name.strip() if isinstance(name, str) else name)

    @classmethod
    def administrator(cls, *, user_id: int, kennung: str, authority_kennung: str) -> Actor:
        return cls(ActorKind.ADMINISTRATOR, kennung, authority_kennung, user_id)

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(ActorKind.SYSTEM, name)

    @property
    def label(self) -> str:
        """One line for the status history and human output."""
        if self.kind is ActorKind.ADMINISTRATOR:
            return f"administrator {self.name} (user {self.user_id}, {self.authority_kennung})"
        return f"{self.kind.value} {self.name}"

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "name": self.name,
            "authority": self.authority_kennung,
            "user_id": self.user_id,
        }


#: Changes made by code without a person (``datenspiegel init``, tests, scripts that do not
#: say who they act for). The operator's CLI never uses it: ``--operator`` is required.
SYSTEM = Actor.system("datenspiegel")


class Action(Enum):
    """What changed. The value is the event's ``action``."""

    AUTHORITY_ADD = "authority.add"
    AUTHORITY_BLOCK = "authority.block"
    AUTHORITY_UNBLOCK = "authority.unblock"
    AUTHORITY_SET_NETWORKS = "authority.set-networks"
    AUTHORITY_SET_ADMIN = "authority.set-admin"
    AUTHORITY_SET_PROTOCOL_KEY = "authority.set-protocol-key"
    USER_ADD = "user.add"
    USER_CHANGE = "user.change"
    USER_BLOCK = "user.block"
    USER_UNBLOCK = "user.unblock"
    USER_DELETE = "user.delete"
    USER_BIND_CERTIFICATE = "user.bind-certificate"
    USER_UNBIND_CERTIFICATE = "user.unbind-certificate"
    #: The operator's audits of an authority's measures (access/audit_store.py).
    AUDIT_OPEN = "audit.open"
    AUDIT_NOTE = "audit.note"
    AUDIT_DEMAND = "audit.demand"
    AUDIT_FULFIL = "audit.fulfil"
    AUDIT_WITHDRAW = "audit.withdraw"
    AUDIT_CLOSE = "audit.close"


@dataclass(frozen=True, slots=True)
class AdminEvent:
    """One administrative change, as the log keeps it."""

    seq: int
    event_id: str
    at: datetime
    actor: Actor
    action: Action
    authority_kennung: str | None
    #: The user's Kennung for user changes; ``None`` for the authority's own settings.
    target: str | None
    details: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "event_id": self.event_id,
            "at": self.at.isoformat(),
            "actor": self.actor.as_json(),
            "action": self.action.value,
            "authority": self.authority_kennung,
            "target": self.target,
            "details": dict(self.details),
        }


def append_event(
    conn: Connection,
    *,
    at: datetime,
    actor: Actor,
    action: Action,
    authority_kennung: str | None,
    target: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> str:
    """Append one event within the caller's transaction (the change's); return its id."""
    event_id = str(uuid.uuid4())
    conn.execute(
        events.insert().values(
            event_id=event_id,
            at=at,
            actor_kind=actor.kind.value,
            actor_name=actor.name,
            actor_authority=actor.authority_kennung,
            actor_user_id=actor.user_id,
            action=action.value,
            authority_kennung=authority_kennung,
            target=target,
            details=dict(details or {}),
        )
    )
    return event_id


def _event(row: RowMapping) -> AdminEvent:
    return AdminEvent(
        seq=row["seq"],
        event_id=row["event_id"],
        at=row["at"],
        actor=Actor(
            ActorKind(row["actor_kind"]),
            row["actor_name"],
            row["actor_authority"],
            row["actor_user_id"],
        ),
        action=Action(row["action"]),
        authority_kennung=row["authority_kennung"],
        target=row["target"],
        details=MappingProxyType(dict(row["details"] or {})),
    )


def read_events(
    conn: Connection,
    *,
    authority_kennung: str | None = None,
    since: datetime | None = None,
    after_seq: int | None = None,
    limit: int = 1000,
    newest_first: bool = False,
) -> list[AdminEvent]:
    """Events in ``seq`` order (or newest first), optionally of one authority, from a time on
    or after a known ``seq`` (for a reader that follows the log)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 100_000:
        raise AccessError(f"limit must be 1–100000, not {limit!r}")
    query = select(events)
    if authority_kennung is not None:
        query = query.where(events.c.authority_kennung == authority_kennung)
    if since is not None:
        query = query.where(events.c.at >= since)
    if after_seq is not None:
        query = query.where(events.c.seq > after_seq)
    order = events.c.seq.desc() if newest_first else events.c.seq
    rows = conn.execute(query.order_by(order).limit(limit)).mappings().all()
    return [_event(r) for r in rows]
