"""The transaction's date: the calendar day in Lower Saxony, not in UTC.

Dates the law counts by — a child is transmitted only while under 18 on the transaction's day
(§ 3 Abs. 1 Nr. 16 BMG), a time-limited Auskunftssperre ends with its last day (§ 51 Abs. 4 BMG) —
are days of the local calendar. Between midnight and 01:00 (02:00 in summer) the UTC date is
still yesterday's: judged by it, a child who turned 18 at midnight would still be sent.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = ["ZEITZONE", "stichtag"]

#: The time zone of Lower Saxony (IANA database; the ``tzdata`` package provides it where the
#: system has none).
ZEITZONE = ZoneInfo("Europe/Berlin")


def stichtag(moment: datetime) -> date:
    """The calendar day in Lower Saxony at ``moment`` (which must be timezone-aware)."""
    if moment.tzinfo is None:
        raise ValueError("stichtag needs a timezone-aware moment")
    return moment.astimezone(ZEITZONE).date()
