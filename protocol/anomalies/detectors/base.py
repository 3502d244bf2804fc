"""What every detector shares: triggers, the sink they go to, and tallies of records.

A detector sees each record once, in order of reception (``observe``), keeps small per-key
state — a :class:`Tally` of the records in its sliding window, or a :class:`PeriodTally` of a
day or off-hours period — and, whenever a threshold is reached at a record, hands a
:class:`Trigger` with the :class:`Evidence` behind it (the records not handed over before) to
the :class:`Sink`. The
sink turns triggers into findings: one per key (detector, subject, period), the strongest
trigger's numbers, all records united. Triggers at records before the evaluated period only
warm the windows up (:meth:`Sink.active`), so every detector is decided *per record*, from at
most :attr:`~datenspiegel.protocol.anomalies.config.AnomalyConfig.lookback` of history: what
makes increments add up to the whole.

State is bounded: :meth:`Detector.evict` drops tallies that can no longer grow, a sliding
window holds the records of one window, and a period tally and the evidence of a finding hold
a count and at most ``max_evidence`` record ids however many records they stand for.
"""

from __future__ import annotations

from array import array
from bisect import insort
from collections import deque
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from datenspiegel.protocol.anomalies.model import DetectorKind, Severity, Subject
from datenspiegel.protocol.anomalies.view import RecordView

__all__ = [
    "DAY_HORIZON",
    "Detector",
    "Evidence",
    "PeriodTally",
    "Sink",
    "Tally",
    "Trigger",
    "escalate",
    "evict_idle",
]

#: A record as a tally holds it: (epoch seconds, record id, received at)
_Item = tuple[float, str, datetime]

#: Seconds a tally of a local day may still grow after its last record (a day at a DST
#: change has 25 hours).
DAY_HORIZON = 26 * 3600.0


@dataclass(frozen=True, slots=True)
class Trigger:
    """A threshold reached at one record: what the finding will say."""

    kind: DetectorKind
    subject: Subject
    bucket: str
    severity: Severity
    measured: float
    threshold: float
    explanation: str

    @property
    def key(self) -> str:
        return f"{self.kind.value}|{self.subject.key}|{self.bucket}"


class Sink(Protocol):
    def active(self, view: RecordView) -> bool:
        """Whether a trigger at ``view`` makes a finding (the record lies in the period)."""
        ...

    def emit(self, trigger: Trigger, evidence: Evidence) -> None: ...


class Detector(Protocol):
    kinds: tuple[DetectorKind, ...]

    def observe(self, view: RecordView, sink: Sink) -> None: ...

    def evict(self, now: float) -> None:
        """Forget state that records from ``now`` on cannot extend."""
        ...


_NEXT = {Severity.LOW: Severity.MEDIUM, Severity.MEDIUM: Severity.HIGH}


def escalate(base: Severity, measured: float, threshold: float, factor: float) -> Severity:
    """``base``, one step higher (at most HIGH) when ``measured`` is ``factor`` × threshold."""
    if threshold > 0 and measured >= factor * threshold:
        return _NEXT.get(base, base)
    return base


class Evidence:
    """The records behind a trigger, as a finding links them: how many, the first and the last
    reception, and the lexicographically first ``keep`` record ids — the stable sample of
    :class:`~datenspiegel.protocol.anomalies.model.Finding` (``keep`` is
    :attr:`AnomalyConfig.max_evidence
    <datenspiegel.protocol.anomalies.config.AnomalyConfig.max_evidence>`).

    Its size is bounded by ``keep`` however many records it stands for, so a user's day of
    100 000 retrievals costs ``keep`` ids, not 100 000 (issue 11: the worker's memory stays
    flat under a sustained load). The first ``keep`` of a union are the first ``keep`` of the
    parts' first ``keep``, so merging gives what keeping every id gave."""

    __slots__ = ("count", "end", "ids", "keep", "start")

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.count = 0
        self.start: datetime | None = None
        self.end: datetime | None = None
        #: sorted, at most ``keep``
        self.ids: list[str] = []

    def add(self, record_id: str, at: datetime) -> None:
        """One more record (never one already added)."""
        self.count += 1
        if self.start is None or at < self.start:
            self.start = at
        if self.end is None or at > self.end:
            self.end = at
        self._sample(record_id)

    def merge(self, other: Evidence) -> None:
        """Add ``other``'s records (none of them added before). A trigger usually hands one new
        record: each of ``other``'s ids costs a comparison, not a sort of the sample."""
        if not other.count:
            return
        self.count += other.count
        assert other.start is not None and other.end is not None
        if self.start is None or other.start < self.start:
            self.start = other.start
        if self.end is None or other.end > self.end:
            self.end = other.end
        for record_id in other.ids:
            self._sample(record_id)

    def _sample(self, record_id: str) -> None:
        """Keep ``record_id`` if it is among the first ``keep`` ids seen."""
        ids = self.ids
        if len(ids) < self.keep:
            insort(ids, record_id)
        elif record_id < ids[-1]:
            insort(ids, record_id)
            ids.pop()


