"""What every detector shares: triggers, the sink they go to, and tallies of records.

A detector sees each record once, in order of reception (``observe``), keeps small per-key
state — a :class:`Tally` of the records in its window — and, whenever a threshold is reached
at a record, hands a :class:`Trigger` with the records behind it to the :class:`Sink`. The
sink turns triggers into findings: one per key (detector, subject, period), the strongest
trigger's numbers, all records united. Triggers at records before the evaluated period only
warm the windows up (:meth:`Sink.active`), so every detector is decided *per record*, from at
most :attr:`~datenspiegel.protocol.anomalies.config.AnomalyConfig.lookback` of history: what
makes increments add up to the whole.

State is bounded: :meth:`Detector.evict` drops tallies that can no longer grow.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from datenspiegel.protocol.anomalies.model import DetectorKind, Severity, Subject
from datenspiegel.protocol.anomalies.view import RecordView

__all__ = [
    "DAY_HORIZON",
    "Detector",
    "Evidence",
    "Sink",
    "Tally",
    "Trigger",
    "escalate",
    "evict_idle",
]

#: (epoch seconds, record id, received at)
Evidence = tuple[float, str, datetime]

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

    def emit(self, trigger: Trigger, evidence: Iterable[Evidence]) -> None: ...


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


class Tally:
    """The records of one key: those within ``span`` seconds of the newest (a sliding
    window), or all of a period (``span`` None). Remembers which it has already handed to
    which finding, so a long burst costs O(1) per record, not O(window)."""

    __slots__ = ("_key", "_mark", "items", "span")

    def __init__(self, span: float | None = None) -> None:
        self.items: deque[Evidence] = deque()
        self.span = span
        self._key: str | None = None
        self._mark: tuple[float, str] | None = None

    def add(self, item: Evidence) -> int:
        """Add a record; return how many the window holds now."""
        items = self.items
        items.append(item)
        if self.span is not None:
            edge = item[0] - self.span
            while items and items[0][0] <= edge:
                items.popleft()
        return len(items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def last(self) -> float:
        return self.items[-1][0] if self.items else float("-inf")

    def fresh(self, key: str) -> list[Evidence]:
        """The records not yet handed to the finding ``key`` (all of them for a new key)."""
        items = self.items
        if key != self._key or self._mark is None:
            out = list(items)
        else:
            out = []
            mark = self._mark
            for item in reversed(items):
                if (item[0], item[1]) <= mark:
                    break
                out.append(item)
        if items:
            self._key, self._mark = key, (items[-1][0], items[-1][1])
        return out


_K = TypeVar("_K")


def evict_idle(tallies: MutableMapping[_K, Tally], now: float, horizon: float) -> None:
    """Drop the tallies whose newest record is more than ``horizon`` seconds before ``now``."""
    edge = now - horizon
    for key in [k for k, tally in tallies.items() if tally.last < edge]:
        del tallies[key]
