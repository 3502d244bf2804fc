"""What a history's baseline revision does: the frozen hand-written migrations, in Alembic.

Revision 1 of each history (``histories/<name>/versions/v0001_baseline.py``) lists the
database's components as :class:`LegacyComponent` and calls :func:`upgrade_baseline`. Online it
runs each component's pending legacy migrations (:func:`~datenspiegel.store.migrations.
apply_legacy`) on Alembic's connection, inside the upgrade's one transaction: an empty database
gets every table, a database of an earlier release (``schema_version`` rows, no Alembic version
table) gets the steps it lacks.

Offline (``datenspiegel db upgrade --sql``) Python cannot run, so the baseline prints what a
DBA can review: for a new database the DDL of the tables as this code declares them (each
component's ``MetaData``, compiled for the database's dialect), the rows the legacy migrations
seed, and the ``schema_version`` rows — SQL that builds the same database (a test applies it
and compares); for a database of an earlier release the legacy steps it lacks, by number and
description, as comments: they rewrite rows and run only as ``datenspiegel db upgrade``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from alembic import op
from sqlalchemy import MetaData, func, literal, text
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlalchemy.sql.expression import Executable

from datenspiegel.store.migrations import Migration, apply_legacy, schema_version_table

__all__ = ["LEGACY_VERSIONS", "LegacyComponent", "upgrade_baseline"]

#: ``Config.attributes`` key under which an offline rendering is given the database's
#: ``schema_version`` rows (absent or empty: a new database).
LEGACY_VERSIONS = "datenspiegel.legacy_versions"


@dataclass(frozen=True, slots=True)
class LegacyComponent:
    """One component of a database as the releases before Alembic migrated it."""

    #: its row in ``schema_version``
    name: str
    #: its frozen migrations
    migrations: Sequence[Migration]
    #: its tables, as the code declares them (the offline rendering of a new database)
    metadata: MetaData
    #: DDL the migrations ran as text, beside the tables (offline rendering)
    extra_ddl: Sequence[str] = ()
    #: rows the migrations insert into a new database (offline rendering)
    seed: Callable[[], Sequence[Executable]] = field(default=lambda: ())


def upgrade_baseline(components: Sequence[LegacyComponent]) -> None:
    """The baseline's ``upgrade()``: run (online) or print (offline) the legacy migrations."""
    context = op.get_context()
    if not context.as_sql:
        connection = op.get_bind()
        for component in components:
            apply_legacy(connection, component.name, component.migrations)
        return
    attributes: Mapping[str, object] = context.config.attributes if context.config else {}
    known = attributes.get(LEGACY_VERSIONS) or {}
    assert isinstance(known, Mapping)
    if not known:
        _render_new(components)
        return
    for component in components:
        _render_pending(component, int(known.get(component.name, 0)))


def _render_new(components: Sequence[LegacyComponent]) -> None:
    _comment("-- baseline: the tables of a new database, as the code declares them")
    op.execute(CreateTable(schema_version_table))
    for component in components:
        _render_tables(component)
        _record_version(component, known=False)


def _render_tables(component: LegacyComponent) -> None:
    for table in component.metadata.sorted_tables:
        op.execute(CreateTable(table))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            op.execute(CreateIndex(index))
    for statement in component.extra_ddl:
        op.execute(text(statement))
    for row in component.seed():
        op.execute(row)


def _record_version(component: LegacyComponent, *, known: bool) -> None:
    newest = component.migrations[-1].version
    values = {"version": literal(newest), "applied_at": func.current_timestamp()}
    if known:
        op.execute(
            schema_version_table.update()
            .where(schema_version_table.c.component == literal(component.name))
            .values(**values)
        )
    else:
        op.execute(
            schema_version_table.insert().values(component=literal(component.name), **values)
        )


def _comment(line: str) -> None:
    """A line of the rendering for the reader (no statement, no terminator)."""
    op.get_context().impl.static_output(line)


def _render_pending(component: LegacyComponent, current: int) -> None:
    name = component.name
    if current == 0:
        _comment(f"-- {name}: not in this database yet; its tables as the code declares")
        _render_tables(component)
        _record_version(component, known=False)
        return
    pending = [m for m in component.migrations if m.version > current]
    if not pending:
        _comment(f"-- {name}: at legacy version {current}, nothing to do")
        return
    _comment(
        f"-- {name}: at legacy version {current}; these legacy migrations run in Python "
        "(they read and rewrite rows) and cannot be printed as SQL:"
    )
    for migration in pending:
        _comment(f"--   {name} {migration.version}: {migration.description}")
    _comment(
        "--   apply them with `datenspiegel db upgrade` (one transaction: a failure leaves "
        "nothing half-done), after a backup"
    )
