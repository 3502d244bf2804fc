"""Errors of the benchmarks. A benchmark that would measure the wrong thing stops instead."""

from __future__ import annotations

__all__ = ["BenchError", "InvalidSetup", "ServerStartError", "WrongResult"]


class BenchError(Exception):
    """Root of every benchmark error."""


class WrongResult(BenchError, RuntimeError):
    """The product answered something else than documented: a wrong answer is never timed."""


class InvalidSetup(BenchError, ValueError):
    """Options or environment do not allow a meaningful measurement."""


class ServerStartError(BenchError, RuntimeError):
    """``datenspiegel serve`` did not come up or did not answer; the message carries its log."""
