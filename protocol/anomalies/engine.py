"""The entry points: :func:`evaluate` (pure) and :class:`Evaluator` (incremental).

DOMAIN.md § 6: the operator reviews the § 40 BMG protocol for anomalies, for security
authorities by technical signs only. Both entry points feed records, oldest first, to every
detector (:mod:`~datenspiegel.protocol.anomalies.detectors`) and turn their triggers into
:class:`~datenspiegel.protocol.anomalies.model.Finding` s, one per key.

*Determinism.* A detector decides at each record from at most
:attr:`AnomalyConfig.lookback <datenspiegel.protocol.anomalies.config.AnomalyConfig.lookback>`
of earlier records, and a finding is keyed by the aligned period of its trigger. So evaluating
``[since, until)`` from records reaching back ``lookback`` before ``since`` gives, per key,
exactly the part of the whole evaluation's findings triggered in that period, and
:func:`~datenspiegel.protocol.anomalies.model.merge_findings` of consecutive periods equals the
evaluation of all of them — ``anomalies scan --since`` finds what the continuous evaluation
found.

*Cost.* Each record is seen once by each detector, with O(1) amortised work; state is bounded
by the records inside the detectors' sliding windows, and per day or period and per finding by
a count and at most ``max_evidence`` record ids (:meth:`Evaluator.feed` evicts what can no
longer grow). The running service keeps one :class:`Evaluator` and feeds it new records.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from datenspiegel.protocol.anomalies.clock import LocalClock
from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.context import Context
from datenspiegel.protocol.anomalies.detectors import Trigger, build_detectors
from datenspiegel.protocol.anomalies.detectors.base import Evidence
from datenspiegel.protocol.anomalies.model import Finding
from datenspiegel.protocol.anomalies.view import RecordView, view_of
from datenspiegel.protocol.record import ProtocolRecord

__all__ = ["Evaluator", "evaluate"]

#: Records between two evictions of idle state.
_EVICT_EVERY = 4096


class _Builder:
    """The finding of one key, as its triggers arrive: the strongest trigger, the highest
    severity, and the :class:`Evidence` of all of them (a count and at most ``max_evidence``
    ids, however long the finding keeps growing)."""

    __slots__ = ("evidence", "strongest", "top")

    def __init__(self, trigger: Trigger, max_evidence: int) -> None:
        self.strongest = trigger
        self.top = trigger.severity
        self.evidence = Evidence(max_evidence)

    def add(self, trigger: Trigger, evidence: Evidence) -> None:
        best = self.strongest
        if (trigger.measured, trigger.severity.rank, trigger.explanation) > (
            best.measured,
            best.severity.rank,
            best.explanation,
        ):
            self.strongest = trigger
        if trigger.severity.rank > self.top.rank:
            self.top = trigger.severity
        self.evidence.merge(evidence)

    @property
    def end(self) -> datetime | None:
        return self.evidence.end

    def finding(self) -> Finding:
        s, evidence = self.strongest, self.evidence
        assert evidence.start is not None and evidence.end is not None
        return Finding(
            kind=s.kind,
            severity=self.top,
            subject=s.subject,
            bucket=s.bucket,
            window_start=evidence.start,
            window_end=evidence.end,
            measured=s.measured,
            threshold=s.threshold,
            explanation=s.explanation,
            record_ids=tuple(evidence.ids),
            record_count=evidence.count,
        )


class Evaluator:
    """Detection over a stream of records (see the module docstring).

    Feed records in order of ``received_at`` (ties by ``record_id``); a record older than one
    already fed is still evaluated, with the windows as they stand. Records at or after
    ``context.until`` are ignored; those before ``context.since`` only fill the windows.
    ``keep`` False lets the evaluator forget findings whose period has closed after handing
    them out once (a long-running service that stores them), so memory stays bounded.
    """

    def __init__(
        self,
        *,
        config: AnomalyConfig | None = None,
        context: Context | None = None,
        keep: bool = True,
    ) -> None:
        self.config = config or AnomalyConfig()
        self.context = context or Context()
        self._clock = LocalClock(
            timezone=self.config.timezone,
            night_start_hour=self.config.night_start_hour,
            night_end_hour=self.config.night_end_hour,
            calendar=self.context.calendar,
        )
        self._detectors = build_detectors(self.config, self.context)
        self._since = self.context.since.timestamp() if self.context.since else float("-inf")
        self._until = self.context.until.timestamp() if self.context.until else float("inf")
        self._builders: dict[str, _Builder] = {}
        self._touched: set[str] = set()
        self._keep = keep
        self._seen = 0
        #: epoch seconds of the newest record fed
        self.watermark = float("-inf")

    # -- the Sink of the detectors -----------------------------------------------------------

    def active(self, view: RecordView) -> bool:
        return view.t >= self._since

    def emit(self, trigger: Trigger, evidence: Evidence) -> None:
        key = trigger.key
        builder = self._builders.get(key)
        if builder is None:
            builder = self._builders[key] = _Builder(trigger, self.config.max_evidence)
        builder.add(trigger, evidence)
        self._touched.add(key)

    # -- feeding -----------------------------------------------------------------------------

    def feed(self, records: Iterable[ProtocolRecord]) -> list[Finding]:
        """Evaluate ``records``; return the findings they created or changed (current state,
        sorted by key)."""
        clock, detectors = self._clock, self._detectors
        for record in records:
            view = view_of(record, clock)
            if view.t >= self._until:
                continue
            if view.t > self.watermark:
                self.watermark = view.t
            for detector in detectors:
                detector.observe(view, self)
            self._seen += 1
            if self._seen % _EVICT_EVERY == 0:
                self._evict()
        touched, self._touched = self._touched, set()
        return [self._builders[k].finding() for k in sorted(touched)]

    def _evict(self) -> None:
        for detector in self._detectors:
            detector.evict(self.watermark)
        if not self._keep:
            edge = self.watermark - self.config.lookback.total_seconds()
            for key in [
                k
                for k, b in self._builders.items()
                if k not in self._touched and b.end is not None and b.end.timestamp() < edge
            ]:
                del self._builders[key]

    def findings(self) -> list[Finding]:
        """Every finding kept, sorted by key."""
        return [self._builders[k].finding() for k in sorted(self._builders)]


def evaluate(
    records: Iterable[ProtocolRecord],
    *,
    context: Context | None = None,
    config: AnomalyConfig | None = None,
) -> list[Finding]:
    """The findings in ``records`` (sorted by key): pure — the same records, context and
    configuration give the same findings. Records are put in order of reception first."""
    evaluator = Evaluator(config=config, context=context)
    evaluator.feed(sorted(records, key=lambda r: (r.received_at, r.record_id)))
    return evaluator.findings()
