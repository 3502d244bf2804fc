"""Reading a period for the detectors from a real protocol store, on SQLite and PostgreSQL:
each record once, also across pages of one instant, and every page a logged read (DOMAIN.md
§ 6: "every read of the protocol is itself recorded"; § 40 BMG: data-protection control)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from datenspiegel.fixtures.misuse import append_to_store
from datenspiegel.fixtures.misuse.population import build_population
from datenspiegel.fixtures.misuse.records import Ask, RecordFactory
from datenspiegel.protocol.anomalies import evaluate, read_records
from datenspiegel.protocol.reads import ReadPurpose
from datenspiegel.protocol.store import ProtocolStore


def test_read_records_pages_through_ties_and_logs_each_read(database_url: str) -> None:
    store = ProtocolStore(database_url)
    store.migrate()
    try:
        factory = RecordFactory(random.Random(3))
        user = build_population(random.Random(3), 20)[0]
        moment = datetime(2026, 3, 10, 9, tzinfo=UTC)
        records = [factory.record(Ask(user, moment + timedelta(seconds=n))) for n in range(12)]
        # nine records of one instant straddle the pages of 4
        tie = moment + timedelta(seconds=5)
        records += [
            replace(factory.record(Ask(user, moment)), received_at=tie, answered_at=tie)
            for _ in range(9)
        ]
        assert append_to_store(store, records) == 21
        got = list(read_records(store, since=moment, reader="Prüferin A", page=4))
        assert sorted(r.record_id for r in got) == sorted(r.record_id for r in records)
        assert len(got) == len({r.record_id for r in got})
        logged = [r for r in store.reads(limit=100) if r.reader == "Prüferin A"]
        assert logged and all(r.purpose is ReadPurpose.DATENSCHUTZKONTROLLE for r in logged)
        assert {i for r in logged for i in r.record_ids} == {r.record_id for r in records}
        assert evaluate(got) == evaluate(records)
    finally:
        store.close()
