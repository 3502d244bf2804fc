"""The running service's check for unfetched hand-over cases (service/overdue.py; issue 7,
point 5): the duties of § 34a Abs. 5 and § 51 Abs. 3 BMG are met only when the recipient
fetches the 1322 or notice, so the operator is told of every case left unfetched."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from datenspiegel.protocol.cases import Case, CaseStore
from datenspiegel.protocol.store import ProtocolStore
from datenspiegel.service.overdue import OverdueCases


@pytest.fixture
def store(tmp_path: Path, database_url: str) -> CaseStore:
    cases = CaseStore(database_url)
    ProtocolStore(engine=cases.engine).migrate()  # acknowledging discharges outbox duties
    cases.migrate()
    return cases


def _case(recipient: str, *, hours_ago: float) -> Case:
    return Case(
        case_id=str(uuid.uuid4()),
        record_id=str(uuid.uuid4()),
        request_message_id=None,
        person_id=7,
        recipient=recipient,
        kind="uebermittlungssperre",
        duties=("aussteuerung",),
        created_at=datetime.now(UTC) - timedelta(hours=hours_ago),
        content=b"<fall/>",
    )


def test_only_open_unfetched_cases_past_the_limit_count(
    store: CaseStore, caplog: pytest.LogCaptureFixture
) -> None:
    fresh = _case("ags:03454001", hours_ago=1)
    old, fetched, acknowledged = (_case(f"ags:0345400{i}", hours_ago=30) for i in (2, 3, 4))
    with store.engine.begin() as conn:
        CaseStore.store_in(conn, [fresh, old, fetched, acknowledged])
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        CaseStore.mark_fetched_in(conn, [fetched.case_id], at=now, record_id="r1")
        CaseStore.acknowledge_in(
            conn, acknowledged.recipient, [acknowledged.case_id], at=now, record_id="r2"
        )
    watch = OverdueCases(store, after_seconds=24 * 3600, clock=lambda: datetime.now(UTC))
    count, age = watch.summary()
    assert count == 1
    assert 29.9 * 3600 < age < 30.1 * 3600
    families = {f.name: f.samples[0].value for f in watch.collect()}
    assert families == {
        "datenspiegel_cases_overdue": 1,
        "datenspiegel_cases_overdue_oldest_seconds": pytest.approx(age),
    }
    with caplog.at_level(logging.WARNING, logger="datenspiegel.service.overdue"):
        assert watch.check() == 1
    assert "1 hand-over case(s) not fetched within 86400 s" in caplog.text
    assert old.recipient not in caplog.text  # the log names no recipient and no person


def test_nothing_overdue_is_quiet(store: CaseStore, caplog: pytest.LogCaptureFixture) -> None:
    watch = OverdueCases(store, after_seconds=60, clock=lambda: datetime.now(UTC))
    with caplog.at_level(logging.WARNING):
        assert watch.check() == 0
    assert caplog.text == ""
    assert {f.name: f.samples[0].value for f in watch.collect()} == {
        "datenspiegel_cases_overdue": 0,
        "datenspiegel_cases_overdue_oldest_seconds": 0,
    }


def test_an_unreadable_database_fails_neither_scrape_nor_check(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = CaseStore(f"sqlite:///{tmp_path / 'missing' / 'broker.sqlite'}")
    watch = OverdueCases(broken, after_seconds=60, clock=lambda: datetime.now(UTC))
    assert list(watch.collect()) == []
    with caplog.at_level(logging.WARNING):
        assert watch.check() == -1
    assert "could not be counted" in caplog.text