class Tally:
    """The records of one key within ``span`` seconds of the newest (a sliding window: bursts,
    repeated look-ups, failures). Remembers, per finding, what it has already handed over, so
    a long burst costs O(1) per record, not O(window), and no record is handed to a finding
    twice.

    Bounded: the window's count is exact (the reception times, 8 bytes a record, in an
    array), but only the newest ``keep`` records are held with their ids. A finding that
    starts while the window holds more (a user hammering one person for days, up to the
    per-minute quota) counts all of them and links the first ``keep`` ids of the newest
    ``keep``; every later record of it is linked as before."""

    __slots__ = ("_head", "_marks", "_times", "items", "keep", "span")

    def __init__(self, span: float, *, keep: int) -> None:
        self.span = span
        self.keep = keep
        #: the newest ``keep`` records of the window
        self.items: deque[_Item] = deque(maxlen=keep)
        #: reception times of the window's records from ``_head`` on (older ones not yet cut)
        self._times = array("d")
        self._head = 0
        #: finding key → (t, record id) of the newest record handed to it
        self._marks: dict[str, tuple[float, str]] = {}

    def add(self, item: _Item) -> int:
        """Add a record ``(epoch seconds, record id, received at)``; return how many the
        window holds now."""
        t = item[0]
        edge = t - self.span
        items, times = self.items, self._times
        items.append(item)
        while items and items[0][0] <= edge:
            items.popleft()
        times.append(t)
        head, end = self._head, len(times)
        while head < end and times[head] <= edge:
            head += 1
        if head >= 1024 and 2 * head >= end:  # cut the expired part, amortised O(1)
            del times[:head]
            head = 0
        self._head = head
        if len(self._marks) > 1:  # a mark older than the window excludes nothing any more
            for key in [k for k, mark in self._marks.items() if mark[0] <= edge]:
                del self._marks[key]
        return len(times) - head

    def __len__(self) -> int:
        return len(self._times) - self._head

    @property
    def last(self) -> float:
        return self._times[-1] if len(self) else float("-inf")

    def fresh(self, key: str) -> Evidence:
        """The records not yet handed to the finding ``key`` (all of them for a new key)."""
        items = self.items
        out = Evidence(self.keep)
        mark = self._marks.get(key)
        for item in reversed(items):
            if mark is not None and (item[0], item[1]) <= mark:
                break
            out.add(item[1], item[2])
        if items:
            self._marks[key] = (items[-1][0], items[-1][1])
        if out.count == len(items) < len(self):  # older records of the window, not held
            older = self._times[self._head : len(self._times) - len(items)]
            unseen = [t for t in older if mark is None or t > mark[0]]
            if unseen:
                out.count += len(unseen)
                first = datetime.fromtimestamp(min(unseen), UTC)
                if out.start is None or first < out.start:
                    out.start = first
        return out


class PeriodTally:
    """The records of one key in one period (a local day, an off-hours period) for the one
    finding of that key and period. Keeps the count and, bounded by ``keep``, the records not
    yet handed to the finding — never the records themselves: a busy user's day is a counter
    and at most ``keep`` ids, not a list that grows all day."""

    __slots__ = ("_pending", "count", "keep", "last")

    def __init__(self, *, keep: int) -> None:
        self.keep = keep
        self.count = 0
        #: epoch seconds of the record added last
        self.last = float("-inf")
        self._pending = Evidence(keep)

    def add(self, item: _Item) -> int:
        """Add a record ``(epoch seconds, record id, received at)``; return the period's count."""
        self.count += 1
        self.last = item[0]
        self._pending.add(item[1], item[2])
        return self.count

    def __len__(self) -> int:
        return self.count

    def fresh(self, key: str) -> Evidence:
        """The records not yet handed to the period's finding ``key`` (``key`` is the same at
        every call: one tally per detector, subject and period)."""
        out, self._pending = self._pending, Evidence(self.keep)
        return out


class _Timed(Protocol):
    @property
    def last(self) -> float: ...


_K = TypeVar("_K")
_T = TypeVar("_T", bound=_Timed)


def evict_idle(tallies: MutableMapping[_K, _T], now: float, horizon: float) -> None:
    """Drop the tallies whose newest record is more than ``horizon`` seconds before ``now``."""
    edge = now - horizon
    for key in [k for k, tally in tallies.items() if tally.last < edge]:
        del tallies[key]
