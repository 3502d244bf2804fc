"""A cheap, honest answer to "can this database take a durable write now?".

``select 1`` said "ok" while the broker database was write-locked or its disk full, and every
transaction then hung on the lock and failed. The probe here *writes*: it updates one row per
process in ``store_heartbeat`` and commits, so a lock, a full disk or a read-only database
shows as a failure. Tables named in ``lock_tables`` are also locked in the mode an INSERT takes
(PostgreSQL, ``NOWAIT``), so a conflicting lock on them is seen without waiting. On PostgreSQL
the wait for a lock is bounded by ``timeout``; SQLite locks the whole file, and waits the
engine's own busy timeout (the configured write timeout).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, text

from datenspiegel.store.engine import is_sqlite

__all__ = ["probe_write"]

# Created by revision 0002 of the broker history (histories/broker/versions): keep them alike.
_meta = MetaData()
_heartbeat = Table(
    "store_heartbeat",
    _meta,
    Column("holder", String(200), primary_key=True),
    Column("beat_at", DateTime(timezone=True), nullable=False),
)


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def probe_write(engine: Engine, *, timeout: float, lock_tables: Sequence[str] = ()) -> None:
    """Commit one small write within ``timeout`` seconds or raise the database's error."""
    millis = max(1, round(timeout * 1000))
    holder, now = _holder(), datetime.now(UTC)
    with engine.begin() as conn:
        if not is_sqlite(engine):  # SQLite waits its engine's busy timeout (the write timeout)
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {millis}")
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {millis * 2}")
            for table in lock_tables:
                conn.execute(text(f'LOCK TABLE "{table}" IN ROW EXCLUSIVE MODE NOWAIT'))
        updated = conn.execute(
            _heartbeat.update().where(_heartbeat.c.holder == holder).values(beat_at=now)
        ).rowcount
        if not updated:
            conn.execute(_heartbeat.insert().values(holder=holder, beat_at=now))
