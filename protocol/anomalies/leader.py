"""Exactly one evaluating process among all workers and hosts of one broker database.

Every worker of the running service tries, at each interval, to become *the* evaluator; one
succeeds and keeps the role while it lives, so that its :class:`~datenspiegel.protocol.
anomalies.engine.Evaluator` stays warm and each record is read once. Findings are keyed
stably, so two evaluators overlapping for a moment (a lease taken over) do no harm: the second
writes what the first wrote.

- **PostgreSQL** (several hosts): a session-level advisory lock
  (``pg_try_advisory_lock``) held on one connection of the leader. The server releases it
  when that connection ends — a worker that dies or loses its connection gives the role up at
  once. The lock key is made of this module's class and the schema in use, so that two
  deployments (or test schemas) in one database do not exclude each other.
- **SQLite** (one host; the file cannot be shared): a lease in the ``anomaly_evaluation`` row,
  claimed and renewed under the database's write lock (``BEGIN IMMEDIATE``, milliseconds —
  the protocol's appends must not wait for an evaluation). A worker that dies leaves its
  lease to expire (``lease`` seconds).

The sequencer of protocol/log.py takes the same two locks for each of its short runs; an
evaluation is longer (it reads the protocol), hence the held connection and the lease.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from datenspiegel.protocol.anomalies.store import FindingStore

__all__ = ["Leadership", "holder_name"]

log = logging.getLogger(__name__)

#: First half of the advisory lock key ("anom"); the second half is the schema's hash.
_PG_CLASS = 0x616E6F6D


def holder_name() -> str:
    """This process, as the lease and the logs name it: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Leadership:
    """Whether this process is the one that evaluates (see the module docstring)."""

    def __init__(
        self,
        store: FindingStore,
        *,
        lease: float = 30.0,
        clock: Callable[[], datetime],
        holder: str | None = None,
    ) -> None:
        self._store = store
        self._engine: Engine = store.engine
        self._lease = timedelta(seconds=lease)
        self._clock = clock
        self.holder = holder or holder_name()
        self._held: Connection | None = None
        #: whether the last acquire() succeeded (release() touches the database only then)
        self._holding = False

    @property
    def postgresql(self) -> bool:
        return self._engine.dialect.name == "postgresql"

    def acquire(self) -> bool:
        """True when this process evaluates now (taken, or still held)."""
        now = self._clock()
        if self.postgresql:
            if not self._advisory():
                self._holding = False
                return False
            # for the operator's eyes only (``anomalies status``): the lock decides
            self._store.claim(self.holder, now=now, until=now + self._lease, force=True)
            self._holding = True
            return True
        self._holding = self._store.claim(self.holder, now=now, until=now + self._lease)
        return self._holding

    def renew(self) -> bool:
        """Keep the role during a long run (SQLite: extend the lease)."""
        return self.acquire()

    def _advisory(self) -> bool:
        if self._held is not None:
            try:
                self._held.execute(text("select 1"))
                self._held.commit()
                return True
            except SQLAlchemyError as exc:
                log.warning("anomaly evaluation: lost the database connection: %s", exc)
                self._drop()
        conn = self._engine.connect()
        try:
            got = conn.execute(
                text("select pg_try_advisory_lock(:c, hashtext(current_schema()))"),
                {"c": _PG_CLASS},
            ).scalar()
            conn.commit()  # the lock is the session's; no transaction stays open
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            return False
        self._held = conn
        return True

    def _drop(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            try:
                held.invalidate()  # never back into the pool with the lock
            except SQLAlchemyError:
                pass

    def release(self) -> None:
        """Give the role up (a worker stopping); nothing to do for one that never held it."""
        if not self._holding:
            return
        self._holding = False
        if self.postgresql:
            held = self._held
            if held is not None:
                try:
                    held.execute(
                        text("select pg_advisory_unlock(:c, hashtext(current_schema()))"),
                        {"c": _PG_CLASS},
                    )
                    held.commit()
                    held.close()
                except SQLAlchemyError:
                    pass
                finally:
                    self._held = None
            return
        try:
            self._store.release(self.holder)
        except Exception as exc:  # stopping anyway; the lease expires by itself
            log.warning("anomaly evaluation: could not release the lease: %s", exc)
