"""Errors of the store plumbing."""


class StoreError(Exception):
    """Root of every store error."""


class StoreUnavailable(StoreError, RuntimeError):
    """A database cannot be read or written now. Every store raises a leaf of this for any
    database failure, so that callers handle "the database is down" in one way."""


class SchemaVersionError(StoreError, RuntimeError):
    """The database holds a newer schema than this code knows: refuse to touch it."""


class SchemaOutdated(StoreError, RuntimeError):
    """The database holds an older schema than this code needs, and the caller may not upgrade
    it: the operator upgrades it with ``datenspiegel db upgrade`` (after reviewing ``--sql``)."""
