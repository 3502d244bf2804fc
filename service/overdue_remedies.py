"""Remedies demanded in audits and not done by their deadline, reported by the running service.

The operator audits the authorities' measures and demands remedies with deadlines (DOMAIN.md
§ 7, Nds. NMeldVO § 26; access/audits.py). A remedy still open after its deadline is the
operator's cue to act — remind the authority, extend, or block it — so the service reports them
as it reports unfetched hand-over cases (service/overdue.py):

- continuously in ``/metrics``: ``datenspiegel_audit_remedies_overdue`` (count) and
  ``datenspiegel_audit_remedies_overdue_oldest_seconds`` (since when the oldest deadline has
  passed, i.e. from the German midnight after it; 0 when none is overdue);
- as a WARNING line every :data:`REMEDY_CHECK_INTERVAL` seconds while any are overdue, naming the
  count and the oldest deadline (no authority: the line is for the alert, the list is
  ``datenspiegel audit list --overdue``).

The count is one aggregate query, cached for :data:`_CACHE_SECONDS` so that scrapes cost
nothing measurable.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from prometheus_client.core import GaugeMetricFamily

from datenspiegel.access.audit_store import AuditStore
from datenspiegel.access.audits import GERMAN_TIME, german_day
from datenspiegel.access.errors import AccessError

__all__ = ["REMEDY_CHECK_INTERVAL", "OverdueRemedies"]

log = logging.getLogger(__name__)

#: Seconds between a worker's checks: deadlines are days, an hour is soon enough.
REMEDY_CHECK_INTERVAL = 3600.0
_CACHE_SECONDS = 60.0


class OverdueRemedies:
    """The overdue-remedy check of one worker: a Prometheus collector and a periodic log line."""

    def __init__(self, store: AuditStore, *, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        # (taken, count, oldest deadline, seconds since it passed)
        self._cached: tuple[float, int, date | None, float] | None = None

    def summary(self) -> tuple[int, date | None, float]:
        """(overdue remedies, the oldest deadline among them, seconds since it passed); cached
        briefly. Raises :class:`AccessError` when the broker database cannot be read."""
        with self._lock:
            cached = self._cached
            if cached is not None and time.monotonic() - cached[0] < _CACHE_SECONDS:
                return cached[1], cached[2], cached[3]
            now = self._clock()
            count, oldest = self._store.overdue_summary(german_day(now))
            passed = 0.0
            if oldest is not None:
                midnight = datetime.combine(oldest + timedelta(days=1), datetime.min.time())
                passed = (now - midnight.replace(tzinfo=GERMAN_TIME)).total_seconds()
            self._cached = (time.monotonic(), count, oldest, passed)
            return count, oldest, passed

    def collect(self) -> Iterable[GaugeMetricFamily]:
        try:
            count, _oldest, passed = self.summary()
        except AccessError:
            return  # /health reports the database; a scrape must not fail because of it
        overdue = GaugeMetricFamily(
            "datenspiegel_audit_remedies_overdue",
            "Remedies demanded in audits of authorities that are open past their deadline",
        )
        overdue.add_metric([], count)
        yield overdue
        oldest = GaugeMetricFamily(
            "datenspiegel_audit_remedies_overdue_oldest_seconds",
            "Seconds since the oldest overdue remedy's deadline passed (0 when none is overdue)",
        )
        oldest.add_metric([], passed)
        yield oldest

    def check(self) -> int:
        """Log a WARNING when remedies are overdue; return their count (-1: database
        unreadable)."""
        try:
            count, oldest, _passed = self.summary()
        except AccessError as exc:
            log.warning("overdue audit remedies could not be counted: %s", exc)
            return -1
        if count:
            log.warning(
                "%d remedy(ies) demanded in audits of authorities are past their deadline, the "
                "oldest due %s; list them with 'datenspiegel audit list --overdue'",
                count,
                oldest.isoformat() if oldest else "?",
            )
        return count
