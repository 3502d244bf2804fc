"""The continuous review of the § 40 BMG protocol (DOMAIN.md § 6) holds bounded state: a user's
day of tens of thousands of retrievals costs a count and at most ``max_evidence`` record ids,
not a list of every record (issue 11: worker memory flat over a sustained run) — and the
findings are what keeping every record gave: the count of all records behind a finding and the
lexicographically first ``max_evidence`` of their ids.
"""

from __future__ import annotations

import gc
import random
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from datenspiegel.fixtures.misuse.population import build_population
from datenspiegel.fixtures.misuse.records import Ask, RecordFactory
from datenspiegel.protocol.anomalies import (
    AnomalyConfig,
    Context,
    DayVolume,
    DetectorKind,
    Evaluator,
    evaluate,
)
from datenspiegel.protocol.record import ProtocolRecord

CLERK = next(
    u for u in build_population(random.Random(5), 40) if u.authority.kind.value == "municipal"
)
#: Tuesday 2026-03-10, 00:10 local time: a whole local day ahead
MIDNIGHT = datetime(2026, 3, 9, 23, 10, tzinfo=UTC)
#: the clerk's own norm: 15 retrievals on each of the 19 days before
HISTORY = {
    CLERK.key: {date(2026, 3, 9) - timedelta(days=d): DayVolume(15, 0) for d in range(1, 20)}
}


def _day(count: int, seconds: float, seed: int = 7) -> Iterator[ProtocolRecord]:
    """``count`` Personensuchen of the clerk, one every ``seconds``, from 00:10 local time."""
    factory = RecordFactory(random.Random(seed))
    for n in range(count):
        yield factory.record(Ask(CLERK, MIDNIGHT + timedelta(seconds=seconds * n)))


def test_a_day_long_finding_counts_every_record_and_links_the_first_ids() -> None:
    """A burst (§ 39 Abs. 1 BMG) and a volume far above the user's norm, all day long: each
    finding counts all 3 000 records and links exactly the first 40 ids of them in order —
    what the evaluation linked when it kept every id."""
    records = list(_day(3000, 20))
    config = AnomalyConfig(max_evidence=40, burst_user_count=10, burst_user_minutes=5)
    findings = {
        f.kind: f for f in evaluate(records, config=config, context=Context(history=HISTORY))
    }
    every_id = sorted(r.record_id for r in records)
    for kind in (DetectorKind.BURST_USER, DetectorKind.VOLUME_BASELINE):
        finding = findings[kind]
        assert finding.record_count == 3000, kind
        assert finding.record_ids == tuple(every_id[:40]), kind
        assert finding.window_start == records[0].received_at
        assert finding.window_end == records[-1].received_at


def test_the_evaluation_of_a_busy_day_grows_by_a_bounded_amount() -> None:
    """The running service's evaluator (``keep=False``), fed 5 000 and then 20 000 more
    records of one user's day, holds nearly no more memory after the 20 000: before the bound,
    each record stayed in the day's tallies and in its findings (≈ 0.4 KB each, 8 MB here)."""
    config = AnomalyConfig(burst_user_count=10, burst_user_minutes=5)
    evaluator = Evaluator(config=config, context=Context(history=HISTORY), keep=False)
    records = _day(25_000, 3)
    tracemalloc.start()
    try:
        for _ in range(5):  # as the service does: batches, findings stored and dropped
            evaluator.feed(next(records) for _ in range(1000))
        gc.collect()
        after_5000 = tracemalloc.get_traced_memory()[0]
        for _ in range(20):
            evaluator.feed(next(records) for _ in range(1000))
        gc.collect()
        after_25000 = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    kinds = {f.kind for f in evaluator.findings()}
    assert {DetectorKind.BURST_USER, DetectorKind.VOLUME_BASELINE} <= kinds
    grown = after_25000 - after_5000
    assert grown < 512 * 1024, f"{grown / 1024:.0f} KiB more after 20 000 more records"
