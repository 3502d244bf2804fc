"""Fixed-window counters shared by every process and host on one database.

One row per (key, window start); a request adds to the counters of each of its keys
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``, atomic on SQLite ≥ 3.35 and PostgreSQL; the
keys in sorted order, in the caller's transaction), and learns the new counts. Old windows are
deleted by :meth:`purge`. Nothing here knows what is counted (the service's quotas use it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import ReturningInsert

from datenspiegel.store.history import BROKER
from datenspiegel.store.migrations import Migration
from datenspiegel.store.upgrade import upgrade

__all__ = ["COMPONENT", "WindowCounters"]

COMPONENT = "windows"

_meta = MetaData()
_counters = Table(
    "window_counter",
    _meta,
    Column("key", String(120), primary_key=True),
    Column("window_start", BigInteger, primary_key=True),  # epoch seconds
    Column("count", Integer, nullable=False),
)


def _v1(conn: Connection) -> None:
    _meta.create_all(conn)


MIGRATIONS = [Migration(1, "fixed-window counters", _v1)]


@cache
def _increment(dialect: str) -> ReturningInsert[Any]:
    """The counting statement of one key, built once per dialect, so SQLAlchemy reuses its
    compiled form (a multi-row ``VALUES`` has no cache key and was compiled per request)."""
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(_counters)
    return (
        insert.values(key=bindparam("key"), window_start=bindparam("window_start"), count=1)
        .on_conflict_do_update(
            index_elements=[_counters.c.key, _counters.c.window_start],
            set_={"count": _counters.c.count + 1},
        )
        .returning(_counters.c.count)
    )


class WindowCounters:
    """Counters per key and window of ``window_seconds`` on ``engine``."""

    def __init__(self, engine: Engine, *, window_seconds: int = 60) -> None:
        if window_seconds < 1:
            raise ValueError("window_seconds must be at least 1")
        self._engine = engine
        self.window_seconds = window_seconds

    def migrate(self) -> int:
        """Upgrade the broker-state database (all of it) to head; return this component's
        frozen legacy version, which every database at or past the baseline has."""
        upgrade(self._engine, BROKER)
        return MIGRATIONS[-1].version

    def window_of(self, epoch_seconds: float) -> int:
        return int(epoch_seconds) // self.window_seconds * self.window_seconds

    def add(
        self, keys: Sequence[str], *, epoch_seconds: float, conn: Connection | None = None
    ) -> Mapping[str, int]:
        """Count one event for each of ``keys`` in the current window; return the counts. In
        the caller's transaction ``conn`` (on this engine's database), else in its own."""
        if not keys:
            return {}
        if conn is None:
            with self._engine.begin() as own:
                return self.add(keys, epoch_seconds=epoch_seconds, conn=own)
        start = self.window_of(epoch_seconds)
        statement = _increment(conn.dialect.name)
        return {  # one lock order for every process: the keys sorted
            key: int(conn.execute(statement, {"key": key, "window_start": start}).scalar_one())
            for key in sorted(set(keys))
        }

    def purge(self, *, epoch_seconds: float) -> int:
        """Delete windows before the previous one (idempotent; any process may run it)."""
        keep_from = self.window_of(epoch_seconds) - self.window_seconds
        with self._engine.begin() as conn:
            result = conn.execute(delete(_counters).where(_counters.c.window_start < keep_from))
        return int(result.rowcount or 0)
