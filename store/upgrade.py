"""Bring a database to its history's head, or tell where it stands — safely when many start.

:func:`upgrade` is what every store's ``migrate()`` and ``datenspiegel db upgrade`` run. A
database already at head costs one query (its version row). Otherwise the whole upgrade —
every pending revision, the baseline's legacy migrations included — is one transaction, taken
under a lock so that two processes starting at once do not both run it: SQLite ``BEGIN
IMMEDIATE`` (the write lock, the same care as the legacy runner), PostgreSQL a transaction-level
advisory lock per history and schema (DDL is transactional there). The second process waits,
then finds the database at head. A failing revision rolls everything back: nothing is left
half-done, and the version row still names the revision the database really has.

:func:`ensure_current` is the service's rule: a new, empty database is created, one at head is
used, and one behind is refused (:class:`SchemaOutdated`) — changing an existing database is
the operator's step, reviewed first (docs/schema-upgrades.md). A database newer than the code
is always refused (:class:`SchemaVersionError`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from alembic.migration import MigrationContext, MigrationInfo
from alembic.runtime.environment import EnvironmentContext
from sqlalchemy import Engine, Select, String, column, inspect, select, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from datenspiegel.store.errors import SchemaOutdated, SchemaVersionError, StoreUnavailable
from datenspiegel.store.history import History, alembic_config, script_directory
from datenspiegel.store.migrations import legacy_versions

__all__ = ["SchemaState", "ensure_current", "read_state", "upgrade"]


@dataclass(frozen=True, slots=True)
class SchemaState:
    """Where a database stands in its history."""

    history: History
    #: the revision in its version table; None: not under Alembic yet
    revision: str | None
    #: ``schema_version`` rows of the releases before Alembic (component → version)
    legacy: dict[str, int]

    @property
    def empty(self) -> bool:
        """A new database: neither an Alembic version nor a legacy one."""
        return self.revision is None and not self.legacy

    @property
    def at_head(self) -> bool:
        return self.revision == self.history.head

    @property
    def known(self) -> bool:
        """Whether this code knows the revision (False: a newer release upgraded it)."""
        if self.revision is None:
            return True
        return self.history.knows(self.revision)

    def describe(self) -> str:
        if self.empty:
            return "new (no tables yet)"
        if self.revision is None:
            legacy = ", ".join(f"{c} {v}" for c, v in sorted(self.legacy.items()))
            return f"made by a release before Alembic (legacy versions: {legacy})"
        if not self.known:
            return f"revision {self.revision}, unknown to this code (a newer release's)"
        return f"revision {self.revision}" + (" (head)" if self.at_head else "")


def _version_query(history: History) -> Select[Any]:
    return select(column("version_num", String)).select_from(table(history.version_table))


def _fast_revision(engine: Engine, history: History) -> str | None:
    """The version row in one query; None if it cannot be read (no table yet, or any error:
    the full path then finds out properly)."""
    query = _version_query(history)
    try:
        with engine.connect() as conn:
            rows = conn.execute(query).scalars().all()
    except DBAPIError:
        return None
    return str(rows[0]) if len(rows) == 1 else None


def read_state(conn: Connection, history: History) -> SchemaState:
    """Where the database on ``conn`` stands; reads only."""
    revision: str | None = None
    if inspect(conn).has_table(history.version_table):
        rows = conn.execute(_version_query(history)).scalars().all()
        if len(rows) > 1:
            raise SchemaVersionError(
                f"{history.what} has {len(rows)} rows in {history.version_table}: its history "
                "is linear, so this was changed by hand; restore it from the backup"
            )
        revision = str(rows[0]) if rows else None
    legacy = {c: v for c, v in legacy_versions(conn).items() if c in history.components}
    return SchemaState(history, revision, legacy)


def _refuse_unknown(state: SchemaState) -> None:
    if not state.known:
        raise SchemaVersionError(
            f"{state.history.what} is at schema revision {state.revision}, which this code does "
            f"not know (its newest is {state.history.head}): a newer datenspiegel upgraded it; "
            "run that release (or restore the backup taken before its upgrade)"
        )


def _lock(conn: Connection, history: History) -> None:
    """Make concurrent upgrades of one database take turns (held until the commit)."""
    if conn.dialect.name == "sqlite":
        dbapi_connection: Any = conn.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        # per history and schema: the tests' throw-away schemas share one database
        conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:name), hashtext(current_schema()))"),
            {"name": f"datenspiegel:{history.name}"},
        )


Announce = Callable[[str], None]


def upgrade(
    engine: Engine, history: History, *, announce: Announce | None = None, to: str | None = None
) -> SchemaState:
    """Bring the database on ``engine`` to ``history``'s head; return the state before.

    ``announce`` is told each revision as it is applied (progress for the command line).
    ``to`` stops at an earlier revision: a test of a revision's upgrade of what was written
    before it (the service and ``datenspiegel db upgrade`` always go to the head).
    """
    target = to or history.head
    if _fast_revision(engine, history) == target:
        return SchemaState(history, target, {})
    with engine.connect() as conn, conn.begin():
        _lock(conn, history)
        before = read_state(conn, history)
        _refuse_unknown(before)
        if before.revision != target:
            _run(conn, history, announce, target)
    return before


def ensure_current(engine: Engine, history: History) -> SchemaState:
    """Create a new database, accept one at head, refuse one behind or ahead (the service).

    A database that cannot be used is :class:`StoreUnavailable`, in one line."""
    head = history.head
    if _fast_revision(engine, history) == head:
        return SchemaState(history, head, {})
    try:
        with engine.connect() as conn:
            state = read_state(conn, history)
        _refuse_unknown(state)
        if state.empty:
            return upgrade(engine, history)
    except SQLAlchemyError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StoreUnavailable(f"{history.what} cannot be used: {first}") from exc
    if not state.at_head:
        raise SchemaOutdated(
            f"{history.what} is {state.describe()}; this release needs revision {head}: "
            "review the change (`datenspiegel db upgrade --sql`), take a backup, then run "
            "`datenspiegel db upgrade` (docs/schema-upgrades.md)"
        )
    return state


def _run(conn: Connection, history: History, announce: Announce | None, target: str) -> None:
    script = script_directory(history)

    def steps(revision: Any, _context: MigrationContext) -> Any:
        return script._upgrade_revs(target, revision)

    def applied(
        ctx: MigrationContext,
        step: MigrationInfo,
        heads: Collection[Any],
        run_args: Mapping[str, Any],
    ) -> None:
        if announce is not None:
            doc = getattr(step.up_revision, "doc", "")
            announce(f"{history.what}: ran revision {step.up_revision_id} ({doc})")

    with EnvironmentContext(
        alembic_config(history), script, fn=steps, destination_rev=target
    ) as environment:
        environment.configure(
            connection=conn,
            version_table=history.version_table,
            transactional_ddl=True,
            on_version_apply=applied,
        )
        environment.run_migrations()
