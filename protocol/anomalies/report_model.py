"""What the anomaly report holds: :class:`ReportData`, frozen and JSON-serialisable.

The report of a period of the § 40 BMG protocol (issue 10, point 4; DOMAIN.md § 6: the
operator reviews the protocol for signs of misuse) is built once
(:mod:`~datenspiegel.protocol.anomalies.report`) and then written as HTML for people
(:mod:`~datenspiegel.protocol.anomalies.report_html`) or as JSON for machines
(:meth:`ReportData.as_json`; :meth:`ReportData.from_json` reads it back to an equal value).

Everything in it is metadata — counts per authority, local hour, weekday and day, per
(pseudonymous) user — and the findings' own explanations: nothing of what was asked or found,
so a security authority's retrievals appear exactly as the operator may see them (§ 40 Abs. 3
BMG).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = [
    "FORMAT",
    "WEEKDAYS",
    "AuthorityReport",
    "Band",
    "DailyPoint",
    "HeatMap",
    "Period",
    "RecordCounts",
    "ReportData",
    "ReportFinding",
    "StatusCount",
    "UserReport",
]

#: The name and version of the JSON form.
FORMAT = "datenspiegel-anomaly-report/1"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Period:
    """``[since, until)`` in UTC; ``first_day`` … ``last_day`` the local days it covers."""

    since: datetime
    until: datetime
    first_day: date
    last_day: date
    timezone: str

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True, slots=True)
class HeatMap:
    """Records per local weekday (Monday first) and local hour (0–23)."""

    counts: tuple[tuple[int, ...], ...]

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.counts)

    @property
    def peak(self) -> int:
        return max((max(row) for row in self.counts), default=0)


@dataclass(frozen=True, slots=True)
class Band:
    """The usual daily volume before a day: from the ``days`` active days (at least one
    record) of the same kind (working day, or weekend day and public holiday) among the days
    looked back on, their ``median``, and ``low`` … ``high`` = median ∓ k × 1.4826 × MAD (a
    robust spread; ``low`` not below 0)."""

    days: int
    median: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class DailyPoint:
    """One local day: records, whether it was off (``weekend`` or the holiday's name), the
    band of the days before it (None: too little history) and whether the day lies above."""

    day: date
    records: int
    off_day: str | None
    band: Band | None
    above_band: bool


@dataclass(frozen=True, slots=True)
class AuthorityReport:
    """One authority in the period (``key`` as the detectors name it, ``authority:<id>``).

    ``metadata_only``: some of its records keep no content (a security authority logging
    its own retrievals, § 40 Abs. 3 BMG); the report uses metadata for every authority.
    """

    key: str
    kennung: str | None
    name: str | None
    sicherheitsbehoerde: bool
    metadata_only: bool
    records: int
    users: int
    off_hours: int
    heat_map: HeatMap
    days: tuple[DailyPoint, ...]
    open_findings: int
    top_severity: str | None

    @property
    def label(self) -> str:
        return self.kennung or self.key


@dataclass(frozen=True, slots=True)
class UserReport:
    """One user's work in the period (``kennung`` as recorded: for a security authority
    logging its own retrievals a keyed pseudonym)."""

    key: str
    kennung: str | None
    authority_key: str | None
    authority_kennung: str | None
    sicherheitsbehoerde: bool
    records: int
    active_days: int
    off_hours: int
    busiest_day: date
    busiest_day_records: int
    open_findings: int


@dataclass(frozen=True, slots=True)
class ReportFinding:
    """A finding as the report shows it: its review state and its own explanation."""

    id: str | None
    status: str
    key: str
    kind: str
    severity: str
    subject: str
    subject_key: str
    authority_key: str | None
    authority_kennung: str | None
    window_start: datetime
    window_end: datetime
    measured: float
    threshold: float
    explanation: str
    record_count: int
    #: the first records behind the finding (by id), for ``protocol show``
    record_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StatusCount:
    status: str
    findings: int


@dataclass(frozen=True, slots=True)
class RecordCounts:
    """How many records the report rests on.

    ``read``: every record read, the days before the period for the bands included;
    ``in_period``: those received in the period; of them ``duplicates`` (the broker sent an
    earlier answer again: not counted as work), ``security`` (of security authorities),
    ``metadata_only`` (no content kept) and ``unattributed`` (no authority: not verified).
    """

    read: int
    in_period: int
    duplicates: int
    security: int
    metadata_only: int
    unattributed: int
    authorities: int
    users: int


@dataclass(frozen=True, slots=True)
class ReportData:
    """The whole report (see the module docstring); ``authorities`` in the order shown —
    those with open findings first, the most severe first, then by volume."""

    period: Period
    generated_at: datetime
    reader: str
    purpose: str
    #: where the findings come from, for the reader (findings store, or evaluated now)
    findings_source: str
    baseline_days: int
    band_k: float
    #: the detectors' night (local hours): the heat maps frame the office time outside it
    night_start_hour: int
    night_end_hour: int
    counts: RecordCounts
    overall: HeatMap
    overall_days: tuple[DailyPoint, ...]
    authorities: tuple[AuthorityReport, ...]
    #: how many of ``authorities`` get charts in the HTML form
    charted: int
    top_users: tuple[UserReport, ...]
    findings: tuple[ReportFinding, ...]
    #: findings of the period by review state, the closed ones included
    statuses: tuple[StatusCount, ...]
    format: str = FORMAT

    def as_json(self) -> dict[str, Any]:
        """The report as JSON data (times ISO 8601, tuples as lists)."""
        result = _to_json(self)
        assert isinstance(result, dict)
        return result

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReportData:
        """The report back from :meth:`as_json` (equal to the original)."""
        if data.get("format") != FORMAT:
            raise ValueError(f"not an anomaly report of format {FORMAT}: {data.get('format')!r}")
        value = _from_json(cls, data)
        assert isinstance(value, ReportData)
        return value


# -- JSON, driven by the dataclasses' own type hints ---------------------------------------------


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls)
    return found


def _from_json(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return _from_json(inner, value)
    if origin is tuple:
        args = typing.get_args(hint)
        return tuple(_from_json(args[0], v) for v in value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        names = {f.name for f in dataclasses.fields(hint)}
        unknown = set(value) - names
        if unknown:
            raise ValueError(f"{hint.__name__}: unknown fields {sorted(unknown)}")
        return hint(**{k: _from_json(hints[k], v) for k, v in value.items()})
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if hint is float:
        return float(value)
    return value
