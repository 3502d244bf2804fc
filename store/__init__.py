"""Shared database plumbing for the broker's stores (register, access, protocol).

Every store is given by a SQLAlchemy URL; SQLite (embedded, the default) and PostgreSQL
(scale-out) both work through SQLAlchemy Core. Nothing here knows about the domain.
"""

from datenspiegel.store.columns import JSON_DOCUMENT, UTCDateTime
from datenspiegel.store.engine import create_store_engine, is_sqlite
from datenspiegel.store.errors import SchemaVersionError, StoreError, StoreUnavailable
from datenspiegel.store.heartbeat import ensure_heartbeat, probe_write
from datenspiegel.store.migrations import Migration, migrate, schema_version

__all__ = [
    "JSON_DOCUMENT",
    "Migration",
    "SchemaVersionError",
    "StoreError",
    "StoreUnavailable",
    "UTCDateTime",
    "create_store_engine",
    "ensure_heartbeat",
    "is_sqlite",
    "migrate",
    "probe_write",
    "schema_version",
]
