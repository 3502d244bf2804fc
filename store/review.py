"""The SQL an upgrade would run, printed for a DBA to review (``datenspiegel db upgrade --sql``).

Alembic's offline mode: no connection, the statements compiled for the database's dialect
with their values inline, in one ``BEGIN``/``COMMIT`` (as the online upgrade runs them). The
baseline cannot print the legacy migrations' Python; it prints what
:mod:`datenspiegel.store.baseline` says instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from alembic.migration import MigrationContext
from alembic.runtime.environment import EnvironmentContext
from sqlalchemy.engine import make_url

from datenspiegel.store.baseline import LEGACY_VERSIONS
from datenspiegel.store.history import History, alembic_config, script_directory

__all__ = ["render_upgrade"]


def render_upgrade(
    url: str,
    history: History,
    out: TextIO,
    *,
    start: str | None,
    legacy: Mapping[str, int] | None = None,
) -> None:
    """Write the SQL that upgrades a database of ``url``'s dialect from revision ``start``
    (None: a database without Alembic version — new, or with the ``legacy`` versions of a
    release before Alembic) to ``history``'s head."""
    script = script_directory(history)
    config = alembic_config(history)
    config.attributes[LEGACY_VERSIONS] = dict(legacy or {})
    dialect = make_url(url).get_backend_name()

    def steps(revision: Any, _context: MigrationContext) -> Any:
        return script._upgrade_revs("head", revision)

    with EnvironmentContext(
        config,
        script,
        fn=steps,
        as_sql=True,
        starting_rev=start,
        destination_rev="head",
    ) as environment:
        environment.configure(
            dialect_name=dialect,
            output_buffer=out,
            literal_binds=True,
            transactional_ddl=True,
            version_table=history.version_table,
        )
        with environment.begin_transaction():  # BEGIN; … COMMIT; around it all
            environment.run_migrations()
