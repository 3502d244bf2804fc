"""The hand-written schema migrations of the releases before Alembic — frozen.

Each component (``access``, ``protocol``, ``register``, …) kept its own ordered list of
:class:`Migration`, with its version in ``schema_version``. Since the Alembic histories
(:mod:`datenspiegel.store.history`), these lists are the implementation of each history's
*baseline* revision, which runs them with :func:`apply_legacy` inside its one transaction: an
empty database and one made by an earlier release both reach the baseline the same way.

The lists are frozen: a schema change is a new Alembic revision (docs/schema-upgrades.md),
never a new :class:`Migration` — a database already past the baseline would not see it.
:func:`migrate` (each migration in its own transaction) stays for the tests that build the
databases of earlier releases. A database newer than the code is refused, not guessed at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Engine, Integer, MetaData, String, Table, inspect, select
from sqlalchemy.engine import Connection

from datenspiegel.store.errors import SchemaVersionError

__all__ = [
    "Migration",
    "apply_legacy",
    "legacy_versions",
    "migrate",
    "schema_version",
    "schema_version_table",
]

_meta = MetaData()
schema_version_table = Table(
    "schema_version",
    _meta,
    Column("component", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
_schema_version = schema_version_table


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


def legacy_versions(conn: Connection) -> dict[str, int]:
    """Every component's version in ``schema_version``, read only (empty: no such table)."""
    if not inspect(conn).has_table(_schema_version.name):
        return {}
    rows = conn.execute(select(_schema_version.c.component, _schema_version.c.version))
    return {str(component): int(version) for component, version in rows}


def _checked(component: str, migrations: Sequence[Migration], current: int) -> int:
    """The newest version of ``migrations``, after checking the list and ``current``."""
    versions = [m.version for m in migrations]
    if versions != sorted(versions) or len(set(versions)) != len(versions):
        raise ValueError(f"migrations of {component} must be strictly increasing: {versions}")
    newest = versions[-1] if versions else 0
    if current > newest:
        raise SchemaVersionError(
            f"the {component} database is at schema version {current}, this code knows only "
            f"up to {newest}: upgrade datenspiegel before using this database"
        )
    return newest


def _record(conn: Connection, component: str, version: int) -> None:
    values = {"version": version, "applied_at": datetime.now(UTC)}
    updated = conn.execute(
        _schema_version.update().where(_schema_version.c.component == component).values(**values)
    ).rowcount
    if not updated:
        conn.execute(_schema_version.insert().values(component=component, **values))


def migrate(engine: Engine, component: str, migrations: Sequence[Migration]) -> int:
    """Bring ``component``'s schema up to the newest migration; return the version reached.

    Each migration in its own transaction, as the releases before Alembic ran them (the tests
    build those releases' databases with it); the service upgrades through the Alembic
    histories instead (:func:`datenspiegel.store.upgrade.upgrade`).
    """
    current = schema_version(engine, component)
    _checked(component, migrations, current)
    for migration in migrations:
        if migration.version <= current:
            continue
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                _begin_immediate(conn)
            migration.apply(conn)
            _record(conn, component, migration.version)
        current = migration.version
    return current


def apply_legacy(conn: Connection, component: str, migrations: Sequence[Migration]) -> int:
    """The migrations ``component`` has not seen yet, on ``conn`` in the caller's transaction
    (the baseline revision's one transaction); return the version reached."""
    _meta.create_all(conn, checkfirst=True)
    current = legacy_versions(conn).get(component, 0)
    _checked(component, migrations, current)
    for migration in migrations:
        if migration.version > current:
            migration.apply(conn)
            _record(conn, component, migration.version)
            current = migration.version
    return current
