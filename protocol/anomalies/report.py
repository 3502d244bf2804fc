"""The anomaly report of a period: records and findings in, :class:`ReportData` out.

Issue 10, point 4: the operator reviews a period of the § 40 BMG protocol (DOMAIN.md § 6) —
when each authority works (local hour × weekday), how its daily volume compares with its own
usual band, who retrieves most, and which findings are still open. :class:`ReportBuilder`
takes the records one at a time (from
:func:`~datenspiegel.protocol.anomalies.source.read_records`, a logged read) and keeps only
counts, so a period of millions of records needs no more memory than a few counters per
authority, user and day; :meth:`ReportBuilder.build` adds the findings.

*What it looks at.* Each record through :func:`~datenspiegel.protocol.anomalies.view.view_of`,
the one projection that decides what the review may see: for a security authority only
metadata (§ 40 Abs. 3 BMG). The report itself uses nothing but metadata for everybody — time,
authority, (pseudonymous) user, outcome — and the findings' own explanations.

*The band.* A day's usual volume is learnt much as the volume-baseline detector learns a
user's: from the active days (at least one record) among the ``baseline_days`` before it —
of the same kind: a working day from working days, a weekend day or public holiday from
weekend days and holidays, so that an office's quiet Saturday is not measured against its
Mondays — their median and MAD; the band is median ∓ ``band_k`` × 1.4826 × MAD (not below 0),
drawn once there are ``band_min_days`` such days. The records of those earlier days must be
fed too (:attr:`ReportBuilder.read_since`); they count for the bands only.

*Findings.* Any :class:`~datenspiegel.protocol.anomalies.model.Finding`, or an object of the
findings store with ``.id``, ``.finding`` and ``.status`` (an enum or its value). Those not
closed (:data:`OPEN_STATUSES`) are listed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from datenspiegel.protocol.anomalies.clock import HolidayCalendar, LocalClock
from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.errors import AnomalyError, InvalidConfig
from datenspiegel.protocol.anomalies.history import MAD_SCALE
from datenspiegel.protocol.anomalies.model import Finding, Severity
from datenspiegel.protocol.anomalies.report_model import (
    WEEKDAYS,
    AuthorityReport,
    Band,
    DailyPoint,
    HeatMap,
    Period,
    RecordCounts,
    ReportData,
    ReportFinding,
    StatusCount,
    UserReport,
)
from datenspiegel.protocol.anomalies.view import view_of
from datenspiegel.protocol.record import ProtocolRecord

__all__ = [
    "OPEN_STATUSES",
    "UNREVIEWED",
    "ReportBuilder",
    "ReportOptions",
    "StoredFindingLike",
    "build_report",
    "period_of_days",
]

#: The state of a finding that was evaluated for the report and is in no findings store.
UNREVIEWED = "unreviewed"
#: Review states of a finding that still needs the operator (the findings store's
#: open / in_review / authority_asked, and findings not yet stored).
OPEN_STATUSES = frozenset({"open", "in_review", "authority_asked", UNREVIEWED})


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportOptions:
    """How the report is made (every field has a default)."""

    #: days before each day its band is learnt from (the volume baseline's ``baseline_days``)
    baseline_days: int = 28
    #: active days needed for a band; fewer: no band that day
    band_min_days: int = 5
    #: the band's half-width in robust standard deviations (1.4826 × MAD)
    band_k: float = 3.0
    #: users listed, busiest first
    top_users: int = 20
    #: authorities given charts in the HTML form (all are in the table and in JSON)
    charted: int = 24
    #: record ids listed per finding
    evidence: int = 10

    def __post_init__(self) -> None:
        for name in ("baseline_days", "band_min_days", "top_users", "charted"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidConfig(f"ReportOptions.{name} must be a positive integer")
        if self.band_min_days > self.baseline_days:
            raise InvalidConfig("band_min_days cannot exceed baseline_days")
        if not 0 < self.band_k <= 20:
            raise InvalidConfig("ReportOptions.band_k must lie in (0, 20]")
        if isinstance(self.evidence, bool) or not 0 <= self.evidence <= 500:
            raise InvalidConfig("ReportOptions.evidence must lie in 0–500")


class StoredFindingLike(Protocol):
    """A finding as the findings store keeps it (only what the report reads)."""

    @property
    def id(self) -> Any: ...

    @property
    def finding(self) -> Finding: ...

    @property
    def status(self) -> Any: ...


def period_of_days(first_day: date, last_day: date, *, timezone: str = "Europe/Berlin") -> Period:
    """The whole local days ``first_day`` … ``last_day`` (both included) as a period."""
    if last_day < first_day:
        raise ValueError(f"the period ends ({last_day}) before it starts ({first_day})")
    zone = ZoneInfo(timezone)

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(), zone).astimezone(UTC)

    return Period(
        since=midnight(first_day),
        until=midnight(last_day + timedelta(days=1)),
        first_day=first_day,
        last_day=last_day,
        timezone=timezone,
    )


_SLOTS = 7 * 24


class _Tally:
    """Counts of one authority, or of everybody (``overall``)."""

    __slots__ = (
        "days",
        "heat",
        "kennung",
        "metadata_only",
        "name",
        "off",
        "records",
        "sb",
        "users",
    )

    def __init__(self) -> None:
        self.heat = [0] * _SLOTS
        #: every day read (the days before the period feed the bands)
        self.days: defaultdict[date, int] = defaultdict(int)
        self.records = 0
        self.off = 0
        self.users: set[str] = set()
        self.kennung: str | None = None
        self.name: str | None = None
        self.sb = False
        self.metadata_only = False


class _UserTally:
    __slots__ = ("authority_kennung", "authority_key", "days", "kennung", "off", "records", "sb")

    def __init__(self) -> None:
        self.days: defaultdict[date, int] = defaultdict(int)
        self.records = 0
        self.off = 0
        self.kennung: str | None = None
        self.authority_key: str | None = None
        self.authority_kennung: str | None = None
        self.sb = False


class ReportBuilder:
    """Counts records for the report of ``period`` (see the module docstring).

    Feed every record received in ``[read_since, period.until)`` — in any order — with
    :meth:`add`; records outside are ignored. Then :meth:`build`.
    """

    def __init__(
        self,
        period: Period,
        *,
        options: ReportOptions | None = None,
        config: AnomalyConfig | None = None,
        calendar: HolidayCalendar | None = None,
    ) -> None:
        self.period = period
        self.options = options or ReportOptions()
        config = config or AnomalyConfig()
        if config.timezone != period.timezone:
            raise AnomalyError(
                f"the period is in {period.timezone}, the detectors' local time {config.timezone}"
            )
        self._clock = LocalClock(
            timezone=config.timezone,
            night_start_hour=config.night_start_hour,
            night_end_hour=config.night_end_hour,
            calendar=calendar,
        )
        self._night = (config.night_start_hour, config.night_end_hour)
        zone = ZoneInfo(period.timezone)
        first = period.first_day - timedelta(days=self.options.baseline_days)
        #: from when records are needed: the bands look back ``baseline_days``
        self.read_since = datetime.combine(first, time(), zone).astimezone(UTC)
        self._from = self.read_since.timestamp()
        self._since = period.since.timestamp()
        self._until = period.until.timestamp()
        self._overall = _Tally()
        self._authorities: dict[str, _Tally] = {}
        self._users: dict[str, _UserTally] = {}
        self._read = 0
        self._in_period = 0
        self._duplicates = 0
        self._security = 0
        self._metadata_only = 0
        self._unattributed = 0

    def add(self, record: ProtocolRecord) -> None:
        view = view_of(record, self._clock)
        t = view.t
        if t < self._from or t >= self._until:
            return
        self._read += 1
        in_period = t >= self._since
        if in_period:
            self._in_period += 1
            if record.sicherheitsbehoerde:
                self._security += 1
            if not record.content_recorded:
                self._metadata_only += 1
            if view.authority_key is None:
                self._unattributed += 1
        if not view.is_activity:  # the broker's re-sending of an earlier answer
            if in_period:
                self._duplicates += 1
            return
        slot = view.slot
        day = slot.day
        overall = self._overall
        overall.days[day] += 1
        authority = None
        if view.authority_key is not None:
            authority = self._authorities.get(view.authority_key)
            if authority is None:
                authority = self._authorities[view.authority_key] = _Tally()
            authority.days[day] += 1
        if not in_period:
            return
        cell = day.weekday() * 24 + slot.hour
        off = slot.off_reason is not None
        for tally in (overall, authority):
            if tally is None:
                continue
            tally.heat[cell] += 1
            tally.records += 1
            tally.off += off
            if view.user_key is not None:
                tally.users.add(view.user_key)
        if authority is not None:
            authority.kennung = view.authority_kennung or authority.kennung
            authority.name = record.authority_name or authority.name
            authority.sb = authority.sb or view.sicherheitsbehoerde
            authority.metadata_only = authority.metadata_only or not record.content_recorded
        if view.user_key is not None:
            user = self._users.get(view.user_key)
            if user is None:
                user = self._users[view.user_key] = _UserTally()
            user.days[day] += 1
            user.records += 1
            user.off += off
            user.kennung = view.user_kennung or user.kennung
            user.authority_key = view.authority_key
            user.authority_kennung = view.authority_kennung
            user.sb = user.sb or view.sicherheitsbehoerde

    def add_all(self, records: Iterable[ProtocolRecord]) -> int:
        """:meth:`add` each of ``records``; return how many were given."""
        count = 0
        for record in records:
            self.add(record)
            count += 1
        return count

    # -- building ------------------------------------------------------------------------------

    def _band(self, days: dict[date, int], day: date) -> Band | None:
        options = self.options
        off = self._off_day(day) is not None
        values = [
            n
            for back in range(1, options.baseline_days + 1)
            if (n := days.get(earlier := day - timedelta(days=back), 0)) > 0
            and (self._off_day(earlier) is not None) == off
        ]
        if len(values) < options.band_min_days:
            return None
        median = float(statistics.median(values))
        spread = (
            options.band_k * MAD_SCALE * float(statistics.median(abs(v - median) for v in values))
        )
        return Band(len(values), median, max(0.0, median - spread), median + spread)

    def _off_day(self, day: date) -> str | None:
        holiday = self._clock.holiday(day)
        if holiday is not None:
            return holiday
        return WEEKDAYS[day.weekday()] if day.weekday() >= 5 else None

    def _series(self, days: dict[date, int]) -> tuple[DailyPoint, ...]:
        points = []
        day = self.period.first_day
        while day <= self.period.last_day:
            records = days.get(day, 0)
            band = self._band(days, day)
            points.append(
                DailyPoint(
                    day=day,
                    records=records,
                    off_day=self._off_day(day),
                    band=band,
                    above_band=band is not None and records > band.high,
                )
            )
            day += timedelta(days=1)
        return tuple(points)

    @staticmethod
    def _heat(tally: _Tally) -> HeatMap:
        return HeatMap(tuple(tuple(tally.heat[d * 24 : d * 24 + 24]) for d in range(7)))

    def build(
        self,
        findings: Iterable[Finding | StoredFindingLike] = (),
        *,
        reader: str,
        purpose: str,
        generated_at: datetime,
        findings_source: str,
        default_status: str = UNREVIEWED,
    ) -> ReportData:
        """The report: the counts so far and ``findings`` (plain findings get
        ``default_status``)."""
        if generated_at.tzinfo is None:
            raise AnomalyError("generated_at must be timezone-aware")
        shown = _report_findings(findings, default_status, self.options.evidence)
        by_status: defaultdict[str, int] = defaultdict(int)
        for finding in shown:
            by_status[finding.status] += 1
        open_ = [f for f in shown if f.status in OPEN_STATUSES]
        open_.sort(key=lambda f: (-_RANK[f.severity], f.window_start, f.key))
        per_authority: defaultdict[str, list[ReportFinding]] = defaultdict(list)
        per_user: defaultdict[str, int] = defaultdict(int)
        for finding in open_:
            if finding.authority_key is not None:
                per_authority[finding.authority_key].append(finding)
            user_key = _user_key(finding.subject_key)
            if user_key is not None:
                per_user[user_key] += 1
        authorities = [
            self._authority(key, tally, per_authority.get(key, []))
            for key, tally in self._authorities.items()
            if tally.records > 0 or key in per_authority
        ]
        authorities.sort(
            key=lambda a: (
                -(_RANK[a.top_severity] + 1 if a.top_severity else 0),
                -a.records,
                a.label,
            )
        )
        users = sorted(self._users.items(), key=lambda item: (-item[1].records, item[0]))
        top_users = tuple(
            _user_report(key, tally, per_user.get(key, 0))
            for key, tally in users[: self.options.top_users]
        )
        return ReportData(
            period=self.period,
            generated_at=generated_at.astimezone(UTC),
            reader=reader,
            purpose=purpose,
            findings_source=findings_source,
            baseline_days=self.options.baseline_days,
            band_k=self.options.band_k,
            night_start_hour=self._night[0],
            night_end_hour=self._night[1],
            counts=RecordCounts(
                read=self._read,
                in_period=self._in_period,
                duplicates=self._duplicates,
                security=self._security,
                metadata_only=self._metadata_only,
                unattributed=self._unattributed,
                authorities=sum(1 for a in self._authorities.values() if a.records),
                users=len(self._users),
            ),
            overall=self._heat(self._overall),
            overall_days=self._series(self._overall.days),
            authorities=tuple(authorities),
            charted=min(self.options.charted, len(authorities)),
            top_users=top_users,
            findings=tuple(open_),
            statuses=tuple(StatusCount(s, n) for s, n in sorted(by_status.items())),
        )

    def _authority(
        self, key: str, tally: _Tally, findings: Sequence[ReportFinding]
    ) -> AuthorityReport:
        top = max((f.severity for f in findings), key=lambda s: _RANK[s], default=None)
        kennung = tally.kennung
        if kennung is None and findings:
            kennung = findings[0].authority_kennung
        return AuthorityReport(
            key=key,
            kennung=kennung,
            name=tally.name,
            sicherheitsbehoerde=tally.sb,
            metadata_only=tally.metadata_only,
            records=tally.records,
            users=len(tally.users),
            off_hours=tally.off,
            heat_map=self._heat(tally),
            days=self._series(tally.days),
            open_findings=len(findings),
            top_severity=top,
        )


_RANK = {s.value: s.rank for s in Severity}


def _user_key(subject_key: str) -> str | None:
    """``authority:3/user:12`` of a subject key that names a user (perhaps with more)."""
    parts = subject_key.split("/")
    for index, part in enumerate(parts):
        if part.startswith("user:"):
            return "/".join(parts[: index + 1])
    return None


def _user_report(key: str, tally: _UserTally, findings: int) -> UserReport:
    busiest = max(tally.days.items(), key=lambda item: (item[1], -item[0].toordinal()))
    return UserReport(
        key=key,
        kennung=tally.kennung,
        authority_key=tally.authority_key,
        authority_kennung=tally.authority_kennung,
        sicherheitsbehoerde=tally.sb,
        records=tally.records,
        active_days=len(tally.days),
        off_hours=tally.off,
        busiest_day=busiest[0],
        busiest_day_records=busiest[1],
        open_findings=findings,
    )


def _authority_key(finding: Finding) -> str | None:
    subject = finding.subject
    if subject.authority_id is not None:
        return f"authority:{subject.authority_id}"
    if subject.authority_kennung is not None:
        return f"authority:{subject.authority_kennung}"
    return None


def _status(value: Any) -> str:
    return str(getattr(value, "value", value))


def _report_findings(
    items: Iterable[Finding | StoredFindingLike], default_status: str, evidence: int
) -> list[ReportFinding]:
    shown = []
    for item in items:
        if isinstance(item, Finding):
            finding, status, ident = item, default_status, None
        else:
            finding, status, ident = item.finding, _status(item.status), str(item.id)
        shown.append(
            ReportFinding(
                id=ident,
                status=status,
                key=finding.key,
                kind=finding.kind.value,
                severity=finding.severity.value,
                subject=finding.subject.describe(),
                subject_key=finding.subject.key,
                authority_key=_authority_key(finding),
                authority_kennung=finding.subject.authority_kennung,
                window_start=finding.window_start.astimezone(UTC),
                window_end=finding.window_end.astimezone(UTC),
                measured=float(finding.measured),
                threshold=float(finding.threshold),
                explanation=finding.explanation,
                record_count=finding.record_count,
                record_ids=finding.record_ids[:evidence],
            )
        )
    return shown


def build_report(
    records: Iterable[ProtocolRecord],
    *,
    period: Period,
    findings: Iterable[Finding | StoredFindingLike] = (),
    reader: str,
    purpose: str,
    generated_at: datetime,
    findings_source: str,
    options: ReportOptions | None = None,
    config: AnomalyConfig | None = None,
    calendar: HolidayCalendar | None = None,
) -> ReportData:
    """:class:`ReportBuilder` in one call: ``records`` from :attr:`ReportBuilder.read_since`
    to the period's end (others are ignored), then :meth:`ReportBuilder.build`."""
    builder = ReportBuilder(period, options=options, config=config, calendar=calendar)
    builder.add_all(records)
    return builder.build(
        findings,
        reader=reader,
        purpose=purpose,
        generated_at=generated_at,
        findings_source=findings_source,
    )
