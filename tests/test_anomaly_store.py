"""The findings store on SQLite and PostgreSQL (issue 10, point 3): findings kept by their stable
key, reviewed, and every change recorded.

DOMAIN.md §§ 6–7 and § 40 BMG: the operator reviews the protocol for signs of misuse and
contacts an authority on suspected unlawful retrievals — the review needs the finding, who
looks at it, what was decided and why, and when each of it happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from datenspiegel.protocol.anomalies import DetectorKind, Finding, Severity, Subject
from datenspiegel.protocol.anomalies.errors import InvalidTransition, UnknownFinding
from datenspiegel.protocol.anomalies.store import (
    SYSTEM_ACTOR,
    FindingAction,
    FindingStatus,
    FindingStore,
)

T0 = datetime(2026, 4, 8, 21, 30, tzinfo=UTC)
POLICE = Subject(authority_id=3, authority_kennung="dbs:polizei-hannover", user_id=12,
                 user_kennung="PK-4711")  # fmt: skip
OFFICE = Subject(authority_id=4, authority_kennung="dbs:ordnungsamt-hannover", user_id=20,
                 user_kennung="OA-1")  # fmt: skip


def finding(
    subject: Subject = POLICE,
    *,
    kind: DetectorKind = DetectorKind.BURST_USER,
    severity: Severity = Severity.MEDIUM,
    ids: tuple[str, ...] = ("r1", "r2", "r3"),
    measured: float = 21,
    bucket: str = "2026-04-08",
    start: datetime = T0,
) -> Finding:
    return Finding(
        kind=kind,
        severity=severity,
        subject=subject,
        bucket=bucket,
        window_start=start,
        window_end=start + timedelta(minutes=4),
        measured=measured,
        threshold=20,
        explanation=f"{measured:g} retrievals within 5 minutes (threshold 20)",
        record_ids=ids,
        record_count=len(ids),
    )


@pytest.fixture
def store(database_url: str) -> Iterator[FindingStore]:
    store = FindingStore(database_url)
    store.migrate()
    yield store
    store.close()


def test_a_new_finding_is_open_and_its_detection_recorded(store: FindingStore) -> None:
    (stored,) = store.upsert([finding()], at=T0)
    assert stored.status is FindingStatus.OPEN and stored.reviewer is None
    assert stored.first_seen == stored.updated_at == T0
    assert store.get(stored.id) == stored
    assert store.by_key(finding().key) == stored
    (event,) = store.history(stored.id)
    assert (event.actor, event.action, event.status) == (
        SYSTEM_ACTOR,
        FindingAction.DETECTED,
        FindingStatus.OPEN,
    )
    assert event.note is not None and "21 retrievals within 5 minutes" in event.note


def test_the_same_key_is_one_finding_whose_evidence_grows(store: FindingStore) -> None:
    """A re-evaluation that adds nothing writes nothing; one that adds records merges them
    (the continuous evaluation and a later scan leave the same finding)."""
    (first,) = store.upsert([finding()], at=T0)
    (again,) = store.upsert([finding()], at=T0 + timedelta(minutes=1))
    assert again == first and len(store.history(first.id)) == 1
    later = T0 + timedelta(minutes=2)
    grown = finding(ids=("r2", "r3", "r4", "r5"), measured=24, start=T0 + timedelta(minutes=1))
    (merged,) = store.upsert([grown], at=later)
    assert merged.id == first.id and merged.first_seen == T0 and merged.updated_at == later
    assert merged.finding.record_ids == ("r1", "r2", "r3", "r4", "r5")
    assert merged.finding.record_count == 5 and merged.finding.measured == 24
    assert merged.finding.window_start == T0  # widened, never narrowed
    events = store.history(first.id)
    assert [e.action for e in events] == [FindingAction.DETECTED, FindingAction.UPDATED]
    assert events[1].note is not None and "5 record(s), 3 before" in events[1].note
    assert len(store.list()) == 1


def test_review_workflow_and_its_history(store: FindingStore) -> None:
    """open → in review (assigned) → authority asked → confirmed; each step an event with who,
    when and why."""
    (stored,) = store.upsert([finding()], at=T0)
    at = T0 + timedelta(hours=10)
    assigned = store.assign(stored.id, reviewer="Dana Schutz", note="übernommen", at=at)
    assert assigned.status is FindingStatus.IN_REVIEW and assigned.reviewer == "Dana Schutz"
    asked = store.letter_sent(
        stored.id, reviewer="Dana Schutz", note="Schreiben vom 9.4., Frist 23.4.", at=at
    )
    assert asked.status is FindingStatus.AUTHORITY_ASKED
    done = store.resolve(
        stored.id,
        status=FindingStatus.CONFIRMED,
        reviewer="Dana Schutz",
        note="Behörde bestätigt: kein dienstlicher Anlass",
        at=at + timedelta(days=5),
    )
    assert done.status is FindingStatus.CONFIRMED and done.status.resolved
    history = store.history(stored.id)
    assert [(e.action, e.status, e.actor) for e in history] == [
        (FindingAction.DETECTED, FindingStatus.OPEN, SYSTEM_ACTOR),
        (FindingAction.ASSIGNED, FindingStatus.IN_REVIEW, "Dana Schutz"),
        (FindingAction.LETTER, FindingStatus.AUTHORITY_ASKED, "Dana Schutz"),
        (FindingAction.STATUS, FindingStatus.CONFIRMED, "Dana Schutz"),
    ]
    assert history[-1].note == "Behörde bestätigt: kein dienstlicher Anlass"
    assert history[-1].at == at + timedelta(days=5)
    # assigning a confirmed finding to another reviewer does not reopen it
    again = store.assign(stored.id, reviewer="Prüfer B", at=at + timedelta(days=6))
    assert again.status is FindingStatus.CONFIRMED and again.reviewer == "Prüfer B"


def test_review_steps_that_do_not_fit_are_refused(store: FindingStore) -> None:
    (stored,) = store.upsert([finding()], at=T0)
    with pytest.raises(InvalidTransition, match="open only until"):
        store.resolve(stored.id, status=FindingStatus.OPEN, reviewer="A", note="x", at=T0)
    with pytest.raises(InvalidTransition, match="a note saying why is required"):
        store.resolve(stored.id, status=FindingStatus.DISMISSED, reviewer="A", note=" ", at=T0)
    with pytest.raises(InvalidTransition, match="reviewer's name is required"):
        store.assign(stored.id, reviewer="", at=T0)
    store.resolve(stored.id, status=FindingStatus.DISMISSED, reviewer="A", note="Schicht", at=T0)
    with pytest.raises(InvalidTransition, match="already dismissed"):
        store.resolve(stored.id, status=FindingStatus.DISMISSED, reviewer="A", note="x", at=T0)
    with pytest.raises(UnknownFinding, match="no finding with id 999"):
        store.assign(999, reviewer="A", at=T0)
    assert len(store.history(stored.id)) == 2  # nothing refused was recorded


def test_new_evidence_never_silently_reopens_a_dismissed_finding(store: FindingStore) -> None:
    """Decided in protocol/anomalies/store.py: more of the same leaves the reviewer's status
    (recorded as an update); a dismissed finding that turns more severe is reopened — with an
    event saying so."""
    (stored,) = store.upsert([finding()], at=T0)
    store.resolve(stored.id, status=FindingStatus.DISMISSED, reviewer="A", note="Einsatz", at=T0)
    (same_severity,) = store.upsert([finding(ids=("r4",))], at=T0 + timedelta(minutes=1))
    assert same_severity.status is FindingStatus.DISMISSED
    assert same_severity.finding.record_count == 4
    stronger = finding(ids=("r5",), severity=Severity.HIGH, measured=44)
    (reopened,) = store.upsert([stronger], at=T0 + timedelta(minutes=2))
    assert reopened.status is FindingStatus.OPEN and reopened.finding.severity is Severity.HIGH
    last = store.history(stored.id)[-1]
    assert last.action is FindingAction.REOPENED and last.status is FindingStatus.OPEN
    assert last.note is not None and "from medium (dismissed) to high" in last.note

    (other,) = store.upsert([finding(OFFICE)], at=T0)
    store.resolve(other.id, status=FindingStatus.CONFIRMED, reviewer="A", note="ja", at=T0)
    (kept,) = store.upsert([finding(OFFICE, severity=Severity.HIGH, ids=("r9",))], at=T0)
    assert kept.status is FindingStatus.CONFIRMED  # confirmed stays confirmed
    assert store.history(other.id)[-1].action is FindingAction.UPDATED


def test_list_filters_by_status_authority_and_period(store: FindingStore) -> None:
    day2 = T0 + timedelta(days=1)
    given = [
        finding(),
        finding(OFFICE, kind=DetectorKind.DECOY, severity=Severity.CRITICAL),
        finding(start=day2, bucket="2026-04-09"),
    ]
    stored = {s.finding.key: s for s in store.upsert(given, at=day2)}
    a, b, c = (stored[f.key] for f in given)
    listed = store.list()
    assert listed[0].id == c.id and {s.id for s in listed} == {a.id, b.id, c.id}  # newest first
    store.resolve(a.id, status=FindingStatus.DISMISSED, reviewer="A", note="x", at=day2)
    assert {s.id for s in store.list(status=[FindingStatus.OPEN])} == {b.id, c.id}
    assert [s.id for s in store.list(authority_kennung="dbs:ordnungsamt-hannover")] == [b.id]
    assert {s.id for s in store.list(since=day2)} == {c.id}
    assert {s.id for s in store.list(until=day2)} == {a.id, b.id}
    # a window overlapping the period's start counts
    assert {s.id for s in store.list(since=T0 + timedelta(minutes=2), until=day2)} == {
        a.id,
        b.id,
    }
    assert len(store.list(limit=1)) == 1
    assert store.counts()[(FindingStatus.OPEN, Severity.CRITICAL)] == 1


def test_events_of_actions_taken_because_of_a_finding(store: FindingStore) -> None:
    (stored,) = store.upsert([finding(kind=DetectorKind.DECOY, severity=Severity.CRITICAL)], at=T0)
    store.add_event(
        stored.id, actor=SYSTEM_ACTOR, action=FindingAction.BLOCKED, note="user 12 blocked", at=T0
    )
    event = store.history(stored.id)[-1]
    assert event.action is FindingAction.BLOCKED and event.status is FindingStatus.OPEN
    assert store.get(stored.id) == replace(stored, updated_at=T0)


def test_watermark_moves_forward_only_and_commits_with_the_findings(store: FindingStore) -> None:
    assert store.watermark() is None
    assert store.advance(T0) == T0
    assert store.advance(T0 - timedelta(hours=1)) == T0  # never back
    later = T0 + timedelta(minutes=5)
    (done,) = store.merge([finding()], at=later, watermark=later)
    assert done.change is FindingAction.DETECTED and store.watermark() == later
    assert store.state().evaluated_at == later


def test_the_evaluation_lease_has_one_holder_until_it_expires(store: FindingStore) -> None:
    until = T0 + timedelta(seconds=30)
    assert store.claim("host-a:1", now=T0, until=until)
    assert store.claim("host-a:1", now=T0 + timedelta(seconds=10), until=until)  # renewed
    assert not store.claim("host-b:2", now=T0 + timedelta(seconds=29), until=until)
    assert store.state().holder == "host-a:1"
    assert store.claim("host-b:2", now=until, until=until + timedelta(seconds=30))  # expired
    store.release("host-a:1")  # not its lease any more: nothing happens
    assert store.state().holder == "host-b:2"
    store.release("host-b:2")
    assert store.claim("host-a:1", now=T0, until=until)
