"""Continuous anomaly detection in the running service: a periodic task of every worker.

Issue 10, point 2 (DOMAIN.md § 6; § 40 BMG: protocol data serve data-protection control):
every ``anomalies.interval`` seconds each worker runs :meth:`AnomalyWatch.check`; the one
worker of all workers and hosts that holds the evaluation role (protocol/anomalies/leader.py)
reads the records received since the shared watermark (up to ``anomalies.settle`` seconds
ago), evaluates them and stores the findings with the new watermark; the others return at
once. What it needs besides the records: the registry's block periods
(:class:`~datenspiegel.service.anomaly_facts.RegistryBlocks`), the decoy persons of the
configuration, Lower Saxony's holidays (the detectors' default calendar). With
``anomalies.block_on_critical`` a finding that becomes critical blocks its user
(:mod:`~datenspiegel.service.anomaly_block`).

What it reports:

- a WARNING line per new finding (id, kind, severity, authority; never a person or search
  data) and per automatic block;
- in ``/metrics``: ``datenspiegel_anomaly_evaluation_lag_seconds`` (now minus the shared
  watermark: how far behind the evaluation is — alert when it exceeds a minute or two),
  ``datenspiegel_anomaly_findings`` (stored findings by status and severity),
  ``datenspiegel_anomaly_evaluator`` (1 in the worker that evaluates),
  ``datenspiegel_anomaly_records_evaluated_total`` and
  ``datenspiegel_anomaly_findings_new_total`` (this worker's). The database figures are
  cached for :data:`_CACHE_SECONDS`.

The role is given up when the worker closes its stores (SQLite: the lease is released at once
instead of expiring; PostgreSQL: the advisory lock's connection closes).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import event

from datenspiegel.protocol.anomalies import AnomalyConfig
from datenspiegel.protocol.anomalies.continuous import ContinuousEvaluation, RunResult
from datenspiegel.protocol.anomalies.store import FindingAction, FindingStore, Upserted
from datenspiegel.protocol.errors import ProtocolError
from datenspiegel.service.anomaly_block import AutoBlock
from datenspiegel.service.anomaly_facts import RegistryBlocks
from datenspiegel.service.config import ServiceConfig

__all__ = ["AnomalyWatch", "build_anomaly_watch"]

log = logging.getLogger(__name__)

_CACHE_SECONDS = 10.0


class AnomalyWatch:
    """One worker's part in the continuous evaluation: the periodic task and its metrics."""

    def __init__(
        self,
        evaluation: ContinuousEvaluation,
        findings: FindingStore,
        *,
        clock: Callable[[], datetime],
        auto_block: AutoBlock | None = None,
    ) -> None:
        self._evaluation = evaluation
        self._findings = findings
        self._clock = clock
        self._auto_block = auto_block
        self._lock = threading.Lock()
        self._records = 0
        self._new: dict[str, int] = {}
        self._leading = False
        self._cached: tuple[float, datetime | None, dict[tuple[str, str], int]] | None = None

    @property
    def evaluation(self) -> ContinuousEvaluation:
        return self._evaluation

    def check(self) -> RunResult:
        """One run (the periodic task): evaluate if this worker holds the role."""
        result = self._evaluation.run()
        with self._lock:
            if result.reason != "busy: the previous run has not finished":
                self._leading = result.evaluated
            self._records += result.records
            for item in result.upserted:
                if item.change is FindingAction.DETECTED:
                    severity = item.stored.finding.severity.value
                    self._new[severity] = self._new.get(severity, 0) + 1
        return result

    def on_findings(self, upserted: list[Upserted]) -> None:
        """Called by the evaluation with what it stored: log new findings, block."""
        for item in upserted:
            if item.change in (FindingAction.DETECTED, FindingAction.REOPENED):
                f = item.stored.finding
                log.warning(
                    "anomaly finding %d %s: %s (%s) about %s; see 'datenspiegel anomalies show %d'",
                    item.stored.id,
                    item.change.value,
                    f.kind.value,
                    f.severity.value,
                    f.subject.authority_kennung or "an unknown sender",
                    item.stored.id,
                )
        if self._auto_block is not None:
            self._auto_block(upserted)

    def close(self) -> None:
        self._evaluation.close()

    # -- /metrics ----------------------------------------------------------------------------

    def _figures(self) -> tuple[datetime | None, dict[tuple[str, str], int]]:
        cached = self._cached
        if cached is not None and time.monotonic() - cached[0] < _CACHE_SECONDS:
            return cached[1], cached[2]
        watermark = self._findings.watermark()
        counts = {(s.value, v.value): n for (s, v), n in self._findings.counts().items()}
        self._cached = (time.monotonic(), watermark, counts)
        return watermark, counts

    def collect(self) -> Iterable[Any]:
        with self._lock:
            records, new, leading = self._records, dict(self._new), self._leading
        evaluator = GaugeMetricFamily(
            "datenspiegel_anomaly_evaluator",
            "1 in the worker process that evaluates the protocol for anomalies now",
        )
        evaluator.add_metric([], 1.0 if leading else 0.0)
        yield evaluator
        evaluated = CounterMetricFamily(
            "datenspiegel_anomaly_records_evaluated",
            "Protocol records this worker evaluated for anomalies",
        )
        evaluated.add_metric([], records)
        yield evaluated
        fresh = CounterMetricFamily(
            "datenspiegel_anomaly_findings_new",
            "Findings this worker stored for the first time, by severity",
            labels=["severity"],
        )
        for severity, count in sorted(new.items()):
            fresh.add_metric([severity], count)
        yield fresh
        try:
            watermark, counts = self._figures()
        except ProtocolError:
            return  # /health reports the database; a scrape must not fail because of it
        lag = GaugeMetricFamily(
            "datenspiegel_anomaly_evaluation_lag_seconds",
            "Seconds between now and the point up to which the protocol has been evaluated",
        )
        if watermark is not None:
            lag.add_metric([], max(0.0, (self._clock() - watermark).total_seconds()))
        yield lag
        stored = GaugeMetricFamily(
            "datenspiegel_anomaly_findings",
            "Stored anomaly findings by review status and severity",
            labels=["status", "severity"],
        )
        for (status, severity), count in sorted(counts.items()):
            stored.add_metric([status, severity], count)
        yield stored


