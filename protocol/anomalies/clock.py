"""Local time of Lower Saxony: hours, weekdays, public holidays and off-hours periods.

Records are kept in UTC; whether a retrieval happened at night, at a weekend or on a public
holiday is a question of the local time in Lower Saxony (Europe/Berlin) and of its public
holidays (``holidays.Germany(subdiv="NI")``: the federal ones plus Reformationstag). Every
moment off-hours belongs to exactly one *off-hours period*: a weekend day or public holiday as
one contiguous stretch — from the evening a night, a weekend or a holiday begins until the next
working morning (Friday 22:00 to Monday 06:00 is one period) — named by its first hour. So a
finding about a night or a weekend has the same key however it is cut into evaluations, and a
sender's off-hours work is judged against its history before the stretch began.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import holidays

__all__ = ["HolidayCalendar", "LocalClock", "Slot", "calendar_of", "lower_saxony_holidays"]

#: A day → the name of its public holiday, or None.
HolidayCalendar = Callable[[date], str | None]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@functools.cache
def _ni_holidays() -> holidays.HolidayBase:
    return holidays.Germany(subdiv="NI", language="de")


def lower_saxony_holidays(day: date) -> str | None:
    """The public holiday of Lower Saxony on ``day`` (German name), or None."""
    name = _ni_holidays().get(day)
    return str(name) if name else None


def calendar_of(days: Mapping[date, str]) -> HolidayCalendar:
    """A calendar of exactly ``days`` (for tests and for an operator's own list)."""
    fixed = dict(days)
    return fixed.get


@dataclass(frozen=True, slots=True)
class Slot:
    """What a UTC hour is in Lower Saxony (Europe/Berlin offsets are whole hours)."""

    day: date
    hour: int
    #: ``"night"``, ``"weekend"``, ``"holiday"`` or None (office time).
    off_reason: str | None
    #: The off-hours period (its first local hour, ``"2026-04-10T22"``); None in office time.
    off_period: str | None
    #: How the moment reads in an explanation ("on Saturday 2026-04-11", …).
    off_label: str | None
    #: The local day the off-hours period began (its history is the days before).
    off_since: date | None = None

    @property
    def day_bucket(self) -> str:
        return self.day.isoformat()


class LocalClock:
    """Maps epoch seconds to their :class:`Slot` (cached per UTC hour)."""

    def __init__(
        self,
        *,
        timezone: str = "Europe/Berlin",
        night_start_hour: int = 22,
        night_end_hour: int = 6,
        calendar: HolidayCalendar | None = None,
    ) -> None:
        self._zone = ZoneInfo(timezone)
        self._start = night_start_hour
        self._end = night_end_hour
        self._calendar = calendar or lower_saxony_holidays
        self._slots: dict[int, Slot] = {}
        self._holiday: dict[date, str | None] = {}

    def holiday(self, day: date) -> str | None:
        try:
            return self._holiday[day]
        except KeyError:
            name = self._holiday[day] = self._calendar(day)
            return name

    def slot(self, epoch: float) -> Slot:
        hour_key = int(epoch // 3600)
        found = self._slots.get(hour_key)
        if found is None:
            found = self._slots[hour_key] = self._compute(hour_key)
        return found

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self._zone)

    def _night(self, hour: int) -> bool:
        if self._start > self._end:  # the night wraps midnight (22–06)
            return hour >= self._start or hour < self._end
        return self._start <= hour < self._end

    def _local(self, hour_key: int) -> datetime:
        return datetime.fromtimestamp(hour_key * 3600, tz=UTC).astimezone(self._zone)

    def _reason(self, local: datetime) -> tuple[str | None, str | None]:
        day, hour = local.date(), local.hour
        holiday = self.holiday(day)
        if holiday is not None:
            return "holiday", f"on a public holiday ({holiday}, {day.isoformat()})"
        if day.weekday() >= 5:
            return "weekend", f"on {_WEEKDAYS[day.weekday()]} {day.isoformat()}"
        if self._night(hour):
            return "night", (
                f"at night ({local:%Y-%m-%d %H}:00, night {self._start:02d}:00–"
                f"{self._end:02d}:00 local time)"
            )
        return None, None

    def _compute(self, hour_key: int) -> Slot:
        local = self._local(hour_key)
        reason, label = self._reason(local)
        if reason is None:
            return Slot(local.date(), local.hour, None, None, None)
        first = hour_key
        for _ in range(24 * 14):  # an off-hours stretch is a few days at most
            before = self._local(first - 1)
            if self._reason(before)[0] is None:
                break
            first -= 1
        began = self._local(first)
        return Slot(
            local.date(),
            local.hour,
            reason,
            f"{began:%Y-%m-%dT%H}",
            label,
            began.date(),
        )
