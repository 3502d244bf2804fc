"""Baseline: the broker-state database as the hand-written migrations built it.

Revision ID: 0001
Revises: (none)

Every component of the broker-state database with its frozen legacy migrations
(datenspiegel.store.migrations): an empty database gets every table, a database of a release
before Alembic the steps it lacks. See datenspiegel.store.baseline for what ``--sql`` prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import literal_column
from sqlalchemy.sql.expression import Executable

from datenspiegel.store.baseline import LegacyComponent, upgrade_baseline

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _protocol_seed() -> Sequence[Executable]:
    from datenspiegel.protocol._schema import log_state

    # protocol migration 4: the log's one state row (an empty database: tags from seq 1)
    return [
        log_state.insert().values(
            id=1, size=0, frontier=literal_column("'[]'"), tagged_from_seq=1, purged_until=0
        )
    ]


def components() -> list[LegacyComponent]:
    """In the order the service migrated them (Stores.migrate of the releases before)."""
    from datenspiegel.access import _schema as access
    from datenspiegel.protocol import _schema as protocol
    from datenspiegel.protocol import cases, payloads, replay
    from datenspiegel.service import merkmale
    from datenspiegel.store import windows

    return [
        LegacyComponent(access.COMPONENT, access.MIGRATIONS, access.metadata),
        LegacyComponent(
            protocol.COMPONENT, protocol.MIGRATIONS, protocol.metadata, seed=_protocol_seed
        ),
        LegacyComponent(replay.COMPONENT, replay.MIGRATIONS, replay._meta),
        LegacyComponent(windows.COMPONENT, windows.MIGRATIONS, windows._meta),
        LegacyComponent(payloads.COMPONENT, payloads.MIGRATIONS, payloads._meta),
        LegacyComponent("merkmal", merkmale._MIGRATIONS, merkmale._meta),
        LegacyComponent(cases.COMPONENT, cases.MIGRATIONS, cases._meta),
    ]


def upgrade() -> None:
    upgrade_baseline(components())


def downgrade() -> None:
    raise NotImplementedError("no downgrades: restore the backup taken before the upgrade")
