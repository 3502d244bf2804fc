"""Hand-over cases nobody fetched in time, reported by the running service.

A 1322 for the competent municipality and the code-11 notice to the instigating security
authority discharge duties of § 34a Abs. 5 and § 51 Abs. 3 BMG (DOMAIN.md § 5): when the
recipient does not fetch them, the duty is not met, and the operator must know. The service
therefore reports open cases older than ``broker.case_alert_after``

- continuously in ``/metrics``: ``datenspiegel_cases_overdue`` (count) and
  ``datenspiegel_cases_overdue_oldest_seconds`` (age of the oldest; 0 when none) — the
  operator's alerting rule fires on them (docs/operations.md);
- as a WARNING line every ``broker.case_check_interval`` seconds while any are overdue, naming
  the count and the age of the oldest (no recipient, no person).

``datenspiegel cases list --overdue`` lists them one by one. The count is one aggregate query,
cached for :data:`_CACHE_SECONDS` so that scrapes cost nothing measurable.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily

from datenspiegel.protocol.cases import CaseStore
from datenspiegel.protocol.errors import ProtocolError

__all__ = ["OverdueCases"]

log = logging.getLogger(__name__)

_CACHE_SECONDS = 10.0


class OverdueCases:
    """The overdue-case check of one worker: a Prometheus collector and a periodic log line."""

    def __init__(
        self, store: CaseStore, *, after_seconds: float, clock: Callable[[], datetime]
    ) -> None:
        self._store = store
        self._after = after_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[float, int, float] | None = None  # (taken, count, oldest age)

    def summary(self) -> tuple[int, float]:
        """(overdue cases, age in seconds of the oldest of them); cached briefly. Raises
        :class:`ProtocolError` when the broker database cannot be read."""
        with self._lock:
            cached = self._cached
            if cached is not None and time.monotonic() - cached[0] < _CACHE_SECONDS:
                return cached[1], cached[2]
            now = self._clock()
            count, oldest = self._store.overdue_count(now=now, after_seconds=self._after)
            age = (now - oldest).total_seconds() if oldest is not None else 0.0
            self._cached = (time.monotonic(), count, age)
            return count, age

    def collect(self) -> Iterable[GaugeMetricFamily]:
        try:
            count, age = self.summary()
        except ProtocolError:
            return  # /health reports the database; a scrape must not fail because of it
        overdue = GaugeMetricFamily(
            "datenspiegel_cases_overdue",
            "Open hand-over cases (1322, notices) not fetched within broker.case_alert_after",
        )
        overdue.add_metric([], count)
        yield overdue
        oldest = GaugeMetricFamily(
            "datenspiegel_cases_overdue_oldest_seconds",
            "Age of the oldest overdue hand-over case in seconds (0 when none is overdue)",
        )
        oldest.add_metric([], age)
        yield oldest

    def check(self) -> int:
        """Log a WARNING when cases are overdue; return their count (-1: database unreadable)."""
        try:
            count, age = self.summary()
        except ProtocolError as exc:
            log.warning("overdue hand-over cases could not be counted: %s", exc)
            return -1
        if count:
            log.warning(
                "%d hand-over case(s) not fetched within %.0f s (broker.case_alert_after), the "
                "oldest for %.1f h; list them with 'datenspiegel cases list --overdue'",
                count,
                self._after,
                age / 3600,
            )
        return count
