"""Retrievals at unusual hours: at night, at weekends, on public holidays of Lower Saxony.

DOMAIN.md § 6: even for security authorities the operator "still watches technical signs such
as bursts of queries at unusual hours" — time is metadata, so this detector looks at every
record. *Unusual* is judged against the subject's own past: an authority (or user) whose
history holds at least ``unusual_normal_share`` of off-hours work works off-hours normally —
the police's night shifts, a Standesamt's Saturday weddings — and is not flagged; an authority
with too little history (``unusual_min_history_days``) is not judged yet. Otherwise a user
with ``unusual_min_records`` or more records in one off-hours period (a night, a weekend, a
holiday — one contiguous stretch from the evening to the next working morning, judged against
the history before it began) is a finding.
"""

from __future__ import annotations

from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.detectors.base import (
    PeriodTally,
    Sink,
    Trigger,
    escalate,
    evict_idle,
)
from datenspiegel.protocol.anomalies.history import Baselines
from datenspiegel.protocol.anomalies.model import DetectorKind, Severity
from datenspiegel.protocol.anomalies.view import RecordView

__all__ = ["PERIOD_HORIZON", "UnusualHours"]

#: Seconds an off-hours period may still grow after a record (Easter: Thursday night to
#: Tuesday morning is 104 hours).
PERIOD_HORIZON = 6 * 86400.0


class UnusualHours:
    kinds: tuple[DetectorKind, ...] = (DetectorKind.UNUSUAL_HOURS,)

    def __init__(self, config: AnomalyConfig, baselines: Baselines) -> None:
        self._config = config
        self._baselines = baselines
        self._tallies: dict[tuple[str, str], PeriodTally] = {}

    def _usual(self, view: RecordView) -> str | None:
        """Why off-hours work is usual for this sender (or cannot be judged); None: unusual."""
        config = self._config
        assert view.authority_key is not None and view.user_key is not None
        since = view.slot.off_since or view.slot.day
        authority = self._baselines.hours(view.authority_key, since)
        if authority.days < config.unusual_min_history_days:
            return "too little history"
        if authority.share >= config.unusual_normal_share:
            return "authority works off-hours"
        user = self._baselines.hours(view.user_key, since)
        if user.records and user.share >= config.unusual_normal_share:
            return "user works off-hours"
        return None

    def observe(self, view: RecordView, sink: Sink) -> None:
        period = view.slot.off_period
        if period is None or view.user_key is None or view.authority_key is None:
            return
        if not view.is_activity or self._usual(view) is not None:
            return
        key = (view.user_key, period)
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = PeriodTally(keep=self._config.max_evidence)
        count = tally.add((view.t, view.record_id, view.at))
        threshold = self._config.unusual_min_records
        if count < threshold or not sink.active(view):
            return
        subject = view.user
        assert subject is not None
        profile = self._baselines.hours(view.authority_key, view.slot.off_since or view.slot.day)
        trigger = Trigger(
            kind=DetectorKind.UNUSUAL_HOURS,
            subject=subject,
            bucket=period,
            severity=escalate(Severity.LOW, count, threshold, self._config.escalation_factor),
            measured=count,
            threshold=threshold,
            explanation=(
                f"{count} retrievals by {subject.describe()} off-hours since {period}, the "
                f"latest {view.slot.off_label} (threshold {threshold} per off-hours period: "
                f"night, weekend, public holiday); off-hours work is not usual "
                f"for this authority: {profile.share:.1%} of its {profile.records} records in "
                f"the last {self._config.unusual_history_days} days were off-hours (usual from "
                f"{self._config.unusual_normal_share:.0%})"
            ),
        )
        sink.emit(trigger, tally.fresh(trigger.key))

    def evict(self, now: float) -> None:
        evict_idle(self._tallies, now, PERIOD_HORIZON)
