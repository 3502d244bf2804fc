"""Errors of the § 40 protocol.

:class:`ProtocolUnavailable` is the one the transaction pipeline must treat as "fail closed":
when the record cannot be written durably, no register data may leave (DESIGN.md step 11).
"""

from __future__ import annotations

from datenspiegel.store.errors import StoreUnavailable

__all__ = [
    "DuplicateRecord",
    "InvalidRecord",
    "ProtocolError",
    "ProtocolUnavailable",
]


class ProtocolError(Exception):
    """Root of every error of :mod:`datenspiegel.protocol`."""


class InvalidRecord(ProtocolError, ValueError):
    """A protocol record, side effect or JSON form is incomplete or inconsistent."""


class ProtocolUnavailable(ProtocolError, StoreUnavailable):
    """The protocol database cannot be read or written (or is not durable): fail closed."""


class DuplicateRecord(ProtocolUnavailable):
    """A record with this ``record_id`` is already in the protocol; the new one was not written.

    A leaf of :class:`ProtocolUnavailable` because the consequence is the same: this
    transaction has no record of its own, so nothing may be sent.
    """
