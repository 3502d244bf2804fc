"""Technical signs: attempts after a block, failures from one source, replayed messages.

All metadata (codes and the broker's own detail text), so security authorities are watched
alike. What the broker writes, and where:

- a blocked authority or user is refused with 0910 T070, the detail naming
  ``"the authority is blocked: …"`` or ``"the user is blocked: …"`` (access/decision.py rules
  2 and 3; the operator may block at any time, DOMAIN.md § 7). With the registry's block
  periods in the :class:`~datenspiegel.protocol.anomalies.context.Context`, any record of a
  blocked subject counts too. ``after_block_min_attempts`` a day → high.
- signature and certificate failures are 0910 ``failure_codes`` (T000–T003, T010, T011) —
  the sender is unknown then, so they are counted per client address; T070 for a source
  outside the authority's client networks (rule 3a, § 39 Abs. 3 BMG) or for a certificate not
  registered for any user (rule 1) count as well. ``failure_count`` within
  ``failure_minutes`` from one source.
- replays (service/idempotency.py): the same signed message again is recorded as
  ``Outcome.DUPLICATE``; a message id re-used with other content is 0910 S100; a message
  outside the creation-time window is S999 ("was created … ago") or S000 (in the future).
  ``replay_min_events`` of these from one sender in a day. One retry after a lost answer is
  normal and stays below the threshold.
"""

from __future__ import annotations

from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.context import Context
from datenspiegel.protocol.anomalies.detectors.base import (
    DAY_HORIZON,
    PeriodTally,
    Sink,
    Tally,
    Trigger,
    escalate,
    evict_idle,
)
from datenspiegel.protocol.anomalies.model import DetectorKind, Severity, Subject
from datenspiegel.protocol.anomalies.view import RecordView
from datenspiegel.protocol.record import Outcome
from datenspiegel.xsd.codelists import Ruecksendung

__all__ = ["AfterBlock", "Failures", "Replays", "failure_of", "replay_of"]

_T070 = Ruecksendung.T070.value
AUTHORITY_BLOCKED = "the authority is blocked"
USER_BLOCKED = "the user is blocked"
OUTSIDE_NETWORKS = "outside the authority's client networks"
UNREGISTERED = "not registered for any user"
TOO_OLD = "was created"


class AfterBlock:
    kinds: tuple[DetectorKind, ...] = (DetectorKind.AFTER_BLOCK,)

    def __init__(self, config: AnomalyConfig, context: Context) -> None:
        self._config = config
        self._context = context
        self._tallies: dict[tuple[str, str], PeriodTally] = {}

    def _blocked(self, view: RecordView) -> tuple[Subject, str] | None:
        detail = view.detail or ""
        refused = view.outcome is Outcome.RETURNED and _T070 in view.codes
        context = self._context
        authority = view.authority
        if authority is not None and (
            (refused and AUTHORITY_BLOCKED in detail)
            or context.blocked(context.blocked_authorities, view.authority_id, view.at)
        ):
            return authority, "the authority"
        user = view.user
        if user is not None and (
            (refused and USER_BLOCKED in detail)
            or context.blocked(context.blocked_users, view.user_id, view.at)
        ):
            return user, "the user"
        return None

    def observe(self, view: RecordView, sink: Sink) -> None:
        if view.outcome is Outcome.DUPLICATE:
            return
        blocked = self._blocked(view)
        if blocked is None:
            return
        subject, which = blocked
        key = (subject.key, view.slot.day_bucket)
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = PeriodTally(keep=self._config.max_evidence)
        count = tally.add((view.t, view.record_id, view.at))
        threshold = self._config.after_block_min_attempts
        if count < threshold or not sink.active(view):
            return
        who = view.user.describe() if view.user is not None else subject.describe()
        trigger = Trigger(
            kind=DetectorKind.AFTER_BLOCK,
            subject=subject,
            bucket=view.slot.day_bucket,
            severity=Severity.HIGH,
            measured=count,
            threshold=threshold,
            explanation=(
                f"{count} attempt(s) on {view.slot.day_bucket} while {which} was blocked by "
                f"the operator (latest by {who}; threshold {threshold} a day)"
            ),
        )
        sink.emit(trigger, tally.fresh(trigger.key))

    def evict(self, now: float) -> None:
        evict_idle(self._tallies, now, DAY_HORIZON)


