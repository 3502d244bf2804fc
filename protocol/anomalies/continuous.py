"""Evaluation of the protocol while the service runs, and of any period on demand.

Issue 10, point 2: new § 40 BMG records are evaluated continuously (findings within a minute,
with every worker process and host writing records), and ``datenspiegel anomalies scan
--since …`` re-evaluates any period with the same findings. Both are here:

- :func:`scan` — one period ``[since, until)``: the records from ``lookback`` before it (they
  fill the detectors' windows), the baselines' history from the database
  (:func:`~datenspiegel.protocol.anomalies.stored_history.stored_history`), the registry's
  block periods. Returns the findings triggered in the period.
- :class:`ContinuousEvaluation` — one run per interval in every worker; only the one holding
  the :class:`~datenspiegel.protocol.anomalies.leader.Leadership` evaluates. It keeps one
  :class:`~datenspiegel.protocol.anomalies.engine.Evaluator` warm between runs and feeds it
  the records received since the shared watermark, up to ``settle`` seconds before now: a
  record is stamped when its request arrives but committed when its answer is ready, so the
  newest seconds are not complete yet. Its findings and the new watermark commit together
  (:meth:`FindingStore.merge <datenspiegel.protocol.anomalies.store.FindingStore.merge>`).

Why they agree: findings are keyed by detector, subject and aligned period, and each detector
decides from at most ``lookback`` of earlier records (see :mod:`~datenspiegel.protocol.
anomalies.engine`); the stored finding is the merge of every evaluation's. The warm evaluator
is built ("cold start") from the watermark with the same history and blocks a scan uses, and
keeps its history current by counting what it is fed. It is rebuilt when another process
moved the watermark (the role changed hands), when the registry's blocks changed, and at the
first local midnight after a subject without history appeared (its first day becomes
history). Records committed more than ``settle`` late are found by a count of the last
:data:`LATE_MARGIN` and still evaluated (with the windows as they stand then: the one case in
which a later scan may judge a record differently — docs/anomalies.md).

Every record the detectors see is read through :func:`~datenspiegel.protocol.anomalies.
source.read_records` — a logged read (reader, purpose *datenschutzkontrolle*).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from datenspiegel.protocol._schema import records as records_table
from datenspiegel.protocol.anomalies.clock import HolidayCalendar
from datenspiegel.protocol.anomalies.config import AnomalyConfig
from datenspiegel.protocol.anomalies.context import BlockPeriod, Context, DayVolume
from datenspiegel.protocol.anomalies.engine import Evaluator
from datenspiegel.protocol.anomalies.history import daily_history
from datenspiegel.protocol.anomalies.leader import Leadership
from datenspiegel.protocol.anomalies.model import Finding
from datenspiegel.protocol.anomalies.source import read_records
from datenspiegel.protocol.anomalies.store import FindingStore, Upserted
from datenspiegel.protocol.anomalies.stored_history import stored_history
from datenspiegel.protocol.errors import ProtocolUnavailable
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.store import ProtocolStore

__all__ = [
    "LATE_MARGIN",
    "SERVICE_READER",
    "Blocks",
    "ContinuousEvaluation",
    "RunResult",
    "history_span",
    "scan",
]

log = logging.getLogger(__name__)

#: The reader the running service's reads are logged under (§ 40 BMG: every read recorded).
SERVICE_READER = "datenspiegel anomaly detection"
#: How far back a run looks for records committed after the watermark had passed them.
LATE_MARGIN = timedelta(minutes=5)
#: Records fed between two renewals of the role (a long first run).
_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Blocks:
    """The registry's block periods (access status history), by registry id."""

    users: Mapping[int, tuple[BlockPeriod, ...]] = field(default_factory=dict)
    authorities: Mapping[int, tuple[BlockPeriod, ...]] = field(default_factory=dict)


def history_span(config: AnomalyConfig) -> timedelta:
    """How far before a judged day the baselines look (plus a day for local midnight)."""
    return timedelta(days=max(config.baseline_days, config.unusual_history_days) + 2)


def _context(
    *,
    since: datetime,
    until: datetime | None,
    history: Mapping[str, Mapping[date, DayVolume]],
    blocks: Blocks,
    calendar: HolidayCalendar | None,
) -> Context:
    return Context(
        since=since,
        until=until,
        history=history,
        blocked_users=blocks.users,
        blocked_authorities=blocks.authorities,
        calendar=calendar,
    )


