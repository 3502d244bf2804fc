"""The detectors on simulated traffic: recall and precision per detector, determinism, and
what they may not read (issue 10, points 1, 2 and 6).

DOMAIN.md § 6 and § 40 BMG: the operator reviews the protocol for signs of misuse — for
security authorities by technical signs only (§ 40 Abs. 3 BMG: the operator "does not review
their content but still watches technical signs such as bursts of queries at unusual hours").
DOMAIN.md § 7: the operator may block and contacts an authority on suspected unlawful
retrievals — so a finding must be right (precision) and misuse must not slip through (recall).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from datenspiegel.fixtures.misuse import Simulation, format_table, score, simulate
from datenspiegel.protocol.anomalies import (
    DetectorKind,
    Evaluator,
    Finding,
    evaluate,
    merge_findings,
)
from datenspiegel.protocol.record import ProtocolRecord

RECALL, PRECISION = 0.95, 0.90


@pytest.fixture(scope="module")
def simulation() -> Simulation:
    return simulate(weeks=3, seed=1, users=100)


@pytest.fixture(scope="module")
def findings(simulation: Simulation) -> list[Finding]:
    return evaluate(simulation.records, context=simulation.context(), config=simulation.config())


def test_simulation_is_deterministic_and_labels_every_kind(simulation: Simulation) -> None:
    """The same seed, the same records; every detector kind has several labelled cases."""
    again = simulate(weeks=3, seed=1, users=100)
    assert [r.record_id for r in again.records] == [r.record_id for r in simulation.records]
    assert again.labels == simulation.labels
    kinds = {label.kind for label in simulation.labels}
    assert kinds == set(DetectorKind)
    for kind in DetectorKind:
        assert sum(1 for lb in simulation.labels if lb.kind is kind) >= 2, kind
    ids = {r.record_id for r in simulation.records}
    assert all(set(lb.record_ids) <= ids for lb in simulation.labels)


def test_recall_and_precision_per_detector(simulation: Simulation, findings: list[Finding]) -> None:
    """Issue 10: recall ≥ 0.95 and precision ≥ 0.90 per detector on simulated traffic."""
    scores = score(findings, simulation.labels)
    print("\n" + format_table(scores))
    for kind, s in scores.items():
        assert s.recall >= RECALL, f"{kind.value}: recall {s.recall:.2f}\n{format_table(scores)}"
        assert s.precision >= PRECISION, (
            f"{kind.value}: precision {s.precision:.2f}\n{format_table(scores)}"
        )


def test_every_finding_explains_itself_and_links_its_records(
    simulation: Simulation, findings: list[Finding]
) -> None:
    """A finding states its measured value and threshold and names records of the protocol
    (§ 40 BMG: the evidence is the protocol itself)."""
    ids = {r.record_id for r in simulation.records}
    for finding in findings:
        assert "threshold" in finding.explanation
        assert f"{finding.threshold:g}" in finding.explanation or (
            f"{finding.threshold:.0%}" in finding.explanation
        ), finding.explanation
        assert finding.record_ids and set(finding.record_ids) <= ids
        assert finding.record_count >= len(finding.record_ids)


def test_police_night_shifts_and_lookalikes_are_not_findings(
    simulation: Simulation, findings: list[Finding]
) -> None:
    """The police work nights (normal for them, DOMAIN.md § 6 judges unusual hours per
    authority); benign look-alikes of each kind stay below their thresholds."""
    police = {u.authority.id for u in simulation.users if u.authority.kind.value == "police"}
    night = [
        r
        for r in simulation.records
        if r.authority_id in police and (r.received_at.hour >= 20 or r.received_at.hour < 4)
    ]
    assert len(night) > 100  # the simulation does have police night shifts
    assert not [
        f
        for f in findings
        if f.kind is DetectorKind.UNUSUAL_HOURS and f.subject.authority_id in police
    ]
    for lookalike in simulation.lookalikes:
        hits = [
            f
            for f in findings
            if f.kind is lookalike.resembles and f.subject.key.startswith(lookalike.subject)
        ]
        assert not hits, (lookalike.note, [f.explanation for f in hits])


def _increments(
    simulation: Simulation, step: timedelta
) -> list[tuple[Any, Any, list[ProtocolRecord]]]:
    lookback = simulation.config().lookback
    parts = []
    since = simulation.start
    while since < simulation.end:
        until = since + step
        records = [r for r in simulation.records if since - lookback <= r.received_at < until]
        parts.append((since, until, records))
        since = until
    return parts


def test_a_period_in_increments_finds_what_the_whole_finds(
    simulation: Simulation, findings: list[Finding]
) -> None:
    """Issue 10 point 2: ``scan --since`` re-evaluates any period with the same findings:
    evaluating in increments (each with the look-back) and merging gives exactly the
    whole-period findings — same keys, records, windows, explanations."""
    config, context = simulation.config(), simulation.context()
    parts = []
    for since, until, records in _increments(simulation, timedelta(hours=77)):
        part_context = simulation.context(since=since, until=until)
        assert part_context.history == context.history
        parts += evaluate(records, context=part_context, config=config)
    merged = merge_findings(parts, max_evidence=config.max_evidence)
    assert [f.key for f in merged] == [f.key for f in findings]
    assert merged == findings


def test_continuous_feeding_equals_one_evaluation(
    simulation: Simulation, findings: list[Finding]
) -> None:
    """The running service feeds one :class:`Evaluator` in small batches; what it holds at
    the end is what one evaluation finds, and each feed reports the findings it changed."""
    evaluator = Evaluator(config=simulation.config(), context=simulation.context())
    reported: set[str] = set()
    records = list(simulation.records)
    for start in range(0, len(records), 997):
        reported |= {f.key for f in evaluator.feed(records[start : start + 997])}
    assert evaluator.findings() == findings
    assert reported == {f.key for f in findings}


def test_evaluating_twice_gives_the_same_findings(
    simulation: Simulation, findings: list[Finding]
) -> None:
    again = evaluate(
        reversed(simulation.records), context=simulation.context(), config=simulation.config()
    )
    assert again == findings
