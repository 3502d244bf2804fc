"""Full reload on SQLite: one write transaction that refills the register; readers keep the old.

SQLite in WAL mode (as every store engine opens it) lets readers go on reading the last
committed state while one writer works. So the whole reload is a single write transaction
(``BEGIN IMMEDIATE``): the served tables are dropped and created again as the database
declares them, the rows written with prepared ``executemany`` statements, the secondary
indexes created after the rows (one sorted build instead of ten million index inserts), the
streets and the delivery log written — then one commit swaps the new register in. Searches
running meanwhile read the previous register; none sees a half-loaded one. Pages the old
tables free are reused by the new rows within the transaction, so the file does not double.

For the duration, on the loading connection only: ``foreign_keys=OFF`` (every row comes from
its own record; dropping the old tables then does not visit their rows), a 256 MiB page cache
and in-memory sorting for the index builds (``synchronous`` stays the store's ``NORMAL``: in
WAL mode a commit costs no sync anyway, and a crash before it leaves the old register);
restored before the connection goes back to the pool. Other writers (a delivery) wait for the
commit, at most the store's lock timeout.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from datenspiegel.register.bulk_chunks import EncodedChunk
from datenspiegel.register.errors import ImportFormatError, RegisterBusyError
from datenspiegel.register.full_reload import LoadTotals
from datenspiegel.register.tablerows import COLUMNS, ROW_TABLES

__all__ = ["reload_sqlite"]

_TABLES = tuple(table.name for table in ROW_TABLES)
_BULK_PRAGMAS = (
    "PRAGMA foreign_keys=OFF",
    "PRAGMA cache_size=-262144",
    "PRAGMA temp_store=MEMORY",
)


def _schema(dbapi: Any) -> tuple[dict[str, str], list[str]]:
    """The CREATE TABLE text of each table, and the CREATE INDEX texts of their indexes."""
    marks = ", ".join("?" for _ in _TABLES)
    rows = dbapi.execute(
        f"SELECT type, name, tbl_name, sql FROM sqlite_master "  # noqa: S608
        f"WHERE tbl_name IN ({marks}) AND sql IS NOT NULL ORDER BY type DESC, name",
        _TABLES,
    ).fetchall()
    tables = {name: sql for kind, name, _, sql in rows if kind == "table"}
    indexes = [sql for kind, _, _, sql in rows if kind == "index"]
    return tables, indexes


def reload_sqlite(
    engine: Engine, chunks: Iterator[EncodedChunk], totals: LoadTotals, *, source: str, kind: str
) -> None:
    with engine.connect() as conn:
        dbapi: Any = conn.connection.dbapi_connection
        restore = {
            pragma: dbapi.execute(f"PRAGMA {pragma}").fetchone()[0]
            for pragma in ("foreign_keys", "cache_size", "temp_store")
        }
        for pragma in _BULK_PRAGMAS:
            dbapi.execute(pragma)
        try:
            _reload(conn, dbapi, chunks, totals, source=source, kind=kind)
        finally:
            if dbapi.in_transaction:
                dbapi.rollback()
            for pragma, value in restore.items():
                dbapi.execute(f"PRAGMA {pragma}={int(value)}")


def _begin(conn: Connection, dbapi: Any) -> None:
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except Exception as exc:
        if "locked" in str(exc):
            raise RegisterBusyError(
                "the register is being written by another process (a full reload or a "
                "delivery); try again when it has finished"
            ) from exc
        raise


def _reload(
    conn: Connection,
    dbapi: Any,
    chunks: Iterator[EncodedChunk],
    totals: LoadTotals,
    *,
    source: str,
    kind: str,
) -> None:
    _begin(conn, dbapi)
    tables, indexes = _schema(dbapi)
    missing = [name for name in _TABLES if name not in tables]
    if missing:
        raise ImportFormatError(f"the register has no table {missing[0]}: migrate it first")
    totals.count_previous(conn)
    for name in reversed(_TABLES):
        dbapi.execute(f"DROP TABLE {name}")
    for name in _TABLES:
        dbapi.execute(tables[name])
    inserts = [
        f"INSERT INTO {name} VALUES ({', '.join('?' for _ in COLUMNS[name])})"  # noqa: S608
        for name in _TABLES
    ]
    for chunk in chunks:
        for statement, rows in zip(inserts, chunk.tables, strict=True):
            if rows:
                try:
                    dbapi.executemany(statement, rows)
                except sqlite3.IntegrityError as exc:
                    raise _duplicate(chunk, exc) from None
    started = time.monotonic()
    for statement in indexes:
        dbapi.execute(statement)
    totals.seconds_index = time.monotonic() - started
    started = time.monotonic()
    totals.write_beside(conn, source=source, kind=kind)
    conn.commit()
    totals.seconds_swap = time.monotonic() - started


def _duplicate(chunk: EncodedChunk, exc: Exception) -> ImportFormatError:
    first = chunk.tables[0][0][0] if chunk.tables and chunk.tables[0] else None
    return ImportFormatError(
        f"the stock is inconsistent ({exc}; in the chunk from line {chunk.first_line}, first "
        f"id {first}): a full load names each record once; remove the duplicate and load again"
    )
