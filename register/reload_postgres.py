"""Full reload on PostgreSQL: ``COPY`` into new tables, indexes after, rename in one transaction.

1. Under an advisory lock (:mod:`~datenspiegel.register.pg_locks`: one full reload per
   schema at a time, and no delivery of changes meanwhile), the load tables
   ``<table>_load`` are created ``LIKE`` the served ones, each by its own connection in the
   transaction that fills it with ``COPY … FROM STDIN (FREEZE)`` — rows written frozen, so no
   vacuum has to rewrite ten million of them later, and a failed load leaves nothing behind.
2. Primary keys, the secondary indexes and the foreign keys are built once, on the full
   tables, as the served tables have them (read from the catalogue, so a later revision's
   index is rebuilt too), under the names ``<name>_load``; then ``ANALYZE``, so the first
   search after the swap is planned with statistics.
3. The swap, one transaction: the served tables are dropped, the load tables, their indexes
   and constraints renamed to the served names, the streets and the delivery log written. It
   waits for searches running on the old tables (they finish on the old register); searches
   arriving meanwhile wait for the commit and then read the new tables — a search never sees
   a half-loaded register, nor none.

Nothing here is visible to the service before the swap's commit.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from datenspiegel.register.bulk_chunks import EncodedChunk
from datenspiegel.register.errors import (
    ImportFormatError,
    RegisterUnavailableError,
)
from datenspiegel.register.full_reload import LoadTotals
from datenspiegel.register.pg_locks import hold_for_reload, release_reload
from datenspiegel.register.tablerows import ROW_TABLES

__all__ = ["LOAD_SUFFIX", "reload_postgres"]

LOAD_SUFFIX = "_load"
_TABLES = tuple(table.name for table in ROW_TABLES)
_PERSON = _TABLES[0]
#: bigger sort memory for the index builds of this session only
_INDEX_MEMORY = "512MB"


@dataclass(frozen=True, slots=True)
class _Constraint:
    table: str
    name: str
    definition: str


@dataclass(frozen=True, slots=True)
class _Index:
    table: str
    name: str
    definition: str


def _constraints(conn: Connection) -> list[_Constraint]:
    rows = conn.execute(
        text(
            "select c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype "
            "from pg_constraint c join pg_class r on r.oid = c.conrelid "
            "where r.relnamespace = current_schema()::regnamespace and r.relname = any(:tables) "
            "and c.contype in ('p', 'u', 'f') order by c.contype desc, r.relname"
        ),
        {"tables": list(_TABLES)},
    ).all()
    return [
        _Constraint(table.split(".")[-1], name, definition) for table, name, definition, _ in rows
    ]


def _indexes(conn: Connection, constraint_names: set[str]) -> list[_Index]:
    rows = conn.execute(
        text(
            "select tablename, indexname, indexdef from pg_indexes "
            "where schemaname = current_schema() and tablename = any(:tables) order by indexname"
        ),
        {"tables": list(_TABLES)},
    ).all()
    return [_Index(t, name, d) for t, name, d in rows if name not in constraint_names]


def _load_index_ddl(index: _Index) -> str:
    definition = index.definition.replace(
        f"INDEX {index.name} ON ", f"INDEX {index.name}{LOAD_SUFFIX} ON ", 1
    )
    table = re.escape(index.table)
    return re.sub(
        rf" ON ((?:\S+\.)?){table} ", rf" ON \g<1>{index.table}{LOAD_SUFFIX} ", definition, count=1
    )


def _load_constraint_ddl(constraint: _Constraint) -> str:
    definition = re.sub(
        rf"REFERENCES ((?:\S+\.)?){re.escape(_PERSON)}\(",
        rf"REFERENCES \g<1>{_PERSON}{LOAD_SUFFIX}(",
        constraint.definition,
    )
    return (
        f"ALTER TABLE {constraint.table}{LOAD_SUFFIX} "
        f"ADD CONSTRAINT {constraint.name}{LOAD_SUFFIX} {definition}"
    )


def _drop_load_tables(conn: Connection) -> None:
    names = ", ".join(f"{name}{LOAD_SUFFIX}" for name in reversed(_TABLES))
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {names}")


def reload_postgres(
    engine: Engine, chunks: Iterator[EncodedChunk], totals: LoadTotals, *, source: str, kind: str
) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as control:
        key = hold_for_reload(control)
        try:
            _reload(engine, control, chunks, totals, source=source, kind=kind)
        finally:
            release_reload(control, key)


def _reload(
    engine: Engine,
    control: Connection,
    chunks: Iterator[EncodedChunk],
    totals: LoadTotals,
    *,
    source: str,
    kind: str,
) -> None:
    constraints = _constraints(control)
    indexes = _indexes(control, {c.name for c in constraints})
    _drop_load_tables(control)  # left by a load that was killed
    try:
        _fill(engine, chunks)
        started = time.monotonic()
        _retrying(engine, lambda conn: _build(conn, constraints, indexes))
        totals.seconds_index = time.monotonic() - started
        started = time.monotonic()

        def swap(conn: Connection) -> None:
            totals.count_previous(conn)
            _swap(conn, constraints, indexes)
            totals.write_beside(conn, source=source, kind=kind)

        _retrying(engine, swap)
        totals.seconds_swap = time.monotonic() - started
    except BaseException:
        _retrying(engine, _drop_load_tables)
        raise


def _retrying(engine: Engine, work: Callable[[Connection], None]) -> None:
    """``work`` in one transaction, again after a deadlock (up to three times).

    The build and the swap lock tables in a fixed order, but another session may hold some of
    the same tables in its own transaction — a database-wide ``ANALYZE`` run inside one takes
    every table of every schema one by one and keeps them — and PostgreSQL then aborts one of
    the two. Everything here is one transaction: rolled back whole, it is simply run again.
    """
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                work(conn)
            return
        except OperationalError as exc:
            if not isinstance(exc.orig, psycopg.errors.DeadlockDetected) or attempt == 2:
                raise
            time.sleep(1.0 + attempt)


def _fill(engine: Engine, chunks: Iterator[EncodedChunk]) -> None:
    """Each load table created and filled by a connection of its own, in one transaction
    each, all committed at the end; a failure before rolls them all back (no table left)."""
    try:
        _fill_tables(engine, chunks)
    except psycopg.Error as exc:  # COPY runs on the driver's connections, beside SQLAlchemy
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RegisterUnavailableError(
            f"register database error while loading ({type(exc).__name__}: {first_line}); "
            "the served register is unchanged; check the database and load again"
        ) from exc


def _fill_tables(engine: Engine, chunks: Iterator[EncodedChunk]) -> None:
    with ExitStack() as stack:
        connections: list[Any] = []
        copies: list[Any] = []
        for name in _TABLES:
            raw = engine.raw_connection()
            stack.callback(raw.close)
            connection = raw.driver_connection
            assert connection is not None
            stack.callback(connection.rollback)  # a no-op after the commit below
            connections.append(connection)
            cursor = stack.enter_context(connection.cursor())
            # No autovacuum until the build has taken its locks: it would hold a table the
            # build then waits for (the build analyses them itself).
            cursor.execute(
                f"CREATE TABLE {name}{LOAD_SUFFIX} (LIKE {name} INCLUDING DEFAULTS) "
                "WITH (autovacuum_enabled = false, toast.autovacuum_enabled = false)"
            )
            copies.append(cursor.copy(f"COPY {name}{LOAD_SUFFIX} FROM STDIN (FREEZE)"))
        with ExitStack() as streams:  # a failure inside ends each COPY with an error
            writers = [streams.enter_context(copy) for copy in copies]
            for chunk in chunks:
                for writer, payload in zip(writers, chunk.tables, strict=True):
                    if payload:
                        writer.write(payload)
        for connection in connections:
            connection.commit()


def _build(control: Connection, constraints: list[_Constraint], indexes: list[_Index]) -> None:
    """Keys, indexes and statistics of the load tables, in one transaction that first takes
    all of them (the person table first), so no other session's lock comes in between."""
    control.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{_INDEX_MEMORY}'")
    tables = ", ".join(f"{name}{LOAD_SUFFIX}" for name in _TABLES)
    control.exec_driver_sql(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")
    for constraint in constraints:
        try:
            with control.begin_nested():
                control.exec_driver_sql(_load_constraint_ddl(constraint))
        except IntegrityError as exc:
            detail = getattr(exc.orig, "diag", None)
            said = getattr(detail, "message_detail", None) or str(exc.orig).splitlines()[0]
            raise ImportFormatError(
                f"the stock is inconsistent ({said}): a full load names each record once; "
                "remove the duplicate and load again"
            ) from None
    for index in indexes:
        control.exec_driver_sql(_load_index_ddl(index))
    for name in _TABLES:
        control.exec_driver_sql(f"ANALYZE {name}{LOAD_SUFFIX}")
        control.exec_driver_sql(
            f"ALTER TABLE {name}{LOAD_SUFFIX} RESET (autovacuum_enabled, toast.autovacuum_enabled)"
        )


def _swap(conn: Connection, constraints: list[_Constraint], indexes: list[_Index]) -> None:
    served = ", ".join(_TABLES)
    loaded = ", ".join(f"{name}{LOAD_SUFFIX}" for name in _TABLES)
    conn.exec_driver_sql(f"LOCK TABLE {served}, {loaded} IN ACCESS EXCLUSIVE MODE")
    conn.exec_driver_sql(f"DROP TABLE {', '.join(reversed(_TABLES))}")
    for name in _TABLES:
        conn.exec_driver_sql(f"ALTER TABLE {name}{LOAD_SUFFIX} RENAME TO {name}")
    for constraint in constraints:
        conn.exec_driver_sql(
            f"ALTER TABLE {constraint.table} RENAME CONSTRAINT "
            f"{constraint.name}{LOAD_SUFFIX} TO {constraint.name}"
        )
    for index in indexes:
        conn.exec_driver_sql(f"ALTER INDEX {index.name}{LOAD_SUFFIX} RENAME TO {index.name}")