def build_anomaly_watch(
    config: ServiceConfig,
    *,
    access: Any,
    protocol: Any,
    clock: Callable[[], datetime],
) -> AnomalyWatch:
    """The watch of one worker on the broker database's shared engine (``access`` and
    ``protocol``: the worker's AccessStore and ProtocolStore)."""
    settings = config.anomalies
    findings = FindingStore(engine=protocol.engine)
    registry = RegistryBlocks(access)
    auto_block = None
    if settings.block_on_critical:
        auto_block = AutoBlock(
            access,
            findings,
            notices=settings.notices or config.path.parent / "notices",
            sender=config.broker.name,
            clock=clock,
        )
    holder: list[AnomalyWatch] = []
    evaluation = ContinuousEvaluation(
        protocol,
        findings,
        config=AnomalyConfig(decoy_persons=settings.decoy_persons),
        clock=clock,
        settle=settings.settle,
        lease=settings.lease,
        blocks=registry.blocks,
        blocks_changed=registry.changed,
        on_findings=lambda upserted: holder[0].on_findings(upserted),
    )
    watch = AnomalyWatch(evaluation, findings, clock=clock, auto_block=auto_block)
    holder.append(watch)
    # the worker closes its stores when it stops: give the role up then (server.py runs
    # Worker.close, which disposes the broker engine)
    event.listen(protocol.engine, "engine_disposed", lambda _engine: watch.close())
    return watch