def scan(
    protocol: ProtocolStore,
    *,
    since: datetime,
    until: datetime,
    reader: str,
    config: AnomalyConfig | None = None,
    blocks: Blocks | None = None,
    calendar: HolidayCalendar | None = None,
    context: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """The findings triggered by records received in ``[since, until)`` (sorted by key), as
    the continuous evaluation finds them; every read logged under ``reader``."""
    config = config or AnomalyConfig()
    history = stored_history(
        protocol,
        since=since - history_span(config),
        until=until,
        reader=reader,
        config=config,
        calendar=calendar,
        context=context,
    )
    evaluator = Evaluator(
        config=config,
        context=_context(
            since=since, until=until, history=history, blocks=blocks or Blocks(), calendar=calendar
        ),
    )
    records = read_records(
        protocol, since=since - config.lookback, until=until, reader=reader, context=context
    )
    for chunk in _chunks(records):
        evaluator.feed(chunk)
    return evaluator.findings()


def _chunks(
    records: Iterable[ProtocolRecord], size: int = _CHUNK
) -> Iterator[list[ProtocolRecord]]:
    chunk: list[ProtocolRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one run did: whether this process evaluated, from where to where, how many
    records, and the findings it stored (with what changed)."""

    evaluated: bool
    since: datetime | None = None
    until: datetime | None = None
    records: int = 0
    late: int = 0
    cold: bool = False
    upserted: tuple[Upserted, ...] = ()
    #: why nothing was evaluated ("another process evaluates", "nothing new", "busy")
    reason: str | None = None


@dataclass
class _Fed:
    """A run's feeding: how far it got (``until``; earlier than asked when it stopped at a
    local midnight to rebuild), the records that count as new (at or after the watermark),
    the findings touched."""

    until: datetime
    active: int = 0
    findings: list[Finding] = field(default_factory=list)
    rebuild: bool = False


class _Warm:
    """The evaluator between runs: its watermark, live history, recent record ids, day."""

    def __init__(
        self, evaluator: Evaluator, history: dict[str, dict[date, DayVolume]], watermark: datetime
    ) -> None:
        self.evaluator = evaluator
        self.history = history
        self.watermark = watermark
        #: ids of records fed that were received within LATE_MARGIN of the watermark
        self.recent: dict[str, datetime] = {}
        #: a subject without history was fed: rebuild at the next local midnight
        self.stale = False
        #: the local midnight after the day of the newest new record fed
        self.midnight: datetime | None = None


class ContinuousEvaluation:
    """The running service's evaluation (see the module docstring); :meth:`run` once per
    interval in every worker."""

    def __init__(
        self,
        protocol: ProtocolStore,
        findings: FindingStore,
        *,
        config: AnomalyConfig,
        clock: Callable[[], datetime],
        settle: float = 5.0,
        leadership: Leadership | None = None,
        lease: float = 30.0,
        blocks: Callable[[], Blocks] | None = None,
        blocks_changed: Callable[[], bool] | None = None,
        calendar: HolidayCalendar | None = None,
        reader: str = SERVICE_READER,
        on_findings: Callable[[list[Upserted]], None] | None = None,
    ) -> None:
        self._protocol = protocol
        self._findings = findings
        self.config = config
        self._clock = clock
        self._settle = timedelta(seconds=settle)
        self.leadership = leadership or Leadership(findings, lease=lease, clock=clock)
        self._blocks = blocks or Blocks
        self._blocks_changed = blocks_changed or (lambda: False)
        self._calendar = calendar
        self._reader = reader
        self._on_findings = on_findings
        self._zone = ZoneInfo(config.timezone)
        #: a database never evaluated is evaluated from this process's start on
        self._started = clock()
        self._warm: _Warm | None = None
        self._running = threading.Lock()

    @property
    def _read_context(self) -> dict[str, Any]:
        return {"system": "continuous anomaly detection", "holder": self.leadership.holder}

    def close(self) -> None:
        self._warm = None
        self.leadership.release()

    # -- one run -----------------------------------------------------------------------------

    def run(self) -> RunResult:
        """Evaluate what is new, if this process is the evaluator; never two runs at once."""
        if not self._running.acquire(blocking=False):
            return RunResult(False, reason="busy: the previous run has not finished")
        try:
            result, again = self._run()
            if again:  # stopped at a local midnight to rebuild there (see _feed): go on
                second, _ = self._run()
                result = _combined(result, second)
            return result
        except BaseException:
            self._warm = None  # fed in part, nothing stored: the next run starts afresh
            raise
        finally:
            self._running.release()

    def _run(self) -> tuple[RunResult, bool]:
        now = self._clock()
        if not self.leadership.acquire():
            self._warm = None  # another process evaluates: this state will be outdated
            return RunResult(False, reason="another process evaluates"), False
        until = now - self._settle
        shared = self._findings.watermark()
        if shared is None:
            shared = min(self._started, until)
        if until <= shared:
            return RunResult(True, since=shared, until=shared, reason="nothing new"), False
        warm = self._warm
        cold = warm is None or warm.watermark != shared or self._blocks_changed()
        late: tuple[int, list[Finding]] = (0, [])
        if cold or warm is None:
            warm = self._warm = self._cold_start(shared)
        else:
            late = self._late(warm)
        start = shared - self.config.lookback if cold else shared
        fed = self._feed(warm, start=start, until=until)
        upserted = self._findings.merge([*late[1], *fed.findings], at=now, watermark=fed.until)
        warm.watermark = fed.until
        self._forget_before(warm, fed.until - LATE_MARGIN)
        if fed.rebuild:
            self._warm = None
        if self._on_findings is not None and upserted:
            try:
                self._on_findings(upserted)
            except Exception:  # stored all the same; what follows from them is logged
                log.exception("anomaly evaluation: acting on the stored findings failed")
        result = RunResult(
            True,
            since=shared,
            until=fed.until,
            records=fed.active,
            late=late[0],
            cold=cold,
            upserted=tuple(upserted),
        )
        return result, fed.rebuild

    # -- building the evaluator --------------------------------------------------------------

    def _cold_start(self, watermark: datetime) -> _Warm:
        history = stored_history(
            self._protocol,
            since=watermark - history_span(self.config),
            until=watermark,
            reader=self._reader,
            config=self.config,
            calendar=self._calendar,
            context=self._read_context,
        )
        evaluator = Evaluator(
            config=self.config,
            context=_context(
                since=watermark,
                until=None,
                history=history,  # the inner mappings stay live: _count adds to them
                blocks=self._blocks(),
                calendar=self._calendar,
            ),
            keep=False,
        )
        log.info("anomaly evaluation: evaluator built from %s", watermark.isoformat())
        return _Warm(evaluator, history, watermark)

    # -- feeding -----------------------------------------------------------------------------

    def _feed(self, warm: _Warm, *, start: datetime, until: datetime) -> _Fed:
        """Feed the records of ``[start, until)``. With a subject without history fed, stop
        at the next local midnight (the run ends there and the evaluator is rebuilt), so that
        the subject's first day is history for the day after — as it is for a scan."""
        fed = _Fed(until=until)
        pending: list[ProtocolRecord] = []

        def flush() -> None:
            if pending:
                fed.findings.extend(self._feed_chunk(warm, pending))
                fed.active += sum(1 for r in pending if r.received_at >= warm.watermark)
                pending.clear()

        for record in read_records(
            self._protocol,
            since=start,
            until=until,
            reader=self._reader,
            context=self._read_context,
        ):
            at = record.received_at
            if at >= warm.watermark and (warm.midnight is None or at >= warm.midnight):
                flush()  # the day before is complete: is a subject without history in it?
                if warm.stale and warm.midnight is not None:
                    fed.until, fed.rebuild = max(warm.midnight, warm.watermark), True
                    return fed
                day = at.astimezone(self._zone).date()
                warm.midnight = datetime.combine(day + timedelta(days=1), time(), self._zone)
            pending.append(record)
            if len(pending) >= _CHUNK:
                flush()
                if not self.leadership.renew():
                    raise ProtocolUnavailable(
                        "anomaly evaluation: the role was taken over meanwhile"
                    )
        flush()
        return fed

    def _feed_chunk(self, warm: _Warm, chunk: list[ProtocolRecord]) -> list[Finding]:
        edge = warm.watermark - LATE_MARGIN
        active = [r for r in chunk if r.received_at >= warm.watermark]
        self._count(warm, active)
        for record in chunk:
            if record.received_at >= edge:
                warm.recent[record.record_id] = record.received_at
        return warm.evaluator.feed(chunk)

    def _count(self, warm: _Warm, records: list[ProtocolRecord]) -> None:
        """Add what is fed to the live history (the days before a judged day must be
        complete, as the database's counts are for a scan)."""
        if not records:
            return
        for key, days in daily_history(
            records, config=self.config, calendar=self._calendar
        ).items():
            known = warm.history.get(key)
            if known is None:
                warm.stale = True  # the context's copy of the keys cannot take it
                continue
            for day, volume in days.items():
                old = known.get(day)
                known[day] = (
                    volume
                    if old is None
                    else DayVolume(old.records + volume.records, old.off_hours + volume.off_hours)
                )

    def _late(self, warm: _Warm) -> tuple[int, list[Finding]]:
        """Records received before the watermark but committed after it was set: counted in
        the database, read and fed when the count says some are missing."""
        edge = warm.watermark - LATE_MARGIN
        with self._protocol.engine.connect() as conn:
            stored = conn.execute(
                select(func.count())
                .select_from(records_table)
                .where(
                    records_table.c.received_at >= edge,
                    records_table.c.received_at < warm.watermark,
                )
            ).scalar_one()
        seen = sum(1 for at in warm.recent.values() if edge <= at < warm.watermark)
        if stored <= seen:
            return 0, []
        late = [
            r
            for r in read_records(
                self._protocol,
                since=edge,
                until=warm.watermark,
                reader=self._reader,
                context=self._read_context,
            )
            if r.record_id not in warm.recent
        ]
        log.warning(
            "anomaly evaluation: %d record(s) committed more than the settle time after they "
            "were received; evaluated now (consider a longer anomalies.settle)",
            len(late),
        )
        self._count(warm, late)
        for record in late:
            warm.recent[record.record_id] = record.received_at
        return len(late), warm.evaluator.feed(late)

    @staticmethod
    def _forget_before(warm: _Warm, edge: datetime) -> None:
        for record_id in [k for k, at in warm.recent.items() if at < edge]:
            del warm.recent[record_id]


def _combined(first: RunResult, second: RunResult) -> RunResult:
    if not second.evaluated or second.until is None:
        return first
    return RunResult(
        True,
        since=first.since,
        until=second.until,
        records=first.records + second.records,
        late=first.late + second.late,
        cold=True,
        upserted=first.upserted + second.upserted,
    )
