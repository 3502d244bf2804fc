"""Full reload on PostgreSQL: ``COPY`` into new tables, indexes after, rename in one transaction.

1. Under an advisory lock (:mod:`~datenspiegel.register.pg_locks`: one full reload per
   schema at a time, and no delivery of changes meanwhile), the load tables
   ``<table>_load`` are created ``LIKE`` the served ones, each by its own connection in the
   transaction that fills it with ``COPY … FROM STDIN (FREEZE)`` — rows written frozen, so no
   vacuum has to rewrite ten million of them later, and a failed load leaves nothing behind.
2. Primary keys, the secondary indexes and the foreign keys are built once, on the full
   tables, as the served tables have them (read from the catalogue, so a later revision's
   index is rebuilt too), under the names ``<name>_load``; then ``ANALYZE``, so the first
   search after the swap is planned with statistics. The build runs on several connections
   at once (:func:`_build`), one index build per connection and core.
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
from concurrent.futures import ThreadPoolExecutor, as_completed
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
#: sort memory of the index builds of a load, shared by its build connections (each its share,
#: at least 64 MB; PostgreSQL's default of 64 MB makes the large builds sort on disk)
_INDEX_MEMORY_MB = 1024


@dataclass(frozen=True, slots=True)
class _Constraint:
    table: str
    name: str
    definition: str
    #: ``p`` primary key, ``u`` unique, ``f`` foreign key (``pg_constraint.contype``)
    kind: str
    #: the ``CREATE UNIQUE INDEX`` behind a primary key or unique constraint, else empty
    index_definition: str

    @property
    def needs_index(self) -> bool:
        return self.kind in ("p", "u")

    def as_index(self) -> _Index:
        return _Index(self.table, self.name, self.index_definition)


@dataclass(frozen=True, slots=True)
class _Index:
    table: str
    name: str
    definition: str


def _constraints(conn: Connection) -> list[_Constraint]:
    rows = conn.execute(
        text(
            "select c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), "
            "c.contype, case when c.contype in ('p', 'u') then pg_get_indexdef(c.conindid) "
            "else '' end "
            "from pg_constraint c join pg_class r on r.oid = c.conrelid "
            "where r.relnamespace = current_schema()::regnamespace and r.relname = any(:tables) "
            "and c.contype in ('p', 'u', 'f') order by c.contype desc, r.relname"
        ),
        {"tables": list(_TABLES)},
    ).all()
    return [
        _Constraint(table.split(".")[-1], name, definition, kind, index_definition)
        for table, name, definition, kind, index_definition in rows
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
    engine: Engine,
    chunks: Iterator[EncodedChunk],
    totals: LoadTotals,
    *,
    source: str,
    kind: str,
    builders: int = 2,
) -> None:
    """Load ``chunks`` beside the served register and swap them in (module docstring);
    ``builders`` connections build the indexes at once (about the database host's cores)."""
    if builders < 1:
        raise ValueError("builders must be at least 1")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as control:
        key = hold_for_reload(control)
        try:
            _reload(engine, control, chunks, totals, source=source, kind=kind, builders=builders)
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
    builders: int,
) -> None:
    constraints = _constraints(control)
    indexes = _indexes(control, {c.name for c in constraints})
    _drop_load_tables(control)  # left by a load that was killed
    try:
        _fill(engine, chunks)
        started = time.monotonic()
        _build(engine, constraints, indexes, builders=builders)
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

    The steps of the build and the swap lock tables in a fixed order, but another session may
    hold some of the same tables in its own transaction — a database-wide ``ANALYZE`` run inside
    one takes every table of every schema one by one and keeps them — and PostgreSQL then
    aborts one of the two. Each ``work`` is one transaction: rolled back whole, it is simply
    run again.
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


