"""Each detector at its threshold: just below no finding, at it a finding that names the
measured value and the threshold (issue 10 point 1; DOMAIN.md §§ 6–7, § 40 BMG).

Records are real :class:`ProtocolRecord` objects built by the misuse simulator's factory, as
the broker writes them. Security authorities (§ 40 Abs. 3 BMG, § 34 Abs. 4 BMG): the content
detectors neither fire on nor read their records.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from datenspiegel.fixtures.misuse.population import build_population
from datenspiegel.fixtures.misuse.records import (
    STALE_DETAIL,
    Ask,
    RecordFactory,
    blocked_detail,
    signature_detail,
)
from datenspiegel.protocol.anomalies import (
    AnomalyConfig,
    BlockPeriod,
    Context,
    DayVolume,
    DetectorKind,
    InvalidConfig,
    Severity,
    block_periods,
    evaluate,
)
from datenspiegel.protocol.anomalies.clock import LocalClock
from datenspiegel.protocol.record import Outcome, ProtocolRecord

K = DetectorKind
#: Tuesday 2026-03-10, 10:00 local time (09:00 UTC): office hours
OFFICE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
USERS = build_population(random.Random(5), 40)
CLERK = next(u for u in USERS if u.authority.kind.value == "municipal")
CLERK2 = next(u for u in USERS if u.authority.kind.value == "tax")
POLICE = next(u for u in USERS if u.authority.kind.value == "police")
PROSECUTOR = next(u for u in USERS if u.authority.kind.value == "prosecutor")


@pytest.fixture
def factory() -> RecordFactory:
    return RecordFactory(random.Random(7))


def _kinds(records: list[ProtocolRecord], **kw: Any) -> dict[DetectorKind, list[Any]]:
    found: dict[DetectorKind, list[Any]] = {}
    for f in evaluate(records, **kw):
        found.setdefault(f.kind, []).append(f)
    return found


def _asks(
    factory: RecordFactory, user: Any, moments: list[datetime], **kw: Any
) -> list[ProtocolRecord]:
    return [factory.record(Ask(user, at, **kw)) for at in moments]


def _every(start: datetime, count: int, seconds: float) -> list[datetime]:
    return [start + timedelta(seconds=seconds * n) for n in range(count)]


def _history(keys: list[str], *, days: int = 20, records: int = 10, off: int = 0) -> dict:
    return {
        key: {date(2026, 3, 9) - timedelta(days=d): DayVolume(records, off) for d in range(1, days)}
        for key in keys
    }


def test_burst_of_a_user_at_and_below_the_threshold(factory: RecordFactory) -> None:
    """§ 39 Abs. 1 BMG: retrievals as far as the task needs: 20 in 5 minutes is a burst."""
    config = AnomalyConfig(burst_user_count=20, burst_user_minutes=5)
    below = _asks(factory, CLERK, _every(OFFICE, 19, 14))
    assert K.BURST_USER not in _kinds(below, config=config)
    at = _asks(factory, CLERK, _every(OFFICE, 20, 14))
    (finding,) = _kinds(at, config=config)[K.BURST_USER]
    assert finding.measured == 20 and finding.threshold == 20
    assert (
        "20 retrievals" in finding.explanation
        and "threshold 20 in 5 minutes" in finding.explanation
    )
    assert finding.subject.user_id == CLERK.id and finding.record_count == 20


def test_burst_of_a_police_user_is_seen_from_metadata_alone(factory: RecordFactory) -> None:
    """DOMAIN.md § 6: for security authorities "bursts of queries at unusual hours" are
    watched; their records carry no content (§ 40 Abs. 3 BMG)."""
    night = datetime(2026, 3, 10, 23, 0, tzinfo=UTC)
    records = _asks(factory, POLICE, _every(night, 25, 10))
    assert not any(r.content_recorded for r in records)
    (finding,) = _kinds(records)[K.BURST_USER]
    assert finding.severity is Severity.HIGH  # at night
    assert finding.subject.user_kennung.startswith("pseudonym:")


def test_burst_of_an_authority(factory: RecordFactory) -> None:
    config = AnomalyConfig(burst_authority_count=30, burst_authority_minutes=10)
    users = [u for u in USERS if u.authority.id == POLICE.authority.id][:6]
    records = [r for u in users for r in _asks(factory, u, _every(OFFICE, 5, 60))]
    assert len(records) == 30
    assert K.BURST_AUTHORITY not in _kinds(records[:29], config=config)
    (finding,) = _kinds(records, config=config)[K.BURST_AUTHORITY]
    assert finding.measured == 30 and finding.subject.user_id is None
    over = replace(config, burst_authority_overrides={POLICE.authority.kennung: 40})
    assert K.BURST_AUTHORITY not in _kinds(records, config=over)


def test_unusual_hours_against_the_authoritys_own_history(factory: RecordFactory) -> None:
    """Night work is unusual for a municipal office; not for an authority whose history
    holds off-hours work (police shifts)."""
    night = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 local
    two = _asks(factory, CLERK, _every(night, 2, 600))
    three = _asks(factory, CLERK, _every(night, 3, 600))
    office = _history([f"authority:{CLERK.authority.id}", CLERK.key])
    assert K.UNUSUAL_HOURS not in _kinds(two, context=Context(history=office))
    (finding,) = _kinds(three, context=Context(history=office))[K.UNUSUAL_HOURS]
    assert finding.measured == 3 and "threshold 3" in finding.explanation
    assert "0.0% of its 190 records" in finding.explanation
    shifts = _history([f"authority:{CLERK.authority.id}"], off=3)
    assert K.UNUSUAL_HOURS not in _kinds(three, context=Context(history=shifts))
    assert K.UNUSUAL_HOURS not in _kinds(three)  # no history: not judged


def test_off_hours_periods_of_lower_saxony() -> None:
    """Public holidays of Lower Saxony (Reformationstag 31 October) and a weekend stretch
    from Friday 22:00 to Monday 06:00 as one period."""
    clock = LocalClock()
    reformation = clock.slot(datetime(2026, 10, 31, 10, tzinfo=UTC).timestamp())
    assert reformation.off_reason == "holiday" and "Reformationstag" in (
        reformation.off_label or ""
    )
    friday = clock.slot(datetime(2026, 3, 13, 21, 30, tzinfo=UTC).timestamp())  # 22:30 local
    sunday = clock.slot(datetime(2026, 3, 15, 12, tzinfo=UTC).timestamp())
    monday = clock.slot(datetime(2026, 3, 16, 6, tzinfo=UTC).timestamp())  # 07:00 local
    assert friday.off_period == sunday.off_period == "2026-03-13T22"
    assert monday.off_reason is None


def test_volume_above_the_users_baseline(factory: RecordFactory) -> None:
    """Robust baseline: max(40, 3 × median, median + 6 × 1.4826 × MAD)."""
    history = _history([CLERK.key], records=15)
    context = Context(history=history)
    moments = _every(OFFICE, 45, 400)
    assert K.VOLUME_BASELINE not in _kinds(_asks(factory, CLERK, moments[:44]), context=context)
    (finding,) = _kinds(_asks(factory, CLERK, moments), context=context)[K.VOLUME_BASELINE]
    assert finding.measured == 45 and finding.threshold == 45
    assert "median 15" in finding.explanation and "threshold 45.0" in finding.explanation


def test_the_same_person_again_by_one_user_and_by_many_authorities(factory: RecordFactory) -> None:
    """§ 41 BMG purpose limitation: 4 look-ups of one person by one user within 7 days;
    4 authorities within 7 days."""
    days = [OFFICE + timedelta(days=d) for d in range(4)]
    three = _asks(factory, CLERK, days[:3], hits=(4711,))
    assert K.REPEAT_PERSON_USER not in _kinds(three)
    (finding,) = _kinds(three + _asks(factory, CLERK, days[3:], hits=(4711,)))[K.REPEAT_PERSON_USER]
    assert finding.subject.person_id == 4711 and "4 times" in finding.explanation
    late = _asks(factory, CLERK, [OFFICE + timedelta(days=8)], hits=(4711,))
    assert K.REPEAT_PERSON_USER not in _kinds(three + late)  # outside the 7-day window
    publics = [u for u in USERS if not u.authority.sicherheitsbehoerde]
    authorities = {u.authority.id: u for u in publics}
    four = list(authorities.values())[:4]
    records = [
        factory.record(Ask(u, OFFICE + timedelta(hours=n), hits=(99,))) for n, u in enumerate(four)
    ]
    assert K.REPEAT_PERSON_AUTHORITIES not in _kinds(records[:3])
    (finding,) = _kinds(records)[K.REPEAT_PERSON_AUTHORITIES]
    assert finding.subject.key == "person:99" and finding.measured == 4


def test_decoy_is_critical_wherever_it_is_in_the_answer(factory: RecordFactory) -> None:
    config = AnomalyConfig(decoy_persons=frozenset({42}))
    on_list = factory.record(Ask(CLERK, OFFICE, codes=("02",), hits=(1, 2, 42)))
    (finding,) = _kinds([on_list], config=config)[K.DECOY]
    assert finding.severity is Severity.CRITICAL and finding.subject.person_id == 42
    assert "threshold 1" in finding.explanation
    assert K.DECOY not in _kinds([factory.record(Ask(CLERK, OFFICE, hits=(43,)))], config=config)


def test_content_detectors_never_fire_on_nor_read_security_authorities(
    factory: RecordFactory,
) -> None:
    """§ 40 Abs. 3 BMG: the operator does not review a security authority's content, not
    even a prosecutor's kept on its behalf; a decoy or a repeated person stays unseen."""
    config = AnomalyConfig(decoy_persons=frozenset({42}), broad_per_day=1)
    prosecutor = _asks(factory, PROSECUTOR, _every(OFFICE, 5, 3600), hits=(42,))
    assert all(r.content_recorded and r.hits == (42,) for r in prosecutor)
    broad = factory.record(
        Ask(
            PROSECUTOR,
            OFFICE,
            "freieSuche",
            Outcome.ANSWERED,
            ("04",),
            (7, 8),
            search_data={"suchbereich/land": "03", "familienname": "M*"},
        )
    )
    found = _kinds([*prosecutor, broad], config=config)
    assert not set(found) & {k for k in DetectorKind if k.needs_content}

    class Watched:
        """A record that reports every field read."""

        def __init__(self, record: ProtocolRecord) -> None:
            self.read: set[str] = set()
            self._record = record

        def __getattr__(self, name: str) -> Any:
            self.read.add(name)
            return getattr(self._record, name)

    watched = [Watched(r) for r in [*prosecutor, broad]]
    evaluate(watched, config=config)  # type: ignore[arg-type]
    content = {
        "hits",
        "hit_count",
        "search_data",
        "disclosed",
        "withheld",
        "aktenzeichen",
        "anlass",
        "requesting_body",
        "requested_elements",
    }
    assert all(not (w.read & content) for w in watched), [w.read & content for w in watched]


