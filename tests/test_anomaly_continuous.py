"""The continuous evaluation against a real protocol store, on SQLite and PostgreSQL (issue 10,
point 2): fed in increments as the running service does, it stores exactly the findings one
``anomalies scan`` of the period finds; one process evaluates at a time; records committed
late are not lost.

§ 40 BMG, DOMAIN.md § 6: the protocol serves data-protection control — every record the
detectors see is a logged read, and the baselines' daily counts are one too.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import cycle

import pytest

from datenspiegel.fixtures.misuse import Simulation, simulate
from datenspiegel.fixtures.misuse.population import User, build_population
from datenspiegel.fixtures.misuse.records import Ask, RecordFactory
from datenspiegel.protocol.anomalies import AnomalyConfig, DetectorKind, daily_history, evaluate
from datenspiegel.protocol.anomalies.continuous import (
    SERVICE_READER,
    Blocks,
    ContinuousEvaluation,
    scan,
)
from datenspiegel.protocol.anomalies.store import FindingStatus, FindingStore
from datenspiegel.protocol.anomalies.stored_history import stored_history
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.protocol.store import ProtocolStore
from tests.anomaly_traffic import Clock, load_records

SETTLE = 5.0


@pytest.fixture(scope="module")
def simulation() -> Simulation:
    return simulate(weeks=3, seed=1, users=100)


@dataclass
class Stores:
    protocol: ProtocolStore
    findings: FindingStore
    url: str


@pytest.fixture
def stores(database_url: str) -> Iterator[Stores]:
    protocol = ProtocolStore(database_url)
    protocol.migrate()
    findings = FindingStore(database_url)
    yield Stores(protocol, findings, database_url)
    findings.close()
    protocol.close()


def _blocks(simulation: Simulation) -> Blocks:
    return Blocks(simulation.blocked_users, simulation.blocked_authorities)


def test_incremental_evaluation_stores_what_one_scan_finds(
    stores: Stores, simulation: Simulation
) -> None:
    """The service's runs (cut at odd moments, across midnights, weekends and Easter) leave
    exactly the findings of one scan of the period — and the scan those of the pure engine."""
    load_records(stores.protocol, simulation.records)
    config = simulation.config()
    # from the third day: users and authorities keep appearing without history (rebuilds at
    # their next midnight), and all the injected misuse lies after the warm-up
    since = simulation.start + timedelta(days=2)
    until = simulation.end

    # the database's daily counts are the records' daily history
    counted = stored_history(
        stores.protocol, since=simulation.start, until=until, reader="Prüferin A", config=config
    )
    assert counted == daily_history(simulation.records, config=config)

    stores.findings.advance(since)  # the service has evaluated up to here
    clock = Clock(since)
    evaluation = ContinuousEvaluation(
        stores.protocol,
        stores.findings,
        config=config,
        clock=clock,
        settle=SETTLE,
        blocks=lambda: _blocks(simulation),
    )
    steps = cycle(timedelta(minutes=m) for m in (17, 130, 300, 47, 660, 5))
    runs = colds = 0
    while clock.now < until + timedelta(seconds=SETTLE):
        clock.now = min(clock.now + next(steps), until + timedelta(seconds=SETTLE))
        result = evaluation.run()
        assert result.evaluated, result.reason
        runs += 1
        colds += result.cold
    assert stores.findings.watermark() == until
    continuous = {s.finding.key: s.finding for s in stores.findings.list(limit=100_000)}

    scanned = scan(
        stores.protocol,
        since=since,
        until=until,
        reader="Prüferin A",
        config=config,
        blocks=_blocks(simulation),
    )
    print(f"\n{runs} runs ({colds} cold), {len(scanned)} findings")
    assert {f.kind for f in scanned} == set(DetectorKind)
    assert continuous == {f.key: f for f in scanned}
    pure = evaluate(
        simulation.records, context=simulation.context(since=since, until=until), config=config
    )
    assert {f.key for f in pure} == set(continuous)

    # every record the detectors saw was read under a reader, for data-protection control
    logged = stores.protocol.reads(limit=100_000)
    service = [r for r in logged if r.reader == SERVICE_READER]
    assert service and all(r.purpose is ReadPurpose.DATENSCHUTZKONTROLLE for r in service)
    seen = {i for r in service for i in r.record_ids}
    assert {r.record_id for r in simulation.records if since <= r.received_at < until} <= seen


def _traffic(
    start: datetime, count: int, *, seconds: int = 2
) -> tuple[RecordFactory, User, list[ProtocolRecord]]:
    """``count`` retrievals of one user of a public body, ``seconds`` apart."""
    factory = RecordFactory(random.Random(5))
    user = next(u for u in build_population(random.Random(5), 30) if u.authority.content)
    return (
        factory,
        user,
        [factory.record(Ask(user, start + timedelta(seconds=seconds * n))) for n in range(count)],
    )


def test_one_process_evaluates_and_another_takes_over(stores: Stores) -> None:
    """Several workers (here: two evaluations with their own connections) — one evaluates;
    when it stops, the other takes over from the shared watermark."""
    t0 = datetime(2026, 4, 8, 10, tzinfo=UTC)
    factory, user, burst = _traffic(t0, 25)  # 25 retrievals of one user in 50 s: a burst
    load_records(stores.protocol, burst)
    stores.findings.advance(t0)
    clock = Clock(t0 + timedelta(minutes=2))
    other_findings = FindingStore(stores.url)
    first = ContinuousEvaluation(
        stores.protocol, stores.findings, config=AnomalyConfig(), clock=clock, settle=SETTLE
    )
    second = ContinuousEvaluation(
        stores.protocol, other_findings, config=AnomalyConfig(), clock=clock, settle=SETTLE
    )
    try:
        done = first.run()
        assert done.evaluated and done.records == 25
        assert [u.stored.finding.kind for u in done.upserted] == [DetectorKind.BURST_USER]
        skipped = second.run()
        assert not skipped.evaluated and skipped.reason == "another process evaluates"
        first.close()  # a worker stopping gives the role up

        load_records(stores.protocol, [factory.record(Ask(user, t0 + timedelta(minutes=9)))])
        clock.now = t0 + timedelta(minutes=10)
        taken = second.run()
        assert taken.evaluated and taken.cold and taken.records == 1
        (burst_finding,) = other_findings.list()
        assert burst_finding.finding.record_count == 25  # the new record is no part of it
        assert stores.findings.watermark() == clock.now - timedelta(seconds=SETTLE)
    finally:
        second.close()
        other_findings.close()


def test_a_record_committed_after_the_watermark_passed_it_is_still_evaluated(
    stores: Stores,
) -> None:
    """A record is stamped on arrival, committed with its answer: one that commits later than
    the settle time is found by the count of the last minutes and evaluated then."""
    t0 = datetime(2026, 4, 8, 10, tzinfo=UTC)
    factory, user, records = _traffic(t0, 3)
    load_records(stores.protocol, records)
    stores.findings.advance(t0)
    clock = Clock(t0 + timedelta(minutes=1))
    config = AnomalyConfig(decoy_persons=frozenset({4711}))
    evaluation = ContinuousEvaluation(
        stores.protocol, stores.findings, config=config, clock=clock, settle=SETTLE
    )
    try:
        assert evaluation.run().records == 3
        watermark = stores.findings.watermark()
        assert watermark is not None
        late = factory.record(Ask(user, watermark - timedelta(seconds=20), hits=(4711,)))
        load_records(stores.protocol, [late])  # committed only now
        clock.now += timedelta(seconds=10)
        result = evaluation.run()
        assert result.late == 1
        (decoy,) = stores.findings.list()
        assert decoy.finding.kind is DetectorKind.DECOY and decoy.status is FindingStatus.OPEN
        assert decoy.finding.record_ids == (late.record_id,)
        clock.now += timedelta(seconds=10)
        assert evaluation.run().late == 0  # found once
    finally:
        evaluation.close()


def test_a_subject_new_to_the_history_has_its_first_day_counted_from_midnight(
    stores: Stores, caplog: pytest.LogCaptureFixture
) -> None:
    """A user without history (the evaluator's copy of the history cannot take a new subject)
    makes the run that reaches the user's next day stop at local midnight and rebuild there,
    so that its first day is history for the baselines of the day after — as in a scan."""
    t0 = datetime(2026, 4, 8, 8, tzinfo=UTC)  # 10:00 in Hannover
    factory, user, records = _traffic(t0, 4, seconds=600)
    next_day = factory.record(Ask(user, t0 + timedelta(days=1)))
    load_records(stores.protocol, [*records, next_day])
    stores.findings.advance(t0)
    clock = Clock(t0 + timedelta(hours=2))
    evaluation = ContinuousEvaluation(
        stores.protocol, stores.findings, config=AnomalyConfig(), clock=clock, settle=SETTLE
    )
    try:
        assert evaluation.run().records == 4
        clock.now = t0 + timedelta(hours=13)  # 23:00: the same day, nothing new
        assert evaluation.run().records == 0
        caplog.clear()
        clock.now = t0 + timedelta(days=1, hours=1)
        crossing = evaluation.run()
        assert crossing.evaluated and crossing.cold and crossing.records == 1
        midnight = datetime(2026, 4, 8, 22, tzinfo=UTC)  # 00:00 in Hannover (summer time)
        assert f"evaluator built from {midnight.isoformat()}" in caplog.text
        assert crossing.until == clock.now - timedelta(seconds=SETTLE)
        assert stores.findings.watermark() == crossing.until
    finally:
        evaluation.close()
