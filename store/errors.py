"""Errors of the store plumbing."""


class StoreError(Exception):
    """Root of every store error."""


class SchemaVersionError(StoreError, RuntimeError):
    """The database holds a newer schema than this code knows: refuse to touch it."""
