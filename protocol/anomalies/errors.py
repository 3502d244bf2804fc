"""Errors of anomaly detection: leaves of :class:`~datenspiegel.protocol.errors.ProtocolError`."""

from __future__ import annotations

from datenspiegel.protocol.errors import ProtocolError

__all__ = ["AnomalyError", "InvalidConfig", "InvalidFinding"]


class AnomalyError(ProtocolError):
    """Root of the errors of :mod:`datenspiegel.protocol.anomalies`."""


class InvalidConfig(AnomalyError, ValueError):
    """A threshold of :class:`~datenspiegel.protocol.anomalies.config.AnomalyConfig` is out of
    its bounds; the message names the setting and what is allowed."""


class InvalidFinding(AnomalyError, ValueError):
    """A finding that contradicts itself (no records, a window that ends before it starts)."""