def failure_of(view: RecordView, config: AnomalyConfig) -> str | None:
    """What technical failure the record is (signature, certificate, network), or None."""
    if view.outcome is not Outcome.RETURNED:
        return None
    for code in view.codes:
        if code in config.failure_codes:
            return code
    if _T070 in view.codes:
        detail = view.detail or ""
        if OUTSIDE_NETWORKS in detail:
            return "T070 (outside the client networks)"
        if UNREGISTERED in detail:
            return "T070 (certificate not registered)"
    return None


class Failures:
    kinds: tuple[DetectorKind, ...] = (DetectorKind.FAILURES,)

    def __init__(self, config: AnomalyConfig) -> None:
        self._config = config
        self._span = config.failure_minutes * 60.0
        self._tallies: dict[str, Tally] = {}

    def observe(self, view: RecordView, sink: Sink) -> None:
        failure = failure_of(view, self._config)
        if failure is None:
            return
        source = view.source
        if source is None:
            return
        tally = self._tallies.get(source)
        if tally is None:
            tally = self._tallies[source] = Tally(self._span, keep=self._config.max_evidence)
        count = tally.add((view.t, view.record_id, view.at))
        config = self._config
        if count < config.failure_count or not sink.active(view):
            return
        trigger = Trigger(
            kind=DetectorKind.FAILURES,
            subject=Subject(source=source),
            bucket=view.slot.day_bucket,
            severity=escalate(
                Severity.MEDIUM, count, config.failure_count, config.escalation_factor
            ),
            measured=count,
            threshold=config.failure_count,
            explanation=(
                f"{count} signature, certificate or network failures from {source} within "
                f"{config.failure_minutes} minutes (threshold {config.failure_count}); latest "
                f"{failure}"
            ),
        )
        sink.emit(trigger, tally.fresh(trigger.key))

    def evict(self, now: float) -> None:
        evict_idle(self._tallies, now, self._span)


def replay_of(view: RecordView) -> str | None:
    """What kind of replay the record is, or None."""
    if view.outcome is Outcome.DUPLICATE:
        return "the same message again"
    if view.outcome is not Outcome.RETURNED:
        return None
    if Ruecksendung.S100.value in view.codes:
        return "message id re-used with other content (S100)"
    if Ruecksendung.S000.value in view.codes:
        return "created in the future (S000)"
    if Ruecksendung.S999.value in view.codes and TOO_OLD in (view.detail or ""):
        return "older than the creation-time window (S999)"
    return None


class Replays:
    kinds: tuple[DetectorKind, ...] = (DetectorKind.REPLAY,)

    def __init__(self, config: AnomalyConfig) -> None:
        self._config = config
        self._tallies: dict[tuple[str, str], PeriodTally] = {}

    def observe(self, view: RecordView, sink: Sink) -> None:
        what = replay_of(view)
        if what is None:
            return
        sender = view.sender()
        if sender is None:
            return
        key = (sender.key, view.slot.day_bucket)
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = PeriodTally(keep=self._config.max_evidence)
        count = tally.add((view.t, view.record_id, view.at))
        threshold = self._config.replay_min_events
        if count < threshold or not sink.active(view):
            return
        trigger = Trigger(
            kind=DetectorKind.REPLAY,
            subject=sender,
            bucket=view.slot.day_bucket,
            severity=escalate(Severity.MEDIUM, count, threshold, self._config.escalation_factor),
            measured=count,
            threshold=threshold,
            explanation=(
                f"{count} replayed or out-of-window messages from {sender.describe()} on "
                f"{view.slot.day_bucket} (threshold {threshold} a day); latest: {what}"
            ),
        )
        sink.emit(trigger, tally.fresh(trigger.key))

    def evict(self, now: float) -> None:
        evict_idle(self._tallies, now, DAY_HORIZON)
