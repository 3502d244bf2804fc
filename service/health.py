"""Honest health: probes that do the work a transaction needs, and failures logged per burst.

``/health`` used to say "ok" while nothing could be recorded, and every failed transaction then
logged a full traceback (15 000 in one run). Here:

- :class:`HealthMonitor` runs the probes (a real protocol write, a register read) at most once
  per ``interval`` per process, so a flood of ``/health`` or ``/ready`` requests never becomes
  a flood of database writes;
- :class:`FailureBurst` logs one line when a kind of failure begins and one when it ends, with
  the count in between; every failure is still counted in ``/metrics``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

__all__ = ["FailureBurst", "HealthMonitor"]

log = logging.getLogger(__name__)


class FailureBurst:
    """Thread-safe: one ERROR line per burst of the same failure, one INFO line on recovery."""

    def __init__(
        self,
        what: str,
        *,
        logger: logging.Logger = log,
        on_failure: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._what = what
        self._log = logger
        self._on_failure = on_failure
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._since = 0.0
        self.total = 0  #: every failure since start, for /metrics

    @property
    def failing(self) -> bool:
        return self._failures > 0

    def failed(self, reason: str) -> None:
        self._on_failure()
        with self._lock:
            self.total += 1
            self._failures += 1
            first = self._failures == 1
            if first:
                self._since = self._clock()
        if first:
            self._log.error(
                "%s failing: %s (further failures are counted, not logged, until it recovers)",
                self._what,
                reason,
            )

    def succeeded(self) -> None:
        if not self._failures:  # the common case: no lock on the hot path
            return
        with self._lock:
            failures, self._failures = self._failures, 0
            seconds = self._clock() - self._since
        if failures:
            self._log.warning(
                "%s recovered after %d failure(s) in %.1f s", self._what, failures, seconds
            )


class HealthMonitor:
    """Runs named probes (each raises when its component is not usable), cached per interval."""

    def __init__(
        self,
        probes: Mapping[str, Callable[[], None]],
        *,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._probes = dict(probes)
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._results: dict[str, str] = {}

    def check(self) -> dict[str, str]:
        """``{name: "ok" | "unavailable: …"}``, at most ``interval`` seconds old."""
        with self._lock:  # one prober at a time; the others take its fresh result
            now = self._clock()
            if self._checked_at is None or now - self._checked_at >= self._interval:
                self._results = {name: _run(probe) for name, probe in self._probes.items()}
                self._checked_at = self._clock()
            return dict(self._results)


def _run(probe: Callable[[], None]) -> str:
    try:
        probe()
    except Exception as exc:  # reported, not raised: health must always answer
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"unavailable: {first[:200]}"
    return "ok"
