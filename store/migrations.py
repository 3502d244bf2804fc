"""Versioned schema migrations, one numbered list per component.

Each component (``register``, ``access``, ``protocol``) keeps its own ordered list of
:class:`Migration`; :func:`migrate` applies the ones the database has not seen yet, each in its
own transaction, and records the version in ``schema_version``. A database that is newer than
the code is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, String, Table, select
from sqlalchemy.engine import Connection

from datenspiegel.store.errors import SchemaVersionError

__all__ = ["Migration", "migrate", "schema_version"]

_meta = MetaData()
_schema_version = Table(
    "schema_version",
    _meta,
    Column("component", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _begin_immediate(conn: Connection) -> None:
    """Make a SQLite migration one transaction, its schema changes included.

    Python's sqlite3 driver opens a transaction only before a data change, so CREATE, ALTER and
    DROP would commit one by one and a failing migration would leave half its tables behind.
    ``IMMEDIATE`` takes the write lock first: a running broker waits rather than failing it.
    """
    dbapi_connection: Any = conn.connection.dbapi_connection
    if not dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def schema_version(engine: Engine, component: str) -> int:
    _meta.create_all(engine, checkfirst=True)
    with engine.connect() as conn:
        row = conn.execute(
            select(_schema_version.c.version).where(_schema_version.c.component == component)
        ).first()
    return int(row[0]) if row else 0


def migrate(engine: Engine, component: str, migrations: Sequence[Migration]) -> int:
    """Bring ``component``'s schema up to the newest migration; return the version reached."""
    versions = [m.version for m in migrations]
    if versions != sorted(versions) or len(set(versions)) != len(versions):
        raise ValueError(f"migrations of {component} must be strictly increasing: {versions}")
    current = schema_version(engine, component)
    newest = versions[-1] if versions else 0
    if current > newest:
        raise SchemaVersionError(
            f"the {component} database is at schema version {current}, this code knows only "
            f"up to {newest}: upgrade datenspiegel before using this database"
        )
    for migration in migrations:
        if migration.version <= current:
            continue
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                _begin_immediate(conn)
            migration.apply(conn)
            values = {
                "version": migration.version,
                "applied_at": datetime.now(UTC),
            }
            updated = conn.execute(
                _schema_version.update()
                .where(_schema_version.c.component == component)
                .values(**values)
            ).rowcount
            if not updated:
                conn.execute(_schema_version.insert().values(component=component, **values))
        current = migration.version
    return current
