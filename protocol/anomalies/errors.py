"""Errors of anomaly detection: leaves of :class:`~datenspiegel.protocol.errors.ProtocolError`."""

from __future__ import annotations

from datenspiegel.protocol.errors import ProtocolError

__all__ = [
    "AnomalyError",
    "InvalidConfig",
    "InvalidFinding",
    "InvalidTransition",
    "UnknownFinding",
]


class AnomalyError(ProtocolError):
    """Root of the errors of :mod:`datenspiegel.protocol.anomalies`."""


class InvalidConfig(AnomalyError, ValueError):
    """A threshold of :class:`~datenspiegel.protocol.anomalies.config.AnomalyConfig` is out of
    its bounds; the message names the setting and what is allowed."""


class InvalidFinding(AnomalyError, ValueError):
    """A finding that contradicts itself (no records, a window that ends before it starts)."""


class UnknownFinding(AnomalyError, LookupError):
    """No finding with this id is stored (:mod:`~datenspiegel.protocol.anomalies.store`)."""


class InvalidTransition(AnomalyError, ValueError):
    """A review step that does not fit the finding: a status it cannot be given, a reviewer
    or note missing; the message says what is allowed."""
