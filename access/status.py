"""Status history of authorities and users: active or blocked, since when, by whom, why.

The operator may block an authority or a user at any time (DOMAIN.md § 7); the authority
disables users who are no longer entitled (§ 39 BMG). The current state is on the authority's
and the user's row (``gesperrt``, ``gesperrt_grund``) where the decision step reads it on every
request; this history says how it came to be. Each registration writes the first row (active),
each block and unblock one more, in the change's own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from datenspiegel.access._schema import status
from datenspiegel.access.admin_log import ActorKind

__all__ = ["StatusChange", "append_status", "read_status", "read_status_since"]


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One entry of the history: from ``at`` on, the subject was (not) blocked."""

    at: datetime
    actor: str
    gesperrt: bool
    grund: str | None

    @property
    def status(self) -> str:
        return "blocked" if self.gesperrt else "active"

    @property
    def by_administrator(self) -> bool:
        """Made by an authority's administrator (not by the operator or the system):
        ``Actor.label`` begins with the actor's kind."""
        return self.actor.startswith(f"{ActorKind.ADMINISTRATOR.value} ")

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "status": self.status,
            "actor": self.actor,
            "grund": self.grund,
        }


def append_status(
    conn: Connection,
    *,
    authority_id: int,
    user_id: int | None,
    at: datetime,
    actor: str,
    gesperrt: bool,
    grund: str | None,
) -> None:
    conn.execute(
        status.insert().values(
            authority_id=authority_id,
            user_id=user_id,
            at=at,
            actor=actor,
            gesperrt=gesperrt,
            grund=grund,
        )
    )


def read_status(
    conn: Connection, *, authority_id: int, user_id: int | None = None
) -> list[StatusChange]:
    """The history of an authority (``user_id`` None) or one of its users, oldest first."""
    subject = status.c.user_id.is_(None) if user_id is None else status.c.user_id == user_id
    rows = conn.execute(
        select(status.c.at, status.c.actor, status.c.gesperrt, status.c.grund)
        .where(status.c.authority_id == authority_id, subject)
        .order_by(status.c.id)
    ).all()
    return [StatusChange(r.at, r.actor, bool(r.gesperrt), r.grund) for r in rows]


def read_status_since(
    conn: Connection, *, authority_id: int, since: datetime
) -> list[tuple[int | None, StatusChange]]:
    """Changes of the authority and its users from ``since`` on, oldest first, each with its
    user id (``None``: the authority itself)."""
    rows = conn.execute(
        select(status.c.user_id, status.c.at, status.c.actor, status.c.gesperrt, status.c.grund)
        .where(status.c.authority_id == authority_id, status.c.at >= since)
        .order_by(status.c.id)
    ).all()
    return [(r.user_id, StatusChange(r.at, r.actor, bool(r.gesperrt), r.grund)) for r in rows]
