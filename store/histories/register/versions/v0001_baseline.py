"""Baseline: the register database as the hand-written migrations built it.

Revision ID: 0001
Revises: (none)

The register's frozen legacy migrations (datenspiegel.register.migrations): an empty database
gets every table, a register of a release before Alembic the steps it lacks. See
datenspiegel.store.baseline for what ``--sql`` prints.
"""

from __future__ import annotations

from datenspiegel.store.baseline import LegacyComponent, upgrade_baseline

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def components() -> list[LegacyComponent]:
    from datenspiegel.register.migrations import FREIE_SUCHE_INDEXES, MIGRATIONS
    from datenspiegel.register.schema import metadata
    from datenspiegel.register.store import COMPONENT

    # register migration 3 created these indexes as text, beside the declared tables
    indexes = [
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(columns)})"
        for name, table, columns in FREIE_SUCHE_INDEXES
    ]
    return [LegacyComponent(COMPONENT, MIGRATIONS, metadata, extra_ddl=indexes)]


def upgrade() -> None:
    upgrade_baseline(components())


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
