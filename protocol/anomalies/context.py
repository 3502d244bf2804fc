"""What the records alone do not tell: the period judged, history, blocks, holidays.

The engine stays pure: whoever evaluates (the running service, ``anomalies scan``, a test)
hands it a :class:`Context` of plain values — the access registry's block history as a mapping
of periods (protocol does not import access, DESIGN.md), the subjects' daily volumes as history
(:func:`~datenspiegel.protocol.anomalies.history.daily_history`, or the same figures from the
database), and the public holidays of Lower Saxony (the default calendar).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from datenspiegel.protocol.anomalies.clock import HolidayCalendar
from datenspiegel.protocol.anomalies.errors import AnomalyError

__all__ = ["BlockPeriod", "Context", "DayVolume", "History", "block_periods"]


@dataclass(frozen=True, slots=True)
class DayVolume:
    """A subject's activity on one local day: records, and of them those off-hours."""

    records: int
    off_hours: int = 0


#: Subject key (:attr:`Subject.key <datenspiegel.protocol.anomalies.model.Subject.key>` of a
#: user or an authority) → local day → its volume.
History = Mapping[str, Mapping[date, DayVolume]]


@dataclass(frozen=True, slots=True)
class BlockPeriod:
    """From ``start`` until ``end`` (open: still blocked) the subject was blocked."""

    start: datetime
    end: datetime | None = None

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment and (self.end is None or moment < self.end)


def block_periods(changes: Iterable[tuple[datetime, bool]]) -> tuple[BlockPeriod, ...]:
    """Periods of a block from a status history of ``(at, blocked)`` (oldest first), as the
    access registry keeps it (``AccessStore.status_history``)."""
    periods: list[BlockPeriod] = []
    start: datetime | None = None
    for at, blocked in changes:
        if blocked and start is None:
            start = at
        elif not blocked and start is not None:
            periods.append(BlockPeriod(start, at))
            start = None
    if start is not None:
        periods.append(BlockPeriod(start, None))
    return tuple(periods)


def _aware(moment: datetime | None, name: str) -> None:
    if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
        raise AnomalyError(f"{name} must be timezone-aware")


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """The facts an evaluation needs besides the records.

    ``since``/``until``: findings are made only from records received in ``[since, until)``;
    records before ``since`` (at least :attr:`AnomalyConfig.lookback
    <datenspiegel.protocol.anomalies.config.AnomalyConfig.lookback>` of them) only fill the
    windows, so a period evaluated on its own finds what the evaluation of everything finds
    there. ``history``: daily volumes per user and authority for the baselines (days before
    the day judged are used). ``blocked_users``/``blocked_authorities``: registry id → the
    periods it was blocked. ``calendar``: public holidays (default: Lower Saxony).
    """

    since: datetime | None = None
    until: datetime | None = None
    history: History = field(default_factory=dict)
    blocked_users: Mapping[int, tuple[BlockPeriod, ...]] = field(default_factory=dict)
    blocked_authorities: Mapping[int, tuple[BlockPeriod, ...]] = field(default_factory=dict)
    calendar: HolidayCalendar | None = None

    def __post_init__(self) -> None:
        _aware(self.since, "since")
        _aware(self.until, "until")
        if self.since is not None and self.until is not None and self.until < self.since:
            raise AnomalyError("until lies before since")
        for name in ("history", "blocked_users", "blocked_authorities"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    @staticmethod
    def blocked(
        periods: Mapping[int, tuple[BlockPeriod, ...]], subject: int | None, moment: datetime
    ) -> BlockPeriod | None:
        if subject is None:
            return None
        for period in periods.get(subject, ()):
            if period.covers(moment):
                return period
        return None
