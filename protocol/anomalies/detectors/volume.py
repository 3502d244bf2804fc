"""How much a user or an authority retrieves: bursts, and days far above the user's own norm.

Metadata only (time, authority, user), so these detectors see security authorities' records
too (DOMAIN.md § 6: "bursts of queries at unusual hours"). Replays of an earlier answer are no
work of the sender and are not counted (the replay detector has them).

- **Bursts** (sliding windows): ``burst_user_count`` records of one user within
  ``burst_user_minutes``, ``burst_authority_count`` of one authority (all its users) within
  ``burst_authority_minutes`` (per authority Kennung adjustable: large directorates).
  § 39 Abs. 1 BMG: retrievals only as far as the task needs them — a person does not work
  through dozens of cases in a few minutes.
- **Baseline**: the user's records of a local day at or above ``max(baseline_min_volume,
  baseline_factor × median, median + baseline_mad_k × 1.4826 × MAD)`` of the user's active
  days in the ``baseline_days`` before (median and MAD: robust against the user's own earlier
  outliers). Users with fewer than ``baseline_min_days`` active days are not judged.
"""

from __future__ import annotations

from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.detectors.base import (
    DAY_HORIZON,
    PeriodTally,
    Sink,
    Tally,
    Trigger,
    escalate,
    evict_idle,
)
from datenspiegel.protocol.anomalies.history import MAD_SCALE, Baselines
from datenspiegel.protocol.anomalies.model import DetectorKind, Severity, Subject
from datenspiegel.protocol.anomalies.view import RecordView

__all__ = ["Bursts", "VolumeBaseline"]


def _off(view: RecordView) -> str:
    return f" {view.slot.off_label}" if view.slot.off_label else ""


class Bursts:
    kinds: tuple[DetectorKind, ...] = (DetectorKind.BURST_USER, DetectorKind.BURST_AUTHORITY)

    def __init__(self, config: AnomalyConfig) -> None:
        self._config = config
        self._users: dict[str, Tally] = {}
        self._authorities: dict[str, Tally] = {}
        self._user_span = config.burst_user_minutes * 60.0
        self._authority_span = config.burst_authority_minutes * 60.0
        self._keep = config.max_evidence

    def observe(self, view: RecordView, sink: Sink) -> None:
        if not view.is_activity:
            return
        item = (view.t, view.record_id, view.at)
        config = self._config
        if view.user_key is not None:
            tally = self._users.get(view.user_key)
            if tally is None:
                tally = self._users[view.user_key] = Tally(self._user_span, keep=self._keep)
            count = tally.add(item)
            if count >= config.burst_user_count and sink.active(view):
                subject = view.user
                assert subject is not None
                self._emit(
                    sink,
                    tally,
                    view,
                    DetectorKind.BURST_USER,
                    subject.describe(),
                    count,
                    config.burst_user_count,
                    config.burst_user_minutes,
                    subject=subject,
                )
        if view.authority_key is not None:
            tally = self._authorities.get(view.authority_key)
            if tally is None:
                tally = Tally(self._authority_span, keep=self._keep)
                self._authorities[view.authority_key] = tally
            count = tally.add(item)
            threshold = config.authority_burst_count(view.authority_kennung)
            if count >= threshold and sink.active(view):
                subject = view.authority
                assert subject is not None
                self._emit(
                    sink,
                    tally,
                    view,
                    DetectorKind.BURST_AUTHORITY,
                    f"all users of {subject.describe()}",
                    count,
                    threshold,
                    config.burst_authority_minutes,
                    subject=subject,
                )

    def _emit(
        self,
        sink: Sink,
        tally: Tally,
        view: RecordView,
        kind: DetectorKind,
        who: str,
        count: int,
        threshold: int,
        minutes: int,
        *,
        subject: Subject,
    ) -> None:
        severity = escalate(Severity.MEDIUM, count, threshold, self._config.escalation_factor)
        if view.slot.off_reason is not None:
            severity = Severity.HIGH
        trigger = Trigger(
            kind=kind,
            subject=subject,
            bucket=view.slot.day_bucket,
            severity=severity,
            measured=count,
            threshold=threshold,
            explanation=(
                f"{count} retrievals by {who} within {minutes} minutes{_off(view)} "
                f"(threshold {threshold} in {minutes} minutes)"
            ),
        )
        sink.emit(trigger, tally.fresh(trigger.key))

    def evict(self, now: float) -> None:
        evict_idle(self._users, now, self._user_span)
        evict_idle(self._authorities, now, self._authority_span)


class VolumeBaseline:
    kinds: tuple[DetectorKind, ...] = (DetectorKind.VOLUME_BASELINE,)

    def __init__(self, config: AnomalyConfig, baselines: Baselines) -> None:
        self._config = config
        self._baselines = baselines
        self._days: dict[tuple[str, str], PeriodTally] = {}
        self._thresholds: dict[tuple[str, str], tuple[float, str] | None] = {}

    def _threshold(self, view: RecordView) -> tuple[float, str] | None:
        assert view.user_key is not None
        key = (view.user_key, view.slot.day_bucket)
        if key in self._thresholds:
            return self._thresholds[key]
        config = self._config
        base = self._baselines.volume(view.user_key, view.slot.day)
        found: tuple[float, str] | None = None
        if base.days >= config.baseline_min_days:
            by_factor = config.baseline_factor * base.median
            by_mad = base.median + config.baseline_mad_k * MAD_SCALE * base.mad
            threshold = max(float(config.baseline_min_volume), by_factor, by_mad)
            found = (
                threshold,
                f"median {base.median:g} and MAD {base.mad:g} per active day over "
                f"{base.days} days of the last {config.baseline_days}",
            )
        self._thresholds[key] = found
        return found

    def observe(self, view: RecordView, sink: Sink) -> None:
        if view.user_key is None or not view.is_activity:
            return
        key = (view.user_key, view.slot.day_bucket)
        tally = self._days.get(key)
        if tally is None:
            tally = self._days[key] = PeriodTally(keep=self._config.max_evidence)
        count = tally.add((view.t, view.record_id, view.at))
        if count < self._config.baseline_min_volume:
            return
        judged = self._threshold(view)
        if judged is None or count < judged[0] or not sink.active(view):
            return
        threshold, basis = judged
        subject = view.user
        assert subject is not None
        trigger = Trigger(
            kind=DetectorKind.VOLUME_BASELINE,
            subject=subject,
            bucket=view.slot.day_bucket,
            severity=escalate(Severity.MEDIUM, count, threshold, self._config.escalation_factor),
            measured=count,
            threshold=round(threshold, 1),
            explanation=(
                f"{count} retrievals by {subject.describe()} on {view.slot.day_bucket}, "
                f"threshold {threshold:.1f} from the user's own baseline ({basis}; at least "
                f"{self._config.baseline_factor:g} × median, median + "
                f"{self._config.baseline_mad_k:g} × 1.4826 × MAD and "
                f"{self._config.baseline_min_volume})"
            ),
        )
        sink.emit(trigger, tally.fresh(trigger.key))

    def evict(self, now: float) -> None:
        evict_idle(self._days, now, DAY_HORIZON)
        live = set(self._days)
        for key in [k for k in self._thresholds if k not in live]:
            del self._thresholds[key]
