"""Engine factory with the durability settings each back-end needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["create_store_engine", "is_sqlite"]


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def create_store_engine(
    url: str,
    *,
    durable: bool = True,
    pool_size: int = 5,
    lock_timeout: float = 30.0,
    volatile: bool = False,
) -> Engine:
    """Create an engine for ``url``.

    ``durable`` selects ``synchronous=FULL`` on SQLite (the protocol must survive a power cut
    once its commit returned); the read-mostly register may use ``NORMAL``. PostgreSQL is
    durable by its own configuration (``synchronous_commit``), which we never weaken — except
    on a ``volatile`` engine: state whose loss in a power cut does no harm and whose commits
    must not wait for the disk (replay claims, quota counters; SQLite ``NORMAL``, PostgreSQL
    ``synchronous_commit=off`` for its sessions). Never for the protocol.

    ``lock_timeout`` (seconds) bounds how long a statement waits for a lock held by someone
    else (SQLite ``busy_timeout``, PostgreSQL ``lock_timeout``) before it fails: a write-locked
    database must make a transaction fail fast, not hang a worker thread.
    """
    if lock_timeout <= 0:
        raise ValueError("lock_timeout must be positive")
    millis = max(1, round(lock_timeout * 1000))
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": lock_timeout}
    else:
        kwargs["pool_size"] = pool_size
        kwargs["pool_pre_ping"] = True
        if parsed.get_backend_name() == "postgresql":
            # libpq takes one ``options`` string: keep what the URL says (e.g. search_path).
            given = parsed.query.get("options")
            given = " ".join(given) if isinstance(given, tuple) else given
            # jit off: the service's statements are short index lookups; JIT compilation
            # cost a municipality-wide freie Suche at 10 M persons 1 of its 2.7 s
            # (docs/performance.md, "Ten million persons").
            options = f"-c lock_timeout={millis} -c jit=off"
            if volatile:
                options += " -c synchronous_commit=off"
            parsed = parsed.update_query_dict(
                {"options": f"{given} {options}" if given else options}
            )
    engine = create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        if durable and volatile:
            raise ValueError("an engine is either durable or volatile")
        synchronous = "FULL" if durable else "NORMAL"

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={millis}")
            cursor.close()

    return engine