def _build(
    engine: Engine, constraints: list[_Constraint], indexes: list[_Index], *, builders: int
) -> None:
    """Keys, indexes and statistics of the load tables, in three steps.

    1. Every index — those behind the primary keys too — by ``CREATE [UNIQUE] INDEX``, on
       ``builders`` connections at once, the indexes of the largest tables first. A build takes
       a ``SHARE`` lock on its table only, so builds of the same table run side by side, and
       a build that waits for another session's lock holds no other lock: no deadlock.
       A stock that names a record twice fails here, on the primary key's unique index.
       PostgreSQL's own parallel workers are off for these builds: beside several builds at
       once they only added processes and merge work (docs/performance.md: the index phase
       at 1 M persons 25–29 s with them, 21–24 s without).
    2. One short transaction that first takes all load tables (the person table first) and
       attaches the constraints: the primary keys ``USING INDEX`` the indexes of step 1 (no
       second build), the foreign keys ``NOT VALID`` (no check yet).
    3. Per table, on ``builders`` connections at once: ``VALIDATE CONSTRAINT`` of its foreign
       keys (a ``SHARE UPDATE EXCLUSIVE`` lock of its own table and a ``ROW SHARE`` lock of the
       person table, so the checks of all tables run side by side), ``ANALYZE``, and
       autovacuum back on. Afterwards every constraint is validated, as in the served tables.

    A failure in any step leaves only load tables behind, which the caller drops.
    """
    unique = [c for c in constraints if c.needs_index]
    foreign = [c for c in constraints if not c.needs_index]
    sizes = _table_sizes(engine)
    builds = sorted(
        [c.as_index() for c in unique] + indexes, key=lambda index: -sizes.get(index.table, 0)
    )
    memory = max(_INDEX_MEMORY_MB // builders, 64)

    def build(index: _Index) -> Callable[[Connection], None]:
        def work(conn: Connection) -> None:
            conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{memory}MB'")
            conn.exec_driver_sql("SET LOCAL max_parallel_maintenance_workers = 0")
            try:
                conn.exec_driver_sql(_load_index_ddl(index))
            except IntegrityError as exc:
                raise _twice_in_stock(exc) from None

        return work

    _on_connections(engine, [build(index) for index in builds], builders)
    _retrying(engine, lambda conn: _attach(conn, unique, foreign))

    def settle(table: str) -> Callable[[Connection], None]:
        def work(conn: Connection) -> None:
            for constraint in foreign:
                if constraint.table == table:
                    try:
                        conn.exec_driver_sql(
                            f"ALTER TABLE {table}{LOAD_SUFFIX} "
                            f"VALIDATE CONSTRAINT {constraint.name}{LOAD_SUFFIX}"
                        )
                    except IntegrityError as exc:  # rows are made from their record: a bug
                        raise ImportFormatError(
                            f"the load is inconsistent ({_said(exc)}); the served register "
                            "is unchanged; report this with the stock file"
                        ) from None
            conn.exec_driver_sql(f"ANALYZE {table}{LOAD_SUFFIX}")
            conn.exec_driver_sql(
                f"ALTER TABLE {table}{LOAD_SUFFIX} "
                "RESET (autovacuum_enabled, toast.autovacuum_enabled)"
            )

        return work

    ordered = sorted(_TABLES, key=lambda table: -sizes.get(table, 0))
    _on_connections(engine, [settle(table) for table in ordered], builders)


def _table_sizes(engine: Engine) -> dict[str, int]:
    """Bytes of each load table: the order of the builds (the largest first, so that no large
    build is left to run alone at the end)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "select c.relname, pg_relation_size(c.oid) from pg_class c "
                "where c.relnamespace = current_schema()::regnamespace and c.relname = any(:names)"
            ),
            {"names": [f"{name}{LOAD_SUFFIX}" for name in _TABLES]},
        ).all()
    return {name.removesuffix(LOAD_SUFFIX): int(size) for name, size in rows}


def _on_connections(
    engine: Engine, jobs: list[Callable[[Connection], None]], connections: int
) -> None:
    """Each job in a transaction of its own, on up to ``connections`` connections at once.

    The first failure stops the jobs not yet begun, waits for those running, and is raised.
    """
    if connections <= 1:
        for job in jobs:
            _retrying(engine, job)
        return
    with ThreadPoolExecutor(max_workers=connections, thread_name_prefix="reload-build") as pool:
        futures = [pool.submit(_retrying, engine, job) for job in jobs]
        try:
            for future in as_completed(futures):
                future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _attach(conn: Connection, unique: list[_Constraint], foreign: list[_Constraint]) -> None:
    tables = ", ".join(f"{name}{LOAD_SUFFIX}" for name in _TABLES)
    conn.exec_driver_sql(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")
    for constraint in unique:
        kind = "PRIMARY KEY" if constraint.kind == "p" else "UNIQUE"
        conn.exec_driver_sql(
            f"ALTER TABLE {constraint.table}{LOAD_SUFFIX} ADD CONSTRAINT "
            f"{constraint.name}{LOAD_SUFFIX} {kind} USING INDEX {constraint.name}{LOAD_SUFFIX}"
        )
    for constraint in foreign:
        conn.exec_driver_sql(f"{_load_constraint_ddl(constraint)} NOT VALID")


def _said(exc: IntegrityError) -> str:
    detail = getattr(exc.orig, "diag", None)
    return getattr(detail, "message_detail", None) or str(exc.orig).splitlines()[0]


def _twice_in_stock(exc: IntegrityError) -> ImportFormatError:
    return ImportFormatError(
        f"the stock is inconsistent ({_said(exc)}): a full load names each record once; "
        "remove the duplicate and load again"
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
