"""Versioned migrations are atomic on both back-ends: a failing migration leaves nothing behind.

On SQLite the driver used to commit schema changes statement by statement, so a migration that
failed halfway kept the tables it had created and the database was neither at the old nor at the
new version (found while rebuilding the protocol tables, issue 5).
"""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from datenspiegel.store import Migration, create_store_engine, migrate, schema_version


def _create_then_fail(conn: Connection) -> None:
    conn.execute(text("CREATE TABLE half_done (id INTEGER PRIMARY KEY)"))
    conn.execute(text("INSERT INTO half_done (id) VALUES (1)"))
    raise RuntimeError("the disk filled up in the middle of the migration")


def test_a_failing_migration_leaves_no_table_and_no_version(database_url: str) -> None:
    engine = create_store_engine(database_url)
    first = Migration(1, "a table", lambda c: c.execute(text("CREATE TABLE kept (id INTEGER)")))
    try:
        assert migrate(engine, "demo", [first]) == 1
        with pytest.raises(RuntimeError, match="disk filled up"):
            migrate(engine, "demo", [first, Migration(2, "half done", _create_then_fail)])
        tables = set(inspect(engine).get_table_names())
        assert "kept" in tables and "half_done" not in tables
        assert schema_version(engine, "demo") == 1
    finally:
        engine.dispose()