def test_fishing_share_from_a_minimum_volume(factory: RecordFactory) -> None:
    """Trying names (status 03 / 02) is metadata: it is watched for every authority."""
    config = AnomalyConfig(fishing_share=0.7, fishing_min_volume=10)
    moments = _every(OFFICE, 10, 600)
    seven = [factory.record(Ask(POLICE, at, codes=("03",))) for at in moments[:7]]
    three_hits = [
        factory.record(Ask(POLICE, at, hits=(n + 1,))) for n, at in enumerate(moments[7:])
    ]
    (finding,) = _kinds(seven + three_hits, config=config)[K.FISHING]
    assert finding.measured == 0.7 and "7 of 10" in finding.explanation
    six = seven[:6] + three_hits + [factory.record(Ask(POLICE, moments[6], hits=(99,)))]
    assert K.FISHING not in _kinds(six, config=config)


def test_broad_freie_suche(factory: RecordFactory) -> None:
    """§ 34a Abs. 3 BMG: a group of unnamed persons, not the register: three state-wide
    searches with a one-letter placeholder in a day."""

    def search(at: datetime, data: dict[str, str]) -> ProtocolRecord:
        return factory.record(
            Ask(CLERK, at, "freieSuche", Outcome.ANSWERED, ("04",), (1, 2), search_data=data)
        )

    sweep = {"suchbereich/land": "03", "familienname": "M*"}
    narrow = {
        "suchbereich/land": "03",
        "familienname": "Meyer",
        "vornamen": "Anna",
        "geburtsdatum/jahrMonatTag": "1980-01-01",
    }
    moments = _every(OFFICE, 4, 900)
    records = [search(moments[0], sweep), search(moments[1], sweep), search(moments[2], narrow)]
    assert K.BROAD_FREIE_SUCHE not in _kinds(records)
    (finding,) = _kinds([*records, search(moments[3], sweep)])[K.BROAD_FREIE_SUCHE]
    assert finding.measured == 3 and "0 search criteria" in finding.explanation


