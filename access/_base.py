"""The access store's plumbing and reads, shared by its authority and user changes.

Private to :mod:`datenspiegel.access.store`. A change runs in one transaction that first takes
the write lock (SQLite ``BEGIN IMMEDIATE``; PostgreSQL row locks ``FOR UPDATE`` on what it
reads), so the check and the write see the same state, and the change, its status row and its
event (:mod:`datenspiegel.access.admin_log`) commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from datenspiegel.access._rows import authority_from_row, user_from_row
from datenspiegel.access._schema import (
    MIGRATIONS,
    authorities,
    certificates,
    users,
)
from datenspiegel.access.admin_log import Action, Actor, AdminEvent, append_event, read_events
from datenspiegel.access.errors import (
    AccessError,
    AccessStoreUnavailable,
    UnknownAuthority,
    UnknownUser,
)
from datenspiegel.access.model import Authority, User
from datenspiegel.access.status import (
    StatusChange,
    append_status,
    read_status,
    read_status_since,
)
from datenspiegel.store import BROKER, create_store_engine, upgrade

__all__ = ["BoundCertificate", "StoreBase", "grund_of"]


@dataclass(frozen=True, slots=True)
class BoundCertificate:
    """A signing certificate registered for a user."""

    fingerprint: str
    user_id: int
    subject: str
    serial: str
    not_after: datetime
    bound_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "subject": self.subject,
            "serial": self.serial,
            "not_after": self.not_after.isoformat(),
            "bound_at": self.bound_at.isoformat(),
        }


def grund_of(grund: str | None, error: type[ValueError], *, required: bool) -> str | None:
    """The reason of a block (required) or of lifting it (optional), stripped."""
    if grund is None and not required:
        return None
    if not isinstance(grund, str) or not grund.strip():
        raise error("blocking needs a reason (grund): it is shown to the operator and protocol")
    return grund.strip()


def _now() -> datetime:
    return datetime.now(UTC)


class StoreBase:
    """Engine, transactions, migrations and the reads of the access registry."""

    def __init__(
        self,
        url: str | None = None,
        *,
        engine: Engine | None = None,
        lock_timeout: float = 30.0,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        """On its own database (``url``) or on the broker database's one shared ``engine``."""
        if engine is None:
            if url is None:
                raise ValueError("AccessStore needs a URL or an engine")
            engine = create_store_engine(url, durable=True, lock_timeout=lock_timeout)
        self._engine = engine
        #: the connection of a running :meth:`atomically` block, per thread/task
        self._current: ContextVar[Connection | None] = ContextVar(
            f"access-tx-{id(self)}", default=None
        )
        self._clock = clock

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    dispose = close

    @contextmanager
    def atomically(self) -> Iterator[None]:
        """Several changes of this thread as one: they commit together or not at all (e.g. a
        user's data and its certificates, issue 8: a refused change changes nothing)."""
        if self._current.get() is not None:
            yield  # already inside one
            return
        with self._change() as conn:
            token = self._current.set(conn)
            try:
                yield
            finally:
                self._current.reset(token)

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        current = self._current.get()
        if current is not None:  # inside atomically(): the one transaction
            yield current
            return
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

    @contextmanager
    def _change(self) -> Iterator[Connection]:
        """A transaction for a change: the write lock first (see the module docstring)."""
        with self._tx() as conn:
            if conn.dialect.name == "sqlite":
                dbapi_connection: Any = conn.connection.dbapi_connection
                if not dbapi_connection.in_transaction:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    def migrate(self) -> int:
        """Create or upgrade the broker-state database (all of it: its Alembic history) to
        head; return the ``access`` component's frozen legacy version, which every database at
        or past the baseline has."""
        try:
            upgrade(self._engine, BROKER)
            return MIGRATIONS[-1].version
        except SQLAlchemyError as exc:
            raise AccessStoreUnavailable(f"cannot migrate the access schema: {exc}") from exc

    # -- within a change's transaction -------------------------------------------------------

    @staticmethod
    def _authority_in(conn: Connection, authority_id: int) -> Authority:
        row = (
            conn.execute(
                select(authorities).where(authorities.c.id == authority_id).with_for_update()
            )
            .mappings()
            .first()
        )
        if row is None:
            raise UnknownAuthority(f"no authority with id {authority_id} is registered")
        return authority_from_row(row)

    @staticmethod
    def _user_in(conn: Connection, user_id: int) -> User:
        row = (
            conn.execute(select(users).where(users.c.id == user_id).with_for_update())
            .mappings()
            .first()
        )
        if row is None:
            raise UnknownUser(f"no user with id {user_id} is registered")
        return user_from_row(row)

    def _write_block(
        self,
        conn: Connection,
        *,
        authority: Authority,
        user: User | None,
        blocked: bool,
        grund: str | None,
        actor: Actor,
        at: datetime,
    ) -> None:
        """Block or unblock the authority (``user`` None) or one of its users: the row, its
        status history and the event, in the caller's change."""
        table, row_id = (authorities, authority.id) if user is None else (users, user.id)
        conn.execute(
            table.update()
            .where(table.c.id == row_id)
            .values(
                gesperrt=blocked,
                gesperrt_grund=grund if blocked else None,
                gesperrt_at=at if blocked else None,
            )
        )
        append_status(
            conn,
            authority_id=authority.id,
            user_id=None if user is None else user.id,
            at=at,
            actor=actor.label,
            gesperrt=blocked,
            grund=grund,
        )
        if user is None:
            action = Action.AUTHORITY_BLOCK if blocked else Action.AUTHORITY_UNBLOCK
        else:
            action = Action.USER_BLOCK if blocked else Action.USER_UNBLOCK
        self._event(
            conn,
            at=at,
            actor=actor,
            action=action,
            authority=authority,
            user=user,
            details={"grund": grund},
        )

    def _event(
        self,
        conn: Connection,
        *,
        at: datetime,
        actor: Actor,
        action: Action,
        authority: Authority,
        user: User | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> str:
        return append_event(
            conn,
            at=at,
            actor=actor,
            action=action,
            authority_kennung=authority.kennung,
            target=user.kennung if user is not None else None,
            details={
                **({"authority_id": authority.id} if user is None else {"user_id": user.id}),
                **(details or {}),
            },
        )

    # -- reads -------------------------------------------------------------------------------

    def authority(self, authority_id: int) -> Authority | None:
        with self._tx() as conn:
            row = (
                conn.execute(select(authorities).where(authorities.c.id == authority_id))
                .mappings()
                .first()
            )
        return authority_from_row(row) if row else None

    def authority_by_kennung(self, kennung: str) -> Authority | None:
        with self._tx() as conn:
            row = (
                conn.execute(select(authorities).where(authorities.c.kennung == kennung))
                .mappings()
                .first()
            )
        return authority_from_row(row) if row else None

    def authorities(self) -> list[Authority]:
        with self._tx() as conn:
            rows = conn.execute(select(authorities).order_by(authorities.c.id)).mappings().all()
        return [authority_from_row(r) for r in rows]

    def user(self, user_id: int) -> User | None:
        with self._tx() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
        return user_from_row(row) if row else None

    def user_by_kennung(self, authority_id: int, kennung: str) -> User | None:
        """The user with ``kennung`` within the authority (§ 40 Nr. 6 BMG: unique there)."""
        with self._tx() as conn:
            row = (
                conn.execute(
                    select(users).where(
                        users.c.authority_id == authority_id, users.c.kennung == kennung
                    )
                )
                .mappings()
                .first()
            )
        return user_from_row(row) if row else None

    def users(self, authority_id: int) -> list[User]:
        with self._tx() as conn:
            rows = (
                conn.execute(
                    select(users).where(users.c.authority_id == authority_id).order_by(users.c.id)
                )
                .mappings()
                .all()
            )
        return [user_from_row(r) for r in rows]

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

    def certificates_of_authority(self, authority_id: int) -> list[BoundCertificate]:
        """Every certificate bound to a user of the authority, soonest expiry first."""
        with self._tx() as conn:
            rows = (
                conn.execute(
                    select(certificates)
                    .join(users, users.c.id == certificates.c.user_id)
                    .where(users.c.authority_id == authority_id)
                    .order_by(certificates.c.not_after, certificates.c.fingerprint)
                )
                .mappings()
                .all()
            )
        return [BoundCertificate(**dict(r)) for r in rows]

    def status_history(self, authority_id: int, user_id: int | None = None) -> list[StatusChange]:
        """How the authority (or one of its users) came to its current state, oldest first."""
        with self._tx() as conn:
            return read_status(conn, authority_id=authority_id, user_id=user_id)

    def status_changes_since(
        self, authority_id: int, since: datetime
    ) -> list[tuple[int | None, StatusChange]]:
        """Blocks and unblocks (and registrations) of the authority and its users since
        ``since``; the user id is ``None`` for the authority's own."""
        with self._tx() as conn:
            return read_status_since(conn, authority_id=authority_id, since=since)

    def admin_events(
        self,
        *,
        authority_kennung: str | None = None,
        since: datetime | None = None,
        after_seq: int | None = None,
        limit: int = 1000,
        newest_first: bool = False,
    ) -> list[AdminEvent]:
        """The administrative event log (:mod:`datenspiegel.access.admin_log`)."""
        with self._tx() as conn:
            return read_events(
                conn,
                authority_kennung=authority_kennung,
                since=since,
                after_seq=after_seq,
                limit=limit,
                newest_first=newest_first,
            )
