"""Who was looked up: the same person again and again, and decoy persons (honeytokens).

These detectors read the persons found (§ 40 Abs. 1 Nr. 7 BMG: the hits), so they see public
bodies' records only; a security authority's retrievals stay invisible to them (§ 40 Abs. 3
BMG, DOMAIN.md § 6 — :mod:`~datenspiegel.protocol.anomalies.view`).

- **Repeated look-ups by one user**: ``repeat_user_count`` retrievals identifying the same
  person (one hit, disclosed or withheld) by one user within ``repeat_window_days`` — curiosity
  about a neighbour, an ex-partner, a celebrity (§ 41 BMG: the data are bound to the purpose).
- **Looked up by many authorities**: ``repeat_authorities_count`` distinct authorities within
  the window.
- **Decoys**: any hit on a person of ``decoy_persons`` — persons the operator placed in the
  register that no task leads to — is critical, wherever in the answer it was (single person,
  hit list, freie Suche result, withheld).
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
from datenspiegel.protocol.anomalies.model import DetectorKind, Severity, Subject
from datenspiegel.protocol.anomalies.view import RecordView

__all__ = ["Decoys", "PersonRepeats"]


class _PersonWindow:
    __slots__ = ("authorities", "tally")

    def __init__(self, span: float, keep: int) -> None:
        self.tally = Tally(span, keep=keep)
        #: authority key → the last time it looked the person up
        self.authorities: dict[str, float] = {}

    def add(self, view: RecordView, authority: str) -> int:
        self.tally.add((view.t, view.record_id, view.at))
        self.authorities[authority] = view.t
        edge = view.t - self.tally.span
        for key in [k for k, t in self.authorities.items() if t <= edge]:
            del self.authorities[key]
        return len(self.authorities)


class PersonRepeats:
    kinds: tuple[DetectorKind, ...] = (
        DetectorKind.REPEAT_PERSON_USER,
        DetectorKind.REPEAT_PERSON_AUTHORITIES,
    )

    def __init__(self, config: AnomalyConfig) -> None:
        self._config = config
        self._span = config.repeat_window_days * 86400.0
        self._keep = config.max_evidence
        self._pairs: dict[tuple[str, int], Tally] = {}
        self._persons: dict[int, _PersonWindow] = {}

    def observe(self, view: RecordView, sink: Sink) -> None:
        content = view.content
        if content is None or view.user_key is None or view.authority_key is None:
            return
        person = content.looked_up
        if person is None:
            return
        config = self._config
        pair = self._pairs.get((view.user_key, person))
        if pair is None:
            pair = self._pairs[(view.user_key, person)] = Tally(self._span, keep=self._keep)
        count = pair.add((view.t, view.record_id, view.at))
        window = self._persons.get(person)
        if window is None:
            window = self._persons[person] = _PersonWindow(self._span, self._keep)
        distinct = window.add(view, view.authority_key)
        if not sink.active(view):
            return
        days = config.repeat_window_days
        if count >= config.repeat_user_count:
            user = view.user
            assert user is not None
            subject = Subject(
                authority_id=user.authority_id,
                authority_kennung=user.authority_kennung,
                user_id=user.user_id,
                user_kennung=user.user_kennung,
                person_id=person,
            )
            trigger = Trigger(
                kind=DetectorKind.REPEAT_PERSON_USER,
                subject=subject,
                bucket=view.slot.day_bucket,
                severity=escalate(
                    Severity.MEDIUM, count, config.repeat_user_count, config.escalation_factor
                ),
                measured=count,
                threshold=config.repeat_user_count,
                explanation=(
                    f"person {person} looked up {count} times by {user.describe()} within "
                    f"{days} days (threshold {config.repeat_user_count})"
                ),
            )
            sink.emit(trigger, pair.fresh(trigger.key))
        if distinct >= config.repeat_authorities_count:
            trigger = Trigger(
                kind=DetectorKind.REPEAT_PERSON_AUTHORITIES,
                subject=Subject(person_id=person),
                bucket=view.slot.day_bucket,
                severity=escalate(
                    Severity.MEDIUM,
                    distinct,
                    config.repeat_authorities_count,
                    config.escalation_factor,
                ),
                measured=distinct,
                threshold=config.repeat_authorities_count,
                explanation=(
                    f"person {person} looked up by {distinct} different authorities within "
                    f"{days} days (threshold {config.repeat_authorities_count})"
                ),
            )
            sink.emit(trigger, window.tally.fresh(trigger.key))

    def evict(self, now: float) -> None:
        evict_idle(self._pairs, now, self._span)
        edge = now - self._span
        for person in [p for p, w in self._persons.items() if w.tally.last < edge]:
            del self._persons[person]


class Decoys:
    kinds: tuple[DetectorKind, ...] = (DetectorKind.DECOY,)

    def __init__(self, config: AnomalyConfig) -> None:
        self._decoys = config.decoy_persons
        self._tallies: dict[tuple[str, int, str], PeriodTally] = {}
        self._keep = config.max_evidence

    def observe(self, view: RecordView, sink: Sink) -> None:
        content = view.content
        if content is None or not self._decoys:
            return
        touched = self._decoys.intersection(content.hits)
        if not touched:
            return
        sender = view.sender()
        if sender is None:
            return
        for person in sorted(touched):
            key = (sender.key, person, view.slot.day_bucket)
            tally = self._tallies.get(key)
            if tally is None:
                tally = self._tallies[key] = PeriodTally(keep=self._keep)
            count = tally.add((view.t, view.record_id, view.at))
            if not sink.active(view):
                continue
            subject = Subject(
                authority_id=sender.authority_id,
                authority_kennung=sender.authority_kennung,
                user_id=sender.user_id,
                user_kennung=sender.user_kennung,
                source=sender.source,
                person_id=person,
            )
            trigger = Trigger(
                kind=DetectorKind.DECOY,
                subject=subject,
                bucket=view.slot.day_bucket,
                severity=Severity.CRITICAL,
                measured=count,
                threshold=1,
                explanation=(
                    f"decoy person {person} retrieved {count} time(s) by {sender.describe()} "
                    f"on {view.slot.day_bucket} ({view.service}, {content.hit_count} hit(s)); "
                    "no task leads to a decoy (threshold 1)"
                ),
            )
            sink.emit(trigger, tally.fresh(trigger.key))

    def evict(self, now: float) -> None:
        evict_idle(self._tallies, now, DAY_HORIZON)
