"""The one PostgreSQL advisory lock between a full reload and deliveries of changes.

A delivery applied to the served tables while a full reload fills its new ones would be lost
at the swap — and its id, recorded as applied, would make a retry a no-op. So on PostgreSQL a
full reload holds this lock exclusively for its whole run (waiting for running deliveries at
most the store's lock timeout), and every delivery takes it shared for its transaction,
failing at once while a reload runs. (On SQLite the reload is one write transaction: the
database's own write lock has the same effect.) Per schema: two registers in one database do
not block each other.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from datenspiegel.register.errors import RegisterBusyError

__all__ = ["hold_for_reload", "release_reload", "share_for_delivery"]

_KEY = "select hashtext(current_schema() || '.register_full_reload')"


def _key(conn: Connection) -> int:
    return int(conn.execute(text(_KEY)).scalar() or 0)


def hold_for_reload(conn: Connection) -> int:
    """Take the lock for a full reload on ``conn`` (session level); return its key."""
    key = _key(conn)
    try:
        conn.execute(text("select pg_advisory_lock(:k)"), {"k": key})
    except OperationalError as exc:  # lock_timeout: another reload, or a long delivery
        raise RegisterBusyError(
            "another full reload (or a delivery) is running on this register; wait for it to "
            "finish and start the reload again"
        ) from exc
    return key


def release_reload(conn: Connection, key: int) -> None:
    conn.execute(text("select pg_advisory_unlock(:k)"), {"k": key})


def share_for_delivery(conn: Connection) -> None:
    """In a delivery's transaction: refuse while a full reload runs."""
    held = conn.execute(
        text("select pg_try_advisory_xact_lock_shared(:k)"), {"k": _key(conn)}
    ).scalar()
    if not held:
        raise RegisterBusyError(
            "a full reload of this register is running; apply the delivery after it (the "
            "reload's stock must not already contain it)"
        )