def test_attempts_after_a_block(factory: RecordFactory) -> None:
    """DOMAIN.md § 7: the operator may block at any time; the broker refuses with T070 and
    names the block in the record (access/decision.py rules 2 and 3)."""
    refused = factory.record(
        Ask(
            CLERK,
            OFFICE,
            outcome=Outcome.RETURNED,
            codes=("T070",),
            detail=blocked_detail(CLERK, authority=False, grund="Prüfung"),
        )
    )
    (finding,) = _kinds([refused])[K.AFTER_BLOCK]
    assert finding.severity is Severity.HIGH and finding.subject.user_id == CLERK.id
    answered = factory.record(Ask(CLERK2, OFFICE))
    assert K.AFTER_BLOCK not in _kinds([answered])
    periods = block_periods([(OFFICE - timedelta(hours=1), True)])
    context = Context(blocked_authorities={CLERK2.authority.id: periods})
    (finding,) = _kinds([answered], context=context)[K.AFTER_BLOCK]
    assert finding.subject.key == f"authority:{CLERK2.authority.id}"
    assert block_periods([(OFFICE, True), (OFFICE + timedelta(hours=1), False)]) == (
        BlockPeriod(OFFICE, OFFICE + timedelta(hours=1)),
    )


def test_failures_from_one_source(factory: RecordFactory) -> None:
    def fail(at: datetime) -> ProtocolRecord:
        return factory.record(
            Ask(
                CLERK,
                at,
                outcome=Outcome.RETURNED,
                codes=("T011",),
                verified=False,
                client_address="10.250.1.9",
                detail=signature_detail("T011", "x", at),
            )
        )

    moments = _every(OFFICE, 5, 700)
    assert K.FAILURES not in _kinds([fail(at) for at in moments[:4]])
    (finding,) = _kinds([fail(at) for at in moments])[K.FAILURES]
    assert finding.subject.key == "source:10.250.1.9" and "threshold 5" in finding.explanation
    spread = [fail(OFFICE + timedelta(minutes=16 * n)) for n in range(5)]  # 64 minutes
    assert K.FAILURES not in _kinds(spread)


def test_replays_and_stale_messages(factory: RecordFactory) -> None:
    original = factory.record(Ask(CLERK, OFFICE, hits=(5,)))
    twice = [factory.duplicate_of(original, OFFICE + timedelta(seconds=s)) for s in (30, 60)]
    assert K.REPLAY not in _kinds([original, *twice])
    stale = factory.record(
        Ask(
            CLERK,
            OFFICE + timedelta(minutes=5),
            outcome=Outcome.RETURNED,
            codes=("S999",),
            detail=STALE_DETAIL.format(age=3600),
        )
    )
    (finding,) = _kinds([original, *twice, stale])[K.REPLAY]
    assert finding.measured == 3 and "older than the creation-time window" in finding.explanation


def test_configuration_refuses_nonsense() -> None:
    with pytest.raises(InvalidConfig, match="burst_user_count"):
        AnomalyConfig(burst_user_count=0)
    with pytest.raises(InvalidConfig, match="fishing_share"):
        AnomalyConfig(fishing_share=1.5)
    with pytest.raises(InvalidConfig, match="timezone"):
        AnomalyConfig(timezone="Mars/Olympus")
    assert AnomalyConfig().lookback >= timedelta(days=7)
