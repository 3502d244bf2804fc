"""Errors of the service layer (configuration, start-up)."""

from __future__ import annotations

__all__ = ["ConfigError", "ServiceError"]


class ServiceError(Exception):
    """Root of every service-layer error."""


class ConfigError(ServiceError, ValueError):
    """The configuration is missing, unreadable or unsafe; the message says which key."""
