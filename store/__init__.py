"""Shared database plumbing for the broker's stores (register, access, protocol).

Every store is given by a SQLAlchemy URL; SQLite (embedded, the default) and PostgreSQL
(scale-out) both work through SQLAlchemy Core. Nothing here knows about the domain — except
the revision scripts of the two schema histories (``histories/``), which are application code
that Alembic loads when a database is upgraded (:mod:`datenspiegel.store.history`).
"""

from datenspiegel.store.columns import JSON_DOCUMENT, UTCDateTime
from datenspiegel.store.engine import create_store_engine, is_sqlite
from datenspiegel.store.errors import (
    SchemaOutdated,
    SchemaVersionError,
    StoreError,
    StoreUnavailable,
)
from datenspiegel.store.heartbeat import probe_write
from datenspiegel.store.history import BROKER, REGISTER, History
from datenspiegel.store.migrations import Migration, migrate, schema_version
from datenspiegel.store.upgrade import SchemaState, ensure_current, upgrade

__all__ = [
    "BROKER",
    "JSON_DOCUMENT",
    "REGISTER",
    "History",
    "Migration",
    "SchemaOutdated",
    "SchemaState",
    "SchemaVersionError",
    "StoreError",
    "StoreUnavailable",
    "UTCDateTime",
    "create_store_engine",
    "ensure_current",
    "is_sqlite",
    "migrate",
    "probe_write",
    "schema_version",
    "upgrade",
]
