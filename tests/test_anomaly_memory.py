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
from datenspiegel.protocol.anomalies.detectors.base import Tally
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


def _day(
    count: int, seconds: float, seed: int = 7, hits: tuple[int, ...] = ()
) -> Iterator[ProtocolRecord]:
    """``count`` Personensuchen of the clerk, one every ``seconds``, from 00:10 local time,
    each finding ``hits``."""
    factory = RecordFactory(random.Random(seed))
    for n in range(count):
        at = MIDNIGHT + timedelta(seconds=seconds * n)
        yield factory.record(Ask(CLERK, at, hits=hits))


def _growth(evaluator: Evaluator, records: Iterator[ProtocolRecord]) -> int:
    """Bytes the evaluator holds more after 8 000 further records than after the first
    2 000, fed as the service feeds it: batches, findings stored and dropped."""
    tracemalloc.start()
    try:
        for _ in range(2):
            evaluator.feed(next(records) for _ in range(1000))
        gc.collect()
        warm = tracemalloc.get_traced_memory()[0]
        for _ in range(8):
            evaluator.feed(next(records) for _ in range(1000))
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - warm
    finally:
        tracemalloc.stop()


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
    """The running service's evaluator (``keep=False``), fed 2 000 and then 8 000 more
    records of one user's day, holds nearly no more memory after the 8 000: before the bound,
    each record stayed in the day's tallies and in its findings (≈ 0.5 KB each, 4 MB here)."""
    config = AnomalyConfig(burst_user_count=10, burst_user_minutes=5)
    evaluator = Evaluator(config=config, context=Context(history=HISTORY), keep=False)
    grown = _growth(evaluator, _day(10_000, 8))
    kinds = {f.kind for f in evaluator.findings()}
    assert {DetectorKind.BURST_USER, DetectorKind.VOLUME_BASELINE} <= kinds
    assert grown < 256 * 1024, f"{grown / 1024:.0f} KiB more after 8 000 more records"


def test_one_person_looked_up_all_day_costs_sixteen_bytes_a_record() -> None:
    """§ 41 BMG (repeated look-ups of one person, a 7-day window): the user looks up person
    4711 every 8 s. The window's count stays exact (its finding counts all 10 000 records and
    links their first ids), but each of the two windows (the user's with the person, the
    person's with every authority) holds only the reception times beyond the newest
    ``max_evidence`` records — 8 bytes a record each, where they held ≈ 250 before."""
    config = AnomalyConfig(max_evidence=40)
    evaluator = Evaluator(config=config, keep=False)
    grown = _growth(evaluator, _day(10_000, 8, hits=(4711,)))
    assert grown < 8_000 * 24, f"{grown / 8_000:.1f} bytes per record"
    records = list(_day(10_000, 8, hits=(4711,)))
    (finding,) = [
        f for f in evaluate(records, config=config) if f.kind is DetectorKind.REPEAT_PERSON_USER
    ]
    assert finding.record_count == 10_000
    assert finding.record_ids == tuple(sorted(r.record_id for r in records)[:40])


def test_a_finding_that_starts_on_a_full_window_counts_it_all() -> None:
    """A window of 100 s holding 10 records, of which the tally keeps the newest 3: a new
    finding counts all 10 from the first one's reception and links the 3 it holds; the next
    record is handed alone; records leave the window by their reception time."""
    tally = Tally(100.0, keep=3)
    at = [MIDNIGHT + timedelta(seconds=n) for n in range(12)]
    for n in range(1, 11):
        assert tally.add((at[n].timestamp(), f"r{n:02d}", at[n])) == n
    first = tally.fresh("k")
    assert (first.count, first.ids, first.start, first.end) == (
        10,
        ["r08", "r09", "r10"],
        at[1],
        at[10],
    )
    tally.add((at[11].timestamp(), "r11", at[11]))
    again = tally.fresh("k")
    assert (again.count, again.ids) == (1, ["r11"])
    late = MIDNIGHT + timedelta(seconds=105)
    assert tally.add((late.timestamp(), "r99", late)) == 7  # r06 … r11 and r99
    other = tally.fresh("other")
    assert (other.count, other.start) == (7, at[6])
