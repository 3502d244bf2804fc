"""Daily volumes of users and authorities: the history the baselines are made of.

A user's normal volume and an authority's normal working hours are learnt from their own past
(issue 10: "volume far above the user's own baseline (robust statistics)"; the police's night
shifts are normal for the police, not for a municipal office). :func:`daily_history` counts,
per user and per authority and local day, the records and those off-hours — from records, as
``anomalies scan`` and the tests do; the service may get the same figures from the database.
:class:`Baselines` answers, for a subject and a day, what the days *before* it say: median and
MAD of the active days' volumes, and the share of off-hours work.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from datenspiegel.protocol.anomalies.clock import HolidayCalendar, LocalClock
from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.context import DayVolume, History
from datenspiegel.protocol.anomalies.view import view_of
from datenspiegel.protocol.record import ProtocolRecord

__all__ = ["Baseline", "Baselines", "HoursProfile", "daily_history"]

#: MAD × this estimates the standard deviation of normally distributed volumes.
MAD_SCALE = 1.4826


def daily_history(
    records: Iterable[ProtocolRecord],
    *,
    config: AnomalyConfig | None = None,
    calendar: HolidayCalendar | None = None,
) -> dict[str, dict[date, DayVolume]]:
    """Per user and per authority (their :attr:`Subject.key`) and local day: how many records
    (replays excluded) and how many of them off-hours. Metadata only."""
    config = config or AnomalyConfig()
    clock = LocalClock(
        timezone=config.timezone,
        night_start_hour=config.night_start_hour,
        night_end_hour=config.night_end_hour,
        calendar=calendar,
    )
    counts: dict[str, dict[date, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for record in records:
        view = view_of(record, clock)
        if not view.is_activity:
            continue
        off = 1 if view.slot.off_reason is not None else 0
        for key in (view.user_key, view.authority_key):
            if key is not None:
                cell = counts[key][view.slot.day]
                cell[0] += 1
                cell[1] += off
    return {
        key: {day: DayVolume(n, off) for day, (n, off) in sorted(days.items())}
        for key, days in counts.items()
    }


@dataclass(frozen=True, slots=True)
class Baseline:
    """A subject's daily volumes before a day: active days, their median and MAD."""

    days: int
    median: float
    mad: float


@dataclass(frozen=True, slots=True)
class HoursProfile:
    """A subject's work before a day: active days, records, the share off-hours."""

    days: int
    records: int
    off_hours: int

    @property
    def share(self) -> float:
        return self.off_hours / self.records if self.records else 0.0


class Baselines:
    """Cached answers from a :data:`History` (each subject and day computed once)."""

    def __init__(self, history: History, *, volume_days: int, hours_days: int) -> None:
        self._history = history
        self._volume_days = volume_days
        self._hours_days = hours_days
        self._volume: dict[tuple[str, date], Baseline] = {}
        self._hours: dict[tuple[str, date], HoursProfile] = {}

    def _before(self, key: str, day: date, span: int) -> list[DayVolume]:
        days = self._history.get(key)
        if not days:
            return []
        found = []
        for back in range(1, span + 1):
            volume = days.get(day - timedelta(days=back))
            if volume is not None and volume.records > 0:
                found.append(volume)
        return found

    def volume(self, key: str, day: date) -> Baseline:
        cached = self._volume.get((key, day))
        if cached is None:
            values = [v.records for v in self._before(key, day, self._volume_days)]
            if values:
                median = float(statistics.median(values))
                mad = float(statistics.median(abs(v - median) for v in values))
            else:
                median = mad = 0.0
            cached = self._volume[(key, day)] = Baseline(len(values), median, mad)
        return cached

    def hours(self, key: str, day: date) -> HoursProfile:
        cached = self._hours.get((key, day))
        if cached is None:
            volumes = self._before(key, day, self._hours_days)
            cached = self._hours[(key, day)] = HoursProfile(
                len(volumes), sum(v.records for v in volumes), sum(v.off_hours for v in volumes)
            )
        return cached
